/**
 * The sandbox EHR is a local server with real tokens and patient-shaped data: it answers only to
 * its own loopback names, grants only what the registered client may have, redirects only to
 * exact registered URIs, never off-site, and speaks CORS only to its own loopback pages.
 */
import { request as httpRequest } from 'node:http';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server';
import { grantScopes } from '../../src/sandbox/scopes';
import { REGISTERED_CLIENTS, type ClientRegistration } from '../../src/sandbox/clients';
import { CLIENT_ID, authorize, authorizeParams, exchange, fhirGet, pkce, redirectParams } from './helpers';

let sandbox: SandboxHandle;
let port: number;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, app: false, samples: false, quiet: true });
  port = Number(new URL(sandbox.origin).port);
});
afterAll(async () => {
  await sandbox?.close();
});

/** A raw HTTP request with any Host header (fetch does not let a caller choose it). */
function raw(path: string, host: string, method = 'GET'): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers: { Host: host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Host header (DNS rebinding)', () => {
  it.each(['/ehr/', '/fhir/metadata', '/fhir/.well-known/smart-configuration', '/auth/authorize?client_id=jak-readiness', '/fhir/Patient/scn-ready'])(
    'answers 403 to Host: rebind.evil.example for %s',
    async (path) => {
      const res = await raw(path, `rebind.evil.example:${port}`);
      expect(res.status).toBe(403);
      expect(res.body).not.toContain('scn-');
    },
  );

  it('refuses a token request through a foreign Host', async () => {
    expect((await raw('/auth/token', `rebind.evil.example:${port}`, 'POST')).status).toBe(403);
  });

  it('answers to 127.0.0.1 and localhost (with or without the port)', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost', 'LOCALHOST:1']) {
      expect((await raw('/ehr/', host)).status, host).toBe(200);
    }
  });
});

describe('scopes: only what the registered client may have', () => {
  async function tokenFor(scope: string): Promise<{ scope: string; access_token: string }> {
    const { verifier, challenge } = pkce();
    const launch = sandbox.createLaunch('scn-ready');
    const code = redirectParams(await authorize(sandbox, authorizeParams(sandbox, challenge, { launch, scope }))).get('code')!;
    const { body } = await exchange(sandbox, { grant_type: 'authorization_code', code, redirect_uri: `${sandbox.origin}/`, client_id: CLIENT_ID, code_verifier: verifier });
    return body;
  }

  it('never grants system/ or write scopes to the read-only app, and narrows broad ones to read', async () => {
    const token = await tokenFor('launch openid system/*.* user/*.write patient/*.* patient/Observation.cruds patient/Condition.rs user/Practitioner.read');
    // user/ scopes are none of a patient launch's business: dropped (see "compartment" below),
    // except reading the signed-in user's own Practitioner record ("printed by").
    expect(token.scope).toBe('launch openid patient/*.read patient/Observation.rs patient/Condition.rs user/Practitioner.read');
  });

  it('so a DELETE, a create and a system-wide search with that token are refused', async () => {
    const { access_token: token } = await tokenFor('launch system/*.* patient/*.*');
    const del = await fetch(`${sandbox.fhirBase}/Patient/scn-ready`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
    expect(del.status).toBe(403);
    const create = await fetch(`${sandbox.fhirBase}/Observation`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: 'Patient/scn-ready' } }),
    });
    expect(create.status).toBe(403);
    expect((await fhirGet(`${sandbox.fhirBase}/Patient/scn-ready`, token)).status).toBe(200);
    expect((await fhirGet(`${sandbox.fhirBase}/Patient/scn-ready`, token)).body.id).toBe('scn-ready');
  });

  it('grants create on the types a client is registered to write (the app\'s lab orders and note)', () => {
    const writer: ClientRegistration = { clientId: 'order-writer', read: true, create: ['ServiceRequest', 'DocumentReference'] };
    const known = new Set(['ServiceRequest', 'DocumentReference', 'Observation', 'Patient']);
    expect(grantScopes('patient/ServiceRequest.cr patient/DocumentReference.c patient/Observation.c system/ServiceRequest.c patient/ServiceRequest.cud', writer, known)).toBe(
      'patient/ServiceRequest.cr patient/DocumentReference.c patient/ServiceRequest.c',
    );
    // v1 words cover more than create: never granted in part.
    expect(grantScopes('patient/ServiceRequest.write patient/ServiceRequest.*', writer, known)).toBe('patient/ServiceRequest.read');
    // Only the app may write, and only its draft lab orders and its note.
    expect(REGISTERED_CLIENTS.filter((client) => client.create.length > 0).map((client) => [client.clientId, [...client.create]])).toEqual([
      ['jak-readiness', ['ServiceRequest', 'DocumentReference']],
    ]);
  });

  it('lets the app create its lab orders in the launch patient\'s chart when it asks for them (v2 create)', async () => {
    const token = await tokenFor('launch patient/Patient.r patient/ServiceRequest.c patient/DocumentReference.c patient/Observation.c');
    expect(token.scope).toBe('launch patient/Patient.r patient/ServiceRequest.c patient/DocumentReference.c');
    const post = (patient: string) =>
      fetch(`${sandbox.fhirBase}/ServiceRequest`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token.access_token}`, 'Content-Type': 'application/fhir+json' },
        body: JSON.stringify({ resourceType: 'ServiceRequest', status: 'draft', intent: 'order', code: { text: 'CBC' }, subject: { reference: `Patient/${patient}` } }),
      });
    expect((await post('scn-ready')).status).toBe(201);
    expect((await post('scn-pregnant')).status).toBe(403);
  });
});

describe('redirect_uri: exact match with a registered one', () => {
  const attempt = (redirectUri: string) => {
    const { challenge } = pkce();
    return authorize(sandbox, authorizeParams(sandbox, challenge, { launch: sandbox.createLaunch('scn-ready'), redirect_uri: redirectUri }));
  };

  it.each([
    ['another path on the same origin', (o: string) => `${o}/other`],
    ['a query added', (o: string) => `${o}/?next=//evil.example`],
    ['no trailing slash', (o: string) => o],
    ['another port', () => `http://127.0.0.1:${port + 1}/`],
    ['another host', () => 'http://127.0.0.2/'],
  ])('refuses %s with an error page, never a redirect', async (_name, uri) => {
    const res = await attempt(uri(sandbox.origin));
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  it('accepts the app root on either loopback name', async () => {
    for (const uri of [`http://127.0.0.1:${port}/`, `http://localhost:${port}/`]) {
      const res = await attempt(uri);
      expect(res.status, uri).toBe(302);
      expect(res.headers.get('location')!.startsWith(uri)).toBe(true);
    }
  });
});

