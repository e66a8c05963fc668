/**
 * Runs pass two on worker threads (one per core by default): each idle worker takes the next
 * bucket, so a large bucket on one core does not hold up the other.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AssessSettings } from './assess-patient';
import type { BucketResult, FromWorker, ToWorker, WorkerInit } from './worker';

/**
 * The worker's script. Compiled (build/cli/worklist-worker.js, next to this code once bundled)
 * when there is one; from the TypeScript source through tsx in development and tests.
 */
function workerScript(): { url: URL; eval?: string } {
  const here = dirname(fileURLToPath(import.meta.url));
  const compiled = join(here, 'worklist-worker.js');
  if (existsSync(compiled)) return { url: pathToFileURL(compiled) };
  const source = pathToFileURL(join(here, 'worker.ts'));
  const tsx = createRequire(import.meta.url).resolve('tsx/esm/api');
  return {
    url: source,
    eval: `import(${JSON.stringify(pathToFileURL(tsx).href)}).then((m) => { m.register(); return import(${JSON.stringify(source.href)}); })`,
  };
}

export interface PoolOptions {
  buckets: string[];
  settings: AssessSettings;
  workers: number;
  onBucket?: (result: BucketResult, done: number, total: number) => void;
}

export async function assessBuckets(options: PoolOptions): Promise<BucketResult[]> {
  const script = workerScript();
  const queue = [...options.buckets];
  const results: BucketResult[] = [];
  const count = Math.max(1, Math.min(options.workers, queue.length));
  const init: WorkerInit = { settings: options.settings };
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: count }, () =>
        new Promise<void>((resolve, reject) => {
          const worker = script.eval
            ? new Worker(script.eval, { eval: true, workerData: init })
            : new Worker(script.url, { workerData: init });
          workers.push(worker);
          let settled = false;
          const next = () => {
            const bucket = queue.shift();
            if (bucket === undefined) {
              settled = true;
              worker.postMessage({ stop: true } satisfies ToWorker);
              resolve();
            } else worker.postMessage({ bucket } satisfies ToWorker);
          };
          worker.on('message', (message: FromWorker) => {
            if ('error' in message) {
              settled = true;
              reject(new Error(`a worker could not assess ${message.bucket}: ${message.error}`));
              return;
            }
            results.push(message.result);
            options.onBucket?.(message.result, results.length, options.buckets.length);
            next();
          });
          worker.on('error', (error) => {
            if (!settled) reject(error);
            settled = true;
          });
          worker.on('exit', (code) => {
            if (!settled) reject(new Error(`a worker stopped unexpectedly (exit code ${code})`));
            settled = true;
          });
          worker.once('online', next);
        }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
