/**
 * The clinic day's paper and decisions (issue 18), end to end in Chromium against the sandbox:
 * - a to-do marked "declined" with a reason (by keyboard, at 320 px) is saved with the note and
 *   shown as "Declined …: reason" at the next launch; without write-back the screen says the
 *   marks last for this session only; a hostile marks note in the chart is read defensively;
 * - the printout of the longest real-world sample repeats the patient's identity and "Page x of
 *   y" on every page, says when it was printed and by whom, and carries no on-screen instruction;
 * - the patient sheet prints on one page.
 * PDFs come from Chromium's own print to PDF (page.pdf, print media) and are read back with
 * poppler's pdftotext, page by page.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/sandbox/server';
import { loadSampleCharts } from '../../src/sandbox/scenarios/samples';
import { APP_READY_TIMEOUT, describeViolations, openAppAlone, seriousAxeViolations, useBrowserHarness } from './harness';

const TODAY = new Date();

/** The file the sandbox serves, with the site's write-back settings added (as write-back.test.ts does). */
async function turnWriteBackOn(context: BrowserContext, settings: Record<string, boolean>): Promise<void> {
  await context.route('**/smart-config.json', async (route) => {
    const response = await route.fetch();
    const config = (await response.json()) as Record<string, unknown>;
    await route.fulfill({ response, json: { ...config, writeBack: settings } });
  });
}

