/**
 * The service as operations run it (docs/cds-hooks.md, "Running it in production"): health and
 * readiness routes, configuration from the environment, JSON logs without patient data, and a
 * SIGTERM that lets the call in flight finish before the process exits 0.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processSettingsFromEnv, trustOverridesFromEnv } from '../../src/cds-hooks/env-config';
import { makeKey, sign, type TestKey } from './helpers';
import { refusedStart, startServiceProcess, stopProcess, trustFile, type ServiceProcess } from './service-process';

const ISS = 'https://ehr.hospital.example';
const SERVICE = '/cds-services/jak-readiness-order-sign';
const PATIENT = 'p-secret-4711';
const ACCESS_TOKEN = 'fhir-token-do-not-log';

describe('health, readiness, environment and logs', () => {
  let key: TestKey;
  let copy: ServiceProcess;

  beforeAll(async () => {
    key = await makeKey();
    copy = await startServiceProcess({
      CDS_HOOKS_CONFIG: trustFile(key, ISS, { baseUrls: ['https://file.example'], patientView: { enabled: false } }),
      // The environment wins over the file.
      CDS_HOOKS_BASE_URLS: 'https://cds.hospital.example, https://cds-b.hospital.example',
      CDS_HOOKS_PATIENT_VIEW: 'true',
      LOG_LEVEL: 'debug',
    });
  });
  afterAll(() => stopProcess(copy?.child));

  it('GET /healthz is 200 and /readyz is 200 with the trust file loaded and the in-memory store, without a JWT', async () => {
    const health = await fetch(`${copy.base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${copy.base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', trustedIssuers: 1, replayStore: 'memory' });
    expect(ready.headers.get('cache-control')).toBe('no-store');
  });

  it('takes the audience and the patient-view switch from the environment over the trust file', async () => {
    const body = JSON.stringify({ hook: 'order-select', hookInstance: 'h-env', context: { patientId: PATIENT } });
    const post = async (aud: string) =>
      (await fetch(`${copy.base}/cds-services/jak-readiness-order-select`, { method: 'POST', body, headers: { Authorization: `Bearer ${await sign(key, { iss: ISS, aud })}` } })).status;
    expect(await post('https://cds-b.hospital.example/cds-services/jak-readiness-order-select')).toBe(200);
    expect(await post('https://file.example/cds-services/jak-readiness-order-select')).toBe(401);
    const discovery = (await (await fetch(`${copy.base}/cds-services`)).json()) as { services: Array<{ hook: string; description: string }> };
    expect(discovery.services.find((s) => s.hook === 'patient-view')!.description).not.toMatch(/off/i);
  });

  it('logs one JSON line per call with method, path, status, duration, service and issuer, and no patient data', async () => {
    // The lines of the earlier calls reach this process through a pipe: wait for them under load.
    const orderSelectCalls = () => copy.logLines().filter((l) => l.event === 'http' && l.cdsService === 'jak-readiness-order-select');
    await expect.poll(() => orderSelectCalls().length).toBeGreaterThanOrEqual(2);
    await expect.poll(() => copy.logLines().some((l) => l.event === 'http' && l.path === '/readyz')).toBe(true);
    const lines = copy.logLines();
    const calls = orderSelectCalls();
    for (const line of calls) {
      expect(Object.keys(line).sort()).toEqual(['cdsService', 'event', 'issuer', 'level', 'method', 'ms', 'path', 'service', 'status', 'time'].sort());
      expect(line).toMatchObject({ method: 'POST', path: '/cds-services/jak-readiness-order-select', issuer: ISS });
      expect(typeof line.ms).toBe('number');
    }
    expect(calls.map((l) => l.status).sort()).toEqual([200, 401]);
    // Health checks are debug lines; a stray path is not echoed.
    expect(lines.some((l) => l.event === 'http' && l.path === '/readyz' && l.level === 20)).toBe(true);
    await fetch(`${copy.base}/cds-services/../patients/${PATIENT}?name=Jane`);
    await fetch(`${copy.base}/x/${PATIENT}`);
    await expect.poll(() => copy.logLines().filter((l) => l.path === '(other)').length).toBe(2);
    expect(copy.output()).not.toContain(PATIENT);
    expect(copy.output()).not.toMatch(/Bearer|eyJ/);
  });

  it('reads the environment strictly: a value it cannot use names the variable', () => {
    expect(() => trustOverridesFromEnv({ CDS_HOOKS_PATIENT_VIEW: 'maybe' })).toThrow(/CDS_HOOKS_PATIENT_VIEW must be true or false/);
    expect(() => trustOverridesFromEnv({ CDS_HOOKS_FHIR_TIMEOUT_MS: '8s' })).toThrow(/CDS_HOOKS_FHIR_TIMEOUT_MS must be a number/);
    expect(() => processSettingsFromEnv({ CDS_HOOKS_REDIS_URL: 'localhost:6379' })).toThrow(/CDS_HOOKS_REDIS_URL must be a redis:\/\//);
    expect(() => processSettingsFromEnv({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL must be one of/);
    expect(processSettingsFromEnv({})).toEqual({ host: '127.0.0.1', port: 3010, shutdownTimeoutMs: 25_000, logLevel: 'info' });
    expect(trustOverridesFromEnv({ CDS_HOOKS_ALLOWED_ORIGINS: 'https://a.example https://b.example', CDS_HOOKS_MAX_REQUEST_BYTES: '1000', CDS_HOOKS_DISCOVERY_REQUIRES_AUTH: 'yes', CDS_HOOKS_APP_LAUNCH_URL: '' })).toEqual({
      allowedOrigins: ['https://a.example', 'https://b.example'],
      maxRequestBytes: 1000,
      discoveryRequiresAuth: true,
    });
  });

  it('stops at start with status 2 and the variable named when the environment is unusable', async () => {
    await expect(startServiceProcess({ CDS_HOOKS_CONFIG: trustFile(key, ISS), CDS_HOOKS_MAX_TOKEN_LIFETIME_SECONDS: '-5' })).rejects.toThrow(/maxTokenLifetimeSeconds must be a number > 0/);
    await expect(startServiceProcess({ CDS_HOOKS_CONFIG: trustFile(key, ISS), CDS_HOOKS_CLOCK_TOLERANCE_SECONDS: 'soon' })).rejects.toThrow(/CDS_HOOKS_CLOCK_TOLERANCE_SECONDS must be a number/);
  });

  it('refuses a card-id secret under 32 random bytes at start (status 2, the variable named, the value not echoed)', async () => {
    const short = 'f00dfeed'.repeat(7); // 56 hex digits: 28 bytes
    const refused = await refusedStart({ CDS_HOOKS_CONFIG: trustFile(key, ISS), CDS_HOOKS_CARD_ID_SECRET: short });
    expect(refused.status).toBe(2);
    expect(refused.output).toMatch(/^cds-hooks: CDS_HOOKS_CARD_ID_SECRET is too short \(about 28 bytes of entropy\); at least 32 random bytes are needed/);
    expect(refused.output).not.toContain(short);
  });

  it('without a card-id secret the start log says feedback ids are per copy (info with the in-memory store)', () => {
    const line = copy.logLines().find((l) => l.event === 'config' && l.feedbackIds === 'per-copy');
    expect(line).toMatchObject({ level: 30 });
    expect(line!.msg).toMatch(/^feedback ids are per copy: feedback is accepted only by the copy that issued the card, and not after a restart/);
  });
});

describe('SIGTERM', () => {
  let fhir: Server | undefined;
  const held: Array<() => void> = [];
  let firstFhirRequest!: Promise<void>;

  beforeAll(async () => {
    let signal!: () => void;
    firstFhirRequest = new Promise((resolve) => (signal = resolve));
    // A FHIR server that holds every answer until the test lets go: the hook call stays in flight.
    fhir = createServer((req: IncomingMessage, res: ServerResponse) => {
      signal();
      const answer = () => {
        const url = new URL(req.url ?? '/', 'http://x');
        const body = url.pathname.endsWith(`/Patient/${PATIENT}`)
          ? { resourceType: 'Patient', id: PATIENT, gender: 'female', birthDate: '1990-01-01' }
          : { resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] };
        res.writeHead(200, { 'Content-Type': 'application/fhir+json' });
        res.end(JSON.stringify(body));
      };
      held.push(answer);
    });
    await new Promise<void>((resolve) => fhir!.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const answer of held.splice(0)) answer();
    fhir?.closeAllConnections();
    await new Promise((resolve) => fhir?.close(resolve));
  });

  it('finishes the call in flight, refuses new connections meanwhile, then exits 0', async () => {
    const key = await makeKey();
    const fhirBase = `http://127.0.0.1:${(fhir!.address() as AddressInfo).port}/fhir`;
    // The service calls only FHIR servers the trust file lists for the caller (issue 19).
    const trust = trustFile(key, ISS, { issuers: [{ iss: ISS, jwksFile: 'keys.json', fhirServers: [fhirBase] }] });
    const copy = await startServiceProcess({ CDS_HOOKS_CONFIG: trust, CDS_HOOKS_SHUTDOWN_TIMEOUT_SECONDS: '30' });
    try {
      const body = JSON.stringify({
        hook: 'order-sign',
        hookInstance: 'h-sigterm',
        context: {
          userId: 'Practitioner/1',
          patientId: PATIENT,
          draftOrders: { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'MedicationRequest', id: 'd1', status: 'draft', intent: 'order', subject: { reference: `Patient/${PATIENT}` }, medicationCodeableConcept: { text: 'Abrocitinib (Cibinqo)' } } }] },
        },
        fhirServer: fhirBase,
        fhirAuthorization: { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'cds' },
      });
      const jwt = await sign(key, { iss: ISS, aud: `http://127.0.0.1:${new URL(copy.base).port}${SERVICE}` });
      const inFlight = fetch(`${copy.base}${SERVICE}`, { method: 'POST', body, headers: { Authorization: `Bearer ${jwt}` } });

      await firstFhirRequest; // the service is mid-call, reading the record
      copy.child.kill('SIGTERM');
      // New connections are refused while the call finishes; readiness would say "shutting down".
      await expect.poll(() => fetch(`${copy.base}/healthz`).then(() => 'answered', () => 'refused'), { timeout: 10_000, interval: 100 }).toBe('refused');
      expect(copy.child.exitCode).toBeNull();

      // Let the FHIR server answer everything the service asked (and asks next).
      const release = setInterval(() => held.splice(0).forEach((answer) => answer()), 20);
      try {
        const response = await inFlight;
        expect(response.status).toBe(200);
        const cards = ((await response.json()) as { cards: Array<{ summary: string }> }).cards;
        expect(cards.length).toBeGreaterThan(0);
        expect(await copy.exited).toBe(0);
      } finally {
        clearInterval(release);
      }
      const lines = copy.logLines();
      expect(lines.some((l) => l.event === 'shutdown' && l.signal === 'SIGTERM')).toBe(true);
      expect(lines.find((l) => l.event === 'http' && l.cdsService === 'jak-readiness-order-sign')).toMatchObject({ status: 200, issuer: ISS });
      expect(lines.find((l) => l.event === 'stopped')).toMatchObject({ finished: true });
      expect(copy.output()).not.toContain(PATIENT);
      expect(copy.output()).not.toContain(ACCESS_TOKEN);
    } finally {
      await stopProcess(copy.child);
    }
  });
});
