import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistHost } from '../../src/sandbox/app-host';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server';
import { CLIENT_ID, authorize, authorizeParams, exchange, pkce, redirectParams } from './helpers';

let sandbox: SandboxHandle;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, app: false, samples: false, quiet: true });
});
afterAll(async () => {
  await sandbox?.close();
});

const text = (path: string) => fetch(`${sandbox.origin}${path}`).then(async (r) => ({ status: r.status, body: await r.text(), type: r.headers.get('content-type') }));
const unescape = (s: string) => s.replace(/&amp;/g, '&');

describe('patient list', () => {
  it('lists every scenario patient with a link to the chart, and the other launches', async () => {
    const { status, body, type } = await text('/ehr/');
    expect(status).toBe(200);
    expect(type).toMatch(/text\/html/);
    for (const p of sandbox.patients) {
      expect(body).toContain(`href="/ehr/patient/${p.id}"`);
    }
    expect(body).toContain('Hartley, Amelia Rose');
    expect(body).toContain('Low neutrophils (ANC 800 /uL)');
    const standalone = `/launch/?iss=${encodeURIComponent(sandbox.fhirBase)}"`;
    expect(body).toContain(standalone);
  });

  it('offers a launch that the authorization server refuses with unauthorized_client', async () => {
    const { body } = await text('/ehr/');
    const href = /href="(\/launch\/\?[^"]*client_id=[^"]*)"/.exec(body)?.[1];
    expect(href).toBeDefined();
    const launch = new URL(unescape(href!), sandbox.origin).searchParams;
    const { challenge } = pkce();
    const res = await authorize(
      sandbox,
      authorizeParams(sandbox, challenge, { launch: launch.get('launch') ?? '', client_id: launch.get('client_id') ?? CLIENT_ID }),
    );
    // An unregistered client id gets an error page, never a redirect to its redirect_uri.
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('unauthorized_client');
    // The app's registered client id is refused for this launch (the app never passes client_id on).
    const registered = await authorize(sandbox, authorizeParams(sandbox, challenge, { launch: launch.get('launch') ?? '' }));
    expect(redirectParams(registered).get('error')).toBe('unauthorized_client');
  });
});

describe('chart page', () => {
  it('shows the chart and embeds the app through a working SMART EHR launch', async () => {
    const { status, body } = await text('/ehr/patient/scn-low-neutrophils');
    expect(status).toBe(200);
    expect(body).toContain('Whitfield, Grace');
    expect(body).toContain('Atopic dermatitis');
    expect(body).toContain('800 cells/uL');
    const src = /<iframe[^>]*src="([^"]+)"/.exec(body)?.[1];
    expect(src).toBeDefined();
    const iframe = new URL(unescape(src!), sandbox.origin);
    expect(iframe.pathname).toBe('/launch/');
    expect(iframe.searchParams.get('iss')).toBe(sandbox.fhirBase);
    expect(/<iframe[^>]*style="width:400px"/.test(body)).toBe(true);
    for (const w of [320, 360, 480]) expect(body).toContain(`data-width="${w}"`);

    const { verifier, challenge } = pkce();
    const res = await authorize(sandbox, authorizeParams(sandbox, challenge, { launch: iframe.searchParams.get('launch') ?? '' }));
    const code = redirectParams(res).get('code') as string;
    const token = await exchange(sandbox, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: `${sandbox.origin}/`,
      client_id: CLIENT_ID,
      code_verifier: verifier,
    });
    expect(token.body.patient).toBe('scn-low-neutrophils');
    expect(token.body.need_patient_banner).toBe(false);
  });

  it('escapes record text in the page', async () => {
    const system = sandbox.issueToken({ scope: 'system/*.*' });
    await fetch(`${sandbox.fhirBase}/Patient/evil-1`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${system}`, 'Content-Type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Patient', id: 'evil-1', name: [{ family: '<img src=x onerror=alert(1)>', given: ['Eve'] }] }),
    });
    const { status, body } = await text('/ehr/patient/evil-1');
    expect(status).toBe(200);
    expect(body).not.toContain('<img src=x');
    expect(body).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('answers 404 for an unknown patient', async () => {
    expect((await text('/ehr/patient/nobody')).status).toBe(404);
  });
});

describe('built app hosting', () => {
  let dir: string;
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sandbox-dist-'));
    await mkdir(join(dir, 'launch'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>app</title>');
    await writeFile(join(dir, 'launch', 'index.html'), '<!doctype html><title>launch</title>');
    await writeFile(join(dir, 'assets', 'app-abc.js'), 'export {}');
    await writeFile(join(dir, 'assets', 'app-abc.css'), 'body{}');
    const host = createDistHost(dir);
    server = createServer((req, res) => void host.handle(req, res));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((done) => server.close(() => done()));
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the app, the launch page and assets with their content types', async () => {
    const app = await fetch(`${origin}/`);
    expect(app.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await app.text()).toContain('<title>app</title>');
    const launch = await fetch(`${origin}/launch/?iss=x&launch=y`);
    expect(await launch.text()).toContain('<title>launch</title>');
    expect((await fetch(`${origin}/assets/app-abc.js`)).headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await fetch(`${origin}/assets/app-abc.css`)).headers.get('content-type')).toMatch(/^text\/css/);
    const bare = await fetch(`${origin}/launch`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/launch/');
  });

  it('does not serve files outside dist/', async () => {
    // A raw request line, as fetch() would normalise the dots away.
    const { status, body } = await new Promise<{ status: number; body: string }>((done, fail) => {
      const req = request(`${origin}/`, { path: '/../../../../etc/passwd' }, (res) => {
        let data = '';
        res.on('data', (chunk) => (data += chunk));
        res.on('end', () => done({ status: res.statusCode ?? 0, body: data }));
      });
      req.on('error', fail);
      req.end();
    });
    expect([403, 404]).toContain(status);
    expect(body).not.toContain('root:');
  });
});
