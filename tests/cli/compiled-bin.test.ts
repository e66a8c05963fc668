/**
 * The `jak-readiness` bin runs compiled JavaScript: no TypeScript compiler at run time (issue 10:
 * 1.6 s per report through tsx). `npm run bench:cli` prints the time; this file checks the shape.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, SAMPLES } from './run-cli';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  bin: Record<string, string>; scripts: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string>;
};

describe('the compiled command line', () => {
  it('runs a report from a copy of the bin and build/cli alone, with no node_modules (so no tsx)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jak-bin-'));
    mkdirSync(join(dir, 'src/cli'), { recursive: true });
    cpSync(join(ROOT, pkg.bin['jak-readiness']!), join(dir, 'src/cli/jak-readiness.mjs'));
    cpSync(join(ROOT, 'build/cli'), join(dir, 'build/cli'), { recursive: true });
    expect(readdirSync(join(dir, 'build/cli')).some((f) => f.endsWith('.ts'))).toBe(false);

    const result = await runCli([`${SAMPLES}/ipsviewer__12.json`, '--now', '2017-11-25'], { entry: join(dir, 'src/cli/jak-readiness.mjs'), cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).patient.id).toBe('12');
  }, 30_000);

  it('is what the jak-readiness bin points at, built by npm ci (prepare) and npm run build', () => {
    expect(pkg.bin['jak-readiness']).toBe('src/cli/jak-readiness.mjs');
    expect(readFileSync(join(ROOT, pkg.bin['jak-readiness']!), 'utf8')).toMatch(/build\/cli\/main\.js/);
    expect(pkg.scripts.prepare).toMatch(/src\/tools\/build-cli\.mjs/);
    expect(pkg.scripts.build).toMatch(/vite build && node src\/tools\/build-cli\.mjs/);
  });

  it('keeps tsx out of the production dependencies (it still runs npm start and the dev scripts)', () => {
    expect(pkg.dependencies).not.toHaveProperty('tsx');
    expect(pkg.devDependencies).toHaveProperty('tsx');
    expect(pkg.scripts.start).toMatch(/^tsx /);
  });

  it('lives outside dist/, which the app build empties, and is not committed', () => {
    expect(readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n')).toContain('build/');
  });

  it('says how to build when build/cli is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jak-nobuild-'));
    mkdirSync(join(dir, 'src/cli'), { recursive: true });
    cpSync(join(ROOT, pkg.bin['jak-readiness']!), join(dir, 'src/cli/jak-readiness.mjs'));
    const result = await runCli(['--help'], { entry: join(dir, 'src/cli/jak-readiness.mjs'), cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not built yet; run `npm run build:cli`/);
  }, 30_000);
});
