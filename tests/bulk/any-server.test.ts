/**
 * The worklist against any Bulk Data server (issue 21): types from the server's
 * CapabilityStatement, a file served short of its manifest count, transient 500s, 429 with each
 * Retry-After form, DELETE whenever the client gives up, failed files in the manifest, a server
 * that refuses `Prefer: handling=lenient`. Each runs against the loopback test server.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendServicesAuth, readSigningKey } from '../../src/bulk/backend-auth';
import { runGroupExport } from '../../src/bulk/export-client';
import { readRetryAfter, shortId } from '../../src/bulk/http';
import type { WorklistRow } from '../../src/worklist/row';
import { runCli, SAMPLES } from '../cli/run-cli';
import { bundleAsExport, writeExport } from '../worklist/export-fixtures';
import { startBulkServer, type BulkServer, type BulkServerOptions } from './bulk-server';

const root = mkdtempSync(join(tmpdir(), 'jak-any-bulk-'));
const CLIENT = 'jak-readiness-worklist';
const TYPES = ['Patient', 'Condition', 'Observation', 'MedicationRequest', 'MedicationStatement', 'Medication', 'Immunization'];
const SAMPLE_FILES = readdirSync(SAMPLES).filter((f) => f.startsWith('smart-gsd-r4__')).slice(0, 4);
const exportDir = join(root, 'served');
writeExport(exportDir, SAMPLE_FILES.flatMap((f) => bundleAsExport(join(SAMPLES, f))), { types: TYPES });
const observationLines = readFileSync(join(exportDir, 'Observation.ndjson'), 'utf8').split('\n').filter(Boolean).length;

let key: Promise<{ privatePath: string; jwks: BulkServerOptions['jwks'] }> | undefined;
const sharedKey = () => (key ??= (async () => {
  const result = await runCli(['backend-key', join(root, 'es'), '--alg', 'ES384']);
  expect(result.code).toBe(0);
  return { privatePath: join(root, 'es.private.jwk.json'), jwks: JSON.parse(readFileSync(join(root, 'es.jwks.json'), 'utf8')) };
})());

let servers: BulkServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
async function server(options: Omit<BulkServerOptions, 'exportDir' | 'clientId' | 'jwks'>) {
  const s = await startBulkServer({ exportDir, clientId: CLIENT, jwks: (await sharedKey()).jwks, pollsBeforeDone: 0, ...options });
  servers.push(s);
  return s;
}
const worklist = async (s: BulkServer, ...more: string[]) =>
  runCli(['worklist', '--fhir', s.base, '--group', 'clinic', '--client-id', CLIENT, '--key', (await sharedKey()).privatePath, '--now', '2021-03-01', '--format', 'json', ...more]);
const typesAsked = (s: BulkServer) => s.requests.filter((r) => r.path.includes('$export')).map((r) => new URL(r.path, 'http://x').searchParams.get('_type')!.split(','));
const deletes = (s: BulkServer) => s.requests.filter((r) => r.method === 'DELETE' && r.path === '/jobs/1');

/** runGroupExport straight, for the waits measured in seconds rather than --max-wait minutes. */
async function exportWith(s: BulkServer, maxWaitMs: number) {
  const auth = new BackendServicesAuth({ base: s.base, clientId: CLIENT, key: readSigningKey((await sharedKey()).privatePath), scope: 'system/Patient.read' });
  const progress: string[] = [];
  const started = Date.now();
  const run = runGroupExport({ base: s.base, group: 'clinic', types: TYPES, auth, dir: mkdtempSync(join(root, 'dl-')), maxWaitMs, onProgress: (t) => progress.push(t) });
  return { run, progress, started };
}