describe('CORS for an app on another loopback site', () => {
  it('answers a preflight from a sandbox page on the other loopback name', async () => {
    const res = await fetch(`${sandbox.fhirBase}/Observation`, {
      method: 'OPTIONS',
      headers: { Origin: `http://localhost:${port}`, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(`http://localhost:${port}`);
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
  });

  it('gives no CORS access to any other origin', async () => {
    const preflight = await fetch(`${sandbox.origin}/auth/token`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' } });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const get = await fetch(`${sandbox.fhirBase}/metadata`, { headers: { Origin: 'https://evil.example' } });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('tokens: refresh, short life, no refresh', () => {
  it('with a 1 s token life, the token stops working and its refresh token gets a new one', async () => {
    const short = await startSandbox({ port: 0, app: false, samples: false, quiet: true, tokenTtlSeconds: 1 });
    try {
      const { verifier, challenge } = pkce();
      const launch = short.createLaunch('scn-ready');
      const code = redirectParams(await authorize(short, authorizeParams(short, challenge, { launch, scope: 'launch patient/*.read online_access' }))).get('code')!;
      const { body: first } = await exchange(short, { grant_type: 'authorization_code', code, redirect_uri: `${short.origin}/`, client_id: CLIENT_ID, code_verifier: verifier });
      expect(first.expires_in).toBe(1);
      expect(first.refresh_token).toEqual(expect.any(String));
      await new Promise((done) => setTimeout(done, 1200));
      expect((await fhirGet(`${short.fhirBase}/Patient/scn-ready`, first.access_token)).status).toBe(401);
      const { status, body: second } = await exchange(short, { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: CLIENT_ID });
      expect(status).toBe(200);
      expect((await fhirGet(`${short.fhirBase}/Patient/scn-ready`, second.access_token)).status).toBe(200);
    } finally {
      await short.close();
    }
  });

  it('without refresh tokens it advertises no online access and issues none', async () => {
    const plain = await startSandbox({ port: 0, app: false, samples: false, quiet: true, refreshTokens: false });
    try {
      const { body: config } = await fhirGet(`${plain.fhirBase}/.well-known/smart-configuration`);
      expect(config.capabilities).not.toContain('permission-online');
      const { verifier, challenge } = pkce();
      const launch = plain.createLaunch('scn-ready');
      const code = redirectParams(await authorize(plain, authorizeParams(plain, challenge, { launch, scope: 'launch patient/*.read online_access' }))).get('code')!;
      const { body } = await exchange(plain, { grant_type: 'authorization_code', code, redirect_uri: `${plain.origin}/`, client_id: CLIENT_ID, code_verifier: verifier });
      expect(body.refresh_token).toBeUndefined();
    } finally {
      await plain.close();
    }
  });
});

describe('launch context: the order being written', () => {
  const systemToken = () => sandbox.issueToken({ scope: 'system/*.*' });

  async function draftOrder(id: string, patient: string): Promise<void> {
    const res = await fetch(`${sandbox.fhirBase}/MedicationRequest/${id}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${systemToken()}`, 'Content-Type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'MedicationRequest', id, status: 'draft', intent: 'order', subject: { reference: `Patient/${patient}` }, medicationCodeableConcept: { text: 'upadacitinib 15 MG' } }),
    });
    expect(res.ok).toBe(true);
  }

  async function tokenForLaunch(launch: string): Promise<Record<string, unknown>> {
    const { verifier, challenge } = pkce();
    const code = redirectParams(await authorize(sandbox, authorizeParams(sandbox, challenge, { launch }))).get('code')!;
    return (await exchange(sandbox, { grant_type: 'authorization_code', code, redirect_uri: `${sandbox.origin}/`, client_id: CLIENT_ID, code_verifier: verifier })).body;
  }

  it('a chart opened with ?order=<MedicationRequest> launches with it as fhirContext', async () => {
    await draftOrder('order-ctx-1', 'scn-ready');
    const page = await (await fetch(`${sandbox.origin}/ehr/patient/scn-ready?order=order-ctx-1`)).text();
    const src = new URL(/<iframe[^>]*src="([^"]+)"/.exec(page)![1]!.replace(/&amp;/g, '&'), sandbox.origin);
    const token = await tokenForLaunch(src.searchParams.get('launch')!);
    expect(token.fhirContext).toEqual([{ reference: 'MedicationRequest/order-ctx-1' }]);
    expect(token.patient).toBe('scn-ready');
  });

  it("a CDS card's SMART link launches with the card's appContext in the token response, and drops an oversized one", async () => {
    const appContext = JSON.stringify({ therapy: 'abrocitinib', draftOrder: 'MedicationRequest/draft-1' });
    const launchOf = async (context: string) => {
      const link = await fetch(`${sandbox.origin}/ehr/cds/link`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ patientId: 'scn-ready', appContext: context }) });
      const response = await fetch(`${sandbox.origin}${((await link.json()) as { url: string }).url}`, { redirect: 'manual' });
      return new URL(response.headers.get('location')!, sandbox.origin).searchParams.get('launch')!;
    };
    const token = await tokenForLaunch(await launchOf(appContext));
    expect(token.appContext).toBe(appContext);
    expect(token.patient).toBe('scn-ready');
    expect((await tokenForLaunch(await launchOf('x'.repeat(2001)))).appContext).toBeUndefined();
  });

  it("ignores ?order= naming another patient's MedicationRequest", async () => {
    await draftOrder('order-ctx-2', 'scn-smoker');
    const page = await (await fetch(`${sandbox.origin}/ehr/patient/scn-ready?order=order-ctx-2`)).text();
    const src = new URL(/<iframe[^>]*src="([^"]+)"/.exec(page)![1]!.replace(/&amp;/g, '&'), sandbox.origin);
    expect((await tokenForLaunch(src.searchParams.get('launch')!)).fhirContext).toBeUndefined();
  });
});

