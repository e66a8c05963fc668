/**
 * The worklist's worker threads (one per core by default). A task goes to whichever worker is
 * idle, so one large slice or bucket on one core does not hold up the other; `each` sends one
 * message to every worker (to close its part of pass one).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerInit } from './worker';

/**
 * The worker's script: compiled (build/cli/worklist-worker.js, next to this code once bundled)
 * when there is one, else the TypeScript source through tsx (development and tests).
 */
function startWorker(workerData: WorkerInit, script?: string): Worker {
  if (script) return new Worker(script, { workerData });
  const here = dirname(fileURLToPath(import.meta.url));
  const compiled = join(here, 'worklist-worker.js');
  if (existsSync(compiled)) return new Worker(compiled, { workerData });
  const source = join(here, 'worker.ts');
  // Node 20 does not pass a loader registered with --import on to worker threads: register it there.
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxDir, 'dist/esm/api/index.mjs')).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(source).href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

interface Slot {
  worker: Worker;
  busy: boolean;
  reply?: { resolve: (m: FromWorker) => void; reject: (e: Error) => void };
}

export class WorkerPool {
  private readonly slots: Slot[];
  private readonly waiting: Array<() => void> = [];
  private failed: Error | undefined;

  /** `script`: the worker's compiled file, when the caller knows it (tests running the source use build/cli's). */
  constructor(count: number, init: (part: number) => WorkerInit, script?: string) {
    this.slots = Array.from({ length: count }, (_, part) => {
      const slot: Slot = { worker: startWorker(init(part), script), busy: false };
      const fail = (error: Error) => {
        this.failed ??= error;
        slot.reply?.reject(error);
        slot.reply = undefined;
      };
      slot.worker.on('message', (message: FromWorker) => {
        const reply = slot.reply;
        slot.reply = undefined;
        if (message.kind === 'error') reply?.reject(new Error(message.message));
        else reply?.resolve(message);
      });
      slot.worker.on('error', fail);
      slot.worker.on('exit', (code) => fail(new Error(`a worker thread stopped unexpectedly (exit code ${code})`)));
      return slot;
    });
  }

  /** Every waiter checks again (few waiters: one per task in flight). */
  private wakeAll(): void {
    for (const wake of this.waiting.splice(0)) wake();
  }

  get size(): number {
    return this.slots.length;
  }

  private send(slot: Slot, message: ToWorker): Promise<FromWorker> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      slot.reply = { resolve, reject };
      slot.worker.postMessage(message);
    });
  }

  /** Takes the next idle worker (marked busy in the same step, so two tasks never share one). */
  private async take(): Promise<Slot> {
    for (;;) {
      const slot = this.slots.find((s) => !s.busy);
      if (slot) {
        slot.busy = true;
        return slot;
      }
      await new Promise<void>((wake) => this.waiting.push(wake));
    }
  }

  /** Runs one task on the next idle worker. */
  async run(message: ToWorker): Promise<FromWorker> {
    const slot = await this.take();
    try {
      return await this.send(slot, message);
    } finally {
      slot.busy = false;
      this.wakeAll();
    }
  }

  /** Sends one message to every worker (each once), when it is idle. */
  async each(message: ToWorker): Promise<FromWorker[]> {
    return Promise.all(
      this.slots.map(async (slot) => {
        while (slot.busy) await new Promise<void>((wake) => this.waiting.push(wake));
        slot.busy = true;
        try {
          return await this.send(slot, message);
        } finally {
          slot.busy = false;
          this.wakeAll();
        }
      }),
    );
  }

  async close(): Promise<void> {
    for (const slot of this.slots) slot.worker.removeAllListeners('exit');
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

/** Runs every task on the pool and returns the replies in task order. */
export async function runAll(pool: WorkerPool, tasks: ToWorker[], onDone?: (done: number) => void): Promise<FromWorker[]> {
  let done = 0;
  return Promise.all(
    tasks.map((task) =>
      pool.run(task).then((reply) => {
        done += 1;
        onDone?.(done);
        return reply;
      }),
    ),
  );
}
