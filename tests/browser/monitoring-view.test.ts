/**
 * Revision 3 (R3.1–R3.4) in Chromium: the after-the-start sandbox patients at 320 and 400 px. The
 * first screen of the monitoring view (the top 600 px) names the abnormal result and the label's
 * action, or says "No abnormal result since the start"; a draft order opens the pre-start view
 * with the drug planned, not "on treatment"; a switch keeps the drug being taken as taken; the
 * printout of a patient on treatment carries one set of dates and never calls the drug being
 * taken "Needs work", "Do not start" or prior therapy.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openAppAlone, useBrowserHarness } from './harness';

const FIRST_SCREEN_PX = 600;
const WIDTHS = [320, 400];

/** The text of an element and whether it ends within the first screen, with the page scrolled to the top. */
async function firstScreen(page: Page, testId: string): Promise<{ text: string; bottom: number; scrollWidth: number; clientWidth: number }> {
  await page.evaluate(() => window.scrollTo(0, 0));
  return page.evaluate((id) => {
    const el = document.querySelector(`[data-testid="${id}"]`);
    const root = document.scrollingElement ?? document.documentElement;
    return { text: (el as HTMLElement | null)?.innerText ?? '', bottom: el ? el.getBoundingClientRect().bottom : Infinity, scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
  }, testId);
}

describe('the monitoring view of patients after the start, at 320 and 400 px', () => {
  const harness = useBrowserHarness();

  it('on abrocitinib with platelets 45,000: the first screen names the result and "label: discontinue"; the to-do starts with "Tell the prescriber today"', async () => {
    const { page } = await harness.open({ viewport: { width: 320, height: 900 } });
    await openAppAlone(page, harness.sandbox, 'scn-abrocitinib-low-platelets');
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      const answer = await firstScreen(page, 'answer-abnormal');
      expect(answer.text).toMatch(/Platelets 45,000\/µL \(\d{4}-\d{2}-\d{2}\), below 50,000\/µL — label: discontinue\. Tell the prescriber today\./);
      expect(answer.bottom, `abnormal result within the first screen at ${width} px`).toBeLessThanOrEqual(FIRST_SCREEN_PX);
      expect(answer.scrollWidth).toBeLessThanOrEqual(answer.clientWidth);
    }
    expect(await page.getByTestId('todo').locator('li').first().innerText()).toMatch(/Tell the prescriber today: Platelets 45,000\/µL on abrocitinib/);
    expect(await page.getByTestId('trend-platelets').innerText()).toMatch(/^Platelets falling: 248,000\/µL/);
    expect(await page.getByTestId('monitoring').innerText()).not.toMatch(/Do not start/);
  });

  it('on upadacitinib with everything done and normal: the first screen says "No abnormal result since the start" and nothing overdue', async () => {
    const { page } = await harness.open({ viewport: { width: 320, height: 900 } });
    await openAppAlone(page, harness.sandbox, 'scn-upadacitinib-all-done');
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      const answer = await firstScreen(page, 'answer-abnormal');
      expect(answer.text).toMatch(/No abnormal result since the start \(\d{4}-\d{2}-\d{2}\)/);
      expect(answer.bottom).toBeLessThanOrEqual(FIRST_SCREEN_PX);
      const overdue = await firstScreen(page, 'answer-overdue');
      expect(overdue.text).toMatch(/Nothing overdue/);
      expect(overdue.bottom).toBeLessThanOrEqual(FIRST_SCREEN_PX);
    }
    expect(await page.getByTestId('todo').innerText()).toMatch(/Week-16 review \d{4}-\d{2}-\d{2}, in 9 days/);
  });

  it('dose increased: no abnormal result; the platelet check after the increase is listed and the start stays the first order', async () => {
    const { page } = await harness.open({ viewport: { width: 320, height: 900 } });
    await openAppAlone(page, harness.sandbox, 'scn-abrocitinib-dose-increase');
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      const answer = await firstScreen(page, 'answer-abnormal');
      expect(answer.text).toMatch(/No abnormal result since the start/);
      expect(answer.bottom).toBeLessThanOrEqual(FIRST_SCREEN_PX);
    }
    expect(await page.getByTestId('monitoring-note').innerText()).toMatch(/^On abrocitinib since \d{4}-\d{2}-\d{2} \(week 18\)/);
    expect(await page.getByTestId('dose-increase').innerText()).toMatch(/from 100 mg to 200 mg/);
    expect(await page.getByTestId('monitoring-platelets-after-dose-increase').innerText()).toMatch(/Platelets 4 weeks after the dose increase/);
  });

  it('a draft order only: the pre-start view with upadacitinib planned, never "On upadacitinib since today"', async () => {
    const { page } = await harness.open({ viewport: { width: 320, height: 900 } });
    await openAppAlone(page, harness.sandbox, 'scn-draft-order-only');
    expect(await page.getByTestId('monitoring-note').count()).toBe(0);
    expect(await page.getByTestId('verdicts').count()).toBe(1);
    expect(await page.getByTestId('verdict-upadacitinib').innerText()).toMatch(/Upadacitinib\s+Ready · planned/);
    expect(await page.locator('body').innerText()).not.toMatch(/On upadacitinib since/);
  });

  it('switching from upadacitinib to abrocitinib: monitoring for upadacitinib, abrocitinib planned with "stop upadacitinib before the first dose", never do-not-start', async () => {
    const { page } = await harness.open({ viewport: { width: 400, height: 900 } });
    await openAppAlone(page, harness.sandbox, 'scn-switch-jak');
    const answer = await firstScreen(page, 'answer-abnormal');
    expect(answer.text).toMatch(/No abnormal result since the start/);
    expect(await page.getByTestId('monitoring-note').innerText()).toMatch(/^On upadacitinib since/);
    await page.getByRole('button', { name: 'Before starting' }).click();
    expect(await page.getByTestId('verdict-upadacitinib').innerText()).toMatch(/Upadacitinib\s+Taking it · Continue/);
    expect(await page.getByTestId('verdict-abrocitinib').innerText()).toMatch(/Abrocitinib\s+Needs work · planned\s+switching from upadacitinib/);
    expect(await page.getByTestId('todo').innerText()).toContain('Stop upadacitinib before the first dose of abrocitinib');
    expect(await page.getByTestId('do-not-start').count()).toBe(0);
  });

  it('the printout of a patient on upadacitinib: one set of dates, upadacitinib as taken, not prior therapy', async () => {
    const { page } = await harness.open({ viewport: { width: 400, height: 900 } });
    await openAppAlone(page, harness.sandbox, 'scn-upadacitinib-all-done');
    await page.emulateMedia({ media: 'print' });
    try {
      const printed = await page.locator('body').innerText();
      const weeks = new Map<string, Set<string>>();
      for (const m of printed.matchAll(/week (\d+):? (\d{4}-\d{2}-\d{2})/g)) weeks.set(m[1]!, new Set([...(weeks.get(m[1]!) ?? []), m[2]!]));
      expect(weeks.get('16')?.size, printed).toBe(1);
      for (const dates of weeks.values()) expect(dates.size).toBe(1);
      expect(printed).toMatch(/No abnormal result since the start/);
      expect(printed).not.toMatch(/Upadacitinib\s+(Needs work|Do not start)/);
      const prior = printed.split('\n').find((l) => /Prior systemic therapy/.test(l)) ?? '';
      expect(prior).not.toMatch(/upadacitinib/i);
    } finally {
      await page.emulateMedia({ media: null });
    }
  });
});
