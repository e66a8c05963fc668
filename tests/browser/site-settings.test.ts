/**
 * The site's settings are used (issue 8): public/site-config.json is fetched at launch, passed to
 * the assessment and sets how far back labs are searched; a file that cannot be used stops the
 * app on a configuration screen instead of silently using the defaults. The file is replaced per
 * test by routing the app's request for it, as a site would edit it without a rebuild.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openAppAlone, seriousAxeViolations, describeViolations, useBrowserHarness } from './harness';

async function serveSiteConfig(context: BrowserContext, body: string): Promise<void> {
  await context.route('**/site-config.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body }));
}

async function statusOf(page: Page, itemId: string): Promise<string> {
  return (await page.getByTestId(`item-${itemId}`).locator('.status__text').textContent()) ?? '';
}

function daysBefore(days: number): string {
  const now = new Date();
  const local = new Date(now.getFullYear(), now.getMonth(), now.getDate() - days);
  return `${local.getFullYear()}-${String(local.getMonth() + 1).padStart(2, '0')}-${String(local.getDate()).padStart(2, '0')}`;
}

describe('site settings from site-config.json', () => {
  const harness = useBrowserHarness();

  it('the default file: the 3-day-old pregnancy test is within its 30-day window', async () => {
    const { page } = await harness.open();
    await openAppAlone(page, harness.sandbox, 'scn-ready');
    expect(await statusOf(page, 'pregnancy-test')).toBe('Done');
    expect(await page.getByTestId('item-pregnancy-test').locator('.item__result').innerText()).toMatch(/3 days ago · within 30 days$/);
  });

  it('a site window of 2 days makes the same test outdated, and the to-do list asks for a new one', async () => {
    const { context, page } = await harness.open();
    await serveSiteConfig(context, JSON.stringify({ $comment: 'pregnancy tests within 2 days of the start', windows: { pregnancyTest: 2 } }));
    await openAppAlone(page, harness.sandbox, 'scn-ready');
    expect(await statusOf(page, 'pregnancy-test')).toBe('Outdated');
    expect(await page.getByTestId('item-pregnancy-test').locator('.item__result').innerText()).toMatch(/3 days ago \(window 2 days\)$/);
    expect(await page.getByTestId('todo').innerText()).toMatch(/pregnancy test/i);
    expect(await page.getByTestId('verdict-abrocitinib').locator('.verdict__word').innerText()).toBe('Needs work');
  });

  it('a longer window searches labs further back: the longest window plus 35 days', async () => {
    const { context, page } = await harness.open();
    await serveSiteConfig(context, JSON.stringify({ windows: { lipidPanel: 1000 } }));
    const labSearches: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.endsWith('/Observation') && url.searchParams.get('date')?.startsWith('ge')) labSearches.push(url.searchParams.get('date')!);
    });
    await openAppAlone(page, harness.sandbox, 'scn-ready');
    // The lab search and its count check share the floor.
    expect(labSearches.length).toBeGreaterThan(0);
    expect([...new Set(labSearches)]).toEqual([`ge${daysBefore(1035)}`]);
  });

  it('a setting that cannot be used stops on the configuration screen: no verdict under rules the site did not choose', async () => {
    const { context, page, log } = await harness.open();
    await serveSiteConfig(context, JSON.stringify({ windows: { cbc: '90' } }));
    await openAppAlone(page, harness.sandbox, 'scn-low-neutrophils');
    const screen = page.getByRole('alert');
    expect(await screen.getByRole('heading').innerText()).toBe('The site settings cannot be used');
    expect(await screen.innerText()).toContain('windows.cbc must be a number ≥ 0, got "90"');
    expect(await page.getByTestId('verdicts').count()).toBe(0);
    expect(await page.locator('[data-testid^="item-"]').count()).toBe(0);
    expect(log.pageErrors).toEqual([]);
    const violations = await seriousAxeViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  });

  it('a file that is not JSON is refused the same way', async () => {
    const { context, page } = await harness.open();
    await serveSiteConfig(context, '{ windows: ');
    await openAppAlone(page, harness.sandbox, 'scn-ready');
    expect(await page.getByRole('alert').innerText()).toContain('site-config.json is not valid JSON');
  });
});
