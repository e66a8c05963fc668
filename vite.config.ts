/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { onBuildWarning } from './src/tools/build-warnings.ts';

// Two pages: the app itself at `/` (the SMART redirect URI) and the launch page at `/launch/`.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    rollupOptions: {
      input: {
        app: resolve(import.meta.dirname, 'index.html'),
        launch: resolve(import.meta.dirname, 'launch/index.html'),
      },
      // Warnings we have read and judged harmless are not printed (each with its reason in
      // src/tools/build-warnings.ts); any other warning still is, and fails a test.
      onwarn: onBuildWarning,
    },
  },
  test: {
    // Vitest's default is one worker fewer than the cores: one worker on a 2-core machine, every
    // file in a row. Two let the browser files (mostly waiting on Chromium and the sandbox) run
    // beside the others.
    maxWorkers: 2,
    // Longest files first, from measured durations when Vitest has no results cache (a clean clone).
    // (Imported only under Vitest: `vite build` and the dev server never load the test runner.)
    ...(process.env.VITEST ? { sequence: { sequencer: (await import('./tests/sequencer.ts')).default } } : {}),
    // Test files share their worker's module cache instead of re-importing everything (the
    // sandbox's FHIR engine, jsdom, the engine's code lists) per file: each file still starts its
    // own servers and cleans up after itself.
    isolate: false,
    // One `npm test` runs every suite; each project has the environment its code runs in.
    projects: [
      {
        extends: true,
        // First in the list, so its one long worker starts at once and the other suites share
        // the second core meanwhile (listed last, it started only when they had finished).
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // One Chromium for the run (each test still gets a fresh context), and one process for
          // every browser file, so the sandbox's modules load once instead of once per file.
          globalSetup: ['tests/browser/global-setup.ts'],
          isolate: false,
        },
      },
      {
        extends: true,
        // Everything that runs in Node without a DOM, in one project: the engine, the knowledge
        // base, the command line, the worklist, the bulk client, the sandbox and the CDS Hooks
        // service. Vitest runs projects one after the other, and each boundary cost seconds of a
        // worker starting and importing while the other core idled (`npm run test:engine`,
        // `test:sandbox` and `test:cds-hooks` pick their folders out of it).
        test: {
          name: 'node',
          include: ['tests/{engine,kb,cli,worklist,bulk,sandbox,cds-hooks}/**/*.test.ts', 'tests/*.test.ts'],
          environment: 'node',
          // Starting Medplum's in-memory server takes seconds on a busy 2-core machine.
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // The command-line tests run the compiled bin, and `npm run cds-hooks` the compiled
          // service, as users and hospitals run them: compile both first.
          globalSetup: ['tests/cli/build-cli.setup.ts'],
        },
      },
      {
        extends: true,
        // Its files that test plain functions (format, note, summary, scopes…) say
        // `@vitest-environment node`: a jsdom window costs about 0.9 s of CPU per file here.
        test: {
          name: 'dom',
          include: ['tests/{ui,fhir,launch}/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
        },
      },
      // The screenshots in the README and docs/ rewrite tracked files: only `npm run screenshots` takes them.
      ...(process.env.JAK_SCREENSHOTS
        ? [
            {
              extends: true as const,
              test: {
                name: 'screenshots',
                include: ['tests/browser/*.shoot.ts'],
                environment: 'node' as const,
                testTimeout: 120_000,
                hookTimeout: 180_000,
                globalSetup: ['tests/browser/global-setup.ts'],
              },
            },
          ]
        : []),
    ],
  },
});
