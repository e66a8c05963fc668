/**
 * SMART EHR launch from the sandbox chart page, end to end in Chromium: what the sidebar shows
 * for the scenario patients, the evidence behind an item, the therapy selector and "Copy as note".
 */
import type { Frame } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openChart, useBrowserHarness, type PageLog } from './harness';

const LAB_ITEMS = ['cbc', 'liver-enzymes', 'lipid-panel', 'tb-screening', 'hepatitis-b', 'hepatitis-c'];
const ALL_ITEMS = [...LAB_ITEMS, 'pregnancy-test', 'zoster-vaccine'];

async function statusOf(app: Frame, itemId: string): Promise<string> {
  return (await app.getByTestId(`item-${itemId}`).locator('.status__text').textContent()) ?? '';
}

async function summary(app: Frame): Promise<string> {
  return (await app.getByTestId('summary').textContent()) ?? '';
}

/** The ids of the cautions listed under one severity heading. */
async function cautionsIn(app: Frame, severity: 'do-not-start' | 'warning' | 'info'): Promise<string[]> {
  const ids = await app.locator(`.caution-group--${severity} [data-testid^="caution-"]`).evaluateAll((nodes) =>
    nodes.map((node) => node.getAttribute('data-testid') ?? ''),
  );
  return ids.map((id) => id.replace(/^caution-/, ''));
}

/** Errors a user's browser would show in its console (ignoring the favicon the sandbox lacks). */
function consoleErrors(log: PageLog): string[] {
  return [
    ...log.pageErrors,
    ...log.console.filter((m) => m.type === 'error' && !m.url.endsWith('/favicon.ico')).map((m) => `${m.text} (${m.url})`),
  ];
}

