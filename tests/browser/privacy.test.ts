/**
 * What a launch leaves behind in the browser: no patient data in storage, cookies, the console
 * or the address bar, and no request to anyone but the EHR.
 */
import { describe, expect, it } from 'vitest';
import { openChart, patientNames, useBrowserHarness, waitForOutcome } from './harness';

const PATIENT = 'scn-low-neutrophils';

describe('privacy after a launch', () => {
  const harness = useBrowserHarness();

  it('leaves no patient data in storage, cookies, the console or URLs, and talks only to the EHR', async () => {
    // A context of its own: what it holds afterwards is what this one launch left.
    const { context, page, log } = await harness.open({ freshContext: true });
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));

    const app = await openChart(page, harness.sandbox, PATIENT);
    // Show every piece of evidence (resource ids, values, dates) so it has had every chance to leak.
    for (const toggle of await app.locator('.evidence__toggle').all()) await toggle.click();
    expect(await app.getByText(/Observation\/scn-low-neutrophils-obs-\d+/).first().isVisible()).toBe(true);

    // Storage: nothing in localStorage; sessionStorage only fhirclient's pointer and its state.
    const storage = await app.evaluate(() => ({
      local: Object.keys(window.localStorage),
      session: Object.keys(window.sessionStorage),
      smartKey: window.sessionStorage.getItem('SMART_KEY'),
    }));
    expect(storage.local).toEqual([]);
    expect(storage.smartKey).not.toBeNull();
    const stateKey = JSON.parse(storage.smartKey as string) as string;
    expect(storage.session.sort()).toEqual(['SMART_KEY', stateKey].sort());

    expect(await context.cookies()).toEqual([]);

    // The address bar: the authorization code and state are gone once the session is set up.
    for (const url of [app.url(), page.url()]) {
      const params = new URL(url).searchParams;
      for (const name of ['code', 'state', 'access_token', 'token', 'patient']) expect(params.has(name), `${name} in ${url}`).toBe(false);
    }
    expect(new URL(app.url()).pathname).toBe('/');

    // The console: nothing that identifies the patient or a record.
    const forbidden = [...(await patientNames(harness.sandbox, PATIENT)), PATIENT, 'Observation/', 'Condition/', 'Patient/', 'Bearer'];
    const printed = [...log.console.map((m) => m.text), ...log.pageErrors];
    for (const text of printed) for (const word of forbidden) expect(text, `console message contains "${word}"`).not.toContain(word);

    // Every request went to the EHR's own origin: no third party saw anything.
    expect(requested.length).toBeGreaterThan(0);
    const foreign = requested.filter((url) => new URL(url).origin !== harness.sandbox.origin);
    expect(foreign).toEqual([]);
  });

  // The browser tests share one page per file (harness.ts): the next test must not inherit the
  // last one's session, or a test of "opened without a launch" would pass on a stale session.
  it('a launch in the shared page leaves it, for the next test, with no session to resume', async () => {
    const { page } = await harness.open();
    await openChart(page, harness.sandbox, PATIENT);
    await page.route('**/site-config.json', (route) => route.abort());
    page.on('request', () => {
      throw new Error('a listener of the previous test is still attached');
    });
  });

  it('… the next test opens the app page directly: no sidebar, the message to launch from the chart', async () => {
    const { page, log } = await harness.open();
    await page.goto(`${harness.sandbox.origin}/`);
    await waitForOutcome(page);
    expect(await page.getByRole('alert').getByRole('heading').textContent()).toBe("Open this app from a patient's chart");
    expect(await page.getByTestId('verdicts').count()).toBe(0);
    expect(await page.evaluate(() => [window.sessionStorage.length, window.localStorage.length])).toEqual([0, 0]);
    expect(log.pageErrors).toEqual([]);
  });
});
