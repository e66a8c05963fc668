/**
 * `jak-readiness worklist --fhir <base> --group <id>` against a bulk server started on loopback:
 * SMART Backend Services sign-in (a key pair made by `jak-readiness backend-key`, verified by
 * the server with the public key), kick-off, polling at the server's Retry-After, manifest,
 * files with the token, and the failures: a failed job, an expired token, a refused token, a
 * wrong key, a server that never finishes.
 */
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendServicesAuth, readSigningKey } from '../../src/bulk/backend-auth';
import { runGroupExport } from '../../src/bulk/export-client';
import type { WorklistRow } from '../../src/worklist/row';
import { runCli, SAMPLES } from '../cli/run-cli';
import { bundleAsExport, writeExport } from '../worklist/export-fixtures';
import { startBulkServer, type BulkServer, type BulkServerOptions } from './bulk-server';

const root = mkdtempSync(join(tmpdir(), 'jak-bulk-'));
const CLIENT = 'jak-readiness-worklist';
const TYPES = ['Patient', 'Condition', 'Observation', 'MedicationRequest', 'MedicationStatement', 'Medication', 'Immunization', 'ServiceRequest'];
const SAMPLE_FILES = readdirSync(SAMPLES).filter((f) => f.startsWith('smart-gsd-r4__')).slice(0, 4);
const exportDir = join(root, 'served');
writeExport(exportDir, SAMPLE_FILES.flatMap((f) => bundleAsExport(join(SAMPLES, f))), { types: TYPES });

async function makeKey(name: string, alg: 'ES384' | 'RS384') {
  const result = await runCli(['backend-key', join(root, name), '--alg', alg]);
  expect(result.code).toBe(0);
  const privatePath = join(root, `${name}.private.jwk.json`);
  expect(statSync(privatePath).mode & 0o777).toBe(0o600); // the private key is readable by its owner only
  return { privatePath, jwks: JSON.parse(readFileSync(join(root, `${name}.jwks.json`), 'utf8')) };
}

/**
 * One ES384 key for the tests where which key signs does not matter: each `backend-key` run is a
 * process of its own (about 0.3 s of CPU on 2 cores). The first test makes it and checks it.
 */
let esKey: ReturnType<typeof makeKey> | undefined;
const sharedEsKey = () => (esKey ??= makeKey('es', 'ES384'));

let servers: BulkServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
async function server(options: Omit<BulkServerOptions, 'exportDir' | 'clientId'>) {
  const s = await startBulkServer({ exportDir, clientId: CLIENT, ...options });
  servers.push(s);
  return s;
}
const worklist = (s: BulkServer, key: string, ...more: string[]) =>
  runCli(['worklist', '--fhir', s.base, '--group', 'clinic', '--client-id', CLIENT, '--key', key, '--now', '2021-03-01', '--format', 'json', ...more]);

