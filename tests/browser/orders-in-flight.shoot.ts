/**
 * Screenshots for docs/reading-the-sidebar.md (issue 18), taken by `npm run screenshots`: the
 * to-do list of a patient with lab orders already placed (awaited, and one performed long ago
 * without a result), and the "Try again" on the data-gap banner, each at 320, 400 and 480 px.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FhirResource } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { uploadResources } from '../../src/bench/upload';
import { openAppAlone, useBrowserHarness } from './harness';

const DIR = join(import.meta.dirname, '../../docs/images');
const WIDTHS = [320, 400, 480];

function daysAgo(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() - days);
  return d.toISOString().slice(0, 10);
}

const order = (id: string, code: string, display: string, status: 'draft' | 'active' | 'completed', days: number): FhirResource => ({
  resourceType: 'ServiceRequest', id, status, intent: 'order', subject: { reference: 'Patient/scn-labs-missing' },
  code: { coding: [{ system: 'http://loinc.org', code, display }], text: display }, authoredOn: daysAgo(days),
});

describe('docs screenshots: orders in flight and "Try again"', () => {
  const harness = useBrowserHarness();

  it('orders-awaiting-<width>.png: the to-do list with tests already ordered', async () => {
    await mkdir(DIR, { recursive: true });
    await uploadResources(harness.sandbox, [
      order('shot-cbc', '57021-8', 'CBC with automated differential', 'active', 3),
      order('shot-lipids', '57698-3', 'Lipid panel', 'draft', 0),
      order('shot-hbsag', '5196-1', 'HBsAg', 'completed', 45),
    ]);
    for (const width of WIDTHS) {
      const { page } = await harness.open({ viewport: { width, height: 900 } });
      await openAppAlone(page, harness.sandbox, 'scn-labs-missing');
      const todo = page.getByTestId('todo');
      expect(await todo.innerText()).toMatch(/CBC ordered .*, awaiting result/);
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      await todo.screenshot({ path: join(DIR, `orders-awaiting-${width}.png`) });
    }
  });

  it('try-again-<width>.png: the data-gap banner with "Try again" after a failed search', async () => {
    await mkdir(DIR, { recursive: true });
    harness.sandbox.setFaultPlan({ Condition: { status: 502 } });
    try {
      for (const width of WIDTHS) {
        const { page } = await harness.open({ viewport: { width, height: 900 } });
        await openAppAlone(page, harness.sandbox, 'scn-ready');
        const alert = page.getByTestId('gap-alert');
        await alert.getByRole('button', { name: 'Try again' }).waitFor();
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        await page.screenshot({ path: join(DIR, `try-again-${width}.png`) });
      }
    } finally {
      harness.sandbox.setFaultPlan({});
    }
  });
});
