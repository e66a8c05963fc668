/** The Bulk client's small parts: Retry-After, timeouts, the token endpoint check, key files. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverTokenUrl, KeyFileError, readSigningKey } from '../../src/bulk/backend-auth';
import { BulkError, request, retryAfterMs } from '../../src/bulk/http';

const servers: Server[] = [];
afterAll(() => servers.forEach((s) => { s.closeAllConnections(); s.close(); }));

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('Bulk Data HTTP', () => {
  it('reads Retry-After in seconds or as a date', () => {
    const now = Date.parse('2026-11-27T10:00:00Z');
    expect(retryAfterMs(new Response(null, { headers: { 'retry-after': '120' } }), now)).toBe(120_000);
    expect(retryAfterMs(new Response(null, { headers: { 'retry-after': 'Fri, 27 Nov 2026 10:00:30 GMT' } }), now)).toBe(30_000);
    expect(retryAfterMs(new Response(null, { headers: { 'retry-after': 'soon' } }), now)).toBeUndefined();
    expect(retryAfterMs(new Response(null), now)).toBeUndefined();
  });

  it('gives up on a server that never answers, with a message', async () => {
    const base = await serve(() => { /* never answers */ });
    // (A timeout is worth another try within --max-wait: it is marked transient.)
    await expect(request(`${base}/fhir/Group/g/$export?secret=1`, { timeoutMs: 300 })).rejects.toThrow(new BulkError(`${base}/fhir/Group/g/$export did not answer within 0 s`, undefined, true));
  });

  it('refuses a token endpoint that is not https (unless on this machine)', async () => {
    const base = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ token_endpoint: req.url?.includes('remote') ? 'http://auth.example.org/token' : `http://127.0.0.1:1/token` }));
    });
    await expect(discoverTokenUrl(`${base}/remote`)).rejects.toThrow(/not https; refusing to send credentials there/);
    await expect(discoverTokenUrl(`${base}/local`)).resolves.toBe('http://127.0.0.1:1/token');
  });
});

describe('key files for SMART Backend Services', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jak-keys-'));
  const write = (name: string, value: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
    return path;
  };

  it('takes an RSA or P-384 private JWK, alone or in a set, and infers RS384/ES384 when alg is absent', async () => {
    const rsa = await exportJWK((await generateKeyPair('RS384', { extractable: true })).privateKey);
    const ec = await exportJWK((await generateKeyPair('ES384', { extractable: true })).privateKey);
    expect(readSigningKey(write('rsa.json', rsa)).alg).toBe('RS384');
    expect(readSigningKey(write('set.json', { keys: [{ ...ec, kid: 'k1' }] }))).toMatchObject({ alg: 'ES384', kid: 'k1' });
  });

  it('refuses public keys, other algorithms and curves, and files that are not JSON', async () => {
    const ec256 = await exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey);
    const ec384 = await exportJWK((await generateKeyPair('ES384', { extractable: true })).publicKey);
    expect(() => readSigningKey(write('p256.json', ec256))).toThrow(/not allowed; SMART Backend Services use RS384 \(RSA\) or ES384 \(EC P-384\)/);
    expect(() => readSigningKey(write('rs256.json', { ...ec256, alg: 'RS256' }))).toThrow(KeyFileError);
    expect(() => readSigningKey(write('public.json', { keys: [ec384] }))).toThrow(/holds no private key/);
    expect(() => readSigningKey(write('text.json', 'not json'))).toThrow(/is not JSON/);
    expect(() => readSigningKey(join(dir, 'missing.json'))).toThrow(/no such file/);
  });
});
