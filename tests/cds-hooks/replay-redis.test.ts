/**
 * Several copies behind a load balancer (docs/cds-hooks.md, "Running it in production"): two
 * processes of the service share one Redis as their replay store, so a token used on one copy
 * is refused on the other; readiness follows Redis, and a call while Redis is away is refused
 * (503), never accepted unrecorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeKey, sign, type TestKey } from './helpers';
import { startRedis, startServiceProcess, stopProcess, trustFile, type ServiceProcess } from './service-process';

const ISS = 'https://ehr.hospital.example';
// Both copies answer at one public address (the load balancer's): the JWT's audience.
const PUBLIC_BASE = 'https://cds.hospital.example';
const SERVICE = '/cds-services/jak-readiness-order-select';
const BODY = JSON.stringify({ hook: 'order-select', hookInstance: 'h-replay', context: { patientId: 'p1' } });

describe('two copies of the service on one Redis', () => {
  let key: TestKey;
  let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
  const copies: ServiceProcess[] = [];

  beforeAll(async () => {
    key = await makeKey();
    redis = await startRedis();
    const env = { CDS_HOOKS_CONFIG: trustFile(key, ISS), CDS_HOOKS_BASE_URLS: PUBLIC_BASE, CDS_HOOKS_REDIS_URL: redis.url };
    copies.push(...(await Promise.all([startServiceProcess(env), startServiceProcess(env)])));
  });

  afterAll(async () => {
    await Promise.all(copies.map((copy) => stopProcess(copy.child)));
    await redis?.stop();
  });

  const call = (copy: ServiceProcess, jwt: string) => fetch(`${copy.base}${SERVICE}`, { method: 'POST', body: BODY, headers: { Authorization: `Bearer ${jwt}`, 'Content-Type': 'application/json' } });
  const token = () => sign(key, { iss: ISS, aud: `${PUBLIC_BASE}${SERVICE}` });

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
    await redis!.stop();
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
