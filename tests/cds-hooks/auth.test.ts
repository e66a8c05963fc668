/**
 * The CDS client's JWT (CDS Hooks 2.0, "Trusting CDS Clients"): one test per rule, each through
 * HTTP against the running service. A call that passes authentication drafts a non-JAK order, so
 * it answers 200 with no cards and needs no FHIR data.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftBundle, draftOrder, hookRequest, makeKey, ORDER_SELECT, post, sign, startService, TEST_ISS, TEST_JKU, unsignedJwt, type RunningService, type TestKey } from './helpers';

let es: TestKey;
let rs: TestKey;
let service: RunningService;

beforeAll(async () => {
  [es, rs] = await Promise.all([makeKey('ES384'), makeKey('RS384')]);
  service = await startService([es, rs]);
});
afterAll(async () => {
  await service?.close();
});

const body = () => hookRequest('order-select', 'p1', { draftOrders: draftBundle(draftOrder('Cetirizine 10 MG Oral Tablet', 'p1')) });
const call = (jwt?: string) => post(service.url(ORDER_SELECT), body(), jwt);
const good = (key: TestKey, overrides: Partial<Parameters<typeof sign>[1]> = {}) => sign(key, { iss: TEST_ISS, aud: service.url(ORDER_SELECT), ...overrides });

/** A server that counts requests: stands in for a key set URL the service must (not) fetch. */
async function jwksServer(jwks: unknown): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    hits += 1;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(jwks));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
    hits: () => hits,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