describe('_summary=count', () => {
  it('answers the total without entries', async () => {
    const token = sandbox.issueToken({ scope: 'patient/*.read', patient: 'scn-ready' });
    const { body } = await fhirGet(`${sandbox.fhirBase}/Observation?patient=scn-ready&code=718-7,751-8&_summary=count`, token);
    expect(body.total).toBeGreaterThan(0);
    expect(body.entry ?? []).toEqual([]);
  });
});

describe('built-app mode', () => {
  let dist: string;
  let built: SandboxHandle;

  beforeAll(async () => {
    dist = await mkdtemp(join(tmpdir(), 'jak-dist-'));
    await mkdir(join(dist, 'launch'));
    await writeFile(join(dist, 'index.html'), '<!doctype html><title>app</title>');
    await writeFile(join(dist, 'launch', 'index.html'), '<!doctype html><title>launch</title>');
    await writeFile(join(dist, 'smart-config.json'), JSON.stringify({ issuers: { 'https://fhir.example.org/r4': { clientId: 'x' } } }));
    built = await startSandbox({ port: 0, samples: false, quiet: true, dist: true, distDir: dist });
  });
  afterAll(async () => {
    await built?.close();
    await rm(dist, { recursive: true, force: true });
  });

  it('has no open redirect: /%2Fevil.example%2F..%2Flaunch redirects to /launch/ on this origin', async () => {
    const res = await fetch(`${built.origin}/%2Fevil.example%2F..%2Flaunch`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/launch/');
  });

  it('still adds the slash to /launch and keeps the launch parameters', async () => {
    const res = await fetch(`${built.origin}/launch?iss=x&launch=y`, { redirect: 'manual' });
    expect(res.headers.get('location')).toBe('/launch/?iss=x&launch=y');
  });

  it('serves smart-config.json with its own FHIR base listed on both loopback names, and the file\'s own issuers', async () => {
    const bport = new URL(built.origin).port;
    const config = (await (await fetch(`${built.origin}/smart-config.json`)).json()) as { issuers: Record<string, { clientId: string }> };
    expect(Object.keys(config.issuers).sort()).toEqual(['http://127.0.0.1:' + bport + '/fhir', `http://localhost:${bport}/fhir`, 'https://fhir.example.org/r4'].sort());
    expect(config.issuers[`http://localhost:${bport}/fhir`]).toEqual({ clientId: 'jak-readiness' });
  });
});
