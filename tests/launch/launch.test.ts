import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import BrowserAdapter from 'fhirclient/lib/adapters/BrowserAdapter';
import type { fhirclient } from 'fhirclient/lib/types';
import { beginLaunch, type LaunchEnvironment } from '../../src/fhir/launch';
import { renderLaunchMessage } from '../../launch/render';

const APP = 'http://localhost:3000/';
const CONFIG_URL = 'http://localhost:3000/smart-config.json';

let config: unknown;
const server = setupServer(
  http.get(CONFIG_URL, () => (config === undefined ? new HttpResponse(null, { status: 404 }) : HttpResponse.json(config))),
);

/** A SMART server's metadata; each test uses its own iss because fhirclient caches it per page. */
function smartServer(iss: string, extra: Record<string, unknown> = {}) {
  server.use(
    http.get(`${iss}/.well-known/smart-configuration`, () =>
      HttpResponse.json({
        authorization_endpoint: `${iss}/auth/authorize`,
        token_endpoint: `${iss}/auth/token`,
        code_challenge_methods_supported: ['S256'],
        capabilities: ['launch-ehr', 'launch-standalone', 'client-public', 'permission-v1'],
        ...extra,
      }),
    ),
  );
}

let redirects: URL[] = [];

function environment(query: string, overrides: LaunchEnvironment['overrides'] = {}): LaunchEnvironment {
  return {
    url: new URL(`http://localhost:3000/launch/${query}`),
    appUrl: APP,
    configUrl: CONFIG_URL,
    overrides,
    fetch: (input, init) => fetch(input, init),
    // The real fhirclient authorize, stopped just before it navigates away.
    authorize: async (params: fhirclient.AuthorizeParams) => {
      const target = await new BrowserAdapter().getSmartApi().authorize({ ...params, noRedirect: true });
      redirects.push(new URL(String(target)));
    },
  };
}

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  config = undefined;
  redirects = [];
  sessionStorage.clear();
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('beginLaunch', () => {
  it('starts an EHR launch with PKCE S256, the launch code and v1 scopes', async () => {
    const iss = 'http://127.0.0.1:9001/fhir';
    smartServer(iss);
    const outcome = await beginLaunch(environment(`?iss=${encodeURIComponent(iss)}&launch=abc123`));

    expect(outcome.kind).toBe('redirecting');
    const redirect = redirects[0]!;
    expect(redirect.origin + redirect.pathname).toBe(`${iss}/auth/authorize`);
    const params = redirect.searchParams;
    expect(params.get('client_id')).toBe('jak-readiness');
    expect(params.get('launch')).toBe('abc123');
    expect(params.get('aud')).toBe(iss);
    expect(params.get('redirect_uri')).toBe(APP);
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('state')).toBeTruthy();
    const scopes = params.get('scope')!.split(' ');
    expect(scopes).toContain('launch');
    expect(scopes).toContain('patient/Observation.read');
    expect(scopes).not.toContain('launch/patient');
    // fhirclient keeps the PKCE verifier and endpoints for the redirect page.
    const stored = JSON.parse(sessionStorage.getItem(params.get('state')!)!);
    expect(stored.codeVerifier).toBeTruthy();
    expect(stored.tokenUri).toBe(`${iss}/auth/token`);
  });

  it('uses SMART v2 scopes when the server advertises permission-v2, and launch/patient standalone', async () => {
    const iss = 'http://127.0.0.1:9002/fhir';
    smartServer(iss, { capabilities: ['launch-standalone', 'permission-v2'] });
    await beginLaunch(environment(`?iss=${encodeURIComponent(iss)}`));
    const scopes = redirects[0]!.searchParams.get('scope')!.split(' ');
    expect(scopes).toContain('launch/patient');
    expect(scopes).toContain('patient/Observation.rs');
    expect(scopes).not.toContain('launch');
    expect(redirects[0]!.searchParams.has('launch')).toBe(false);
  });

  it('refuses a server that does not support PKCE S256', async () => {
    const iss = 'http://127.0.0.1:9003/fhir';
    smartServer(iss, { code_challenge_methods_supported: ['plain'] });
    const outcome = await beginLaunch(environment(`?iss=${encodeURIComponent(iss)}&launch=x`));
    expect(outcome.kind).toBe('error');
    expect(outcome.kind === 'error' && outcome.message).toMatch(/PKCE/);
    expect(redirects).toHaveLength(0);
  });

  it('takes client id, scopes and redirect URI from the entry for this iss', async () => {
    const iss = 'http://127.0.0.1:9004/fhir';
    smartServer(iss);
    config = {
      clientId: 'default-client',
      issuers: { [`${iss}/`]: { clientId: 'site-client', scopes: 'openid patient/*.read', redirectUri: 'http://localhost:3000/app/' } },
    };
    await beginLaunch(environment(`?iss=${encodeURIComponent(iss)}&launch=x`, { clientId: 'env-client' }));
    const params = redirects[0]!.searchParams;
    expect(params.get('client_id')).toBe('site-client');
    expect(params.get('scope')).toBe('launch openid patient/*.read');
    expect(params.get('redirect_uri')).toBe('http://localhost:3000/app/');
  });

  it('asks for the write scopes a site turned on, in the server\'s scope syntax, and none otherwise', async () => {
    const iss = 'http://127.0.0.1:9014/fhir';
    smartServer(iss, { capabilities: ['launch-ehr', 'permission-v2'] });
    config = { writeBack: { orderLabs: true, saveNote: true, webMessaging: true } };
    await beginLaunch(environment(`?iss=${encodeURIComponent(iss)}&launch=x`));
    const scopes = redirects[0]!.searchParams.get('scope')!.split(' ');
    expect(scopes).toEqual(expect.arrayContaining(['patient/ServiceRequest.c', 'patient/DocumentReference.c', 'messaging/scratchpad', 'patient/Observation.rs']));

    const plain = 'http://127.0.0.1:9015/fhir';
    smartServer(plain);
    config = { writeBack: { orderLabs: false } };
    await beginLaunch(environment(`?iss=${encodeURIComponent(plain)}&launch=x`));
    expect(redirects[1]!.searchParams.get('scope')).not.toMatch(/ServiceRequest|DocumentReference|messaging/);
  });

  it('adds the write scopes to scopes an EHR entry configures', async () => {
    const iss = 'http://127.0.0.1:9016/fhir';
    smartServer(iss);
    config = { issuers: { [iss]: { clientId: 'c', scopes: 'openid patient/*.read', writeBack: { saveNote: true } } } };
    await beginLaunch(environment(`?iss=${encodeURIComponent(iss)}&launch=x`));
    expect(redirects[0]!.searchParams.get('scope')).toBe('launch openid patient/*.read patient/DocumentReference.write');
  });

  it('lets the build-time client id override the file default', async () => {
    const iss = 'http://127.0.0.1:9005/fhir';
    smartServer(iss);
    config = { clientId: 'default-client' };
    await beginLaunch(environment(`?iss=${encodeURIComponent(iss)}&launch=x`, { clientId: 'env-client', scopes: 'patient/Patient.read' }));
    expect(redirects[0]!.searchParams.get('client_id')).toBe('env-client');
    expect(redirects[0]!.searchParams.get('scope')).toBe('launch patient/Patient.read');
  });

  it('refuses an unlisted server when the site restricts launches', async () => {
    config = { restrictToListedIssuers: true, issuers: { 'https://ehr.example.org/fhir': { clientId: 'a' } } };
    const outcome = await beginLaunch(environment('?iss=http%3A%2F%2F127.0.0.1%3A9006%2Ffhir&launch=x'));
    expect(outcome).toEqual({ kind: 'error', message: 'This app is not set up for the FHIR server http://127.0.0.1:9006/fhir.' });
  });

  it('refuses a plain-http server that is not on this machine', async () => {
    const outcome = await beginLaunch(environment('?iss=http%3A%2F%2Fehr.example.org%2Ffhir&launch=x'));
    expect(outcome.kind).toBe('error');
    expect(outcome.kind === 'error' && outcome.message).toMatch(/https/);
  });

  it('explains a broken configuration file', async () => {
    config = { issuers: { 'https://ehr.example.org/fhir': { scopes: 'x' } } };
    const outcome = await beginLaunch(environment('?iss=https%3A%2F%2Fehr.example.org%2Ffhir&launch=x'));
    expect(outcome.kind === 'error' && outcome.message).toMatch(/launch configuration is broken/);
  });

  it('needs an iss and says so', async () => {
    expect(await beginLaunch(environment(''))).toEqual({ kind: 'no-launch' });
    const launchOnly = await beginLaunch(environment('?launch=abc'));
    expect(launchOnly.kind === 'error' && launchOnly.message).toMatch(/no FHIR server address/);
  });
});

describe('launch page messages', () => {
  it('explains how to launch and links to the sandbox EHR in development', () => {
    const root = document.createElement('main');
    renderLaunchMessage(root, { kind: 'no-launch', sandboxUrl: 'http://localhost:3000/ehr/' });
    expect(root.textContent).toMatch(/Open this app from a patient’s chart/);
    expect(root.querySelector('a')?.getAttribute('href')).toBe('http://localhost:3000/ehr/');
  });

  it('has no sandbox link outside development', () => {
    const root = document.createElement('main');
    renderLaunchMessage(root, { kind: 'no-launch' });
    expect(root.querySelector('a')).toBeNull();
  });

  it('shows an error message as text, never as markup', () => {
    const root = document.createElement('main');
    renderLaunchMessage(root, { kind: 'error', message: 'Bad iss "<img src=x onerror=alert(1)>"' });
    expect(root.querySelector('img')).toBeNull();
    expect(root.textContent).toContain('<img src=x onerror=alert(1)>');
  });
});
