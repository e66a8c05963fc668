/**
 * What the tests of the worklist against any Bulk Data server share: an export of four sample
 * patients, one ES384 key, test servers closed after each test, and shortcuts to run the
 * worklist or the export client against them.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { BackendServicesAuth, readSigningKey } from '../../src/bulk/backend-auth';
import { runGroupExport } from '../../src/bulk/export-client';
import { runCli, SAMPLES } from '../cli/run-cli';
import { bundleAsExport, writeExport } from '../worklist/export-fixtures';
import { startBulkServer, type BulkServer, type BulkServerOptions } from './bulk-server';

export const root = mkdtempSync(join(tmpdir(), 'jak-any-bulk-'));
export const CLIENT = 'jak-readiness-worklist';
export const TYPES = ['Patient', 'Condition', 'Observation', 'MedicationRequest', 'MedicationStatement', 'Medication', 'Immunization'];
const SAMPLE_FILES = readdirSync(SAMPLES).filter((f) => f.startsWith('smart-gsd-r4__')).slice(0, 4);
export const exportDir = join(root, 'served');
writeExport(exportDir, SAMPLE_FILES.flatMap((f) => bundleAsExport(join(SAMPLES, f))), { types: TYPES });
export const observationLines = readFileSync(join(exportDir, 'Observation.ndjson'), 'utf8').split('\n').filter(Boolean).length;

let key: Promise<{ privatePath: string; jwks: BulkServerOptions['jwks'] }> | undefined;
export const sharedKey = () => (key ??= (async () => {
  const result = await runCli(['backend-key', join(root, 'es'), '--alg', 'ES384']);
  expect(result.code).toBe(0);
  return { privatePath: join(root, 'es.private.jwk.json'), jwks: JSON.parse(readFileSync(join(root, 'es.jwks.json'), 'utf8')) };
})());

let servers: BulkServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
export async function server(options: Omit<BulkServerOptions, 'exportDir' | 'clientId' | 'jwks'> & { exportDir?: string }) {
  const s = await startBulkServer({ exportDir, clientId: CLIENT, jwks: (await sharedKey()).jwks, pollsBeforeDone: 0, ...options });
  servers.push(s);
  return s;
}
export const worklist = async (s: BulkServer, ...more: string[]) =>
  runCli(['worklist', '--fhir', s.base, '--group', 'clinic', '--client-id', CLIENT, '--key', (await sharedKey()).privatePath, '--now', '2021-03-01', '--format', 'json', ...more]);
export const typesAsked = (s: BulkServer) => s.requests.filter((r) => r.path.includes('$export')).map((r) => new URL(r.path, 'http://x').searchParams.get('_type')!.split(','));
export const deletes = (s: BulkServer) => s.requests.filter((r) => r.method === 'DELETE' && r.path === '/jobs/1');

/** runGroupExport straight, for the waits measured in seconds rather than --max-wait minutes. */
export async function exportWith(s: BulkServer, maxWaitMs: number, backoffMs?: number) {
  const auth = new BackendServicesAuth({ base: s.base, clientId: CLIENT, key: readSigningKey((await sharedKey()).privatePath), scope: 'system/Patient.read' });
  const progress: string[] = [];
  const started = Date.now();
  const run = runGroupExport({ base: s.base, group: 'clinic', types: TYPES, auth, dir: mkdtempSync(join(root, 'dl-')), maxWaitMs, ...(backoffMs ? { backoffMs } : {}), onProgress: (t) => progress.push(t) });
  return { run, progress, started };
}

