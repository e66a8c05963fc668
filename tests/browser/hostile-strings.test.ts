/**
 * Record text is data, never markup: a patient whose Condition and Observation names and
 * narratives carry HTML and script must show that text literally and run none of it.
 */
import type { Condition, Observation, Resource } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { addBaseline } from '../../src/sandbox/scenarios/baseline';
import { ChartBuilder } from '../../src/sandbox/scenarios/chart-builder';
import { CONDITIONS } from '../../src/sandbox/scenarios/codes';
import { openChart, useBrowserHarness } from './harness';

const PATIENT = 'hostile-strings-1';
const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '<script>window.__pwned=1</script>';
const NARRATIVE = `<div xmlns="http://www.w3.org/1999/xhtml">${IMG}${SCRIPT}</div>`;

/** A chart with low neutrophils and a past DVT whose names and narratives are hostile. */
function hostileChart(): Resource[] {
  const chart = new ChartBuilder(PATIENT, new Date());
  chart.patient({ given: ['Mallory'], family: 'Tester', sex: 'male', ageYears: 40 });
  chart.condition(CONDITIONS.atopicDermatitis, 2000);
  const dvt: Condition = chart.condition(CONDITIONS.dvt, 1100, { status: 'resolved', abatementDaysAgo: 1000 });
  dvt.code = { coding: [{ ...dvt.code!.coding![0]!, display: `DVT ${IMG}` }], text: `DVT ${SCRIPT}` };
  dvt.text = { status: 'generated', div: NARRATIVE };
  addBaseline(chart, { daysAgo: 12, ancPerUl: 800 });
  for (const resource of chart.resources) {
    if (resource.resourceType !== 'Observation') continue;
    const obs = resource as Observation;
    const coding = obs.code.coding?.[0];
    if (coding?.code !== '751-8') continue;
    obs.code = { coding: [{ ...coding, display: `ANC ${SCRIPT}` }], text: `ANC ${IMG}` };
    obs.text = { status: 'generated', div: NARRATIVE };
  }
  return chart.resources;
}

describe('hostile strings in the record', () => {
  const harness = useBrowserHarness();

  it('are shown as literal text and never run', async () => {
    const token = harness.sandbox.issueToken({ scope: 'system/*.*' });
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: hostileChart().map((resource) => ({ resource, request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` } })),
    };
    const res = await fetch(harness.sandbox.fhirBase, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/fhir+json' },
      body: JSON.stringify(bundle),
    });
    expect(res.status).toBe(200);

    const { page, log } = await harness.open();
    const app = await openChart(page, harness.sandbox, PATIENT);
    for (const toggle of await app.locator('.evidence__toggle').all()) await toggle.click();
    await app.evaluate(() => new Promise((done) => setTimeout(done, 300))); // let a planted onerror fire, if any

    // The rules still work on the coded data behind the hostile names.
    expect(await app.locator('[data-testid="do-not-start"] [data-testid="block-cytopenia"]').count()).toBe(1);
    expect(await app.locator('[data-testid="block-thrombosis-history"]').count()).toBe(1);

    const shown = await app.locator('main').innerText();
    expect(shown).toContain(`ANC ${IMG}`);
    expect(shown).toContain(`DVT ${SCRIPT}`);

    expect(await app.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await app.locator('main img, main script, main iframe').count()).toBe(0);
    expect(log.pageErrors).toEqual([]);
    expect(log.cspViolations).toEqual([]);
  });
});
