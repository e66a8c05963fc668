#!/usr/bin/env node
// The `jak-readiness` bin: runs the command line compiled to plain JavaScript in build/cli/
// (`npm ci` builds it through the `prepare` script; `npm run build` and `npm run build:cli` too).
// No TypeScript compiler runs here, so a report takes a fraction of a second.
import { existsSync } from 'node:fs';

const compiled = new URL('../../build/cli/main.js', import.meta.url);
if (!existsSync(compiled)) {
  process.stderr.write('jak-readiness: the command line is not built yet; run `npm run build:cli` (or `npm ci`) in the project folder\n');
  process.exitCode = 1;
} else {
  await import(compiled.href);
}
