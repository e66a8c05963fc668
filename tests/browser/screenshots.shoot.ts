/**
 * Screenshots for the README and docs/reading-the-sidebar.md, taken from the real app in the sandbox EHR by `npm run
 * screenshots` (never by `npm test`, which must not rewrite tracked files): the chart page with
 * the sidebar at 400 px for a patient with a reason not to start, the sidebar alone at 360 px
 * top to bottom, and the monitoring view of a patient already on a JAK inhibitor; for
 * docs/reading-the-sidebar.md, the to-do marks and the patient sheet at 320, 400 and 480 px, and
 * the monitoring view of a patient with an abnormal result during treatment (and, in /tmp for a
 * person to look at, the same at 320 and 480 px).
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAppAlone, openChart, useBrowserHarness } from './harness';

const DIR = join(import.meta.dirname, 'screenshots');
/** Screenshots the docs/ pages show. */
const DOCS_DIR = join(import.meta.dirname, '..', '..', 'docs', 'images');

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

  it('docs/images/todo-marks-{320,400,480}.png and patient-sheet-{320,400,480}.png: a to-do marked declined with its form open on the next, and the patient sheet (docs/reading-the-sidebar.md)', async () => {
    await mkdir(DOCS_DIR, { recursive: true });
    for (const width of [320, 400, 480]) {
      const { page } = await harness.open({ viewport: { width, height: 800 } });
      await openAppAlone(page, harness.sandbox, 'scn-labs-missing');
      const row = page.getByTestId('todo-order-cbc');
      await row.getByRole('button', { name: /^Mark: / }).click();
      await row.getByRole('radio', { name: 'Declined' }).check();
      await row.getByRole('textbox', { name: 'Reason (optional)' }).fill('patient preference');
      await row.getByRole('button', { name: 'Save mark' }).click();
      const next = page.getByTestId('todo-order-liver-enzymes');
      await next.getByRole('button', { name: /^Mark: / }).click();
      await next.getByRole('radio', { name: 'Deferred' }).check();
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      const todo = (await page.getByTestId('todo').boundingBox())!;
      await page.screenshot({ path: join(DOCS_DIR, `todo-marks-${width}.png`), fullPage: true, clip: { x: 0, y: Math.max(0, todo.y - 8), width, height: Math.min(700, todo.height + 16) } });

      await page.getByRole('radio', { name: /Upadacitinib/ }).check();
      await page.getByRole('button', { name: 'Patient sheet' }).click();
      await page.getByTestId('patient-sheet').waitFor();
      const path = join(DOCS_DIR, `patient-sheet-${width}.png`);
      await page.screenshot({ path, fullPage: true });
      expect((await pngSize(path)).width).toBe(width);
    }
  });

  it('docs/images/monitoring-abnormal.png: on abrocitinib with platelets 45,000, the monitoring view at 400 px (320 and 480 px in /tmp)', async () => {
    await mkdir(DOCS_DIR, { recursive: true });
    const { page } = await harness.open({ viewport: { width: 400, height: 900 } });
    await openAppAlone(page, harness.sandbox, 'scn-abrocitinib-low-platelets');
    await page.getByTestId('answer-abnormal').waitFor();
    await page.evaluate(() => document.fonts.ready.then(() => undefined));

    const path = join(DOCS_DIR, 'monitoring-abnormal.png');
    await page.screenshot({ path });
    expect(await pngSize(path)).toEqual({ width: 400, height: 900 });
    for (const width of [320, 480]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `/tmp/jak-monitoring-abnormal-${width}.png`, fullPage: true });
    }
    // For a person to look at (not in the docs): a switch's pre-start view, a draft order only.
    await page.setViewportSize({ width: 320, height: 900 });
    await openAppAlone(page, harness.sandbox, 'scn-switch-jak');
    await page.getByRole('button', { name: 'Before starting' }).click();
    await page.screenshot({ path: '/tmp/jak-switch-before-starting-320.png' });
    await openAppAlone(page, harness.sandbox, 'scn-draft-order-only');
    await page.screenshot({ path: '/tmp/jak-draft-order-320.png' });
  });
});
