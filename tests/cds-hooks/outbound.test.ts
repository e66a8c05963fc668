/**
 * Where the service sends requests: only to FHIR servers the trust file lists for the caller's
 * issuer (none listed: prefetch only, no outbound call at all), only for the prefetch keys the
 * EHR left out, and with one generic message whatever the server answered (no echo of its body,
 * no "fetch failed" to tell a closed port from an open one).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server';
import type { CdsCard } from '../../src/cds-hooks/types';
import { draftBundle, draftOrder, hookRequest, makeKey, ORDER_SIGN, post, sign, startService, TEST_ISS, type RunningService, type TestKey } from './helpers';

interface Listener {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** A loopback server that records every request and answers with `answer`. */
async function listener(answer: (req: IncomingMessage) => Promise<{ status: number; body: string }>): Promise<Listener> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    void answer(req).then(({ status, body }) => {
      res.writeHead(status, { 'Content-Type': 'application/fhir+json' });
      res.end(body);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return `http://127.0.0.1:${port}/fhir`;
}

const SECRET = async () => ({ status: 404, body: 'SECRET-LINE-0 of the intranet page\nSECRET-LINE-1' });

let key: TestKey;
beforeAll(async () => {
  key = await makeKey();
});

const callOn = async (service: RunningService, body: unknown) => post(service.url(ORDER_SIGN), body, await sign(key, { iss: TEST_ISS, aud: service.url(ORDER_SIGN) }));
const withToken = (fhirServer: string) =>
  hookRequest('order-sign', 'p1', { draftOrders: draftBundle(draftOrder('Rinvoq 15 mg', 'p1')) }, { fhirServer, fhirAuthorization: { access_token: 'caller-token', token_type: 'Bearer', scope: 'patient/*.read' } });

describe('no fhirServers for the issuer: no outbound call at all', () => {
  it('a caller naming any server gets 412 and the server receives nothing', async () => {
    const target = await listener(SECRET);
    const service = await startService([key], { issuers: [{ iss: TEST_ISS, jwks: key.jwks }] });
    try {
      const response = await callOn(service, withToken(target.url));
      expect(response.status).toBe(412);
      expect(response.body.message).toMatch(/^Missing prefetch "patient", .* and the trust file lists no FHIR server for https:\/\/ehr\.test\.example \(fhirServers\), so this service reads only what the EHR prefetches\.$/);
      expect(target.requests).toEqual([]);
    } finally {
      await service.close();
      await target.close();
    }
  });
});

describe('fhirServers listed for the issuer', () => {
  it('a server not on the list receives nothing: 412', async () => {
    const target = await listener(SECRET);
    const service = await startService([key], { issuers: [{ iss: TEST_ISS, jwks: key.jwks, fhirServers: ['https://fhir.hospital.example/r4'] }] });
    try {
      const response = await callOn(service, withToken(target.url));
      expect(response.status).toBe(412);
      expect(response.body.message).toMatch(/fhirServer is not among the FHIR servers the trust file lists/);
      expect(target.requests).toEqual([]);
    } finally {
      await service.close();
      await target.close();
    }
  });

  it('a listed server\'s answer never appears in the message, and a closed port reads the same as an error page', async () => {
    const target = await listener(SECRET);
    const closed = await closedPort();
    const service = await startService([key], { issuers: [{ iss: TEST_ISS, jwks: key.jwks, fhirServers: [target.url, closed] }] });
    try {
      const open = await callOn(service, withToken(target.url));
      const shut = await callOn(service, withToken(closed));
      expect(target.requests.length).toBeGreaterThan(0);
      expect(open.status).toBe(412);
      expect(shut.status).toBe(412);
      expect(JSON.stringify(open.body)).not.toMatch(/SECRET|404/);
      expect(JSON.stringify(shut.body)).not.toMatch(/fetch failed|ECONNREFUSED/);
      expect(open.body.message).toBe(shut.body.message);
    } finally {
      await service.close();
      await target.close();
    }
  });
});

describe('a prefetch with one key missing', () => {
  let sandbox: SandboxHandle;
  let counter: Listener;
  let service: RunningService;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, quiet: true, samples: false, app: false, today: new Date(2025, 5, 15) });
    // Counts what the service asks of the FHIR server, passing each request on to the sandbox's.
    counter = await listener(async (req) => {
      const upstream = await fetch(`${sandbox.fhirBase}${(req.url ?? '').replace(/^\/fhir/, '')}`, { headers: { Authorization: String(req.headers.authorization), Accept: 'application/fhir+json' } });
      return { status: upstream.status, body: await upstream.text() };
    });
    service = await startService([key], { issuers: [{ iss: TEST_ISS, jwks: key.jwks, fhirServers: [counter.url] }] }, { today: () => '2025-06-15' });
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    await counter?.close();
    await sandbox?.close();
  });

  it('only the missing key is read through the token (not every search again)', async () => {
    const discovery = (await (await fetch(service.url('/cds-services'))).json()) as { services: Array<{ prefetch: Record<string, string> }> };
    const prefetch = await sandbox.cdsHooks.client.prefetch(discovery.services[0]!.prefetch, 'scn-pregnant');
    delete prefetch.conditions; // the pregnancy is on the problem list
    const token = sandbox.issueToken({ scope: 'patient/*.read', patient: 'scn-pregnant' });
    const body = hookRequest('order-sign', 'scn-pregnant', { draftOrders: draftBundle(draftOrder('upadacitinib 15 MG', 'scn-pregnant')) }, { prefetch, fhirServer: counter.url, fhirAuthorization: { access_token: token, token_type: 'Bearer', scope: 'patient/*.read' } });
    const response = await callOn(service, body);
    expect(response.status).toBe(200);
    expect((response.body.cards as CdsCard[])[0]!.summary).toMatch(/^Upadacitinib \(Rinvoq\): avoid — Pregnant/);
    // Before: the patient read and all 16 searches again.
    expect(counter.requests.length).toBeGreaterThan(0);
    expect(counter.requests.every((r) => r.startsWith('GET /fhir/Condition'))).toBe(true);
    expect(counter.requests.length).toBeLessThanOrEqual(2);
  });
});
