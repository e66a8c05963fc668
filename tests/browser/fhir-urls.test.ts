/**
 * No FHIR request the app makes carries a raw `//` in its query string, for every patient of the
 * sandbox (scenarios and the real-world samples): a proxy that collapses `//` (smart-launcher-v2)
 * would otherwise turn `http://loinc.org|751-8` into `http:/loinc.org|751-8` and every lab into
 * "missing".
 */
import { describe, expect, it } from 'vitest';
import { appFrame, useBrowserHarness, waitForOutcome } from './harness';

describe('FHIR request URLs in the sandbox', () => {
  const harness = useBrowserHarness({ sandbox: { samples: true } });

  it('launching every sandbox patient sends no query string with a raw //', async () => {
    const { page } = await harness.open();
    const fhirQueries: string[] = [];
    page.on('request', (request) => {
      const url = request.url();
      const { pathname } = new URL(url);
      if (pathname.startsWith('/fhir/') && url.includes('?')) fhirQueries.push(url);
    });

    const outcomes: string[] = [];
    for (const patient of harness.sandbox.patients) {
      await page.goto(`${harness.sandbox.origin}/ehr/patient/${patient.id}`);
      const app = await appFrame(page);
      await waitForOutcome(app);
      // The sidebar (verdicts, or the monitoring view of a patient on a JAK inhibitor), never an error screen.
      if ((await app.locator('[data-testid="verdicts"], [data-testid="monitoring-note"]').count()) !== 1) outcomes.push(`${patient.id}: ${await app.locator('body').innerText()}`);
    }

    const raw = fhirQueries.filter((url) => url.slice(url.indexOf('?') + 1).includes('//'));
    console.info(`${harness.sandbox.patients.length} patients, ${fhirQueries.length} FHIR search requests checked, ${raw.length} with a raw // in the query`);
    expect(harness.sandbox.patients.length).toBeGreaterThan(35);
    expect(fhirQueries.length).toBeGreaterThanOrEqual(harness.sandbox.patients.length * 6);
    expect(raw).toEqual([]);
    expect(outcomes).toEqual([]);
  }, 900_000);
});
