/**
 * One EHR launch in headless Chromium, timed inside the app page: from that page's navigation
 * start (performance.timeOrigin of the redirect-URI document, i.e. the browser leaving the
 * authorization redirect) to the first checklist item in the DOM. A MutationObserver installed
 * before any app script records the moment, so polling adds nothing to the number.
 */
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface BrowserRun {
  /** Navigation start of the app page -> checklist in the DOM. */
  msToChecklist: number;
  /** Checklist items with their status, to compare what each strategy let the app conclude. */
  checklist: Array<{ id: string; status: string }>;
}

const CHECKLIST_ITEM = 'ul.checklist > li[data-testid]';

/**
 * Runs in every page of the context before its scripts. A string, not a function: tsx's
 * transpiled functions can reference helpers (`__name`) that do not exist in the page.
 */
const RECORD_CHECKLIST_MOMENT = `(() => {
  const seen = () => {
    if (window.__benchChecklistAt !== undefined || !document.querySelector(${JSON.stringify(CHECKLIST_ITEM)})) return false;
    window.__benchChecklistAt = performance.now();
    return true;
  };
  new MutationObserver((_records, observer) => { if (seen()) observer.disconnect(); })
    .observe(document, { childList: true, subtree: true });
})();`;

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/**
 * Opens `launchUrl` (the app's /launch/ page with iss and launch) in a fresh context (cold
 * cache, empty sessionStorage) and waits until the app page shows its checklist.
 */
export async function timeLaunch(browser: Browser, launchUrl: string, appPath: string, timeoutMs: number): Promise<BrowserRun> {
  const context = await browser.newContext({ viewport: { width: 420, height: 900 } });
  try {
    await context.addInitScript({ content: RECORD_CHECKLIST_MOMENT });
    const page = await context.newPage();
    await page.goto(launchUrl, { waitUntil: 'commit' });
    try {
      await page.waitForSelector(CHECKLIST_ITEM, { timeout: timeoutMs, state: 'attached' });
    } catch {
      const text = (await page.locator('body').innerText().catch(() => '')).replace(/\s+/g, ' ').slice(0, 300);
      throw new Error(`No checklist within ${timeoutMs} ms at ${page.url()}: "${text}"`);
    }
    const url = new URL(page.url());
    if (url.pathname !== appPath) throw new Error(`The checklist appeared on ${url.pathname}, expected the app page ${appPath}`);
    const msToChecklist = await page.evaluate(() => (window as unknown as { __benchChecklistAt?: number }).__benchChecklistAt);
    if (msToChecklist === undefined) throw new Error('The checklist moment was not recorded');
    const raw = await page.$$eval(CHECKLIST_ITEM, (items) => items.map((item) => [item.getAttribute('data-testid') ?? '', item.className]));
    const checklist = raw.map(([testId, className]) => ({
      id: testId!.replace(/^item-/, ''),
      status: /\bitem--([\w-]+)/.exec(className!)?.[1] ?? 'unknown',
    }));
    return { msToChecklist, checklist };
  } finally {
    await context.close();
  }
}