describe('types from the server', () => {
  it('asks only for the types the CapabilityStatement lists, in _type and in the scopes; what depends on a lacking type says why it could not be checked', async () => {
    const s = await server({ lacksTypes: ['MedicationStatement', 'Medication'] });
    const result = await worklist(s);
    expect(result.stderr).toMatch(/worklist of 4 patients/);
    expect(result.code).toBe(0); // a type the server does not have is no damaged export
    expect(typesAsked(s)).toEqual([['Patient', 'Condition', 'Observation', 'MedicationRequest', 'Immunization']]);
    expect(s.assertions[0]!.scope!.split(' ')).toEqual(['Patient', 'Condition', 'Observation', 'MedicationRequest', 'Immunization'].map((t) => `system/${t}.read`));
    expect(result.stderr).toMatch(/asked for Patient, Condition, Observation, MedicationRequest, Immunization: the types the server's CapabilityStatement lists \(it does not list MedicationStatement, Medication; --types overrides\)/);
    expect(result.stderr).toMatch(/the EHR's bulk export does not offer MedicationStatement: what depends on it is "could not check"/);
    const rows = JSON.parse(result.stdout) as WorklistRow[];
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row.couldNotCheck).toContain("MedicationStatement: the EHR's bulk export does not offer MedicationStatement");
      expect(row.todo.map((t) => t.text).join(' ')).toMatch(/medication statements .*could not be loaded \(the EHR's bulk export does not offer MedicationStatement\)/);
      expect(row.priority).toBeLessThanOrEqual(1); // never "nothing to do" with the medication list unread
      expect(row.verdicts.filter((v) => row.relevantAgents.includes(v.therapy)).every((v) => v.verdict !== 'ready')).toBe(true);
    }
  }, 60_000);

  it('without the type check, the same server refuses the sign-in (what happened before)', async () => {
    const s = await server({ lacksTypes: ['MedicationStatement'] });
    const result = await worklist(s, '--types', 'Patient,Condition,Observation,MedicationRequest,MedicationStatement,Medication,Immunization');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refused to sign in client jak-readiness-worklist \(HTTP 400: invalid_scope/);
  }, 60_000);

  it('--types overrides the server\'s list, and the scopes follow', async () => {
    const s = await server({});
    const result = await worklist(s, '--types', 'Patient,Observation');
    expect(result.code).toBe(0);
    expect(typesAsked(s)).toEqual([['Patient', 'Observation']]);
    expect(s.assertions[0]!.scope).toBe('system/Patient.read system/Observation.read');
    for (const row of JSON.parse(result.stdout) as WorklistRow[]) expect(row.couldNotCheck).toContain('Condition: Condition was left out of the export by --types');
    const bad = await worklist(s, '--types', 'Observation,Encounter');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--types: "Encounter" is not a type the worklist reads/);
  }, 60_000);

  it('leaves out a type the kick-off refuses as unavailable although the CapabilityStatement lists it, and says why', async () => {
    const s = await server({ lacksTypes: ['MedicationStatement'], capabilityListsAll: true });
    const result = await worklist(s, '--scope', 'system/*.read');
    expect(result.code).toBe(0);
    expect(typesAsked(s).at(-1)).not.toContain('MedicationStatement');
    for (const row of JSON.parse(result.stdout) as WorklistRow[]) {
      expect(row.couldNotCheck.join(' ')).toMatch(/MedicationStatement: the server refused to export MedicationStatement \(HTTP 400: The requested resource type "MedicationStatement" is not available on this server\)/);
    }
  }, 60_000);

  it('sends Prefer: handling=lenient, and asks again without it when the server refuses it', async () => {
    const s = await server({ refuseLenient: true });
    const result = await worklist(s);
    expect(result.code).toBe(0);
    const kickoffs = s.requests.filter((r) => r.path.includes('$export'));
    expect(kickoffs.map((k) => [k.headers.prefer, k.status])).toEqual([['respond-async, handling=lenient', 400], ['respond-async', 202]]);
    expect(result.stderr).toMatch(/the server refused the export with Prefer: handling=lenient .*asked again without it/);
  }, 60_000);
});

describe('integrity: files against the manifest', () => {
  it('a file served short of its manifest count (cut at a line boundary) makes every row "could not check" and exits 3', async () => {
    const s = await server({ truncate: { file: 'Observation.ndjson', lines: 5 } });
    const keep = join(root, 'kept-short');
    const result = await worklist(s, '--download-dir', keep);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(new RegExp(`Observation\\.1\\.ndjson holds 5 of the ${observationLines} resources the export's manifest lists: the file is short`));
    expect(result.stderr).toMatch(/the export is incomplete \(exit status 3\)/);
    const rows = JSON.parse(result.stdout) as WorklistRow[];
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row.couldNotCheck.join(' ')).toMatch(/Observation: incomplete: Observation\.1\.ndjson holds 5 of/);
      expect(row.priority).toBeLessThanOrEqual(1);
      expect(row.verdicts.filter((v) => row.relevantAgents.includes(v.therapy)).every((v) => v.verdict !== 'ready' && v.verdict !== 'needs-work')).toBe(true);
    }
    // The same folder given to `worklist` directly: its manifest.json is checked the same way.
    const again = await runCli(['worklist', keep, '--now', '2021-03-01', '--format', 'json']);
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(/Observation\.1\.ndjson holds 5 of the/);
    expect(JSON.parse(again.stdout)).toEqual(rows);
  }, 60_000);

  it('a failed Condition file in the manifest says the export failed for Condition, with the server\'s reason, never "there are none"', async () => {
    const s = await server({ failTypes: ['Condition'] });
    const result = await worklist(s);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/the export failed for Condition: Failed to export Condition\.ndjson: what depends on it is "could not check"/);
    expect(result.stderr).not.toMatch(/no Condition file: the export's manifest asked for Condition, so there are none/);
    for (const row of JSON.parse(result.stdout) as WorklistRow[]) expect(row.couldNotCheck.join(' ')).toMatch(/Condition: the export failed for Condition: Failed to export Condition\.ndjson/);
  }, 60_000);

  it('a failed Patient file exits 1 with the server\'s reason', async () => {
    const s = await server({ failTypes: ['Patient'] });
    const result = await worklist(s);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n').at(-1)).toMatch(/^jak-readiness: the export failed for Patient: Failed to export Patient\.ndjson; without patients there is no worklist$/);
  }, 60_000);
});

