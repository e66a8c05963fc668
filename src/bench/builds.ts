/**
 * The two app builds the bench serves, in one temporary folder the sandbox serves as its app:
 * the production build at `/` and a copy at `/naive/` whose page loads src/bench/naive-main.tsx
 * (the naive loader) instead of src/main.tsx. Same origin, so both complete SMART sign-in
 * against the same sandbox. The production entry never references the naive loader.
 */
import type { Plugin } from 'vite';
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

/** Points the app page at the bench entry; the launch page is the same in both builds. */
export function naiveEntry(): Plugin {
  return {
    name: 'jak-readiness-naive-entry',
    transformIndexHtml: {
      order: 'pre',
      handler(html) {
        if (!html.includes('/src/main.tsx')) return html;
        return html.replace('/src/main.tsx', '/src/bench/naive-main.tsx');
      },
    },
  };
}

export async function buildApps(): Promise<BenchBuilds> {
  const { build } = await import('vite');
  const root = await mkdtemp(join(tmpdir(), 'jak-bench-'));
  const common = { root: REPO_ROOT, configFile: join(REPO_ROOT, 'vite.config.ts'), logLevel: 'error' as const };
  await build({ ...common, build: { outDir: root, emptyOutDir: true } });
  await build({ ...common, mode: 'bench', base: NAIVE_BASE, plugins: [naiveEntry()], build: { outDir: join(root, NAIVE_BASE), emptyOutDir: true } });
  return { root, naiveBase: NAIVE_BASE, dispose: () => rm(root, { recursive: true, force: true }) };
}
