/**
 * A CDS client for the tests: key pairs, JWTs (good and deliberately bad), and the CDS Hooks
 * service on its own loopback HTTP server with a trust configuration made for the test.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JSONWebKeySet } from 'jose';
import { parseTrustConfig, type CdsServiceConfig } from '../../src/cds-hooks/config';
import { createCdsHooksService, type CdsHooksServiceOptions } from '../../src/cds-hooks/handler';

export interface TestKey {
  alg: 'ES384' | 'RS384';
  kid: string;
  privateKey: CryptoKey;
  jwks: JSONWebKeySet;
}

export async function makeKey(alg: 'ES384' | 'RS384' = 'ES384'): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const kid = randomUUID();
  return { alg, kid, privateKey, jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }] } };
}

export interface SignOptions {
  iss: string;
  aud: string | string[];
  jku?: string;
  /** Seconds from now. */
  iatOffset?: number;
  lifetime?: number;
  jti?: string;
  omit?: Array<'jti' | 'iat' | 'exp'>;
}

export function sign(key: TestKey, options: SignOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000) + (options.iatOffset ?? 0);
  const claims: Record<string, unknown> = { iss: options.iss, aud: options.aud, iat: now, exp: now + (options.lifetime ?? 300), jti: options.jti ?? randomUUID() };
  for (const claim of options.omit ?? []) delete claims[claim];
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, typ: 'JWT', kid: key.kid, ...(options.jku ? { jku: options.jku } : {}) })
    .sign(key.privateKey);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned JWT (alg "none"), as an attacker would send it. */
export function unsignedJwt(claims: Record<string, unknown>, kid = 'any'): string {
  return `${b64({ alg: 'none', typ: 'JWT', kid })}.${b64(claims)}.`;
}

export const TEST_ISS = 'https://ehr.test.example';
export const TEST_JKU = 'https://ehr.test.example/.well-known/jwks.json';

export interface RunningService {
  base: string;
  url(path: string): string;
  logs: string[];
  config: CdsServiceConfig;
  close(): Promise<void>;
}

/** The service alone on a loopback port, trusting `keys` under TEST_ISS (plus `extra` settings). */
export async function startService(keys: TestKey[], extra: Record<string, unknown> = {}, options: Partial<CdsHooksServiceOptions> = {}): Promise<RunningService> {
  const server: Server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = parseTrustConfig({
    baseUrls: [base],
    issuers: [{ iss: TEST_ISS, jwks: { keys: keys.flatMap((k) => k.jwks.keys) }, jku: [TEST_JKU] }],
    ...extra,
  });
  const logs: string[] = [];
  const service = createCdsHooksService({ config, log: (line) => logs.push(line), ...options });
  server.on('request', (req, res) => {
    void service.handle(req, res, new URL(req.url ?? '/', base)).then((handled) => {
      if (!handled) {
        res.writeHead(404);
        res.end();
      }
    });
  });
  return {
    base,
    url: (path) => `${base}${path}`,
    logs,
    config,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

export const ORDER_SIGN = '/cds-services/jak-readiness-order-sign';
export const ORDER_SELECT = '/cds-services/jak-readiness-order-select';
export const PATIENT_VIEW = '/cds-services/jak-readiness-patient-view';

export function draftBundle(...resources: Record<string, unknown>[]): Record<string, unknown> {
  return { resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) };
}

export function draftOrder(text: string, patientId: string, id = 'request-123'): Record<string, unknown> {
  return {
    resourceType: 'MedicationRequest',
    id,
    status: 'draft',
    intent: 'order',
    subject: { reference: `Patient/${patientId}` },
    medicationCodeableConcept: { text },
  };
}

export function hookRequest(hook: string, patientId: string, context: Record<string, unknown> = {}, rest: Record<string, unknown> = {}): Record<string, unknown> {
  return { hookInstance: randomUUID(), hook, context: { userId: 'Practitioner/example', patientId, ...context }, ...rest };
}

export async function post(url: string, body: unknown, jwt?: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(jwt ? { Authorization: `Bearer ${jwt}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed, headers: response.headers };
}
