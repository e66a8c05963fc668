/**
 * A clean clone installs and builds without warnings that the docs do not explain
 * (docs/development.md, "A quiet install and build"): `npm ci` finds every dependency install
 * script reviewed in package.json's `allowScripts`, and `vite build` prints no warning that
 * src/tools/build-warnings.ts does not explain.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { EXPLAINED_BUILD_WARNINGS, onBuildWarning, type BuildWarning } from '../src/tools/build-warnings';
import { REPO_ROOT } from '../src/sandbox/server';

describe('a quiet build', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'jak-build-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('`vite build` with the project configuration prints no warning', async () => {
    // What `npm run build` runs, as a process of its own: outside the test runner's NODE_ENV=test,
    // which would bundle React's development build and warn about its size.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_ENV' && !k.startsWith('VITEST')));
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--outDir', outDir, '--emptyOutDir'], { cwd: REPO_ROOT, env: { ...env, NO_COLOR: '1' } });
    const log = `${stdout}\n${stderr}`;
    // Rolldown prints a warning as `[CODE] message`, Vite as `(!) message` or "warning".
    expect(log.split('\n').filter((line) => /\[[A-Z][A-Z_]+\]|\(!\)|warn/i.test(line))).toEqual([]);
    // It really built the two pages (a build that did nothing would also be quiet).
    expect(log).toMatch(/built in/);
    expect(readFileSync(join(outDir, 'launch', 'index.html'), 'utf8')).toMatch(/<script type="module"/);
  }, 120_000);

  it('drops only the explained warning, in the file it explains; the same warning elsewhere is printed', () => {
    const printed: BuildWarning[] = [];
    const shim: BuildWarning = { code: 'COMMONJS_VARIABLE_IN_ESM', message: 'module…', loc: { file: '/x/node_modules/isomorphic-webcrypto/src/webcrypto-shim.mjs' } };
    const ours: BuildWarning = { code: 'COMMONJS_VARIABLE_IN_ESM', message: 'module…', loc: { file: '/x/src/ui/format.ts' } };
    const other: BuildWarning = { code: 'CIRCULAR_DEPENDENCY', message: 'circle', id: '/x/node_modules/isomorphic-webcrypto/src/webcrypto-shim.mjs' };
    for (const warning of [shim, ours, other]) onBuildWarning(warning, (w) => printed.push(w));
    expect(printed).toEqual([ours, other]);
    for (const known of EXPLAINED_BUILD_WARNINGS) expect(known.why.length).toBeGreaterThan(20);
  });
});

describe('a quiet install', () => {
  it('every dependency with an install script is reviewed in package.json allowScripts (npm ci prints no "not yet covered" warning)', async () => {
    const { stdout } = await promisify(execFile)('npm', ['install-scripts', 'ls', '--offline'], { cwd: REPO_ROOT });
    expect(stdout.trim()).toBe('No packages with unreviewed install scripts.');
    const allow = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { allowScripts: Record<string, boolean> }).allowScripts;
    // Each denial is explained in docs/development.md.
    const docs = readFileSync(join(REPO_ROOT, 'docs', 'development.md'), 'utf8');
    for (const name of Object.keys(allow)) expect(docs, name).toContain(`\`${name}\``);
  }, 60_000);
});
