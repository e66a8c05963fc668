/**
 * The ways into the app other than a chart's sidebar: a standalone launch with the EHR's patient
 * picker, opening the pages with no launch, an OAuth error from the EHR, and a session that
 * expired while the app was open. Each must end on a screen that says what happened.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeViolations, openAppAlone, sandboxClock, seriousAxeViolations, useBrowserHarness, waitForOutcome, type PageLog } from './harness';

async function expectNoSeriousAxeViolations(page: Page): Promise<void> {
  const violations = await seriousAxeViolations(page);
  expect(violations, describeViolations(violations)).toEqual([]);
}

function screenErrors(log: PageLog): string[] {
  return [...log.pageErrors, ...log.console.filter((m) => m.type === 'error' && !m.url.endsWith('/favicon.ico')).map((m) => m.text)];
}

describe('launches and the screens shown instead of the sidebar', () => {
  const harness = useBrowserHarness();

  it('standalone launch: the EHR asks for a patient, then the sidebar names that patient in a banner', async () => {
    const { page, log } = await harness.open();
    await page.goto(`${harness.sandbox.origin}/launch/?${new URLSearchParams({ iss: harness.sandbox.fhirBase })}`);

    // The sandbox's authorization server shows its patient picker.
    await page.getByRole('heading', { name: 'Choose a patient' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/auth/authorize');
    await page.getByRole('radio', { name: /Dubois, Chloe/ }).check();
    await page.getByRole('button', { name: 'Open in app' }).click();

    await waitForOutcome(page);
    expect(new URL(page.url()).pathname).toBe('/');
    // need_patient_banner is true outside a chart: the app says whose record this is.
    const banner = page.getByRole('region', { name: 'Patient' });
    expect(await banner.locator('.banner__name').textContent()).toMatch(/Chloe/);
    expect(await banner.locator('.banner__name').textContent()).toMatch(/Dubois/);
    expect(await banner.textContent()).toMatch(/ · \d+ y · Female · born \d{4}-\d{2}-\d{2} · MRN MRN-SCN-PREGNANT$/);
    expect(await page.getByTestId('block-pregnancy').locator('.block__cause').textContent()).toBe('pregnant');
    expect(screenErrors(log)).toEqual([]);
  });

  it('the app page opened directly (no launch) explains how to open it', async () => {
    const { page, log } = await harness.open();
    await page.goto(`${harness.sandbox.origin}/`);
    await waitForOutcome(page);

    const screen = page.getByRole('alert');
    expect(await screen.getByRole('heading').textContent()).toBe("Open this app from a patient's chart");
    expect(await screen.textContent()).toContain('it has to be launched from there');
    // The link to the sandbox EHR is for development only; the built app does not offer it.
    expect(await screen.getByRole('link').count()).toBe(0);
    expect(await page.getByTestId('verdicts').count()).toBe(0);
    expect(screenErrors(log)).toEqual([]);
    await expectNoSeriousAxeViolations(page);
  });

  it('the launch page opened with no parameters explains what an EHR passes to it', async () => {
    const { page, log } = await harness.open();
    await page.goto(`${harness.sandbox.origin}/launch/`);
    await waitForOutcome(page);

    expect(await page.locator('#launch').getAttribute('data-kind')).toBe('no-launch');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Open this app from a patient’s chart');
    expect(await page.locator('#launch').textContent()).toContain('passes the FHIR server address (iss) and a launch code');
    expect(await page.locator('#launch').getByRole('link').count()).toBe(0);
    // Still on the launch page: nothing redirected to an authorization server.
    expect(new URL(page.url()).pathname).toBe('/launch/');
    expect(screenErrors(log)).toEqual([]);
    await expectNoSeriousAxeViolations(page);
  });

  it('a launch code without a FHIR server address is refused on the launch page, in words', async () => {
    const { page, log } = await harness.open();
    await page.goto(`${harness.sandbox.origin}/launch/?launch=${harness.sandbox.createLaunch('scn-ready')}`);
    await waitForOutcome(page);

    expect(await page.locator('#launch').getAttribute('data-kind')).toBe('error');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('The app could not be launched');
    expect(await page.locator('#launch').textContent()).toContain('no FHIR server address (iss)');
    expect(screenErrors(log)).toEqual([]);
    await expectNoSeriousAxeViolations(page);
  });

  it("an authorization error from the EHR is shown with the EHR's own error and description", async () => {
    const { page, log } = await harness.open();
    await page.goto(`${harness.sandbox.origin}/ehr/`);
    await page.getByRole('link', { name: /unregistered client/ }).click();
    await waitForOutcome(page);

    const screen = page.getByRole('alert');
    expect(await screen.getByRole('heading').textContent()).toBe('The EHR did not authorize the app');
    const facts = (await screen.locator('.screen__facts').innerText()).replace(/\s+/g, ' ');
    expect(facts).toContain('Error unauthorized_client');
    expect(facts).toMatch(/Description Client "[^"]+" is not authorized for this launch/);
    // The error parameters came in the URL; what is shown is text, and no sidebar appears.
    expect(await page.getByTestId('verdicts').count()).toBe(0);
    expect(screenErrors(log)).toEqual([]);
    await expectNoSeriousAxeViolations(page);
  });
});

describe('an expired session, with an EHR that gives no refresh tokens (no permission-online)', () => {
  const TTL_SECONDS = 300;
  const clock = sandboxClock();
  const harness = useBrowserHarness({ sandbox: { tokenTtlSeconds: TTL_SECONDS, refreshTokens: false, clock: clock.now } });

  it('reloading the app after the token expired shows the relaunch screen, not a stack trace, and forgets the session', async () => {
    const { page, log } = await harness.open();
    await openAppAlone(page, harness.sandbox, 'scn-ready');
    expect(await page.getByTestId('verdicts').count()).toBe(1);

    // Let the access token run out (the sandbox refuses it from then on), then reload the app in
    // the same tab: the stored SMART session is reused and its first FHIR request gets a 401.
    clock.advance(TTL_SECONDS + 1);
    await page.reload();
    await waitForOutcome(page);

    const screen = page.getByRole('alert');
    expect(await screen.getByRole('heading').textContent()).toBe('Session expired');
    expect(await screen.textContent()).toContain('Relaunch the app from the patient');
    const shown = await page.locator('body').innerText();
    expect(shown).not.toMatch(/\bat \S+:\d+:\d+|Error:|TypeError|undefined/);
    expect(await page.getByTestId('verdicts').count()).toBe(0);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(log.pageErrors).toEqual([]);
    await expectNoSeriousAxeViolations(page);
  });
});
