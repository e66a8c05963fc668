/**
 * The suite's file order (tests/sequencer.ts): projects one after the other, and the longest file
 * first within each, from Vitest's results cache or, on a clean clone, from measured durations.
 */
import { describe, expect, it } from 'vitest';
import type { TestSpecification } from 'vitest/node';
import LongestFirstSequencer, { MEASURED_SECONDS, type SequencerContext } from './sequencer';

const ROOT = '/repo';

function spec(project: string, path: string): TestSpecification {
  return { moduleId: `${ROOT}/${path}`, project: { name: project, config: { sequence: { groupOrder: 0 } } } } as unknown as TestSpecification;
}

function sequencer(cached: Record<string, number> = {}): LongestFirstSequencer {
  const ctx: SequencerContext = {
    config: { root: ROOT },
    cache: { getFileTestResults: (key) => (key in cached ? { duration: cached[key]! } : undefined) },
  };
  return new LongestFirstSequencer(ctx as never);
}

const names = (files: TestSpecification[]) => files.map((f) => `${f.project.name}:${f.moduleId.slice(ROOT.length + 1)}`);

describe('the order of test files', () => {
  const files = [
    spec('node', 'tests/engine/normalise/dates.test.ts'),
    spec('node', 'tests/bulk/bulk-export.test.ts'),
    spec('browser', 'tests/browser/csp.test.ts'),
    spec('browser', 'tests/browser/sidebar-first-screen.test.ts'),
    spec('node', 'tests/sandbox/start-flags.test.ts'),
  ];

  it('on a clean clone (no results cache): by project, then the measured longest first, unmeasured files last', async () => {
    expect(MEASURED_SECONDS['tests/browser/sidebar-first-screen.test.ts']).toBeGreaterThan(MEASURED_SECONDS['tests/browser/csp.test.ts']!);
    expect(names(await sequencer().sort(files))).toEqual([
      'browser:tests/browser/sidebar-first-screen.test.ts',
      'browser:tests/browser/csp.test.ts',
      'node:tests/bulk/bulk-export.test.ts',
      'node:tests/sandbox/start-flags.test.ts',
      'node:tests/engine/normalise/dates.test.ts',
    ]);
  });

  it('after a run: the durations Vitest recorded come first', async () => {
    const cached = { 'node:tests/engine/normalise/dates.test.ts': 60_000, 'browser:tests/browser/csp.test.ts': 90_000 };
    expect(names(await sequencer(cached).sort(files)).slice(0, 3)).toEqual([
      'browser:tests/browser/csp.test.ts',
      'browser:tests/browser/sidebar-first-screen.test.ts',
      'node:tests/engine/normalise/dates.test.ts',
    ]);
  });

  it('is the order `npm test` uses (vite.config.ts)', async () => {
    const { default: config } = await import('../vite.config.ts');
    expect((config as { test?: { sequence?: { sequencer?: unknown } } }).test?.sequence?.sequencer).toBe(LongestFirstSequencer);
  });
});
