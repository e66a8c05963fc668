/** Runs the real command line in a child process, as an integrator would. */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const SAMPLES = resolve(ROOT, 'tests/fixtures/samples');

export interface CliResult { code: number; stdout: string; stderr: string }

export function runCli(args: string[], entry = 'src/cli/main.ts'): Promise<CliResult> {
  const argv = entry.endsWith('.mjs') ? [entry, ...args] : ['--import', 'tsx', entry, ...args];
  return new Promise((done) => {
    execFile(process.execPath, argv, { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}
