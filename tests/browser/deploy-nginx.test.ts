/**
 * The deploy guide, tested (docs/deploy.md): the shipped nginx configuration serves the built
 * app with the Content-Security-Policy and caching headers the guide promises, and a SMART EHR
 * launch through it against the sandbox's FHIR server reaches the sidebar without a single CSP
 * violation. The app is on nginx's origin and the FHIR server on the sandbox's, as in a
 * hospital: two origins, CORS and connect-src doing their real jobs.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appContentSecurityPolicy } from '../../src/sandbox/csp';
import { REPO_ROOT } from '../../src/sandbox/server';
import { useBrowserHarness, waitForOutcome } from './harness';
import { freePort } from '../free-port';
import { checkConfig, loopbackSite, shippedPolicy, SHIPPED_NGINX_CONF, startNginx, type RunningNginx } from './nginx';

const SHIPPED = readFileSync(SHIPPED_NGINX_CONF, 'utf8');

describe('the shipped nginx configuration', () => {
  it('sends the policy src/sandbox/csp.ts computes for its example origins', () => {
    const policy = shippedPolicy(SHIPPED);
    const sources = (directive: string) => policy.split(';').map((p) => p.trim().split(/\s+/)).find(([name]) => name === directive)!.slice(1);
    expect(policy).toBe(appContentSecurityPolicy({ connectSrc: sources('connect-src').filter((s) => s !== "'self'"), frameAncestors: sources('frame-ancestors') }));
    expect(sources('connect-src')).toEqual(["'self'", 'https://fhir.hospital.example', 'https://auth.hospital.example']);
  });

  it('passes `nginx -t` as shipped, TLS block and http→https redirect included (with a throw-away certificate)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jak-cert-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=jak-readiness.hospital.example', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
      const site = SHIPPED.replace(/ssl_certificate\s+\S+;/, `ssl_certificate ${join(dir, 'cert.pem')};`)
        .replace(/ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${join(dir, 'key.pem')};`)
        .replace(/^(\s*root\s+)[^;]+;/m, `$1${join(REPO_ROOT, 'dist')};`);
      const { ok, output } = await checkConfig(site);
      expect(output).toMatch(/syntax is ok/);
      expect(ok, output).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the app behind nginx', () => {
  let port = 0;
  let nginx: RunningNginx | undefined;
  let root = '';
  let policy = '';

  // The sandbox registers nginx's origin as a redirect URI, as an EHR registers a hosted app.
  beforeAll(async () => {
    port = await freePort();
  });
  const harness = useBrowserHarness({
    sandbox: {
      get extraRedirectUris() {
        return [`http://127.0.0.1:${port}/`];
      },
    },
  });

  beforeAll(async () => {
    // A site's deployed copy of dist/: its smart-config.json lists its FHIR server.
    root = mkdtempSync(join(tmpdir(), 'jak-dist-'));
    cpSync(join(REPO_ROOT, 'dist'), root, { recursive: true });
    const config = JSON.parse(readFileSync(join(root, 'smart-config.json'), 'utf8')) as { issuers?: Record<string, unknown> };
    writeFileSync(join(root, 'smart-config.json'), JSON.stringify({ ...config, issuers: { ...config.issuers, [harness.sandbox.fhirBase]: { clientId: 'jak-readiness' } } }));
    // The policy a site computes: its FHIR server's origin, its EHR as the framing origin.
    const sandboxOrigin = new URL(harness.sandbox.fhirBase).origin;
    policy = appContentSecurityPolicy({ connectSrc: [sandboxOrigin], frameAncestors: [sandboxOrigin] });
    nginx = await startNginx(loopbackSite(SHIPPED, { port, root, policy }), port);
  });

  afterAll(async () => {
    await nginx?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('the pages and configuration files: the CSP, revalidated on every launch, no sniffing, no referrer', async () => {
    for (const path of ['/', '/launch/', '/smart-config.json', '/site-config.json']) {
      const res = await fetch(`${nginx!.origin}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-security-policy'), path).toBe(policy);
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(res.headers.get('x-frame-options'), `${path}: the EHR frames the app`).toBeNull();
    }
    expect((await fetch(`${nginx!.origin}/`)).headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('hashed assets: cached for a year as immutable, JavaScript with its module MIME type', async () => {
    const assets = readdirSync(join(root, 'assets'));
    expect(assets.some((f) => f.endsWith('.js'))).toBe(true);
    for (const file of assets) {
      const res = await fetch(`${nginx!.origin}/assets/${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get('cache-control'), file).toBe('public, max-age=31536000, immutable');
      if (file.endsWith('.js')) expect(res.headers.get('content-type'), file).toMatch(/^(application|text)\/javascript/);
      if (file.endsWith('.css')) expect(res.headers.get('content-type'), file).toMatch(/^text\/css/);
    }
    expect((await fetch(`${nginx!.origin}/assets/missing-0000.js`)).status).toBe(404);
  });

  it('`/launch` redirects to `/launch/` on the same origin, and nothing else is served', async () => {
    const res = await fetch(`${nginx!.origin}/launch?iss=x`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/launch/?iss=x');
    expect((await fetch(`${nginx!.origin}/package.json`)).status).toBe(404);
    expect((await fetch(`${nginx!.origin}/`, { method: 'HEAD' })).headers.get('server')).toBe('nginx');
  });

  it('an EHR launch through nginx reaches the sidebar under the header policy, without a violation', async () => {
    const { page, log } = await harness.open();
    const documents: Array<{ url: string; csp: string | undefined }> = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'document' && response.url().startsWith(nginx!.origin)) {
        documents.push({ url: response.url(), csp: response.headers()['content-security-policy'] });
      }
    });
    const launch = harness.sandbox.createLaunch('scn-clopidogrel');
    await page.goto(`${nginx!.origin}/launch/?${new URLSearchParams({ iss: harness.sandbox.fhirBase, launch })}`);
    await waitForOutcome(page);
    expect(await page.getByTestId('verdicts').count()).toBe(1);
    expect(page.url().startsWith(`${nginx!.origin}/`)).toBe(true);
    // The launch page and the app page (the redirect URI) both came from nginx with the policy.
    expect(documents.map((d) => new URL(d.url).pathname)).toEqual(['/launch/', '/']);
    for (const d of documents) expect(d.csp, d.url).toBe(policy);
    expect(log.cspViolations).toEqual([]);
    expect(log.console.filter((m) => /Content Security Policy|Refused to/i.test(m.text)).map((m) => m.text)).toEqual([]);
    expect(log.pageErrors).toEqual([]);
  });
});
