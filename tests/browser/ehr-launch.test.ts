/**
 * SMART EHR launch from the sandbox chart page, end to end in Chromium: what the sidebar shows
 * for the scenario patients, the evidence behind an item, choosing the planned agent and
 * "Copy as note".
 */
import type { Frame } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openChart, useBrowserHarness, type PageLog } from './harness';

const LAB_ITEMS = ['cbc', 'liver-enzymes', 'lipid-panel', 'tb-screening', 'hepatitis-b', 'hepatitis-c'];
const ALL_ITEMS = [...LAB_ITEMS, 'pregnancy-test', 'zoster-vaccine'];
const AGENTS = ['abrocitinib', 'upadacitinib', 'baricitinib', 'ruxolitinib-cream', 'delgocitinib-cream'];

async function statusOf(app: Frame, itemId: string): Promise<string> {
  return (await app.getByTestId(`item-${itemId}`).locator('.status__text').textContent()) ?? '';
}

/** "Do not start: ANC 800/µL" for one agent's row of the verdict strip. */
async function verdictOf(app: Frame, agent: string): Promise<string> {
  const row = app.getByTestId(`verdict-${agent}`);
  const word = (await row.locator('.verdict__word').textContent()) ?? '';
  const reasons = await row.locator('.verdict__reasons').allTextContents();
  return reasons.length ? `${word}: ${reasons.join('')}` : word;
}

/** The reasons not to start the planned therapy, as their test ids ("antiplatelet"). */
async function blocks(app: Frame): Promise<string[]> {
  const ids = await app.locator('[data-testid="do-not-start"] [data-testid^="block-"]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-testid') ?? ''));
  return ids.map((id) => id.replace(/^block-/, ''));
}

async function todo(app: Frame): Promise<string[]> {
  return app.getByTestId('todo').locator('.todo__text').allTextContents();
}

/** Errors a user's browser would show in its console (the favicon included: there is one now). */
function consoleErrors(log: PageLog): string[] {
  return [...log.pageErrors, ...log.console.filter((m) => m.type === 'error').map((m) => `${m.text} (${m.url})`)];
}

