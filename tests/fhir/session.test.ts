import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { clearStoredSession, resetSessionForTests, startSession } from '../../src/fhir/session';
import { SESSION_EXPIRED_MESSAGE } from '../../src/fhir/errors';
import { openedByReload } from '../../src/fhir/launch-binding';

const SERVER = 'http://fhir.test/r4';
const TOKEN_URI = 'http://auth.test/token';
const STATE_KEY = 'state-abc';

let tokenRequests: URLSearchParams[] = [];
let tokenAnswer: () => Response;

const server = setupServer(
  http.post(TOKEN_URI, async ({ request }) => {
    tokenRequests.push(new URLSearchParams(await request.text()));
    return tokenAnswer();
  }),
);

/** What fhirclient's authorize() leaves in sessionStorage before redirecting to the EHR. */
function storeAuthorizeState(overrides: Record<string, unknown> = {}): void {
  const state = {
    clientId: 'jak-readiness',
    scope: 'launch openid fhirUser patient/Patient.read patient/Observation.read',
    redirectUri: 'http://localhost:3000/',
    serverUrl: SERVER,
    tokenResponse: {},
    key: STATE_KEY,
    authorizeUri: 'http://auth.test/authorize',
    tokenUri: TOKEN_URI,
    codeChallengeMethods: ['S256'],
    codeVerifier: 'verifier-123',
    codeChallenge: 'challenge-123',
    ...overrides,
  };
  sessionStorage.setItem('SMART_KEY', JSON.stringify(STATE_KEY));
  sessionStorage.setItem(STATE_KEY, JSON.stringify(state));
}

function openAt(path: string): void {
  window.history.replaceState({}, '', path);
}

/** How the browser says this document was loaded (Navigation Timing): 'reload', 'navigate', 'back_forward'. */
function loadedBy(type: string): void {
  vi.spyOn(performance, 'getEntriesByType').mockImplementation(((kind: string) => (kind === 'navigation' ? [{ type }] : [])) as never);
}

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  resetSessionForTests();
  sessionStorage.clear();
  tokenRequests = [];
  tokenAnswer = () =>
    HttpResponse.json({
      access_token: 'token-1',
      token_type: 'Bearer',
      expires_in: 3600,
      patient: 'p1',
      scope: 'launch openid fhirUser patient/Patient.read patient/Observation.read',
      need_patient_banner: false,
    });
});
afterEach(() => {
  server.resetHandlers();
  vi.restoreAllMocks();
  openAt('/');
});
afterAll(() => server.close());

