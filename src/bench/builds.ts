/**
 * The two app builds the bench serves, in one temporary folder the sandbox serves as its app:
 * the production build at `/` and a copy built in mode 'bench' (naive loader) at `/naive/`.
 * Same origin, so both complete SMART sign-in against the same sandbox.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface BenchBuilds {
  root: string;
  /** Where the naive build lives under the root, e.g. `/naive/`. */
  naiveBase: string;
  dispose(): Promise<void>;
}

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const NAIVE_BASE = '/naive/';

export async function buildApps(): Promise<BenchBuilds> {
  const { build } = await import('vite');
  const root = await mkdtemp(join(tmpdir(), 'jak-bench-'));
  const common = { root: REPO_ROOT, configFile: join(REPO_ROOT, 'vite.config.ts'), logLevel: 'error' as const };
  await build({ ...common, build: { outDir: root, emptyOutDir: true } });
  await build({ ...common, mode: 'bench', base: NAIVE_BASE, build: { outDir: join(root, NAIVE_BASE), emptyOutDir: true } });
  return { root, naiveBase: NAIVE_BASE, dispose: () => rm(root, { recursive: true, force: true }) };
}
