import { createPublicKey, createVerify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server';
import {
  CLIENT_ID,
  authorize,
  authorizeParams,
  ehrLaunchToken,
  exchange,
  fhirGet,
  pkce,
  redirectParams,
} from './helpers';

let sandbox: SandboxHandle;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, app: false, samples: false, quiet: true });
});
afterAll(async () => {
  await sandbox?.close();
});

describe('discovery', () => {
  it('publishes the SMART configuration a public PKCE client needs', async () => {
    const { status, body } = await fhirGet(`${sandbox.fhirBase}/.well-known/smart-configuration`);
    expect(status).toBe(200);
    expect(body.authorization_endpoint).toBe(`${sandbox.origin}/auth/authorize`);
    expect(body.token_endpoint).toBe(`${sandbox.origin}/auth/token`);
    expect(body.code_challenge_methods_supported).toEqual(['S256']);
    expect(body.capabilities).toEqual(
      expect.arrayContaining([
        'launch-ehr',
        'launch-standalone',
        'client-public',
        'context-ehr-patient',
        'context-standalone-patient',
        'context-banner',
        'permission-v1',
        'permission-v2',
        'permission-patient',
        'sso-openid-connect',
      ]),
    );
    expect(body.scopes_supported).toEqual(expect.arrayContaining(['launch', 'launch/patient', 'patient/*.read']));
    expect(body.scopes_supported).toEqual(expect.arrayContaining(['patient/ServiceRequest.read', 'patient/ServiceRequest.rs']));
  });

  it('serves a CapabilityStatement with the oauth-uris extension without a token', async () => {
    const { status, body } = await fhirGet(`${sandbox.fhirBase}/metadata`);
    expect(status).toBe(200);
    expect(body.resourceType).toBe('CapabilityStatement');
    const ext = body.rest[0].security.extension.find((e: any) => e.url.endsWith('/oauth-uris'));
    const uris = Object.fromEntries(ext.extension.map((e: any) => [e.url, e.valueUri]));
    expect(uris).toEqual({ authorize: `${sandbox.origin}/auth/authorize`, token: `${sandbox.origin}/auth/token` });
  });
});

