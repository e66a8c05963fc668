/**
 * Same answer as the command line (issue 8): each of the 25 real-world samples is launched in the
 * sandbox EHR and the sidebar's statuses are compared with the command line's on the same record.
 *
 * What makes the comparison honest: the sandbox shifts each sample's dates so its newest event is
 * 30 days ago. The test builds exactly the resources the sandbox serves (the same
 * `loadSampleCharts` with the same day), writes them as one Bundle, and runs the command line's
 * own function (`runAssess`, what `npm run assess` runs) on it with `--now` = the day the app
 * assesses for and `--therapy` = the therapy the sidebar shows. The command line reads the whole
 * record; the sidebar reads what its FHIR searches return. Any difference is the loading's.
 *
 * The same launches also check that no FHIR search carries a raw `//` in its query (the
 * sandbox's scenarios get that check in sidebar-first-screen.test.ts).
 */
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { runAssess } from '../../src/cli/run';
import type { ReadinessReport } from '../../src/contract/report';
import { REPO_ROOT } from '../../src/sandbox/server';
import { loadSampleCharts } from '../../src/sandbox/scenarios/samples';
import { openAppAlone, recordFhirQueries, useBrowserHarness } from './harness';

const TODAY = new Date();
/** The app's "today": the local calendar day, as src/app-deps.ts computes it. */
const NOW = `${TODAY.getFullYear()}-${String(TODAY.getMonth() + 1).padStart(2, '0')}-${String(TODAY.getDate()).padStart(2, '0')}`;

interface Shown {
  therapy: string;
  items: Record<string, string>;
  verdicts: Record<string, string>;
  /** "severity:id", sorted: the reasons not to start at the top, warnings and notes below. */
  cautions: string[];
}

/** What the sidebar shows: the planned therapy, each item's status, each agent's verdict (from their classes). */
async function shown(app: Page | Frame): Promise<Shown> {
  const before = app.getByRole('button', { name: 'Before starting' });
  if ((await before.count()) > 0) await before.click(); // a patient on a JAK inhibitor opens on monitoring
  await app.locator('[data-testid="verdicts"]').waitFor();
  return app.evaluate(() => {
    const classOf = (el: Element, prefix: string) => [...el.classList].find((c) => c.startsWith(prefix) && !c.endsWith('--planned'))?.slice(prefix.length) ?? '?';
    const items: Record<string, string> = {};
    for (const el of document.querySelectorAll('ul.checklist > li[data-testid^="item-"]')) items[el.getAttribute('data-testid')!.slice(5)] = classOf(el, 'item--');
    const verdicts: Record<string, string> = {};
    for (const el of document.querySelectorAll('[data-testid^="verdict-"]')) verdicts[el.getAttribute('data-testid')!.slice(8)] = classOf(el, 'verdict--');
    const cautions = [
      ...[...document.querySelectorAll('[data-testid="do-not-start"] [data-testid^="block-"]:not([data-testid^="block-item-"])')].map((el) => `do-not-start:${el.getAttribute('data-testid')!.slice(6)}`),
      ...[...document.querySelectorAll('[data-testid="warnings"] [data-testid^="caution-"]')].map((el) => `warning:${el.getAttribute('data-testid')!.slice(8)}`),
      ...[...document.querySelectorAll('[data-testid="notes"] [data-testid^="caution-"]')].map((el) => `info:${el.getAttribute('data-testid')!.slice(8)}`),
    ].sort();
    return { therapy: (document.querySelector('select') as HTMLSelectElement).value, items, verdicts, cautions };
  });
}

describe('the sidebar gives the command line\'s answer for every real-world sample', () => {
  const harness = useBrowserHarness({ sandbox: { samples: true, today: TODAY } });

  it('same checklist statuses, verdicts per agent and cautions, sample by sample', async () => {
    const charts = await loadSampleCharts(join(REPO_ROOT, 'tests', 'fixtures', 'samples'), TODAY);
    expect(charts).toHaveLength(25);
    const { page } = await harness.open({ viewport: { width: 400, height: 900 } });
    const fhirQueries = recordFhirQueries(page);
    const differences: string[] = [];
    for (const chart of charts) {
      await openAppAlone(page, harness.sandbox, chart.id);
      const sidebar = await shown(page);
      const bundle = JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: chart.resources.map((resource) => ({ resource })) });
      const cli = JSON.parse(runAssess(['sample.json', '--now', NOW, '--therapy', sidebar.therapy], { readFile: () => bundle, today: () => NOW })) as ReadinessReport;
      const expected: Shown = {
        therapy: cli.therapy,
        items: Object.fromEntries(cli.checklist.map((item) => [item.id, item.status])),
        verdicts: Object.fromEntries(cli.byAgent.map((v) => [v.therapy, v.verdict])),
        cautions: cli.cautions.map((c) => `${c.severity}:${c.id}`).sort(),
      };
      if (JSON.stringify(sidebar) !== JSON.stringify(expected)) {
        differences.push(`${chart.id} (${chart.title}):\n  sidebar ${JSON.stringify(sidebar)}\n  command line ${JSON.stringify(expected)}`);
      }
    }
    expect(differences.join('\n')).toBe('');
    // Every launch sent its searches (at least six per patient), and none with a raw //.
    expect(fhirQueries.queries.length).toBeGreaterThanOrEqual(charts.length * 6);
    expect(fhirQueries.withRawDoubleSlash()).toEqual([]);
  });
});
