/**
 * One meaning per verdict and sources as clinicians read them (clinical/spec.md R3.5, R3.7, R3.8),
 * in Chromium at 400 px, for every sandbox patient:
 * - no agent reads "Ready" beside anything open for it: choosing a "Ready" agent shows no
 *   do-not-start block, no warning, no open checklist item and no to-do that is not advisory;
 * - baricitinib reads "Not approved for atopic dermatitis (US)" under the default (US) labels and
 *   is judged on readiness under EU labels (site-config.json `labelRegion: "EU"`);
 * - no rendered text outside the evidence details carries an internal mark (◐ ✖ ✔, spec or file
 *   names, "PI", "SmPC", "MACE", "Resource Observation/…", "Matched by code (LOINC …)"), whichever
 *   agent is planned; label links open in a new tab without a referrer.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { internalMark } from '../../src/ui/plain-language';
import { openAppAlone, useBrowserHarness } from './harness';

const AGENTS = ['abrocitinib', 'upadacitinib', 'baricitinib', 'ruxolitinib-cream', 'delgocitinib-cream'];

/** What is open for the planned agent, as the screen shows it. */
async function openThings(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const open: string[] = [];
    for (const el of document.querySelectorAll('[data-testid^="block-"]')) open.push(`do not start: ${(el.textContent ?? '').slice(0, 80)}`);
    for (const el of document.querySelectorAll('.caution--warning')) open.push(`warning: ${(el.textContent ?? '').slice(0, 80)}`);
    for (const el of document.querySelectorAll('.todo__entry')) if (!el.querySelector('.todo__advisory')) open.push(`to do: ${(el.textContent ?? '').slice(0, 80)}`);
    for (const el of document.querySelectorAll('.item')) {
      const advisory = el.querySelector('.item__advisory') !== null;
      const status = el.querySelector('.status__text')?.textContent ?? '';
      if (!['Done', 'Not applicable'].includes(status) && !(advisory && status !== 'Abnormal')) open.push(`checklist: ${el.querySelector('.item__label')?.textContent} ${status}`);
    }
    return open;
  });
}

/** Every text on screen outside the (closed or open) evidence panels. */
async function screenText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const clone = document.body.cloneNode(true) as HTMLElement;
    for (const el of clone.querySelectorAll('.evidence__panel, .print-only, script, style')) el.remove();
    return clone.innerText || clone.textContent || '';
  });
}

async function verdictWord(page: Page, agent: string): Promise<string> {
  return (await page.getByTestId(`verdict-${agent}`).locator('.verdict__word').innerText()).replace(/ · planned$/, '').trim();
}

describe('one meaning per verdict, in Chromium at 400 px', () => {
  const harness = useBrowserHarness();

  it('every sandbox patient: no agent "Ready" beside an open item for it; no internal mark on screen; label links open in a new tab', async () => {
    const { page } = await harness.open({ viewport: { width: 400, height: 900 } });
    const problems: string[] = [];
    let readyChecked = 0;
    let notApprovedSeen = 0;
    for (const { id } of harness.sandbox.patients) {
      await openAppAlone(page, harness.sandbox, id);
      if ((await page.getByRole('button', { name: 'Before starting' }).count()) > 0) await page.getByRole('button', { name: 'Before starting' }).click();
      if ((await page.getByTestId('verdicts').count()) !== 1) {
        problems.push(`${id}: no verdicts`);
        continue;
      }
      for (const agent of AGENTS) {
        const word = await verdictWord(page, agent);
        await page.getByTestId(`verdict-${agent}`).locator('input').check();
        if (word === 'Ready') {
          readyChecked += 1;
          const open = await openThings(page);
          if (open.length) problems.push(`${id} ${agent} "Ready" beside: ${open.join(' | ')}`);
        }
        if (word === 'Not approved') notApprovedSeen += 1;
        const mark = internalMark(await screenText(page));
        if (mark) problems.push(`${id} ${agent}: ${mark}`);
      }
      for (const link of await page.locator('.source-line a').all()) {
        const [target, rel] = [await link.getAttribute('target'), await link.getAttribute('rel')];
        if (target !== '_blank' || rel !== 'noopener noreferrer') problems.push(`${id}: link ${await link.getAttribute('href')} target=${target} rel=${rel}`);
      }
    }
    expect(problems.join('\n')).toBe('');
    // The checks had something to find.
    expect(readyChecked).toBeGreaterThan(5);
    expect(notApprovedSeen).toBeGreaterThanOrEqual(harness.sandbox.patients.length);
  }, 600_000);

  it('baricitinib: "Not approved for atopic dermatitis (US)" under US labels; judged on readiness under EU labels', async () => {
    const us = await harness.open({ viewport: { width: 400, height: 900 } });
    await openAppAlone(us.page, harness.sandbox, 'scn-ready');
    expect(await verdictWord(us.page, 'baricitinib')).toBe('Not approved');
    expect(await us.page.getByTestId('verdict-baricitinib').locator('.verdict__reasons').innerText()).toBe('Not approved for atopic dermatitis (US)');

    const eu = await harness.open({ freshContext: true, viewport: { width: 400, height: 900 } });
    await eu.context.route('**/site-config.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ labelRegion: 'EU' }) }));
    await openAppAlone(eu.page, harness.sandbox, 'scn-ready');
    expect(['Ready', 'Needs work']).toContain(await verdictWord(eu.page, 'baricitinib'));
    expect(await eu.page.getByTestId('verdict-baricitinib').innerText()).not.toMatch(/Not approved/);
    // Ruxolitinib cream is the one not approved for atopic dermatitis under EU labels.
    expect(await eu.page.getByTestId('verdict-ruxolitinib-cream').locator('.verdict__reasons').innerText()).toBe('Not approved for atopic dermatitis (EU)');
  }, 300_000);
});
