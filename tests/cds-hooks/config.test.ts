/**
 * The trust configuration file: what a site writes is checked at start with a message naming the
 * setting; and `npm run cds-hooks` serves the service alone from such a file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTrustConfig, TrustConfigError } from '../../src/cds-hooks/config';
import { REPO_ROOT } from '../../src/sandbox/server';
import { makeKey, sign } from './helpers';

const PUBLIC_KEY = { kty: 'EC', crv: 'P-384', x: 'x', y: 'y', kid: 'k1' };

describe('parseTrustConfig', () => {
  it('reads a complete configuration', () => {
    const config = parseTrustConfig({
      $comment: 'keys starting with $ are comments',
      baseUrls: ['https://cds.example/', 'https://cds.example/cds-services'],
      issuers: [{ iss: 'https://ehr.example', jwks: { keys: [PUBLIC_KEY] }, jku: ['https://ehr.example/jwks'], fhirServers: ['https://fhir.example/r4/'] }],
      patientView: { enabled: true },
      appLaunchUrl: 'https://app.example/launch/',
      allowedOrigins: ['https://ehr.example/some/path'],
      siteConfig: { windows: { pregnancyTest: 7 } },
    });
    expect(config.baseUrls).toEqual(['https://cds.example', 'https://cds.example']);
    expect(config.issuers[0]).toMatchObject({ iss: 'https://ehr.example', jku: ['https://ehr.example/jwks'], fhirServers: ['https://fhir.example/r4'] });
    expect(config.patientViewEnabled).toBe(true);
    expect(config.allowedOrigins).toEqual(['https://ehr.example']);
    expect(config.siteConfig).toEqual({ windows: { pregnancyTest: 7 } });
    expect(config.discoveryRequiresAuth).toBe(false);
  });

  it('defaults as documented', () => {
    const config = parseTrustConfig({ issuers: [] });
    expect(config).toMatchObject({
      baseUrls: [],
      patientViewEnabled: false,
      discoveryRequiresAuth: false,
      allowedOrigins: ['*'],
      maxTokenLifetimeSeconds: 600,
      clockToleranceSeconds: 30,
      maxRequestBytes: 10 * 1024 * 1024,
      fhirTimeoutMs: 8000,
      siteConfig: {},
    });
    expect(config.appLaunchUrl).toBeUndefined();
  });

  it('reads JWKS and site settings from files next to the trust file', () => {
    const files: Record<string, string> = { '/etc/cds/keys.json': JSON.stringify({ keys: [PUBLIC_KEY] }), '/etc/cds/site.json': JSON.stringify({ windows: { tbScreening: 730 } }) };
    const config = parseTrustConfig({ issuers: [{ iss: 'https://a', jwksFile: 'keys.json' }], siteConfig: 'site.json' }, { dir: '/etc/cds', readFile: (p) => files[p] ?? '' });
    expect(config.issuers[0]!.jwks).toEqual({ keys: [PUBLIC_KEY] });
    expect(config.siteConfig).toEqual({ windows: { tbScreening: 730 } });
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['not an object', [], /must be a JSON object/],
    ['an unknown setting', { issuers: [], patientview: true }, /unknown setting "patientview"/],
    ['no issuers list', {}, /issuers must be a list/],
    ['an issuer without keys', { issuers: [{ iss: 'https://a' }] }, /needs its public keys/],
    ['two key sources', { issuers: [{ iss: 'https://a', jwksUrl: 'https://a/j', jwks: { keys: [PUBLIC_KEY] } }] }, /one of jwks, jwksFile, jwksUrl/],
    ['a symmetric key', { issuers: [{ iss: 'https://a', jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } }] }, /symmetric key/],
    ['a private key', { issuers: [{ iss: 'https://a', jwks: { keys: [{ ...PUBLIC_KEY, d: 'secret' }] } }] }, /private key/],
    ['a jku that is not a URL', { issuers: [{ iss: 'https://a', jku: ['sandbox'] }] }, /jku\[0\] is not a URL/],
    ['a duplicate issuer', { issuers: [{ iss: 'https://a', jku: ['https://a/j'] }, { iss: 'https://a', jku: ['https://a/j'] }] }, /listed twice/],
    ['a bad site setting', { issuers: [], siteConfig: { windows: { cbc: -1 } } }, /siteConfig: windows.cbc must be a number/],
    ['patientView as a bare boolean', { issuers: [], patientView: true }, /patientView must be \{"enabled": true\|false\}/],
  ];
  for (const [what, json, message] of bad) {
    it(`refuses ${what}`, () => {
      expect(() => parseTrustConfig(json)).toThrow(TrustConfigError);
      expect(() => parseTrustConfig(json)).toThrow(message);
    });
  }

  it('the production example file is valid and trusts no publicly known key: no HL7 sandbox issuer, a FHIR server list for each issuer', () => {
    const path = join(REPO_ROOT, 'src', 'cds-hooks', 'config.example.json');
    const text = readFileSync(path, 'utf8');
    const config = parseTrustConfig(JSON.parse(text), { dir: join(REPO_ROOT, 'src', 'cds-hooks') });
    expect(config.issuers.map((i) => i.iss)).toEqual(['https://ehr.hospital.example']);
    expect(text).not.toMatch(/sandbox\.cds-hooks\.org|cds-hooks-sandbox-jwks/);
    for (const issuer of config.issuers) expect(issuer.fhirServers?.length).toBeGreaterThan(0);
  });

  it('the sandbox example is named as such and is valid given the sandbox\'s public key file', () => {
    const path = join(REPO_ROOT, 'src', 'cds-hooks', 'config.sandbox-example.json');
    const config = parseTrustConfig(JSON.parse(readFileSync(path, 'utf8')), {
      dir: join(REPO_ROOT, 'src', 'cds-hooks'),
      readFile: (p) => {
        if (p.endsWith('cds-hooks-sandbox-jwks.json')) return JSON.stringify({ keys: [PUBLIC_KEY] });
        return readFileSync(p, 'utf8');
      },
    });
    expect(config.issuers.map((i) => i.iss)).toEqual(['https://sandbox.cds-hooks.org']);
    expect(config.issuers[0]!.fhirServers).toEqual(['http://127.0.0.1:8097']);
    expect(readFileSync(path, 'utf8')).toMatch(/TEST BED ONLY/);
  });
});

describe('npm run cds-hooks', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGTERM');
  });

  function run(args: string[], env: Record<string, string>): { child: ChildProcess; output: Promise<string>; listening: Promise<string> } {
    // What `npm run cds-hooks` runs: the compiled service, no TypeScript at run time.
    const child = spawn(process.execPath, [join(REPO_ROOT, 'build', 'cli', 'cds-hooks.js'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let text = '';
    const listening = new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        text += chunk.toString();
        const match = /listening on (http:\/\/[^\s)]+)/.exec(text);
        if (match) resolve(match[1]!);
      };
      child.stderr!.on('data', onData);
      child.stdout!.on('data', onData);
      child.on('exit', () => reject(new Error(text)));
    });
    listening.catch(() => {}); // only the test that waits for it cares
    const output = new Promise<string>((resolve) => child.on('exit', () => resolve(text)));
    return { child, output, listening };
  }

  it('serves discovery and refuses an unsigned call, with the trust file from --config and PORT from the environment', async () => {
    const key = await makeKey();
    const dir = mkdtempSync(join(tmpdir(), 'cds-hooks-'));
    writeFileSync(join(dir, 'keys.json'), JSON.stringify(key.jwks));
    writeFileSync(join(dir, 'trust.json'), JSON.stringify({ issuers: [{ iss: 'https://ehr.example', jwksFile: 'keys.json' }] }));
    const { listening } = run(['--config', join(dir, 'trust.json')], { PORT: '0', HOST: '127.0.0.1' });
    const base = await listening;
    const discovery = (await (await fetch(`${base}/cds-services`)).json()) as { services: Array<{ hook: string }> };
    expect(discovery.services.map((s) => s.hook)).toEqual(['order-select', 'order-sign', 'patient-view']);
    const url = `${base}/cds-services/jak-readiness-order-select`;
    const body = JSON.stringify({ hook: 'order-select', hookInstance: 'h1', context: { patientId: 'p1' } });
    expect((await fetch(url, { method: 'POST', body })).status).toBe(401);
    const jwt = await sign(key, { iss: 'https://ehr.example', aud: url });
    expect((await fetch(url, { method: 'POST', body, headers: { Authorization: `Bearer ${jwt}` } })).status).toBe(200);
  });

  it('stops with a message and status 2 when the trust file is unusable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cds-hooks-'));
    writeFileSync(join(dir, 'trust.json'), JSON.stringify({ issuers: [{ iss: 'https://a' }] }));
    const { child, output } = run([], { CDS_HOOKS_CONFIG: join(dir, 'trust.json') });
    const text = await output;
    expect(child.exitCode).toBe(2);
    expect(text).toMatch(/issuers\[0\] \(https:\/\/a\) needs its public keys/);
  });

  it('stops with a message when no trust file is given', async () => {
    const { child, output } = run([], { CDS_HOOKS_CONFIG: '' });
    expect(await output).toMatch(/no trust configuration/);
    expect(child.exitCode).toBe(2);
  });
});
