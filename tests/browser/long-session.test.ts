/**
 * A sidebar stays open for a whole clinic while access tokens last minutes. The sandbox issues
 * 5-minute tokens here, then moves its clock past them (the app still believes the token valid):
 * the app asks for `online_access` (the sandbox advertises `permission-online`), and after the
 * token ran out it refreshes once on the 401 and carries on.
 * (Without refresh tokens the same reload ends on "Session expired": launch-screens.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { openAppAlone, sandboxClock, useBrowserHarness, waitForOutcome } from './harness';

const TTL_SECONDS = 300;

describe('a long session with short-lived tokens', () => {
  const clock = sandboxClock();
  const harness = useBrowserHarness({ sandbox: { tokenTtlSeconds: TTL_SECONDS, clock: clock.now } });

  it('asks for online_access, and after the token expired refreshes it on the 401 instead of ending the session', async () => {
    const { page, log } = await harness.open();
    const authorizeScopes: string[] = [];
    const tokenGrants: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/auth/authorize') authorizeScopes.push(url.searchParams.get('scope') ?? '');
      if (url.pathname === '/auth/token' && request.method() === 'POST') tokenGrants.push(new URLSearchParams(request.postData() ?? '').get('grant_type') ?? '');
    });

    await openAppAlone(page, harness.sandbox, 'scn-ready');
    expect(await page.getByTestId('verdicts').count()).toBe(1);
    expect(authorizeScopes[0]?.split(' ')).toContain('online_access');

    // The token runs out; the user reloads the sidebar (same tab, same stored session).
    clock.advance(TTL_SECONDS + 1);
    const refreshesBefore = tokenGrants.filter((grant) => grant === 'refresh_token').length;
    await page.reload();
    await waitForOutcome(page);

    expect((await page.getByTestId('verdicts').locator('.verdict__word').allTextContents())).toEqual(['Ready', 'Ready', 'Not approved', 'Ready', 'Ready']);
    expect(await page.getByRole('heading', { name: 'Session expired' }).count()).toBe(0);
    expect(tokenGrants.filter((grant) => grant === 'refresh_token').length).toBeGreaterThan(refreshesBefore);
    expect(log.pageErrors).toEqual([]);
  });

  it('the session is bound to its launch: a reload keeps it, leaving and opening the app page again forgets it', async () => {
    const { page, log } = await harness.open();
    await openAppAlone(page, harness.sandbox, 'scn-ready');
    expect(await page.getByTestId('verdicts').count()).toBe(1);

    await page.reload();
    await waitForOutcome(page);
    expect(await page.getByTestId('verdicts').count()).toBe(1);

    // Leave the app, then type its address again in the same tab: no launch, no checklist.
    const fhirRequests: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/fhir/') || new URL(request.url()).pathname === '/auth/token') fhirRequests.push(request.url());
    });
    await page.goto(`${harness.sandbox.origin}/ehr/`);
    await page.goto(`${harness.sandbox.origin}/`);
    await waitForOutcome(page);
    expect(await page.getByRole('alert').getByRole('heading').textContent()).toBe("Open this app from a patient's chart");
    expect(await page.getByTestId('verdicts').count()).toBe(0);
    // Nothing of the session is left to resume or refresh with, and nothing was asked of the EHR.
    expect(await page.evaluate(() => [window.sessionStorage.length, window.localStorage.length])).toEqual([0, 0]);
    expect(fhirRequests).toEqual([]);

    // Back to the checklist's address with the browser's Back button: the same screen.
    await page.goBack();
    await page.goForward();
    await waitForOutcome(page);
    expect(await page.getByTestId('verdicts').count()).toBe(0);
    expect(log.pageErrors).toEqual([]);
  });
});
