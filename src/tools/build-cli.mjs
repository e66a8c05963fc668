// Compiles the command line (src/cli), the worklist's worker thread and the CDS Hooks service
// (src/cds-hooks) to plain JavaScript in build/cli/, so neither the `jak-readiness` bin nor
// `npm run cds-hooks` needs a TypeScript compiler at run time (a hospital deploys them with
// production dependencies only).
//
// Why build/cli/ and not dist/: `vite build` empties dist/ for the app, so a CLI built there
// would vanish whenever the app is rebuilt. build/ is gitignored.
//
// Plain JavaScript on purpose: `npm ci` runs it (the `prepare` script) before anything else.
import { rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const outdir = join(root, 'build/cli');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // An install without development dependencies (npm ci --omit=dev) has no compiler: say so,
  // do not fail the install. The bin then says how to build.
  process.stderr.write('build-cli: esbuild is not installed (development dependency); the command line was not built\n');
  process.exit(0);
}

rmSync(outdir, { recursive: true, force: true });
const started = Date.now();
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { main: 'src/cli/main.ts', 'worklist-worker': 'src/worklist/worker.ts', 'cds-hooks': 'src/cds-hooks/main.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Runtime dependencies (jose) stay imports from node_modules.
  packages: 'external',
  sourcemap: 'linked',
  minify: process.env.CLI_MINIFY !== '0',
  logLevel: 'warning',
  metafile: true,
});
const files = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'));
if (!process.argv.includes('--quiet')) {
  process.stdout.write(`build-cli: ${files.length} files in ${relative(process.cwd(), outdir) || '.'} (${Date.now() - started} ms)\n`);
}
