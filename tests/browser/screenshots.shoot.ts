/**
 * Screenshots for the README and docs/reading-the-sidebar.md, taken from the real app in the sandbox EHR by `npm run
 * screenshots` (never by `npm test`, which must not rewrite tracked files): the chart page with
 * the sidebar at 400 px for a patient with a reason not to start, the sidebar alone at 360 px
 * top to bottom, and the monitoring view of a patient already on a JAK inhibitor.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAppAlone, openChart, useBrowserHarness } from './harness';

const DIR = join(import.meta.dirname, 'screenshots');

/** Width and height from a PNG's IHDR chunk. */
async function pngSize(path: string): Promise<{ width: number; height: number }> {
  const bytes = await readFile(path);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('README screenshots', () => {
  const harness = useBrowserHarness();

  it('sidebar.png: the chart page with the app at 400 px, first screen of a blocked patient (low neutrophils)', async () => {
    await mkdir(DIR, { recursive: true });
    const { page } = await harness.open({ viewport: { width: 1280, height: 900 } });
    const app = await openChart(page, harness.sandbox, 'scn-low-neutrophils', 400);
    await app.getByTestId('block-cytopenia').waitFor();
    await app.evaluate(() => document.fonts.ready.then(() => undefined));

    const path = join(DIR, 'sidebar.png');
    await page.screenshot({ path });
    expect(await pngSize(path)).toEqual({ width: 1280, height: 900 });
  });

  it('sidebar-360.png: the sidebar alone at 360 px, top to bottom (clopidogrel, abrocitinib planned, evidence of the block open)', async () => {
    await mkdir(DIR, { recursive: true });
    const { page } = await harness.open({ viewport: { width: 360, height: 800 } });
    await openAppAlone(page, harness.sandbox, 'scn-clopidogrel');
    await page.getByRole('radio', { name: /Abrocitinib/ }).check();
    await page.getByTestId('block-antiplatelet').getByRole('button', { name: /Evidence/ }).click();
    await page.evaluate(() => document.fonts.ready.then(() => undefined));

    const path = join(DIR, 'sidebar-360.png');
    await page.screenshot({ path, fullPage: true });
    const size = await pngSize(path);
    expect(size.width).toBe(360);
    expect(size.height).toBeGreaterThan(800);
  });

  it('sidebar-monitoring.png: a patient on upadacitinib, the monitoring view at 360 px', async () => {
    await mkdir(DIR, { recursive: true });
    const { page } = await harness.open({ viewport: { width: 360, height: 800 } });
    await openAppAlone(page, harness.sandbox, 'scn-on-upadacitinib');
    await page.getByTestId('monitoring').waitFor();
    await page.evaluate(() => document.fonts.ready.then(() => undefined));

    const path = join(DIR, 'sidebar-monitoring.png');
    await page.screenshot({ path });
    expect(await pngSize(path)).toEqual({ width: 360, height: 800 });
  });
});