describe('JWT checks on a service call', () => {
  it('accepts an ES384 JWT from a trusted issuer addressed to the exact service URL', async () => {
    const response = await call(await good(es));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ cards: [] });
  });

  it('accepts an RS384 JWT (the other algorithm the spec recommends)', async () => {
    expect((await call(await good(rs))).status).toBe(200);
  });

  it('accepts a JWT whose jku is on the issuer\'s allow-list (and does not fetch it: the keys are configured)', async () => {
    expect((await call(await good(es, { jku: TEST_JKU }))).status).toBe(200);
  });

  it('refuses a call without a JWT with 401 and a challenge', async () => {
    const response = await call();
    expect(response.status).toBe(401);
    expect(response.body.message).toMatch(/Missing JWT/);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    // A browser client (the reference sandbox) can read the refusal.
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('refuses an unsigned JWT (alg "none")', async () => {
    const now = Math.floor(Date.now() / 1000);
    const response = await call(unsignedJwt({ iss: TEST_ISS, aud: service.url(ORDER_SELECT), iat: now, exp: now + 300, jti: 'n1' }, es.kid));
    expect(response.status).toBe(401);
    expect(response.body.message).toMatch(/alg "none"/);
  });

  it('refuses an HMAC-signed JWT (HS256), even one keyed with the public key', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(es.jwks.keys[0]));
    const jwt = await new SignJWT({ jti: 'h1' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: es.kid })
      .setIssuer(TEST_ISS)
      .setAudience(service.url(ORDER_SELECT))
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(secret);
    const response = await call(jwt);
    expect(response.status).toBe(401);
    expect(response.body.message).toMatch(/HS256.*symmetric/);
  });

  it('refuses a JWT for another audience: localhost is not 127.0.0.1', async () => {
    const response = await call(await good(es, { aud: service.url(ORDER_SELECT).replace('127.0.0.1', 'localhost') }));
    expect(response.status).toBe(401);
    expect(response.body.message).toMatch(/"aud" must be exactly the URL called/);
  });

  it('refuses a JWT addressed to another endpoint of the same service (discovery)', async () => {
    const response = await call(await good(es, { aud: service.url('/cds-services') }));
    expect(response.status).toBe(401);
    expect(response.body.message).toMatch(/aud/);
  });

  it('refuses an expired JWT', async () => {
    const response = await call(await good(es, { iatOffset: -1000, lifetime: 300 }));
    expect(response.status).toBe(401);
    expect(response.body.message).toMatch(/expired/);
  });

  it('refuses a replayed JWT (same jti twice)', async () => {
    const jwt = await good(es);
    expect((await call(jwt)).status).toBe(200);
    const again = await call(jwt);
    expect(again.status).toBe(401);
    expect(again.body.message).toMatch(/replayed/);
  });

  it('refuses a JWT from an issuer that is not trusted, even if its key matches', async () => {
    const response = await call(await good(es, { iss: 'https://stranger.example' }));
    expect(response.status).toBe(401);
    expect(response.body.message).toMatch(/Untrusted issuer "https:\/\/stranger\.example"/);
  });

  it('refuses a jku that is not on the allow-list, without fetching it', async () => {
    const attacker = await jwksServer(es.jwks);
    try {
      const response = await call(await good(es, { jku: attacker.url }));
      expect(response.status).toBe(401);
      expect(response.body.message).toMatch(/jku/);
      expect(attacker.hits()).toBe(0);
    } finally {
      await attacker.close();
    }
  });

  it('refuses a JWT signed by another key under a trusted kid', async () => {
    const impostor = await makeKey('ES384');
    const jwt = await sign({ ...impostor, kid: es.kid }, { iss: TEST_ISS, aud: service.url(ORDER_SELECT) });
    const response = await call(jwt);
    expect(response.status).toBe(401);
    expect(response.body.message).toMatch(/signature/);
  });

  it('says the algorithm does not match the key when an ES256 token names the P-384 key\'s kid', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const jwt = await sign({ ...es, alg: 'ES256' as never, privateKey }, { iss: TEST_ISS, aud: service.url(ORDER_SELECT) });
    const response = await call(jwt);
    expect(response.status).toBe(401);
    expect(response.body.message).toBe(`JWT algorithm ES256 does not match the issuer's key "${es.kid}" (EC P-384, for ES384): sign with the algorithm of that key.`);
    expect(response.body.message).not.toMatch(/No key with kid/);
  });

  it('says no key has the kid when none has', async () => {
    const response = await call(await sign({ ...es, kid: 'unknown-kid' }, { iss: TEST_ISS, aud: service.url(ORDER_SELECT) }));
    expect(response.status).toBe(401);
    expect(response.body.message).toBe('No key with kid "unknown-kid" for ES384 in the issuer\'s key set.');
  });

  it('allows 30 s of clock skew on exp, not more', async () => {
    expect((await call(await good(es, { iatOffset: -310, lifetime: 300 }))).status).toBe(200);
    expect((await call(await good(es, { iatOffset: -340, lifetime: 300 }))).status).toBe(401);
  });

  it('refuses a JWT issued in the future', async () => {
    const response = await call(await good(es, { iatOffset: 600, lifetime: 300 }));
    expect(response.status).toBe(401);
    expect(response.body.message).toMatch(/"iat"/);
  });

  it('refuses a JWT whose header typ is not JWT', async () => {
    const jwt = await new SignJWT({ jti: 't1' })
      .setProtectedHeader({ alg: 'ES384', typ: 'dpop+jwt', kid: es.kid })
      .setIssuer(TEST_ISS)
      .setAudience(service.url(ORDER_SELECT))
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(es.privateKey);
    const response = await call(jwt);
    expect(response.status).toBe(401);
    expect(response.body.message).toMatch(/typ must be "JWT"/);
  });

  it('refuses a JWT without a jti, and one that lives longer than the service allows', async () => {
    expect((await call(await good(es, { omit: ['jti'] }))).body.message).toMatch(/"jti"/);
    const long = await call(await good(es, { lifetime: 3600 }));
    expect(long.status).toBe(401);
    expect(long.body.message).toMatch(/lifetime/);
  });

  it('refuses an unsigned feedback call', async () => {
    const response = await post(service.url(`${ORDER_SELECT}/feedback`), { feedback: [] });
    expect(response.status).toBe(401);
  });
});