describe('EHR launch from the sandbox chart page', () => {
  const harness = useBrowserHarness();

  it('scn-ready: every agent Ready but baricitinib (not approved for atopic dermatitis in the US), every baseline item Done, no reason not to start, no console error', async () => {
    const { page, log } = await harness.open();
    const app = await openChart(page, harness.sandbox, 'scn-ready');

    for (const agent of AGENTS) expect(await verdictOf(app, agent), agent).toBe(agent === 'baricitinib' ? 'Not approved: Not approved for atopic dermatitis (US)' : 'Ready');
    for (const item of ALL_ITEMS) expect(await statusOf(app, item), item).toBe('Done');
    expect(await blocks(app)).toEqual([]);
    expect(await app.getByTestId('warnings').innerText()).toContain('No warnings raised by the record.');
    expect(await app.getByTestId('gap-alert').count()).toBe(0);
    // The chart shows who the patient is, so an EHR launch asks for no banner (need_patient_banner false).
    expect(await app.getByRole('region', { name: 'Patient' }).count()).toBe(0);
    expect(consoleErrors(log)).toEqual([]);
  });

  it('scn-low-neutrophils: the oral agents are blocked by ANC 800/µL, the CBC row says why, and its evidence is one click away', async () => {
    const { page, log } = await harness.open();
    const app = await openChart(page, harness.sandbox, 'scn-low-neutrophils');

    for (const agent of ['abrocitinib', 'upadacitinib']) expect(await verdictOf(app, agent), agent).toBe('Do not start: ANC 800/µL');
    expect(await verdictOf(app, 'ruxolitinib-cream')).toBe('Ready');
    expect(await blocks(app)).toEqual(['cytopenia']);
    expect(await app.getByTestId('block-cytopenia').locator('.block__line').innerText()).toBe('Low blood counts — ANC 800/µL · label: do not initiate');
    const cbc = app.getByTestId('item-cbc');
    expect(await statusOf(app, 'cbc')).toBe('Abnormal');
    expect(await cbc.locator('.item__detail').innerText()).toMatch(/^ANC 800\/µL, below 1,000\/µL; 12 days ago · within 90 days$/);

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
    expect(evidence).toMatch(/Resource:? Observation\/scn-low-neutrophils-obs-\d+/);
    expect(evidence).toMatch(/How it matched:? Matched by code \(LOINC 751-8\)/);
    expect(evidence).toMatch(/Source: \S/);
    expect(consoleErrors(log)).toEqual([]);
  });

  it('scn-cbc-no-diff: CBC Incomplete, still needing ANC and ALC, and the to-do list orders it', async () => {
    const { page, log } = await harness.open();
    const app = await openChart(page, harness.sandbox, 'scn-cbc-no-diff');

    expect(await statusOf(app, 'cbc')).toBe('Incomplete');
    expect(await app.getByTestId('item-cbc').locator('.item__missing').innerText()).toBe('Still needed: ANC, ALC');
    expect(await todo(app)).toContain('Order CBC with automated differential');
    expect(await verdictOf(app, 'abrocitinib')).toBe('Needs work: 1 lab to order');
    expect(await blocks(app)).toEqual([]);
    expect(consoleErrors(log)).toEqual([]);
  });

  it('scn-pregnant: pregnancy is the reason not to start any oral agent', async () => {
    const { page, log } = await harness.open();
    const app = await openChart(page, harness.sandbox, 'scn-pregnant');

    expect(await blocks(app)).toEqual(['pregnancy']);
    expect(await app.getByTestId('block-pregnancy').locator('.block__line').innerText()).toBe('Pregnancy — pregnant · label: avoid');
    expect(await app.getByTestId('do-not-start').getByRole('heading').innerText()).toBe('✗ Do not start any oral JAK inhibitor');
    expect(await verdictOf(app, 'ruxolitinib-cream')).toBe('Needs work: pregnant');
    expect(consoleErrors(log)).toEqual([]);
  });

  it('scn-clopidogrel: abrocitinib blocked in the strip; choosing it from its row shows the contraindication, another agent drops it', async () => {
    const { page, log } = await harness.open();
    const app = await openChart(page, harness.sandbox, 'scn-clopidogrel');
    const select = app.getByLabel('Planned therapy');

    expect(await select.inputValue()).toBe('oral');
    expect(await verdictOf(app, 'abrocitinib')).toBe('Do not start: clopidogrel');
    expect(await verdictOf(app, 'upadacitinib')).toBe('Ready');
    // Under "any oral agent" the contraindication is abrocitinib's only: a warning naming it.
    expect(await blocks(app)).toEqual([]);
    expect(await app.getByTestId('caution-antiplatelet').innerText()).toContain('For abrocitinib only');

    await app.getByRole('radio', { name: /Abrocitinib/ }).check();
    expect(await select.inputValue()).toBe('abrocitinib');
    expect(await blocks(app)).toEqual(['antiplatelet']);
    expect(await app.getByTestId('block-antiplatelet').locator('.block__line').innerText()).toBe('Antiplatelet medicine — clopidogrel · label: contraindicated');

    // Upadacitinib has no antiplatelet rule: the caution goes away without a reload.
    await app.getByRole('radio', { name: /Upadacitinib/ }).check();
    expect(await app.locator('[data-testid="block-antiplatelet"], [data-testid="caution-antiplatelet"]').count()).toBe(0);
    expect(consoleErrors(log)).toEqual([]);
  });

  it('scn-labs-missing: each lab item Missing, the to-do list orders each panel, the vaccine is Done', async () => {
    const { page, log } = await harness.open();
    const app = await openChart(page, harness.sandbox, 'scn-labs-missing');

    for (const item of LAB_ITEMS) expect(await statusOf(app, item), item).toBe('Missing');
    expect(await statusOf(app, 'zoster-vaccine')).toBe('Done');
    const list = await todo(app);
    expect(list.filter((entry) => entry.startsWith('Order '))).toHaveLength(LAB_ITEMS.length);
    expect(await verdictOf(app, 'abrocitinib')).toBe('Needs work: 7 labs to order');
    expect(consoleErrors(log)).toEqual([]);
  });

  it('"Copy as note" puts the report on the clipboard, naming the patient', async () => {
    const { context, page } = await harness.open();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harness.sandbox.origin });
    const app = await openChart(page, harness.sandbox, 'scn-low-neutrophils');

    await app.getByRole('button', { name: 'Copy as note' }).click();
    await app.getByText('Copied to the clipboard.').waitFor();
    const note = await app.evaluate(() => navigator.clipboard.readText());
    expect(note).toMatch(/^JAK inhibitor readiness: Oral JAK inhibitor \(any\)\n/);
    expect(note).toContain('Summary: 1 reason not to start');
    expect(note).toContain('- ✗ Abrocitinib: Do not start (ANC 800/µL)');
    expect(note).toMatch(/- Complete blood count with differential: Abnormal; ANC 800\/µL, below 1,000\/µL; 12 days ago · within 90 days/);
    expect(note).toContain('- Low blood counts: ANC 800');
    // The note names the patient so it cannot be filed against the wrong chart (issue 8).
    expect(note).toMatch(/Patient: Grace Whitfield · born \d{4}-\d{2}-\d{2} · MRN MRN-SCN-LOW-NEUTROPHILS/);
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
