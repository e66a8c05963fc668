/**
 * Several copies behind a load balancer (docs/cds-hooks.md, "Running it in production"): two
 * processes of the service share one Redis as their replay store, so a token used on one copy
 * is refused on the other; readiness follows Redis, and a call while Redis is away is refused
 * (503), never accepted unrecorded. With one CDS_HOOKS_CARD_ID_SECRET, feedback on a card one
 * copy issued is accepted by the other (and after a restart); without it, it is not.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftBundle, draftOrder, hookRequest, makeKey, sign, type TestKey } from './helpers';
import { startRedis, startServiceProcess, stopProcess, trustFile, type ServiceProcess } from './service-process';

const ISS = 'https://ehr.hospital.example';
// Both copies answer at one public address (the load balancer's): the JWT's audience.
const PUBLIC_BASE = 'https://cds.hospital.example';
const SERVICE = '/cds-services/jak-readiness-order-select';
const BODY = JSON.stringify({ hook: 'order-select', hookInstance: 'h-replay', context: { patientId: 'p1' } });
const ORDER_SIGN = '/cds-services/jak-readiness-order-sign';
const CARD_ID_SECRET = randomBytes(32).toString('base64');

// An upadacitinib order with the record in prefetch: the answer has cards with signed ids.
const PREFETCH = { patient: { resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1990-01-01' }, conditions: null, labResults: null, statusObservations: null, vitalSigns: null, medicationRequests: null, medicationStatements: null, immunizations: null };
const SIGN_BODY = JSON.stringify(hookRequest('order-sign', 'p1', { draftOrders: draftBundle(draftOrder('Rinvoq', 'p1')) }, { prefetch: PREFETCH }));

async function post(copy: ServiceProcess, path: string, body: string, key: TestKey): Promise<{ status: number; body: any }> {
  const jwt = await sign(key, { iss: ISS, aud: `${PUBLIC_BASE}${path}` });
  const res = await fetch(`${copy.base}${path}`, { method: 'POST', body, headers: { Authorization: `Bearer ${jwt}`, 'Content-Type': 'application/json' } });
  return { status: res.status, body: await res.json() };
}

/** A card `issuer` answers, then feedback on it (and on its first suggestion) sent to `receiver`. */
async function feedbackElsewhere(issuer: ServiceProcess, receiver: ServiceProcess, key: TestKey): Promise<{ status: number; body: any }> {
  const answer = await post(issuer, ORDER_SIGN, SIGN_BODY, key);
  expect(answer.status).toBe(200);
  const card = (answer.body.cards as Array<{ uuid: string; suggestions?: Array<{ uuid: string }> }>).find((c) => c.suggestions?.length)!;
  const entry = { card: card.uuid, outcome: 'accepted', acceptedSuggestions: [{ id: card.suggestions![0]!.uuid }], outcomeTimestamp: '2025-06-15T10:00:00Z' };
  return post(receiver, `${ORDER_SIGN}/feedback`, JSON.stringify({ feedback: [entry] }), key);
}

/**
 * Two copies of the service on one fresh redis-server for a describe block, stopped after it;
 * `extraEnv` adds to their environment (a shared card-id secret, or none).
 */
function twoCopiesOnRedis(extraEnv: Record<string, string>) {
  const setup = { key: undefined as unknown as TestKey, redis: undefined as Awaited<ReturnType<typeof startRedis>> | undefined, copies: [] as ServiceProcess[] };
  beforeAll(async () => {
    setup.key = await makeKey();
    setup.redis = await startRedis();
    const env = { CDS_HOOKS_CONFIG: trustFile(setup.key, ISS), CDS_HOOKS_BASE_URLS: PUBLIC_BASE, CDS_HOOKS_REDIS_URL: setup.redis.url, ...extraEnv };
    setup.copies.push(...(await Promise.all([startServiceProcess(env), startServiceProcess(env)])));
  });
  afterAll(async () => {
    await Promise.all(setup.copies.map((copy) => stopProcess(copy.child)));
    await setup.redis?.stop();
  });
  return setup;
}