describe('worklist straight from the EHR (Bulk Data + SMART Backend Services)', () => {
  it('signs in with an ES384 assertion, kicks off, polls at the server\'s pace, downloads with the token and lists every patient', async () => {
    const key = await sharedEsKey();
    expect(JSON.stringify(key.jwks)).not.toMatch(/"d"/); // the public set carries no private part
    const s = await server({ jwks: key.jwks, pollsBeforeDone: 2, retryAfterSeconds: 1 });
    const result = await worklist(s, key.privatePath);
    expect(result.stderr).toMatch(/worklist of 4 patients/);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as WorklistRow[];
    expect(rows.map((r) => r.patientId).sort()).toEqual(SAMPLE_FILES.map((f) => f.replace(/^smart-gsd-r4__|\.json$/g, '')).sort());

    // The assertion: iss = sub = client id, aud = token URL, exp ≤ 5 min, a jti, the key's kid, ES384.
    expect(s.assertions).toHaveLength(1);
    const [{ header, claims }] = s.assertions as [BulkServer['assertions'][number]];
    expect(header).toMatchObject({ alg: 'ES384', typ: 'JWT', kid: key.jwks.keys[0].kid });
    expect(claims).toMatchObject({ iss: CLIENT, sub: CLIENT, aud: s.tokenUrl });
    expect((claims.exp as number) - (claims.iat as number)).toBeLessThanOrEqual(300);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    const tokenRequest = s.requests.find((r) => r.path === '/auth/token')!;
    expect(tokenRequest.method).toBe('POST');

    // Kick-off: Group export of exactly the types the worklist reads, async, FHIR JSON.
    const kickoff = s.requests.find((r) => r.path.includes('$export'))!;
    expect(new URL(kickoff.path, 'http://x').searchParams.get('_type')!.split(',').sort()).toEqual([...TYPES].sort());
    expect(kickoff.headers).toMatchObject({ accept: 'application/fhir+json', prefer: 'respond-async, handling=lenient', authorization: 'Bearer token-1' });
    expect(kickoff.status).toBe(202);

    // Polling honours Retry-After (1 s) and stops at the manifest; files carry the token; the job is released.
    const polls = s.requests.filter((r) => r.path === '/jobs/1' && r.method === 'GET');
    expect(polls.map((p) => p.status)).toEqual([202, 202, 200]);
    for (let i = 1; i < polls.length; i++) expect(polls[i]!.at - polls[i - 1]!.at).toBeGreaterThanOrEqual(950);
    const downloads = s.requests.filter((r) => r.path.startsWith('/files/'));
    expect(downloads.length).toBe(readdirSync(exportDir).length);
    for (const d of downloads) expect(d.headers.authorization).toBe('Bearer token-1');
    expect(s.requests.some((r) => r.method === 'DELETE' && r.path === '/jobs/1')).toBe(true);
  }, 60_000);

  it('signs in with an RS384 key too, asks for system/<type>.read scopes, and keeps the download when asked', async () => {
    const key = await makeKey('rs', 'RS384');
    const s = await server({ jwks: key.jwks, pollsBeforeDone: 0 });
    const keep = join(root, 'kept');
    const result = await worklist(s, key.privatePath, '--download-dir', keep);
    expect(result.code).toBe(0);
    expect(s.assertions[0]!.header.alg).toBe('RS384');
    expect(s.assertions[0]!.scope!.split(' ').sort()).toEqual(TYPES.map((t) => `system/${t}.read`).sort());
    expect(readdirSync(keep)).toEqual(expect.arrayContaining(['manifest.json', 'Patient.1.ndjson', 'Observation.1.ndjson']));
    const manifest = JSON.parse(readFileSync(join(keep, 'manifest.json'), 'utf8'));
    expect(manifest.request).toMatch(/\$export\?_type=Patient,Condition/);
  }, 60_000);

  it('signs in again once when the token expires during the export, then goes on', async () => {
    const key = await sharedEsKey();
    const s = await server({ jwks: key.jwks, pollsBeforeDone: 1, retryAfterSeconds: 1, tokenUses: 2 });
    const result = await worklist(s, key.privatePath);
    expect(result.stderr).toMatch(/worklist of 4 patients/);
    expect(result.code).toBe(0);
    expect(s.tokensIssued).toBeGreaterThanOrEqual(2);
    // (The final DELETE that releases the job is a courtesy: its 401 is not retried.)
    const refused = s.requests.filter((r) => r.status === 401 && r.method === 'GET');
    expect(refused.length).toBeGreaterThanOrEqual(1);
    // Every refused request is followed by a new sign-in, then the same request again, which succeeds.
    for (const r of refused) {
      const after = s.requests.slice(s.requests.indexOf(r) + 1);
      expect(after[0]!.path).toBe('/auth/token');
      expect(after[1]).toMatchObject({ path: r.path, status: expect.any(Number) });
      expect([200, 202]).toContain(after[1]!.status);
    }
  }, 60_000);

  it('stops with one clear line when the new token is refused as well (no loop)', async () => {
    const key = await sharedEsKey();
    const s = await server({ jwks: key.jwks, refuseAllTokens: true });
    const result = await worklist(s, key.privatePath);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/the server refused the access token again after a new sign-in \(HTTP 401: access token expired or not valid\)/);
    expect(s.requests.filter((r) => r.path === '/auth/token')).toHaveLength(2);
  }, 60_000);

  it('reports a failed export job with the server\'s own words', async () => {
    const key = await sharedEsKey();
    const s = await server({ jwks: key.jwks, failJob: true });
    const result = await worklist(s, key.privatePath);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    // After the progress lines of a long wait, the last line says why.
    expect(result.stderr.trimEnd().split('\n').at(-1)).toMatch(/^jak-readiness: bulk export from http:\/\/127\.0\.0\.1:\d+\/fhir: the export failed on the server \(HTTP 500: export job failed: database connection lost\)$/);
  }, 60_000);

  it('says when the server does not know the key, the group, or cannot be reached', async () => {
    const key = await sharedEsKey();
    const other = await makeKey('unknown', 'ES384');
    const s = await server({ jwks: key.jwks });
    const wrongKey = await worklist(s, other.privatePath);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/the authorization server refused to sign in client jak-readiness-worklist \(HTTP 400: invalid_client: assertion not valid/);
    const wrongGroup = await runCli(['worklist', '--fhir', s.base, '--group', 'nope', '--client-id', CLIENT, '--key', key.privatePath]);
    expect(wrongGroup.code).toBe(1);
    expect(wrongGroup.stderr).toMatch(/did not start the export of Group nope \(HTTP 404: Group\/nope not found\)/);
    const publicOnly = await runCli(['worklist', '--fhir', s.base, '--group', 'clinic', '--client-id', CLIENT, '--key', join(root, 'es.jwks.json')]);
    expect(publicOnly.code).toBe(2);
    expect(publicOnly.stderr).toMatch(/holds no private key/);
    await s.close();
    servers = [];
    const gone = await worklist(s, key.privatePath);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/could not be reached \(ECONNREFUSED\)/);
  }, 60_000);

  it('never sends the token to another server than the FHIR server, whatever the manifest says', async () => {
    const key = await sharedEsKey();
    const s = await server({ jwks: key.jwks, pollsBeforeDone: 0, fileHost: 'localhost' });
    const result = await worklist(s, key.privatePath);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the manifest asks for the access token on http:\/\/localhost:\d+, another server than http:\/\/127\.0\.0\.1:\d+; refusing to send it there/);
    expect(s.requests.some((r) => r.path.startsWith('/files/'))).toBe(false);
  }, 60_000);

  it('never waits for ever: polling stops at the cap with a message', async () => {
    const key = await sharedEsKey();
    const s = await server({ jwks: key.jwks, neverDone: true, retryAfterSeconds: 1 });
    const auth = new BackendServicesAuth({ base: s.base, clientId: CLIENT, key: readSigningKey(key.privatePath), scope: 'system/Patient.read' });
    const dir = mkdtempSync(join(root, 'never-'));
    const started = Date.now();
    await expect(runGroupExport({ base: s.base, group: 'clinic', types: TYPES, auth, dir, maxWaitMs: 2500 })).rejects.toThrow(/^gave up after [23] s: the export was still running \(\d+ checks, last progress: \d+% done\); stopped waiting at the --max-wait of 3 s/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(s.requests.filter((r) => r.path === '/jobs/1').length).toBeGreaterThanOrEqual(2);
  }, 30_000);

  it('reads the errors the server lists in the manifest as data that may be missing', async () => {
    const key = await sharedEsKey();
    const dir = join(root, 'served-with-errors');
    writeExport(dir, SAMPLE_FILES.slice(0, 2).flatMap((f) => bundleAsExport(join(SAMPLES, f))), { types: TYPES });
    writeFileSync(join(dir, 'OperationOutcome.ndjson'), `${JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception', diagnostics: 'Immunization: 3 resources could not be exported' }] })}\n`);
    const s = await startBulkServer({ exportDir: dir, clientId: CLIENT, jwks: key.jwks, pollsBeforeDone: 0 });
    servers.push(s);
    const result = await worklist(s, key.privatePath);
    expect(result.code).toBe(3); // the worklist is written; the export was incomplete
    expect(result.stderr).toMatch(/the server reported an error during the export: Immunization: 3 resources could not be exported/);
    for (const row of JSON.parse(result.stdout) as WorklistRow[]) expect(row.couldNotCheck.join(' ')).toMatch(/Immunization: (incomplete: )?the export failed for Immunization/);
  }, 60_000);
});