describe('authorize endpoint', () => {
  const launchParams = () => ({ launch: sandbox.createLaunch('scn-ready') });

  it('redirects back with invalid_request and the state when PKCE is missing', async () => {
    const { challenge } = pkce();
    const res = await authorize(
      sandbox,
      authorizeParams(sandbox, challenge, { ...launchParams(), code_challenge: undefined, code_challenge_method: undefined }),
    );
    expect(res.status).toBe(302);
    const params = redirectParams(res);
    expect(params.get('error')).toBe('invalid_request');
    expect(params.get('error_description')).toMatch(/code_challenge/);
    expect(params.get('state')).toBe('state-123');
    expect(params.get('code')).toBeNull();
  });

  it('refuses the plain PKCE method', async () => {
    const { verifier } = pkce();
    const res = await authorize(
      sandbox,
      authorizeParams(sandbox, verifier, { ...launchParams(), code_challenge_method: 'plain' }),
    );
    const params = redirectParams(res);
    expect(params.get('error')).toBe('invalid_request');
    expect(params.get('error_description')).toMatch(/S256/);
  });

  it('does not redirect to a redirect_uri on another origin', async () => {
    const { challenge } = pkce();
    const res = await authorize(
      sandbox,
      authorizeParams(sandbox, challenge, { ...launchParams(), redirect_uri: 'http://127.0.0.2:9/steal' }),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('invalid_request');
  });

  it('shows an unknown client id an error page and never redirects it (RFC 6749 §4.1.2.1)', async () => {
    const { challenge } = pkce();
    const res = await authorize(sandbox, authorizeParams(sandbox, challenge, { ...launchParams(), client_id: 'someone-else' }));
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('unauthorized_client');
  });

  it('accepts the dev client id too', async () => {
    const { challenge } = pkce();
    const res = await authorize(sandbox, authorizeParams(sandbox, challenge, { ...launchParams(), client_id: 'jak-readiness-dev' }));
    expect(redirectParams(res).get('code')).toBeTruthy();
  });

  it('refuses an unknown launch id and a wrong audience', async () => {
    const { challenge } = pkce();
    const unknown = await authorize(sandbox, authorizeParams(sandbox, challenge, { launch: 'no-such-launch' }));
    expect(redirectParams(unknown).get('error')).toBe('invalid_request');
    const wrongAud = await authorize(
      sandbox,
      authorizeParams(sandbox, challenge, { ...launchParams(), aud: 'http://127.0.0.1:1/other/fhir' }),
    );
    expect(redirectParams(wrongAud).get('error')).toBe('invalid_request');
  });

  it('requires state', async () => {
    const { challenge } = pkce();
    const res = await authorize(sandbox, authorizeParams(sandbox, challenge, { ...launchParams(), state: undefined }));
    expect(redirectParams(res).get('error')).toBe('invalid_request');
  });
});

describe('code exchange', () => {
  async function codeFor(patient = 'scn-ready', scope?: string) {
    const { verifier, challenge } = pkce();
    const launch = sandbox.createLaunch(patient);
    const res = await authorize(sandbox, authorizeParams(sandbox, challenge, { launch, ...(scope ? { scope } : {}) }));
    return { code: redirectParams(res).get('code') as string, verifier };
  }
  const tokenFields = (code: string, verifier: string) => ({
    grant_type: 'authorization_code',
    code,
    redirect_uri: `${sandbox.origin}/`,
    client_id: CLIENT_ID,
    code_verifier: verifier,
  });

  it('returns a bearer token with the launch patient for a correct S256 verifier', async () => {
    const { code, verifier } = await codeFor('scn-low-neutrophils', 'launch openid fhirUser patient/*.read patient/Bogus.read nonsense');
    const { status, body } = await exchange(sandbox, tokenFields(code, verifier));
    expect(status).toBe(200);
    expect(body.token_type).toBe('Bearer');
    expect(body.access_token).toEqual(expect.any(String));
    expect(body.expires_in).toBe(3600);
    expect(body.patient).toBe('scn-low-neutrophils');
    // The EHR shows its own banner around the sidebar.
    expect(body.need_patient_banner).toBe(false);
    expect(body.scope).toBe('launch openid fhirUser patient/*.read');

    const patient = await fhirGet(`${sandbox.fhirBase}/Patient/scn-low-neutrophils`, body.access_token);
    expect(patient.status).toBe(200);
    expect(patient.body.id).toBe('scn-low-neutrophils');
  });

  it('signs an id_token whose fhirUser the JWKS verifies', async () => {
    const { code, verifier } = await codeFor();
    const { body } = await exchange(sandbox, tokenFields(code, verifier));
    const [header, payload, signature] = (body.id_token as string).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expect(claims.aud).toBe(CLIENT_ID);
    expect(claims.fhirUser).toBe(`${sandbox.fhirBase}/Practitioner/sandbox-clinician`);
    const jwks = await fetch(`${sandbox.origin}/auth/jwks`).then((r) => r.json());
    const key = createPublicKey({ key: jwks.keys[0], format: 'jwk' });
    const ok = createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(key, Buffer.from(signature, 'base64url'));
    expect(ok).toBe(true);
  });

  it('refuses a wrong code_verifier', async () => {
    const { code } = await codeFor();
    const { status, body } = await exchange(sandbox, tokenFields(code, pkce().verifier));
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_grant');
    expect(body.access_token).toBeUndefined();
  });

  it('refuses a code used twice', async () => {
    const { code, verifier } = await codeFor();
    expect((await exchange(sandbox, tokenFields(code, verifier))).status).toBe(200);
    const again = await exchange(sandbox, tokenFields(code, verifier));
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
  });

  it('refuses a redirect_uri different from the one authorized', async () => {
    const { code, verifier } = await codeFor();
    const { status, body } = await exchange(sandbox, { ...tokenFields(code, verifier), redirect_uri: `${sandbox.origin}/other` });
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_grant');
  });

  it('issues a refresh token for offline_access and honours it once', async () => {
    const { code, verifier } = await codeFor('scn-ready', 'launch patient/*.read offline_access');
    const first = await exchange(sandbox, tokenFields(code, verifier));
    expect(first.body.refresh_token).toEqual(expect.any(String));
    const refreshed = await exchange(sandbox, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token, client_id: CLIENT_ID });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.patient).toBe('scn-ready');
    const reused = await exchange(sandbox, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token, client_id: CLIENT_ID });
    expect(reused.body.error).toBe('invalid_grant');
  });
});

describe('standalone launch', () => {
  it('shows an escaped patient picker, then issues a code for the chosen patient with a banner request', async () => {
    const { verifier, challenge } = pkce();
    const params = authorizeParams(sandbox, challenge, { scope: 'launch/patient patient/*.read', state: '"><script>x</script>' });
    const picker = await authorize(sandbox, params);
    expect(picker.status).toBe(200);
    const page = await picker.text();
    expect(page).toContain('value="scn-pregnant"');
    expect(page).toContain('Pregnant, about 10 weeks');
    expect(page).not.toContain('<script>x</script>');
    expect(page).toContain('&quot;&gt;&lt;script&gt;');

    const form = new URLSearchParams(params);
    form.set('sandbox_patient', 'scn-pregnant');
    const picked = await fetch(`${sandbox.origin}/auth/authorize`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form,
      redirect: 'manual',
    });
    const back = redirectParams(picked);
    expect(back.get('state')).toBe('"><script>x</script>');
    const { body } = await exchange(sandbox, {
      grant_type: 'authorization_code',
      code: back.get('code') as string,
      redirect_uri: `${sandbox.origin}/`,
      client_id: CLIENT_ID,
      code_verifier: verifier,
    });
    expect(body.patient).toBe('scn-pregnant');
    expect(body.need_patient_banner).toBe(true);
  });
});

describe('token lifetime', () => {
  it('answers 401 once the access token has expired', async () => {
    const shortLived = await startSandbox({ port: 0, app: false, samples: false, quiet: true, tokenTtlSeconds: 0 });
    try {
      const token = await ehrLaunchToken(shortLived, 'scn-ready');
      expect(token.expires_in).toBe(0);
      const res = await fhirGet(`${shortLived.fhirBase}/Patient/scn-ready`, token.access_token);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/invalid_token/);
      expect(res.body.resourceType).toBe('OperationOutcome');
    } finally {
      await shortLived.close();
    }
  });
});