describe('retries and giving up', () => {
  it('retries a transient 500 (issue code transient) while polling, and a 500 without an OperationOutcome', async () => {
    for (const outcome of [true, false]) {
      const s = await server({ transient: { times: 2, outcome } });
      const result = await worklist(s);
      expect(result.stderr).toMatch(/worklist of 4 patients/);
      expect(result.code).toBe(0);
      const polls = s.requests.filter((r) => r.path === '/jobs/1' && r.method === 'GET').map((r) => r.status);
      expect(polls).toEqual([500, 500, 200]);
    }
  }, 60_000);

  it('retries a status check whose connection was reset', async () => {
    const s = await server({ resetChecks: 2 });
    const { run, progress } = await exportWith(s, 30_000);
    await run;
    expect(s.requests.filter((r) => r.path === '/jobs/1' && r.method === 'GET').map((r) => r.status)).toEqual([0, 0, 200]);
    expect(progress.join('\n')).toMatch(/checking the export: http:\/\/127\.0\.0\.1:\d+\/jobs\/1 could not be reached \(ECONNRESET\); trying again in 1 s/);
  }, 30_000);

  it.each([
    ['a delay in seconds', 'delay' as const],
    ['an HTTP date', 'date' as const],
    ['an epoch time (a server mistake), and says so', 'epoch' as const],
  ])('honours a 429\'s Retry-After given as %s', async (_, form) => {
    const s = await server({ rateLimit: { times: 1, form, seconds: 2 } });
    const { run, progress, started } = await exportWith(s, 30_000);
    const result = await run;
    const polls = s.requests.filter((r) => r.path === '/jobs/1' && r.method === 'GET');
    expect(polls.map((p) => p.status)).toEqual([429, 200]);
    // Waited about as long as asked (an HTTP date and epoch seconds round to the second), not the 1 s default.
    expect(polls[1]!.at - polls[0]!.at).toBeGreaterThanOrEqual(form === 'delay' ? 1950 : 1000);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(progress.join('\n')).toMatch(/checking the export: the server answered 429 Too Many Requests with Retry-After: /);
    if (form === 'epoch') expect(result.notes.join('\n')).toMatch(/the server sent Retry-After: \d{10}, a clock time in epoch seconds rather than a delay; read as 20\d\d-/);
    else expect(result.notes.join('\n')).not.toMatch(/epoch/);
    expect(deletes(s)).toHaveLength(1);
  }, 30_000);

  it('gives up when Retry-After is beyond --max-wait, names the 429 as the cause, and DELETEs the job', async () => {
    const s = await server({ rateLimit: { times: 100, form: 'epoch', seconds: 300 } });
    const { run } = await exportWith(s, 3000);
    await expect(run).rejects.toThrow(/^gave up after \d+ s: checking the export: the server answered 429 Too Many Requests with Retry-After: \d{10} \(a clock time in epoch seconds rather than a delay; read as 20\d\d-[^)]+\) \(1 try\); waiting 5 min more would pass the --max-wait of 3 s$/);
    expect(deletes(s)).toHaveLength(1);
  }, 30_000);

  it('DELETEs the job when it gives up waiting for a job that never finishes, and when the job fails', async () => {
    const never = await server({ neverDone: true, retryAfterSeconds: 1 });
    const { run } = await exportWith(never, 2500);
    await expect(run).rejects.toThrow(/^gave up after \d s: the export was still running/);
    expect(deletes(never)).toHaveLength(1);
    const failed = await server({ failJob: true, pollsBeforeDone: 1, retryAfterSeconds: 1 });
    const result = await worklist(failed);
    expect(result.code).toBe(1);
    expect(deletes(failed)).toHaveLength(1);
  }, 30_000);

  it('gives up on transient errors that never stop, within --max-wait, with the cause', async () => {
    const s = await server({ transient: { times: 1000, outcome: true } });
    const { run } = await exportWith(s, 2500);
    await expect(run).rejects.toThrow(/^gave up after \d s: checking the export: the server answered HTTP 500: An unknown error occurred \(transient_error\)\. Please try again\. \(\d tries\); waiting \d s more would pass the --max-wait of 3 s$/);
    expect(deletes(s)).toHaveLength(1);
  }, 30_000);
});