describe('where the keys come from', () => {
  it('the HL7 reference sandbox\'s token: ES384, its iss and jku (unreachable offline), keys from a file, no sub', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadTrustConfig } = await import('../../src/cds-hooks/config');
    const dir = mkdtempSync(join(tmpdir(), 'cds-trust-'));
    writeFileSync(join(dir, 'sandbox-jwks.json'), JSON.stringify(es.jwks));
    const jku = 'https://sandbox.cds-hooks.org/.well-known/jwks.json';
    writeFileSync(join(dir, 'trust.json'), JSON.stringify({ issuers: [{ iss: 'https://sandbox.cds-hooks.org', jwksFile: 'sandbox-jwks.json', jku: [jku] }] }));
    const config = loadTrustConfig(join(dir, 'trust.json'));
    const alone = await startService([], { issuers: [{ iss: 'https://sandbox.cds-hooks.org', jwks: config.issuers[0]!.jwks, jku: [jku] }] });
    try {
      const jwt = await sign(es, { iss: 'https://sandbox.cds-hooks.org', aud: alone.url(ORDER_SELECT), jku, lifetime: 300 });
      expect((await post(alone.url(ORDER_SELECT), body(), jwt)).status).toBe(200);
    } finally {
      await alone.close();
    }
  });

  it('fetches an issuer\'s key set from its allowed jku when no other source is configured', async () => {
    const keys = await jwksServer(es.jwks);
    const alone = await startService([], { issuers: [{ iss: 'https://jku-only.example', jku: [keys.url] }] });
    try {
      const jwt = await sign(es, { iss: 'https://jku-only.example', aud: alone.url(ORDER_SELECT), jku: keys.url });
      expect((await post(alone.url(ORDER_SELECT), body(), jwt)).status).toBe(200);
      expect(keys.hits()).toBe(1);
    } finally {
      await alone.close();
      await keys.close();
    }
  });

  it('fetches the key set from the jwksUrl the site configured, whatever jku the token names', async () => {
    const keys = await jwksServer(rs.jwks);
    const alone = await startService([], { issuers: [{ iss: 'https://url.example', jwksUrl: keys.url, jku: ['https://url.example/jwks'] }] });
    try {
      const jwt = await sign(rs, { iss: 'https://url.example', aud: alone.url(ORDER_SELECT), jku: 'https://url.example/jwks' });
      expect((await post(alone.url(ORDER_SELECT), body(), jwt)).status).toBe(200);
      expect(keys.hits()).toBe(1);
    } finally {
      await alone.close();
      await keys.close();
    }
  });
});

describe('replay protection', () => {
  it('is per instance unless copies share a ReplayStore: with one shared store, a token used on one copy is refused on the other', async () => {
    const { MemoryReplayStore } = await import('../../src/cds-hooks/replay-cache');
    const shared = new MemoryReplayStore();
    const publicUrl = 'https://cds.hospital.example';
    const a = await startService([es], { baseUrls: [publicUrl] }, { replayStore: shared });
    const b = await startService([es], { baseUrls: [publicUrl] }, { replayStore: shared });
    try {
      const jwt = await sign(es, { iss: TEST_ISS, aud: `${publicUrl}${ORDER_SELECT}` });
      expect((await post(a.url(ORDER_SELECT), body(), jwt)).status).toBe(200);
      const replay = await post(b.url(ORDER_SELECT), body(), jwt);
      expect(replay.status).toBe(401);
      expect(replay.body.message).toMatch(/replayed/);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('a full store answers 503 rather than accepting a token it cannot remember', async () => {
    const { MemoryReplayStore } = await import('../../src/cds-hooks/replay-cache');
    const tiny = await startService([es], {}, { replayStore: new MemoryReplayStore(1) });
    try {
      const jwtFor = () => sign(es, { iss: TEST_ISS, aud: tiny.url(ORDER_SELECT) });
      expect((await post(tiny.url(ORDER_SELECT), body(), await jwtFor())).status).toBe(200);
      const full = await post(tiny.url(ORDER_SELECT), body(), await jwtFor());
      expect(full.status).toBe(503);
      expect(full.body.message).toMatch(/too many tokens in flight/);
    } finally {
      await tiny.close();
    }
  });

  it('the in-memory store forgets expired tokens and, full of live ones, refuses rather than forgets', async () => {
    const { MemoryReplayStore, ReplayStoreFullError } = await import('../../src/cds-hooks/replay-cache');
    let now = 1000;
    const store = new MemoryReplayStore(2, () => now);
    expect(store.claim('a', 1100)).toBe(true);
    expect(store.claim('a', 1100)).toBe(false);
    expect(store.claim('b', 1200)).toBe(true);
    expect(() => store.claim('c', 1300)).toThrow(ReplayStoreFullError);
    now = 1150; // 'a' has expired: its room is reused
    expect(store.claim('c', 1300)).toBe(true);
    expect(store.size).toBe(2);
  });
});

describe('discovery', () => {
  it('is public by default: lists the three services without a JWT', async () => {
    const response = await fetch(service.url('/cds-services'));
    expect(response.status).toBe(200);
    const { services } = (await response.json()) as { services: Array<{ hook: string }> };
    expect(services.map((s) => s.hook)).toEqual(['order-select', 'order-sign', 'patient-view']);
  });

  it('asks for a JWT addressed to /cds-services when the site sets discoveryRequiresAuth', async () => {
    const strict = await startService([es], { discoveryRequiresAuth: true });
    try {
      expect((await fetch(strict.url('/cds-services'))).status).toBe(401);
      const jwt = await sign(es, { iss: TEST_ISS, aud: strict.url('/cds-services') });
      expect((await fetch(strict.url('/cds-services'), { headers: { Authorization: `Bearer ${jwt}` } })).status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});
