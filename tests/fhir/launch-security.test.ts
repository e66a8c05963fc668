/**
 * Launch security: a forged state, a replayed state or code, a launch without a PKCE verifier,
 * and data for a different patient than the token's are each refused with a clear screen.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { MISSING_VERIFIER_MESSAGE, resetSessionForTests, startSession } from '../../src/fhir/session';
import { SESSION_EXPIRED_MESSAGE } from '../../src/fhir/errors';
import { bootstrap, PATIENT_MISMATCH_MESSAGE } from '../../src/ui/bootstrap';
import type { AppDeps } from '../../src/ui/deps';
import { buildRecord } from '../../src/engine/normalise';
import { assess, preselectTherapy } from '../../src/engine/assess';

const SERVER = 'http://fhir.test/r4';
const TOKEN_URI = 'http://auth.test/token';
const STATE_KEY = 'state-xyz';
let tokenRequests = 0;
let usedCodes = new Set<string>();

const server = setupServer(
  http.post(TOKEN_URI, async ({ request }) => {
    tokenRequests++;
    const form = new URLSearchParams(await request.text());
    const code = form.get('code') ?? '';
    if (usedCodes.has(code)) return HttpResponse.json({ error: 'invalid_grant', error_description: 'code already used' }, { status: 400 });
    if (!form.get('code_verifier')) return HttpResponse.json({ error: 'invalid_request', error_description: 'code_verifier required' }, { status: 400 });
    usedCodes.add(code);
    return HttpResponse.json({ access_token: 'token-1', token_type: 'Bearer', expires_in: 3600, patient: 'p1', scope: 'launch patient/*.read' });
  }),
);

function storeAuthorizeState(overrides: Record<string, unknown> = {}): void {
  sessionStorage.setItem('SMART_KEY', JSON.stringify(STATE_KEY));
  sessionStorage.setItem(STATE_KEY, JSON.stringify({
    clientId: 'jak-readiness', scope: 'launch patient/*.read', redirectUri: 'http://localhost:3000/', serverUrl: SERVER,
    tokenResponse: {}, key: STATE_KEY, tokenUri: TOKEN_URI, codeChallengeMethods: ['S256'], codeVerifier: 'verifier-123', codeChallenge: 'c', ...overrides,
  }));
}
const openAt = (path: string) => window.history.replaceState({}, '', path);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  resetSessionForTests();
  sessionStorage.clear();
  tokenRequests = 0;
  usedCodes = new Set();
});
afterEach(() => openAt('/'));
afterAll(() => server.close());

describe('launch security', () => {
  it('refuses a forged state (one this browser never issued) without exchanging the code', async () => {
    storeAuthorizeState();
    openAt('/?code=code-1&state=forged-state');
    expect(await startSession()).toEqual({ kind: 'expired', message: SESSION_EXPIRED_MESSAGE });
    expect(tokenRequests).toBe(0);
  });

  it('refuses a replayed code and state in a new page', async () => {
    storeAuthorizeState();
    openAt(`/?code=code-1&state=${STATE_KEY}`);
    expect((await startSession()).kind).toBe('ready');
    // An attacker (or the back button) replays the same redirect in a fresh page.
    resetSessionForTests();
    sessionStorage.clear();
    storeAuthorizeState();
    openAt(`/?code=code-1&state=${STATE_KEY}`);
    const replay = await startSession();
    expect(replay).toEqual({ kind: 'expired', message: SESSION_EXPIRED_MESSAGE });
  });

  it('refuses a launch that holds no PKCE verifier, before any token request', async () => {
    storeAuthorizeState({ codeVerifier: undefined, codeChallenge: undefined });
    openAt(`/?code=code-1&state=${STATE_KEY}`);
    expect(await startSession()).toEqual({ kind: 'failed', message: MISSING_VERIFIER_MESSAGE });
    expect(tokenRequests).toBe(0);
  });

  it('refuses data for a different patient than the token is for', async () => {
    const deps: AppDeps<object> = {
      startSession: async () => ({ kind: 'ready', client: {}, patientId: 'p1', needPatientBanner: true }),
      loadPatientData: async () => ({ patient: { resourceType: 'Patient', id: 'someone-else', name: [{ family: 'Other' }] }, resources: [], loads: {} }),
      buildRecord, assess, preselectTherapy: (r) => preselectTherapy(r, '2026-11-27'), today: () => '2026-11-27',
    };
    expect(await bootstrap(deps)).toEqual({ kind: 'failed', message: PATIENT_MISMATCH_MESSAGE });
  });
});
