/**
 * The chart page's order box in Chromium: draft an order, see the cards as the EHR shows them
 * (indicator word, summary, detail as plain text, source), override one with a reason, open the
 * app from the card's link. Under the EHR pages' CSP, with no violation and no page error.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server';
import { describeViolations, launchChromium, seriousAxeViolations } from './harness';

let sandbox: SandboxHandle;
let browser: Browser;
const feedback: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, quiet: true, samples: false, app: false, cdsHooks: { log: (line) => feedback.push(line) } });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});

async function chart(patientId: string): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => console.error(`[csp] ${event.effectiveDirective} ${event.blockedURI || 'inline'}`));
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror ${error.message}`));
  page.on('console', (message) => {
    if (message.text().startsWith('[csp]') && message.location().url.includes('/ehr/')) problems.push(message.text());
  });
  await page.goto(`${sandbox.origin}/ehr/patient/${patientId}`);
  return { page, problems };
}

async function draft(page: Page, medication: string, data = 'prefetch+token'): Promise<void> {
  await page.selectOption('#cds-medication', medication);
  await page.selectOption('#cds-data', data);
  await page.click('#cds-order-form button[type=submit]');
  await page.waitForSelector('#cds-result details');
}

describe('the order box in the browser', () => {
  it('shows a critical card as the EHR would, and an override with a reason reaches the service', async () => {
    const { page, problems } = await chart('scn-clopidogrel');
    await draft(page, 'abrocitinib');
    const card = page.locator('.cds-card.critical');
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.locator('.indicator').textContent()).toBe('Critical:');
    expect(await card.locator('strong').textContent()).toBe('Abrocitinib (Cibinqo): contraindicated — Current antiplatelet therapy: clopidogrel');
    // Markdown escapes are for the EHR's renderer; this EHR shows the text plainly.
    const detail = (await card.locator('.detail').textContent()) ?? '';
    expect(detail).toContain('Antiplatelet therapy: Current antiplatelet therapy: clopidogrel');
    expect(detail).not.toContain('\\');
    expect(await card.locator('.source').textContent()).toMatch(/^Source: jak-readiness: Cibinqo label \(US\), section 4/);

    feedback.length = 0;
    await card.locator('select').selectOption('benefit-outweighs-risk');
    await card.locator('button', { hasText: 'Override' }).click();
    await expect.poll(() => card.locator('.cds-outcome').textContent()).toBe('Overridden; feedback sent (HTTP 200).');
    expect(feedback.map((l) => JSON.parse(l)).filter((l) => l.event === 'cds-hooks.feedback')[0]).toMatchObject({ outcome: 'overridden', overrideReason: { code: 'benefit-outweighs-risk' } });

    // The card's SMART link opens the app in the sidebar for this patient, carrying the card's
    // appContext (the sandbox returns it in the token response; the app preselects its agent).
    await card.locator('button', { hasText: 'Open JAK readiness to see the evidence' }).click();
    // The link is a one-time ticket the chart asked the EHR for: patient and appContext stay on the server.
    await expect.poll(() => page.locator('#app-frame').getAttribute('src')).toMatch(/^\/ehr\/cds\/launch\?ticket=[\w-]+$/);
    // The EHR accepted it: the frame went on to the app's launch page with a launch (the appContext
    // it carries is checked in tests/sandbox/hardening.test.ts; this sandbox serves no app).
    await expect.poll(async () => {
      const frame = await (await page.$('#app-frame'))?.contentFrame();
      const url = frame ? new URL(frame.url()) : undefined;
      return url ? `${url.pathname} ${url.searchParams.has('launch')}` : '';
    }).toBe('/launch/ true');

    const violations = await seriousAxeViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('one click orders the missing labs; a switch redrafts the order and asks the service again', async () => {
    const { page, problems } = await chart('scn-labs-missing');
    await draft(page, 'abrocitinib');
    const info = page.locator('.cds-card.info');
    await info.locator('button', { hasText: 'Order missing baseline labs' }).click();
    await expect.poll(() => info.locator('.cds-outcome').textContent()).toMatch(/^Created in the chart: ServiceRequest\/\S+(, ServiceRequest\/\S+){6}\. Feedback sent \(HTTP 200\)\.$/);

    await page.goto(`${sandbox.origin}/ehr/patient/scn-clopidogrel`);
    await draft(page, 'abrocitinib');
    const critical = page.locator('.cds-card.critical');
    await critical.locator('button', { hasText: 'Switch to Upadacitinib' }).click();
    await expect.poll(() => page.locator('#cds-medication').inputValue()).toBe('upadacitinib');
    await expect.poll(() => page.locator('.cds-card.critical').count()).toBe(0);
    // Asked again for upadacitinib: this chart records past systemic therapy and nothing else is
    // open for it, so "Ready" means the service has nothing to flag (R3.5).
    await expect.poll(() => page.getByText('No cards: the service has nothing to flag for this order.').count()).toBe(1);
    expect(problems).toEqual([]);
  });

  it('says so when there is nothing to flag, and shows the 412 when the EHR sends no data', async () => {
    const { page, problems } = await chart('scn-ready');
    await draft(page, 'cetirizine');
    expect(await page.locator('#cds-result > p').textContent()).toBe('No cards: the service has nothing to flag for this order.');
    await draft(page, 'upadacitinib', 'none');
    expect(await page.locator('#cds-result > p.cds-error').textContent()).toMatch(/^The CDS service answered HTTP 412: Missing prefetch/);
    expect(problems).toEqual([]);
  });
});
