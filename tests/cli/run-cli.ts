/** Runs the real command line in a child process, as an integrator would: the compiled bin. */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const SAMPLES = resolve(ROOT, 'tests/fixtures/samples');
/** The `jak-readiness` bin (package.json); it runs build/cli/, which tests/cli/build-cli.setup.ts rebuilds before the tests. */
export const BIN = 'src/cli/jak-readiness.mjs';

export interface CliResult { code: number; stdout: string; stderr: string }

export function runCli(args: string[], options: { entry?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  const entry = options.entry ?? BIN;
  const argv = entry.endsWith('.ts') ? ['--import', 'tsx', entry, ...args] : [entry, ...args];
  return new Promise((done) => {
    execFile(process.execPath, argv, { cwd: options.cwd ?? ROOT, maxBuffer: 256 * 1024 * 1024, ...(options.env ? { env: options.env } : {}) }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}
