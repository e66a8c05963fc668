/**
 * The EHR page and the app on different sites, as in a real EHR (ehr.hospital.example framing
 * apps.vendor.example): the chart at `http://localhost:<port>`, the app in its iframe at
 * `http://127.0.0.1:<port>`, the FHIR server and authorization server on the EHR's site.
 * Chromium's third-party storage partitioning is left on (its default; Playwright turns it off,
 * see harness.ts): the app's session storage in the frame is keyed to the EHR's top-level site.
 * A browser that blocks such storage outright gets a screen that says so, never a hang.
 */
import { describe, expect, it } from 'vitest';
import { appFrame, useBrowserHarness, waitForOutcome } from './harness';

describe('an EHR launch in a cross-site iframe', () => {
  const harness = useBrowserHarness({ sandbox: { appHostname: '127.0.0.1' }, chromium: { storagePartitioning: true, fullBrowser: true } });

  it('completes the launch and shows the sidebar', async () => {
    const port = new URL(harness.sandbox.origin).port;
    const ehr = `http://localhost:${port}`;
    const appOrigin = `http://127.0.0.1:${port}`;
    const { page, context, log } = await harness.open();
    const calls: string[] = [];
    page.on('request', (request) => calls.push(`${request.method()} ${request.url()}`));

    await page.goto(`${ehr}/ehr/patient/scn-ready`);
    const app = await appFrame(page);
    await waitForOutcome(app);

    expect(new URL(app.url()).origin).toBe(appOrigin);
    expect((await app.getByTestId('verdicts').locator('.verdict__word').allTextContents())).toEqual(['Ready', 'Ready', 'Not approved', 'Ready', 'Ready']);
    // The app (127.0.0.1) called the EHR's FHIR and token endpoints (localhost) across sites.
    expect(calls.some((call) => call.startsWith(`POST ${ehr}/auth/token`))).toBe(true);
    expect(calls.some((call) => call.startsWith(`GET ${ehr}/fhir/Observation?`))).toBe(true);
    expect(log.pageErrors).toEqual([]);
    expect(log.cspViolations).toEqual([]);

    // Partitioning really is on: what the framed app stores is not what 127.0.0.1 sees as a top-level site.
    await app.evaluate(() => localStorage.setItem('partition-probe', 'framed'));
    const topLevel = await context.newPage();
    await topLevel.goto(`${appOrigin}/launch/`);
    expect(await topLevel.evaluate(() => localStorage.getItem('partition-probe'))).toBeNull();
    await app.evaluate(() => localStorage.removeItem('partition-probe'));
  });
});

describe('a browser that blocks storage in cross-site iframes (no partitioning)', () => {
  const harness = useBrowserHarness({ sandbox: { appHostname: '127.0.0.1' }, chromium: { fullBrowser: true } });

  it('says why the app cannot connect there, and how to open it instead', async () => {
    const port = new URL(harness.sandbox.origin).port;
    const { page } = await harness.open();
    await page.goto(`http://localhost:${port}/ehr/patient/scn-ready`);
    const app = await appFrame(page);
    expect(await app.evaluate(() => { try { return typeof sessionStorage.length; } catch { return 'blocked'; } })).toBe('blocked');
    await waitForOutcome(app);

    expect(await app.locator('#launch').getAttribute('data-kind')).toBe('error');
    expect(await app.locator('#launch').innerText()).toContain('storage for embedded apps is blocked');
    expect(await app.locator('#launch').innerText()).toContain('Open the app in its own tab');
  });
});