/** The text of each page of the PDF Chromium prints now (print media, A4, the app's own @page rules). */
async function printedPageTexts(page: Page): Promise<string[]> {
  await page.emulateMedia({ media: 'print' });
  try {
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    const dir = mkdtempSync(join(tmpdir(), 'jak-print-'));
    try {
      const file = join(dir, 'print.pdf');
      writeFileSync(file, pdf);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      // pdftotext ends every page with a form feed.
      return text.split('\f').filter((pageText) => pageText.trim() !== '');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    await page.emulateMedia({ media: null });
  }
}

const squash = (text: string) => text.replace(/\s+/g, ' ');

describe('to-do marks, print and the patient sheet', () => {
  const harness = useBrowserHarness({ sandbox: { samples: true, today: TODAY } });

  async function search(path: string): Promise<Array<Record<string, any>>> {
    const token = harness.sandbox.issueToken({ scope: 'system/*.*' });
    const res = await fetch(`${harness.sandbox.fhirBase}/${path}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { entry?: Array<{ resource: Record<string, any> }> }).entry?.map((e) => e.resource) ?? [];
  }

  it('marks an item declined by keyboard at 320 px, saves it with the note, and the next launch shows "Declined …" instead of asking again', async () => {
    const { context, page, log } = await harness.open({ viewport: { width: 320, height: 900 } });
    await turnWriteBackOn(context, { saveNote: true });
    await openAppAlone(page, harness.sandbox, 'scn-labs-missing');
    const row = page.getByTestId('todo-order-cbc');
    await row.waitFor({ timeout: APP_READY_TIMEOUT });
    expect(await page.getByTestId('marks-notice').innerText()).toContain('Marks are saved with the note when you choose “Save to chart”.');

    // Keyboard only: focus the row's button, open, pick "Declined", type the reason, Enter.
    await row.getByRole('button', { name: /^Mark: Order CBC/ }).focus();
    await page.keyboard.press('Enter');
    const declined = row.getByRole('radio', { name: 'Declined' });
    expect(await row.getByRole('radio', { name: 'Done elsewhere' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('ArrowDown'); // radios: the arrow moves and checks
    expect(await declined.isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.type('patient preference');
    await page.keyboard.press('Enter');
    const mark = page.getByTestId('mark-order-cbc');
    const asOf = /As of (\d{4}-\d{2}-\d{2})/.exec(await page.locator('.sidebar__asof').innerText())![1];
    expect(await mark.innerText()).toBe(`Declined ${asOf}: patient preference`);
    expect(await row.getByRole('button', { name: /^Change mark: Order CBC/ }).evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    // "Save to chart" is on the first screen, above the verdicts.
    const save = page.getByRole('button', { name: 'Save to chart' });
    const verdictsTop = (await page.getByTestId('verdicts').boundingBox())!.y;
    expect((await save.boundingBox())!.y).toBeLessThan(verdictsTop);
    await save.click();
    await page.getByRole('button', { name: 'Save the note' }).click();
    await page.getByTestId('save-note-result').filter({ hasText: 'Saved to the chart' }).waitFor();
    const docId = /DocumentReference\/([\w-]+(?:\.[\w-]+)*)/.exec(await page.getByTestId('save-note-result').innerText())![1];
    const [saved] = await search(`DocumentReference?_id=${docId}`);
    expect(saved!.content.map((c: any) => c.attachment.contentType)).toEqual(['text/plain; charset=utf-8', 'application/json']);
    const text = Buffer.from(saved!.content[0].attachment.data, 'base64').toString('utf8');
    expect(text).toContain(`- Order CBC — Declined ${asOf}: patient preference`);
    const json = JSON.parse(Buffer.from(saved!.content[1].attachment.data, 'base64').toString('utf8'));
    expect(json).toEqual({ schema: 'jak-readiness/todo-marks', version: 1, marks: [{ item: 'order-cbc', mark: 'declined', date: asOf, reason: 'patient preference' }] });

    // The next launch: the saved mark is shown, not asked again.
    await openAppAlone(page, harness.sandbox, 'scn-labs-missing');
    await page.getByTestId('todo-order-cbc').waitFor({ timeout: APP_READY_TIMEOUT });
    expect(await page.getByTestId('mark-order-cbc').innerText()).toBe(`Declined ${asOf}: patient preference`);
    expect(await page.getByTestId('marks-notice').innerText()).toContain('Marks shown are from the note saved on');
    expect(await page.getByRole('heading', { name: /^To do/ }).innerText()).toMatch(/· 1 marked/);
    expect(log.pageErrors).toEqual([]);
  });

  it('reads a hostile marks note in the chart defensively: bad and unknown entries left out, the reason shown as text, axe clean with the form open', async () => {
    const token = harness.sandbox.issueToken({ scope: 'system/*.*' });
    const hostile = '<img src=x onerror="window.__pwned=1">\u202Eevil';
    const marks = JSON.stringify({
      schema: 'jak-readiness/todo-marks',
      version: 1,
      marks: [
        { item: 'order-hepatitis-c', mark: 'deferred', date: '2026-11-30', reason: hostile },
        { item: 'no-such-item', mark: 'declined', date: '2026-11-30' },
        { item: 'order-cbc', mark: 'approved', date: '2026-11-30' },
      ],
    });
    // Newer than any note an earlier test saved: this is the one the next launch reads.
    const date = new Date(Date.now() + 60_000).toISOString();
    const created = await fetch(`${harness.sandbox.fhirBase}/DocumentReference`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/fhir+json' },
      body: JSON.stringify({
        resourceType: 'DocumentReference',
        status: 'current',
        meta: { tag: [{ system: 'urn:jak-readiness:note', code: 'readiness-note' }] },
        type: { coding: [{ system: 'http://loinc.org', code: '34109-9' }] },
        subject: { reference: 'Patient/scn-labs-missing' },
        date,
        content: [{ attachment: { contentType: 'application/json', data: Buffer.from(marks).toString('base64') } }],
      }),
    });
    expect(created.status).toBe(201);

    const { context, page, log } = await harness.open({ viewport: { width: 320, height: 900 } });
    await turnWriteBackOn(context, { saveNote: true });
    await openAppAlone(page, harness.sandbox, 'scn-labs-missing');
    await page.getByTestId('todo').waitFor({ timeout: APP_READY_TIMEOUT });
    expect(await page.getByTestId('mark-order-hepatitis-c').innerText()).toBe('Deferred 2026-11-30: <img src=x onerror="window.__pwned=1"> evil');
    expect(await page.getByTestId('mark-order-cbc').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.getByTestId('todo').locator('img').count()).toBe(0);

    await page.getByTestId('todo-order-cbc').getByRole('button', { name: /^Mark: / }).click();
    const violations = await seriousAxeViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    expect(log.pageErrors).toEqual([]);
  });

  it('without write-back the marks last for this session only, and the screen says so', async () => {
    const { page } = await harness.open({ viewport: { width: 400, height: 900 } });
    await openAppAlone(page, harness.sandbox, 'scn-labs-missing');
    await page.getByTestId('todo').waitFor({ timeout: APP_READY_TIMEOUT });
    expect(await page.getByTestId('marks-notice').innerText()).toContain('Marks are kept for this session only');
    expect(await page.getByRole('button', { name: 'Save to chart' }).count()).toBe(0);
    const row = page.getByTestId('todo-order-cbc');
    await row.getByRole('button', { name: /^Mark: Order CBC/ }).click();
    await row.getByRole('radio', { name: 'Deferred' }).check();
    await row.getByRole('textbox', { name: 'Reason (optional)' }).fill('after the holidays');
    await row.getByRole('button', { name: 'Save mark' }).click();
    expect(await page.getByTestId('mark-order-cbc').innerText()).toMatch(/^Deferred \d{4}-\d{2}-\d{2}: after the holidays$/);
    // Nothing of it in localStorage.
    expect(await page.evaluate(() => window.localStorage.length)).toBe(0);
    // On paper: the mark, not the button.
    const pages = await printedPageTexts(page);
    expect(squash(pages.join(' '))).toMatch(/Deferred \d{4}-\d{2}-\d{2}: after the holidays/);
    expect(squash(pages.join(' '))).not.toMatch(/Mark…|Change|session only/);
  });

  it('prints the longest real-world sample with identity, "Page x of y" and printed at/by on every page, and no on-screen instructions', async () => {
    const charts = await loadSampleCharts(join(REPO_ROOT, 'tests', 'fixtures', 'samples'), TODAY);
    const longest = [...charts].sort((a, b) => b.resources.length - a.resources.length)[0]!;
    const { page } = await harness.open({ viewport: { width: 480, height: 900 } });
    await openAppAlone(page, harness.sandbox, longest.id);
    await page.getByTestId('todo').waitFor({ timeout: APP_READY_TIMEOUT });
    const banner = (await page.locator('.banner__line').first().innerText()).split(' · ');
    const name = banner[0]!.trim();
    const birth = /born (\d{4}-\d{2}-\d{2})/.exec(banner.join(' · '))![1];
    const mrn = /MRN (\S+)/.exec(banner.join(' · '))![1];
    // The printout of a patient on therapy is the monitoring view (the view it opens on).
    const pages = await printedPageTexts(page);
    console.log(`[print] ${longest.id}: ${pages.length} printed pages`);
    expect(pages.length).toBeGreaterThanOrEqual(1);
    pages.forEach((text, index) => {
      const flat = squash(text);
      expect(flat, `page ${index + 1}`).toContain(name);
      expect(flat, `page ${index + 1}`).toContain(`born ${birth}`);
      expect(flat, `page ${index + 1}`).toContain(`MRN ${mrn}`);
      expect(flat, `page ${index + 1}`).toContain(`Page ${index + 1} of ${pages.length}`);
      // The sandbox's user is a Practitioner the app may read (user/Practitioner scope).
      expect(flat, `page ${index + 1}`).toMatch(/Printed \d{4}-\d{2}-\d{2} \d{2}:\d{2} by Dr\. Sandbox Clinician/);
    });
    const all = squash(pages.join(' '));
    expect(all).not.toMatch(/under “Before starting”|Copy as note|Mark…|Save to chart/);
  });

  it('prints a patient on therapy as the monitoring view, without the on-screen pointer to "Before starting"', async () => {
    const { page } = await harness.open({ viewport: { width: 400, height: 900 } });
    await openAppAlone(page, harness.sandbox, 'scn-on-upadacitinib');
    await page.getByTestId('monitoring').waitFor({ timeout: APP_READY_TIMEOUT });
    expect(await page.getByTestId('monitoring-note').innerText()).toContain('The pre-start checklist is under “Before starting”.');
    const all = squash((await printedPageTexts(page)).join(' '));
    expect(all).toContain('Monitoring schedule');
    expect(all).toMatch(/this is the monitoring schedule after the start\./);
    expect(all).not.toMatch(/Before starting|Baseline checklist/);
    expect(all).toMatch(/Page 1 of \d/);
  });

  it('prints the patient sheet for the planned agent on one page, with its sources (a woman of 45: birth control included)', async () => {
    const { page } = await harness.open({ viewport: { width: 320, height: 900 } });
    await openAppAlone(page, harness.sandbox, 'scn-low-neutrophils');
    await page.getByRole('radio', { name: /Upadacitinib/ }).check();
    await page.getByRole('button', { name: 'Patient sheet' }).click();
    const sheet = page.getByTestId('patient-sheet');
    await sheet.waitFor();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Your medicine: Rinvoq (upadacitinib)');
    const violations = await seriousAxeViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    const pages = await printedPageTexts(page);
    expect(pages).toHaveLength(1);
    const text = squash(pages[0]!);
    expect(text).toContain('Do not get live vaccines');
    expect(text).toContain('Shingles');
    expect(text).toContain('blood clot');
    expect(text).toContain('birth control');
    expect(text).toContain('RINVOQ (upadacitinib) Medication Guide');
    expect(text).toContain('Page 1 of 1');
    expect(text).not.toMatch(/Back to the checklist|Print this sheet/);
    await page.getByRole('button', { name: 'Back to the checklist' }).click();
    await page.getByTestId('todo').waitFor();
  });
});