describe('messages', () => {
  it('reads Retry-After as seconds, an HTTP date, or an epoch time it names as such', () => {
    const now = Date.parse('2026-12-07T10:00:00Z');
    expect(readRetryAfter('120', now)).toEqual({ ms: 120_000 });
    expect(readRetryAfter('86400', now)).toEqual({ ms: 86_400_000 }); // a long delay is still a delay
    expect(readRetryAfter('Mon, 07 Dec 2026 10:00:30 GMT', now)).toEqual({ ms: 30_000 });
    expect(readRetryAfter(String(now / 1000 + 300), now)).toMatchObject({ ms: 300_000, note: expect.stringMatching(/epoch seconds rather than a delay; read as 2026-12-07T10:05:00\.000Z/) });
    expect(readRetryAfter(String(now + 5000), now)).toMatchObject({ ms: 5000, note: expect.stringMatching(/epoch milliseconds/) });
    expect(readRetryAfter('soon', now)).toBeUndefined();
  });

  it('shortens a long client id (a JWT of hundreds of characters) in messages', () => {
    const jwt = `eyJhbGciOiJIUzI1NiJ9.${'x'.repeat(600)}`;
    expect(shortId(jwt)).toBe('eyJhbGciOiJI…');
    expect(shortId('clinic-worklist')).toBe('clinic-worklist');
  });
});