describe('two copies of the service on one Redis', () => {
  const setup = twoCopiesOnRedis({ CDS_HOOKS_CARD_ID_SECRET: CARD_ID_SECRET });
  const { copies } = setup;

  const call = (copy: ServiceProcess, jwt: string) => fetch(`${copy.base}${SERVICE}`, { method: 'POST', body: BODY, headers: { Authorization: `Bearer ${jwt}`, 'Content-Type': 'application/json' } });
  const token = () => sign(setup.key, { iss: ISS, aud: `${PUBLIC_BASE}${SERVICE}` });

  it('a token used on one copy is refused on the other', async () => {
    const [a, b] = copies as [ServiceProcess, ServiceProcess];
    const jwt = await token();
    expect((await call(a, jwt)).status).toBe(200);
    const replayed = await call(b, jwt);
    expect(replayed.status).toBe(401);
    expect(((await replayed.json()) as { message: string }).message).toMatch(/replayed/);
    // …and on the same copy; while a fresh token passes on either.
    expect((await call(a, jwt)).status).toBe(401);
    expect((await call(b, await token())).status).toBe(200);
  });

  it('feedback on a card one copy issued is accepted by the other, and by copies started later (a restart) with the secret in cardIdSecretFile or the variable (which wins over the file)', async () => {
    const [a, b] = copies as [ServiceProcess, ServiceProcess];
    expect(await feedbackElsewhere(a, b, setup.key)).toEqual({ status: 200, body: { recorded: 1 } });
    expect(await feedbackElsewhere(b, a, setup.key)).toEqual({ status: 200, body: { recorded: 1 } });
    // Restarted copies: one reads the same secret from a file next to its trust file; the other
    // has the variable and a file with another secret, and the variable wins.
    const withSecretFile = (secret: string) => {
      const trust = trustFile(setup.key, ISS, { cardIdSecretFile: 'card-id-secret' });
      writeFileSync(join(dirname(trust), 'card-id-secret'), `${secret}\n`);
      return { CDS_HOOKS_CONFIG: trust, CDS_HOOKS_BASE_URLS: PUBLIC_BASE, CDS_HOOKS_REDIS_URL: setup.redis!.url };
    };
    const later = await Promise.all([
      startServiceProcess(withSecretFile(CARD_ID_SECRET)),
      startServiceProcess({ ...withSecretFile(randomBytes(32).toString('hex')), CDS_HOOKS_CARD_ID_SECRET: CARD_ID_SECRET }),
    ]);
    try {
      const [fromFile, fromVariable] = later as [ServiceProcess, ServiceProcess];
      expect(fromFile.logLines().find((l) => l.event === 'start')).toMatchObject({ feedbackIds: 'shared', cardIdSecretFrom: 'cardIdSecretFile' });
      expect(fromVariable.logLines().find((l) => l.event === 'start')).toMatchObject({ feedbackIds: 'shared', cardIdSecretFrom: 'CDS_HOOKS_CARD_ID_SECRET' });
      expect(await feedbackElsewhere(a, fromFile, setup.key)).toEqual({ status: 200, body: { recorded: 1 } });
      expect(await feedbackElsewhere(a, fromVariable, setup.key)).toEqual({ status: 200, body: { recorded: 1 } });
    } finally {
      await Promise.all(later.map((copy) => stopProcess(copy.child)));
    }
    await expect.poll(() => b.logLines().filter((l) => l.event === 'cds-hooks.feedback').length).toBe(1);
  });

  it('the start log says feedback ids are shared and where the secret came from, never the secret', () => {
    for (const copy of copies) {
      expect(copy.logLines().find((l) => l.event === 'start')).toMatchObject({ feedbackIds: 'shared', cardIdSecretFrom: 'CDS_HOOKS_CARD_ID_SECRET' });
      expect(copy.logLines().some((l) => l.feedbackIds === 'per-copy')).toBe(false);
      expect(copy.output()).not.toContain(CARD_ID_SECRET);
      expect(copy.output()).not.toContain(Buffer.from(CARD_ID_SECRET, 'base64').toString('hex'));
    }
  });

  it('both copies are ready with the Redis store, and say so', async () => {
    for (const copy of copies) {
      const res = await fetch(`${copy.base}/readyz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ready', trustedIssuers: 1, replayStore: 'redis' });
      expect(copy.logLines().find((l) => l.event === 'start')).toMatchObject({ replayStore: 'redis', level: 30 });
    }
  });

  it('with Redis gone: not ready (503), still alive, and a call is refused with 503 rather than accepted unrecorded', async () => {
    const [a] = copies as [ServiceProcess];
    await setup.redis!.stop();
    await expect.poll(async () => (await fetch(`${a.base}/readyz`)).status, { timeout: 10_000, interval: 200 }).toBe(503);
    const body = (await (await fetch(`${a.base}/readyz`)).json()) as { status: string; reason: string };
    expect(body).toMatchObject({ status: 'not-ready', replayStore: 'redis' });
    expect(body.reason).toMatch(/^replay store: /);
    expect((await fetch(`${a.base}/healthz`)).status).toBe(200);
    const refused = await call(a, await token());
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { message: string }).message).toMatch(/replay store cannot be reached/);
  });
});

describe('two copies on one Redis without a shared card-id secret (the default)', () => {
  const setup = twoCopiesOnRedis({});
  const { copies } = setup;

  it('feedback on a card the other copy issued is refused (400 unknown_card); the issuing copy accepts it', async () => {
    const [a, b] = copies as [ServiceProcess, ServiceProcess];
    const refused = await feedbackElsewhere(a, b, setup.key);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'unknown_card' });
    expect(refused.body.message).toMatch(/by another copy or before a restart, without a shared card-id secret/);
    expect(await feedbackElsewhere(a, a, setup.key)).toEqual({ status: 200, body: { recorded: 1 } });
  });

  it('each copy warns at start that feedback ids are per copy, naming the variable', () => {
    for (const copy of copies) {
      const line = copy.logLines().find((l) => l.event === 'config' && l.feedbackIds === 'per-copy');
      expect(line).toMatchObject({ level: 40 });
      expect(line!.msg).toMatch(/feedback ids are per copy.*CDS_HOOKS_CARD_ID_SECRET/);
      expect(copy.logLines().find((l) => l.event === 'start')).toMatchObject({ feedbackIds: 'per-copy' });
    }
  });
});
