/** Vitest global setup: compile the command line and the CDS service once, so the tests run what users run. */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export default function setup(): void {
  execFileSync(process.execPath, [resolve(import.meta.dirname, '../../src/tools/build-cli.mjs'), '--quiet'], { stdio: 'inherit' });
}
