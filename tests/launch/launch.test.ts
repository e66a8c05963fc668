import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import BrowserAdapter from 'fhirclient/lib/adapters/BrowserAdapter';
import type { fhirclient } from 'fhirclient/lib/types';
import { parseSmartConfig } from '../../src/fhir/smart-config';
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

/** smart-config.json listing these FHIR servers (launches are for listed servers only). */
function listing(...issuers: string[]): Record<string, unknown> {
  return { issuers: Object.fromEntries(issuers.map((iss) => [iss, {}])) };
}

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
    config = listing(iss);
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
    config = listing(iss);
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
    config = listing(iss);
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
    config = { issuers: { [iss]: {} }, writeBack: { orderLabs: true, saveNote: true, webMessaging: true } };
    await beginLaunch(environment(`?iss=${encodeURIComponent(iss)}&launch=x`));
    const scopes = redirects[0]!.searchParams.get('scope')!.split(' ');
    expect(scopes).toEqual(expect.arrayContaining(['patient/ServiceRequest.c', 'patient/DocumentReference.c', 'messaging/scratchpad', 'patient/Observation.rs']));

    const plain = 'http://127.0.0.1:9015/fhir';
    smartServer(plain);
    config = { issuers: { [plain]: {} }, writeBack: { orderLabs: false } };
    await beginLaunch(environment(`?iss=${encodeURIComponent(plain)}&launch=x`));
    // Reading the orders already placed is asked for (issue 18); writing them is not.
    expect(redirects[1]!.searchParams.get('scope')).toContain('patient/ServiceRequest.read');
    expect(redirects[1]!.searchParams.get('scope')).not.toMatch(/ServiceRequest\.(c|write)\b|DocumentReference|messaging/);
  });

  it('adds the write scopes to scopes an EHR entry configures', async () => {
    const iss = 'http://127.0.0.1:9016/fhir';
    smartServer(iss);
    config = { issuers: { [iss]: { clientId: 'c', scopes: 'openid patient/*.read', writeBack: { saveNote: true } } } };
    await beginLaunch(environment(`?iss=${encodeURIComponent(iss)}&launch=x`));
    expect(redirects[0]!.searchParams.get('scope')).toBe('launch openid patient/*.read patient/DocumentReference.write');
  });

  it('never asks for writes the site turned off, even when an EHR entry\'s scopes name them', async () => {
    const iss = 'http://127.0.0.1:9017/fhir';
    smartServer(iss);
    config = {
      issuers: { [iss]: { clientId: 'c', scopes: 'openid patient/*.* patient/ServiceRequest.write patient/DocumentReference.write', writeBack: { orderLabs: false, saveNote: false } } },
    };
    await beginLaunch(environment(`?iss=${encodeURIComponent(iss)}&launch=x`));
    expect(redirects[0]!.searchParams.get('scope')).toBe('launch openid patient/*.read');
  });

  it('as shipped, public/smart-config.json lists no FHIR server, and a launch says how to add one', async () => {
    const shipped = JSON.parse(readFileSync(join(process.cwd(), 'public', 'smart-config.json'), 'utf8')) as Record<string, unknown>;
    expect(parseSmartConfig(shipped).issuers).toEqual({});
    config = shipped;
    const iss = 'https://fhir.example.org/r4';
    const outcome = await beginLaunch(environment(`?iss=${encodeURIComponent(iss)}&launch=x`));
    expect(outcome.kind).toBe('error');
    const message = (outcome as { message: string }).message;
    expect(message).toContain(`This app is not set up for the FHIR server ${iss}, nor for any other yet`);
    expect(message).toContain('smart-config.json');
    expect(message).toContain(`"issuers": { "${iss}": { "clientId": "…" } }`);
    expect(redirects).toHaveLength(0);
  });

  it('lets the build-time client id override the file default', async () => {
    const iss = 'http://127.0.0.1:9005/fhir';
    smartServer(iss);
    config = { clientId: 'default-client', ...listing(iss) };
    await beginLaunch(environment(`?iss=${encodeURIComponent(iss)}&launch=x`, { clientId: 'env-client', scopes: 'patient/Patient.read' }));
    expect(redirects[0]!.searchParams.get('client_id')).toBe('env-client');
    expect(redirects[0]!.searchParams.get('scope')).toBe('launch patient/Patient.read');
  });

  it('refuses a server smart-config.json does not list, naming it and saying how to add it', async () => {
    config = { issuers: { 'https://ehr.example.org/fhir': { clientId: 'a' } } };
    const outcome = await beginLaunch(environment('?iss=http%3A%2F%2F127.0.0.1%3A9006%2Ffhir&launch=x'));
    expect(outcome.kind).toBe('error');
    const message = outcome.kind === 'error' ? outcome.message : '';
    expect(message).toMatch(/^This app is not set up for the FHIR server http:\/\/127\.0\.0\.1:9006\/fhir\./);
    expect(message).toContain('"issuers": { "http://127.0.0.1:9006/fhir": { "clientId": "…" } }');
    expect(redirects).toHaveLength(0);
  });

  it('refuses every server when there is no smart-config.json at all (listed servers only is the default)', async () => {
    const outcome = await beginLaunch(environment('?iss=https%3A%2F%2Fattacker.example%2Ffhir&launch=x'));
    expect(outcome.kind === 'error' && outcome.message).toMatch(/not set up for the FHIR server https:\/\/attacker\.example\/fhir/);
    expect(redirects).toHaveLength(0);
  });

  it('honours restrictToListedIssuers: false in development builds only', async () => {
    const iss = 'http://127.0.0.1:9010/fhir';
    smartServer(iss);
    config = { restrictToListedIssuers: false };
    const production = await beginLaunch({ ...environment(`?iss=${encodeURIComponent(iss)}&launch=x`), production: true });
    expect(production.kind === 'error' && production.message).toMatch(/not set up for the FHIR server/);
    expect(redirects).toHaveLength(0);
    expect((await beginLaunch(environment(`?iss=${encodeURIComponent(iss)}&launch=x`))).kind).toBe('redirecting');
  });

  it.each(['clientId', 'patientId', 'fhirServiceUrl'])('refuses a launch link carrying %s (fhirclient would obey it)', async (name) => {
    const iss = 'http://127.0.0.1:9011/fhir';
    smartServer(iss);
    config = listing(iss);
    const outcome = await beginLaunch(environment(`?iss=${encodeURIComponent(iss)}&launch=x&${name}=evil`));
    expect(outcome.kind === 'error' && outcome.message).toMatch(new RegExp(`The launch link carries ${name}, which this app does not accept`));
    expect(redirects).toHaveLength(0);
    expect(sessionStorage.length).toBe(0);
  });

  it('asks for online_access when the server advertises permission-online (a refresh token for a long clinic)', async () => {
    const iss = 'http://127.0.0.1:9012/fhir';
    smartServer(iss, { capabilities: ['launch-ehr', 'permission-v2', 'permission-online'] });
    config = listing(iss);
    await beginLaunch(environment(`?iss=${encodeURIComponent(iss)}&launch=x`));
    const scopes = redirects[0]!.searchParams.get('scope')!.split(' ');
    expect(scopes).toContain('online_access');
    expect(scopes).not.toContain('offline_access');

    const plain = 'http://127.0.0.1:9013/fhir';
    smartServer(plain);
    config = listing(plain);
    await beginLaunch(environment(`?iss=${encodeURIComponent(plain)}&launch=x`));
    expect(redirects[1]!.searchParams.get('scope')!.split(' ')).not.toContain('online_access');
  });

  it('says so, instead of hanging, when the browser blocks session storage in this frame', async () => {
    const iss = 'http://127.0.0.1:9016/fhir';
    config = listing(iss);
    const outcome = await beginLaunch({ ...environment(`?iss=${encodeURIComponent(iss)}&launch=x`), sessionStorageUsable: () => false });
    expect(outcome.kind === 'error' && outcome.message).toMatch(/storage for embedded apps is blocked/);
    expect(redirects).toHaveLength(0);
  });

  it('keeps the whole cause when sign-in cannot start', async () => {
    const iss = 'http://127.0.0.1:9014/fhir';
    config = listing(iss);
    server.use(
      http.get(`${iss}/.well-known/smart-configuration`, () => HttpResponse.json({ error: 'invalid_client', error_description: 'Simulated invalid client error' }, { status: 401 })),
      http.get(`${iss}/metadata`, () => HttpResponse.json({ error: 'invalid_client', error_description: 'Simulated invalid client error' }, { status: 401 })),
    );
    const outcome = await beginLaunch(environment(`?iss=${encodeURIComponent(iss)}&launch=x`));
    expect(outcome.kind === 'error' && outcome.message).toMatch(/invalid_client: Simulated invalid client error/);
  });

  it('refuses a plain-http server that is not on this machine', async () => {
    config = listing('http://ehr.example.org/fhir');
    const outcome = await beginLaunch(environment('?iss=http%3A%2F%2Fehr.example.org%2Ffhir&launch=x'));
    expect(outcome.kind).toBe('error');
    expect(outcome.kind === 'error' && outcome.message).toMatch(/https/);
  });

  it('explains a broken configuration file', async () => {
    config = { issuers: { 'https://ehr.example.org/fhir': { scopes: 5 } } };
    const outcome = await beginLaunch(environment('?iss=https%3A%2F%2Fehr.example.org%2Ffhir&launch=x'));
    expect(outcome.kind === 'error' && outcome.message).toMatch(/launch configuration is broken/);
  });

  it('needs an iss and says so', async () => {
    config = listing('http://127.0.0.1:9015/fhir');
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