describe('startSession', () => {
  it('exchanges the code once even when called twice (StrictMode)', async () => {
    storeAuthorizeState();
    openAt(`/?code=code-1&state=${STATE_KEY}`);

    const [first, second] = await Promise.all([startSession(), startSession()]);
    const third = await startSession();

    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0]!.get('code_verifier')).toBe('verifier-123');
    expect(first).toBe(second);
    expect(third).toBe(first);
    expect(first).toMatchObject({
      kind: 'ready',
      patientId: 'p1',
      needPatientBanner: false,
      grantedScopes: ['launch', 'openid', 'fhirUser', 'patient/Patient.read', 'patient/Observation.read'],
    });
    expect(window.location.search).not.toMatch(/code=/);
  });

  it('shows the patient banner unless the EHR says it is not needed', async () => {
    tokenAnswer = () => HttpResponse.json({ access_token: 'token-1', expires_in: 3600, patient: 'p1' });
    storeAuthorizeState();
    openAt(`/?code=code-1&state=${STATE_KEY}`);
    const result = await startSession();
    expect(result).toMatchObject({ kind: 'ready', needPatientBanner: true });
    // No scope in the token response: the requested scopes were granted.
    expect(result.kind === 'ready' && result.grantedScopes).toContain('patient/Observation.read');
  });

  it("reads the agent of the CDS card that opened the app from the token response's appContext", async () => {
    tokenAnswer = () => HttpResponse.json({ access_token: 'token-1', expires_in: 3600, patient: 'p1', appContext: '{"therapy":"baricitinib","draftOrder":"MedicationRequest/d1"}' });
    storeAuthorizeState();
    openAt(`/?code=code-1&state=${STATE_KEY}`);
    expect(await startSession()).toMatchObject({ kind: 'ready', orderedTherapy: 'baricitinib' });
  });

  it('takes nothing from an appContext it did not write', async () => {
    tokenAnswer = () => HttpResponse.json({ access_token: 'token-1', expires_in: 3600, patient: 'p1', appContext: 'therapy=baricitinib' });
    storeAuthorizeState();
    openAt(`/?code=code-1&state=${STATE_KEY}`);
    const result = await startSession();
    expect(result.kind).toBe('ready');
    expect(result).not.toHaveProperty('orderedTherapy');
  });

  it('reports the authorization error the EHR sent back without exchanging anything', async () => {
    storeAuthorizeState();
    openAt(`/?error=access_denied&error_description=The+user+declined&state=${STATE_KEY}`);
    const result = await startSession();
    expect(result).toEqual({ kind: 'auth-error', error: 'access_denied', description: 'The user declined' });
    expect(tokenRequests).toHaveLength(0);
  });

  it('says the app was not launched when opened directly', async () => {
    openAt('/');
    expect(await startSession()).toEqual({ kind: 'no-launch' });
  });

  it('treats a state it never issued as an ended session', async () => {
    openAt('/?code=code-1&state=unknown-state');
    expect(await startSession()).toEqual({ kind: 'expired', message: SESSION_EXPIRED_MESSAGE });
    expect(tokenRequests).toHaveLength(0);
  });

  it('treats a reload after the token expired as an ended session', async () => {
    storeAuthorizeState({
      tokenResponse: { access_token: 'old-token', patient: 'p1' },
      expiresAt: Math.floor(Date.now() / 1000) - 60,
    });
    openAt('/');
    loadedBy('reload');
    expect(await startSession()).toEqual({ kind: 'expired', message: SESSION_EXPIRED_MESSAGE });
  });

  it('resumes a reload while the token is still valid', async () => {
    storeAuthorizeState({
      tokenResponse: { access_token: 'token-1', patient: 'p1', scope: 'launch patient/Patient.read' },
      expiresAt: Math.floor(Date.now() / 1000) + 600,
    });
    openAt('/');
    loadedBy('reload');
    expect(await startSession()).toMatchObject({ kind: 'ready', patientId: 'p1' });
    expect(tokenRequests).toHaveLength(0);
  });

  it('forgets the stored session when the app page is opened again without a launch (not a reload), and asks for a launch', async () => {
    for (const type of ['navigate', 'back_forward']) {
      resetSessionForTests();
      storeAuthorizeState({
        tokenResponse: { access_token: 'token-1', refresh_token: 'refresh-1', patient: 'p1', scope: 'launch patient/Patient.read online_access' },
        expiresAt: Math.floor(Date.now() / 1000) + 600,
      });
      openAt('/');
      vi.restoreAllMocks();
      loadedBy(type);
      expect(await startSession(), type).toEqual({ kind: 'no-launch' });
      expect(sessionStorage.length, type).toBe(0);
    }
    expect(tokenRequests).toHaveLength(0);
  });

  it('tells a reload from any other arrival, and says "not a reload" when the browser cannot tell', () => {
    const entries = (type?: string) => ({ getEntriesByType: () => (type ? [{ type }] : []) }) as unknown as Performance;
    expect(openedByReload(entries('reload'))).toBe(true);
    expect(openedByReload(entries('navigate'))).toBe(false);
    expect(openedByReload(entries('back_forward'))).toBe(false);
    expect(openedByReload(entries())).toBe(false);
    expect(openedByReload(undefined)).toBe(false);
  });

  it('treats a stale or reused code as an ended session', async () => {
    tokenAnswer = () => HttpResponse.json({ error: 'invalid_grant', error_description: 'Code expired' }, { status: 400 });
    storeAuthorizeState();
    openAt(`/?code=code-1&state=${STATE_KEY}`);
    expect(await startSession()).toEqual({ kind: 'expired', message: SESSION_EXPIRED_MESSAGE });
  });

  it('fails with a message when the token endpoint is broken', async () => {
    tokenAnswer = () => new HttpResponse('upstream down', { status: 502, headers: { 'content-type': 'text/plain' } });
    storeAuthorizeState();
    openAt(`/?code=code-1&state=${STATE_KEY}`);
    const result = await startSession();
    expect(result.kind).toBe('failed');
    expect(result.kind === 'failed' && result.message).toMatch(/^Sign-in could not be completed: 502/);
  });

  it('fails when the EHR gives no patient', async () => {
    tokenAnswer = () => HttpResponse.json({ access_token: 'token-1', expires_in: 3600 });
    storeAuthorizeState();
    openAt(`/?code=code-1&state=${STATE_KEY}`);
    const result = await startSession();
    expect(result.kind).toBe('failed');
    expect(result.kind === 'failed' && result.message).toMatch(/which patient/);
  });

  it("keeps the whole cause of a refused token request (it is on the third line of fhirclient's error)", async () => {
    tokenAnswer = () => HttpResponse.json({ error: 'invalid_client', error_description: 'Simulated invalid client error' }, { status: 401 });
    storeAuthorizeState();
    openAt(`/?code=code-1&state=${STATE_KEY}`);
    const result = await startSession();
    expect(result).toEqual({ kind: 'failed', message: 'Sign-in could not be completed: 401 Unauthorized — invalid_client: Simulated invalid client error' });
  });
});

describe('error answers from the authorization server', () => {
  it('shows no description when the state is not a launch this tab started, and never an odd error code', async () => {
    openAt(`/?error=access_denied&error_description=${encodeURIComponent('Call 555-0100 now: your account is locked')}&state=forged`);
    expect(await startSession()).toEqual({ kind: 'auth-error', error: 'access_denied', unverified: true });
    resetSessionForTests();
    openAt(`/?error=${encodeURIComponent('<b>Call us</b>')}&error_description=x`);
    expect(await startSession()).toEqual({ kind: 'auth-error', error: 'unknown_error', unverified: true });
  });

  it('caps a matched description at 300 characters', async () => {
    storeAuthorizeState();
    openAt(`/?error=server_error&error_description=${'a'.repeat(5000)}&state=${STATE_KEY}`);
    const result = await startSession();
    expect(result.kind === 'auth-error' && result.description).toBe(`${'a'.repeat(299)}…`);
  });
});

describe('clearStoredSession', () => {
  it('removes fhirclient\'s keys (the pointer, the state with token and verifier) and nothing else', () => {
    storeAuthorizeState({ tokenResponse: { access_token: 'secret-token', patient: 'p1' } });
    sessionStorage.setItem('older-state', JSON.stringify({ key: 'older-state', serverUrl: SERVER, codeVerifier: 'v' }));
    sessionStorage.setItem('unrelated', 'kept');
    clearStoredSession();
    expect(Object.keys(sessionStorage).sort()).toEqual(['unrelated']);
  });
});
