/**
 * Builds the app (dist/) for the browser tests: once per run, in the browser project's global
 * setup, before the test files start in parallel workers (two builds into one dist/ would
 * collide). A stamp of the build inputs lets a later run, or a file run on its own, reuse a build
 * that is still current.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';

// Not the sandbox's REPO_ROOT: importing the sandbox loads its FHIR server (0.6 s) into the main
// Vitest process, before any test can start.
const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

// This file too: a change to how the build is made must not reuse an old one.
const BUILD_INPUTS = ['src', 'launch', 'public', 'index.html', 'vite.config.ts', 'package-lock.json', 'tsconfig.json', 'tests/browser/build.ts'];
const STAMP_FILE = join(REPO_ROOT, 'node_modules', '.cache', 'jak-readiness-browser-tests', 'build-stamp.json');
let buildOnce: Promise<void> | undefined;

/**
 * Builds the app with the project's vite.config.ts into dist/. Once per test process; and since
 * Vitest runs each file in its own process, a stamp of the build inputs (paths, sizes, mtimes,
 * VITE_* env) lets later files reuse a build that is still current instead of rebuilding.
 */
export function ensureBuilt(): Promise<void> {
  buildOnce ??= (async () => {
    const key = await inputsKey();
    if (await stampMatches(key)) return;
    const { build } = await import('vite');
    // Vitest sets NODE_ENV=test, which would make Vite emit React's development build with
    // import.meta.env.DEV true: not what `npm run build` ships. Build as production, then restore.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(REPO_ROOT, 'vite.config.ts'), root: REPO_ROOT, mode: 'production', logLevel: 'silent' });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    await writeStamp(key);
  })();
  return buildOnce;
}

async function listFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return [];
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  const nested = await Promise.all(entries.map((entry) => listFiles(join(path, entry.name))));
  return nested.flat();
}

async function inputsKey(): Promise<string> {
  const hash = createHash('sha256');
  for (const input of BUILD_INPUTS) {
    for (const file of (await listFiles(join(REPO_ROOT, input))).sort()) {
      const info = await stat(file);
      hash.update(`${relative(REPO_ROOT, file)}\0${info.size}\0${info.mtimeMs}\n`);
    }
  }
  for (const [name, value] of Object.entries(process.env).sort()) if (name.startsWith('VITE_')) hash.update(`${name}=${value}\n`);
  return hash.digest('hex');
}

async function distMarker(): Promise<string | undefined> {
  const pages = ['index.html', join('launch', 'index.html')];
  const infos = await Promise.all(pages.map((page) => stat(join(REPO_ROOT, 'dist', page)).catch(() => undefined)));
  if (infos.some((info) => !info)) return undefined;
  return infos.map((info) => `${info!.size}:${info!.mtimeMs}`).join(',');
}

async function stampMatches(key: string): Promise<boolean> {
  try {
    const stamp = JSON.parse(await readFile(STAMP_FILE, 'utf8')) as { key?: string; dist?: string };
    return stamp.key === key && stamp.dist !== undefined && stamp.dist === (await distMarker());
  } catch {
    return false;
  }
}

async function writeStamp(key: string): Promise<void> {
  await mkdir(join(STAMP_FILE, '..'), { recursive: true });
  await writeFile(STAMP_FILE, JSON.stringify({ key, dist: await distMarker() }));
}