describe('EHR launch from the sandbox chart page', () => {
  const harness = useBrowserHarness();

  it('scn-ready: every baseline item is Done and nothing says do not start', async () => {
    const { page, log } = await harness.open();
    const app = await openChart(page, harness.sandbox, 'scn-ready');

    expect(await summary(app)).toBe('No open baseline items or cautions found in the record');
    for (const item of ALL_ITEMS) expect(await statusOf(app, item), item).toBe('Done');
    expect(await cautionsIn(app, 'do-not-start')).toEqual([]);
    expect(await app.locator('#cautions-heading + p').textContent()).toBe('No cautions raised by the loaded record.');
    // The chart shows who the patient is, so an EHR launch asks for no banner (need_patient_banner false).
    expect(await app.locator('.banner').count()).toBe(0);
    expect(consoleErrors(log)).toEqual([]);
  });

  it('scn-low-neutrophils: CBC Abnormal with ANC 800 and a do-not-start for low blood counts, with its evidence', async () => {
    const { page, log } = await harness.open();
    const app = await openChart(page, harness.sandbox, 'scn-low-neutrophils');

    expect(await summary(app)).toMatch(/^1 do-not-start/);
    const cbc = app.getByTestId('item-cbc');
    expect(await statusOf(app, 'cbc')).toBe('Abnormal');
    expect(await cbc.locator('.item__detail').textContent()).toContain('ANC 800');
    expect(await cautionsIn(app, 'do-not-start')).toEqual(['cytopenia']);
    const cytopenia = app.getByTestId('caution-cytopenia');
    expect(await cytopenia.locator('.caution__label').textContent()).toBe('Low blood counts');
    expect(await cytopenia.locator('.caution__text').textContent()).toContain('ANC 800');

    // Evidence: closed until asked for, then the resource, how it matched and the rule's source.
    const toggle = cbc.getByRole('button', { name: /Evidence \(\d+\) for Complete blood count/ });
    const panel = cbc.locator('.evidence__panel');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await panel.isVisible()).toBe(false);
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await panel.isVisible()).toBe(true);
    const evidence = (await panel.innerText()).replace(/\s+/g, ' ');
    expect(evidence).toContain('Neutrophils [#/volume] in Blood by Automated count');
    expect(evidence).toMatch(/Resource Observation\/scn-low-neutrophils-obs-\d+/);
    expect(evidence).toMatch(/How it matched Matched by code \S*751-8/);
    expect(evidence).toMatch(/Rule source: \S/);
    expect(consoleErrors(log)).toEqual([]);
  });

  it('scn-cbc-no-diff: CBC Incomplete, still needing ANC and ALC', async () => {
    const { page, log } = await harness.open();
    const app = await openChart(page, harness.sandbox, 'scn-cbc-no-diff');

    expect(await summary(app)).toBe('1 lab to order');
    expect(await statusOf(app, 'cbc')).toBe('Incomplete');
    expect(await app.getByTestId('item-cbc').locator('.item__missing').textContent()).toBe('Still needed: ANC, ALC');
    expect(await cautionsIn(app, 'do-not-start')).toEqual([]);
    expect(consoleErrors(log)).toEqual([]);
  });

  it('scn-pregnant: a do-not-start for pregnancy', async () => {
    const { page, log } = await harness.open();
    const app = await openChart(page, harness.sandbox, 'scn-pregnant');

    expect(await summary(app)).toMatch(/^1 do-not-start/);
    expect(await cautionsIn(app, 'do-not-start')).toEqual(['pregnancy']);
    const pregnancy = app.getByTestId('caution-pregnancy');
    expect(await pregnancy.locator('.caution__label').textContent()).toBe('Pregnancy');
    expect(await pregnancy.locator('.caution__text').textContent()).toMatch(/pregnan/i);
    expect(consoleErrors(log)).toEqual([]);
  });

  it('scn-clopidogrel: a warning naming abrocitinib under "Oral (any)", a do-not-start once Abrocitinib is chosen', async () => {
    const { page, log } = await harness.open();
    const app = await openChart(page, harness.sandbox, 'scn-clopidogrel');
    const select = app.getByLabel('Planned therapy');

    expect(await select.inputValue()).toBe('oral');
    expect(await cautionsIn(app, 'warning')).toEqual(['antiplatelet']);
    expect(await cautionsIn(app, 'do-not-start')).toEqual([]);
    const antiplatelet = app.getByTestId('caution-antiplatelet');
    expect(await antiplatelet.locator('.caution__agents').textContent()).toBe('Concerns: abrocitinib');
    expect(await summary(app)).toBe('1 caution');

    await select.selectOption({ label: 'Abrocitinib (Cibinqo)' });
    expect(await cautionsIn(app, 'do-not-start')).toEqual(['antiplatelet']);
    expect(await cautionsIn(app, 'warning')).toEqual([]);
    expect(await summary(app)).toBe('1 do-not-start');

    // Upadacitinib has no antiplatelet rule: the caution goes away without a reload.
    await select.selectOption({ label: 'Upadacitinib (Rinvoq)' });
    expect(await app.locator('[data-testid="caution-antiplatelet"]').count()).toBe(0);
    expect(consoleErrors(log)).toEqual([]);
  });

  it('scn-labs-missing: the summary line counts the labs to order and each lab item is Missing', async () => {
    const { page, log } = await harness.open();
    const app = await openChart(page, harness.sandbox, 'scn-labs-missing');

    // Distinct orders from the to-do list: hepatitis B is two orders (HBsAg and anti-HBc).
    expect(await summary(app)).toBe(`${LAB_ITEMS.length + 1} labs to order`);
    for (const item of LAB_ITEMS) expect(await statusOf(app, item), item).toBe('Missing');
    expect(await statusOf(app, 'zoster-vaccine')).toBe('Done');
    expect(consoleErrors(log)).toEqual([]);
  });

  it('"Copy as note" puts the report on the clipboard', async () => {
    const { context, page } = await harness.open();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harness.sandbox.origin });
    const app = await openChart(page, harness.sandbox, 'scn-low-neutrophils');

    await app.getByRole('button', { name: 'Copy as note' }).click();
    await app.getByText('Copied to the clipboard.').waitFor();
    const note = await app.evaluate(() => navigator.clipboard.readText());
    expect(note).toMatch(/^JAK inhibitor readiness: Oral JAK inhibitor \(any\)\n/);
    expect(note).toContain('Summary: 1 do-not-start');
    expect(note).toContain('- Complete blood count with differential: Abnormal');
    expect(note).toContain('- Low blood counts: ANC 800');
    // The note names the patient so it cannot be filed against the wrong chart (issue 8).
    expect(note).toContain('Patient: Grace Whitfield');
  });

  it('"Copy as note" falls back to a selected text box when the clipboard refuses', async () => {
    const { page } = await harness.open();
    const app = await openChart(page, harness.sandbox, 'scn-cbc-no-diff');
    await app.evaluate(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
    });

    await app.getByRole('button', { name: 'Copy as note' }).click();
    const box = app.getByLabel(/Copying was blocked/);
    await box.waitFor();
    const text = await box.inputValue();
    expect(text).toContain('Summary: 1 lab to order');
    expect(text).toContain('still needed: ANC, ALC');
    // Selected and focused, so Ctrl+C is all that is left to do.
    const selection = await app.evaluate(() => {
      const el = document.activeElement as HTMLTextAreaElement | null;
      return el?.tagName === 'TEXTAREA' ? el.selectionEnd - el.selectionStart : -1;
    });
    expect(selection).toBe(text.length);
  });
});
