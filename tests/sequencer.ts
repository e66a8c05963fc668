/**
 * The order of test files: Vitest's own (projects one after the other, and within a project the
 * longest file first, from its results cache), with measured durations standing in where that
 * cache has none. On a clean clone there is no cache, Vitest then starts the largest files first,
 * and the long files (a Chromium scenario of 35 s, a bulk export of 15 s) started last, each
 * alone on one core: the first `npm test` took 206 s against 162 s for the next one.
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Seconds each file took in a full `npm test` on this project's 2-core machine (2026-12-07, after issues 16-21). */
export const MEASURED_SECONDS: Readonly<Record<string, number>> = {
  'tests/browser/sidebar-first-screen.test.ts': 23,
  'tests/browser/verdict-meaning.test.ts': 21,
  'tests/bulk/retries.test.ts': 19,
  'tests/browser/faults.test.ts': 16,
  'tests/sandbox/search-speed.test.ts': 14,
  'tests/browser/sample-parity.test.ts': 12,
  'tests/bulk/bulk-export.test.ts': 11,
  'tests/browser/marks-and-print.test.ts': 10,
  'tests/worklist/worklist-cli.test.ts': 9,
  'tests/browser/accessibility.test.ts': 8,
  'tests/browser/launch-screens.test.ts': 6,
  'tests/bulk/any-server.test.ts': 6,
  'tests/cds-hooks/scenario-cards.test.ts': 6,
  'tests/browser/fail-closed.test.ts': 6,
  'tests/cli/errors.test.ts': 6,
  'tests/cds-hooks/operations.test.ts': 5,
  'tests/browser/ehr-launch.test.ts': 5,
  'tests/cds-hooks/replay-redis.test.ts': 5,
  'tests/sandbox/cds-start.test.ts': 4,
  'tests/browser/write-back.test.ts': 4,
  'tests/browser/monitoring-view.test.ts': 4,
  'tests/sandbox/start-flags.test.ts': 4,
  'tests/browser/site-settings.test.ts': 4,
  'tests/sandbox/hardening.test.ts': 4,
  'tests/browser/cross-site.test.ts': 4,
  'tests/browser/privacy.test.ts': 4,
  'tests/worklist/scale.test.ts': 3,
  'tests/browser/cds-order.test.ts': 3,
  'tests/fhir/launcher-proxy.test.ts': 3,
  'tests/fhir/faults.test.ts': 3,
  'tests/browser/csp.test.ts': 3,
  'tests/sandbox/fhir-server.test.ts': 3,
  'tests/engine/assess/plain-language.test.ts': 3,
  'tests/browser/hostile-strings.test.ts': 3,
  'tests/worklist/integrity.test.ts': 3,
  'tests/browser/long-session.test.ts': 2,
  'tests/sandbox/smart-auth.test.ts': 2,
  'tests/cds-hooks/hooks.test.ts': 2,
  'tests/fhir/loader.test.ts': 2,
  'tests/cds-hooks/config.test.ts': 2,
  'tests/sandbox/faults.test.ts': 2,
  'tests/browser/deploy-nginx.test.ts': 2,
  'tests/cli/samples.test.ts': 2,
  'tests/engine/property/assess.property.test.ts': 2,
  'tests/ui/accessibility.test.tsx': 2,
  'tests/quiet-build.test.ts': 2,
};

/** What the sequencer needs of Vitest's context: its root and its results cache. */
export interface SequencerContext {
  config: { root: string };
  cache: { getFileTestResults(key: string): { duration: number } | undefined };
}

/** Expected seconds of one file: the results cache's last duration, else the measured table, else 0. */
function expectedSeconds(ctx: SequencerContext, spec: TestSpecification): number {
  const path = relative(ctx.config.root, spec.moduleId);
  const cached = ctx.cache.getFileTestResults(`${spec.project.name}:${path}`);
  return cached ? cached.duration / 1000 : (MEASURED_SECONDS[path] ?? 0);
}

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ctx = this.ctx as unknown as SequencerContext;
    const seconds = new Map(files.map((spec) => [spec, expectedSeconds(ctx, spec)]));
    return [...files].sort(
      (a, b) =>
        a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder ||
        // Projects run one after the other (Vitest's own order: by name).
        (a.project.name === b.project.name ? 0 : a.project.name < b.project.name ? -1 : 1) ||
        seconds.get(b)! - seconds.get(a)!,
    );
  }
}
