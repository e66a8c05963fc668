/**
 * `worklist --fhir <base> --group <id>`: SMART Backend Services sign-in and a Group $export,
 * downloaded to a folder (temporary unless --download-dir) that the worklist then reads.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackendServicesAuth, KeyFileError, readSigningKey } from '../bulk/backend-auth';
import { EXPORT_TYPES } from '../bulk/export-folder';
import { runGroupExport } from '../bulk/export-client';
import { BulkError } from '../bulk/http';
import { RunFailure, UsageError } from './args';

export interface FhirSource {
  fhir: string;
  group: string;
  clientId: string;
  key: string;
  scope?: string;
  downloadDir?: string;
  maxWaitMinutes?: number;
}

/** The narrowest scopes for the export: read access to each type the worklist reads (SMART v1 `system/` form). */
export function defaultScopes(): string {
  return EXPORT_TYPES.map((type) => `system/${type}.read`).join(' ');
}

export async function downloadGroupExport(source: FhirSource, progress: (text: string) => void): Promise<{ dir: string; cleanup: () => void }> {
  let key;
  try {
    key = readSigningKey(source.key);
  } catch (error) {
    if (error instanceof KeyFileError) throw new UsageError(error.message);
    throw error;
  }
  let dir: string;
  let cleanup = () => {};
  if (source.downloadDir) {
    dir = source.downloadDir;
    mkdirSync(dir, { recursive: true });
    if (readdirSync(dir).some((f) => /\.ndjson(\.gz)?$|^manifest\.json$/.test(f))) {
      throw new UsageError(`--download-dir ${dir} already holds an export; give an empty folder`);
    }
  } else {
    dir = mkdtempSync(join(tmpdir(), 'jak-bulk-export-'));
    cleanup = () => rmSync(dir, { recursive: true, force: true });
  }
  const auth = new BackendServicesAuth({ base: source.fhir, clientId: source.clientId, key, scope: source.scope ?? defaultScopes() });
  try {
    await runGroupExport({
      base: source.fhir,
      group: source.group,
      types: EXPORT_TYPES,
      auth,
      dir,
      ...(source.maxWaitMinutes ? { maxWaitMs: source.maxWaitMinutes * 60_000 } : {}),
      onProgress: progress,
    });
  } catch (error) {
    cleanup();
    if (error instanceof BulkError) throw new RunFailure(`bulk export from ${source.fhir}: ${error.message}`);
    throw error;
  }
  return { dir, cleanup };
}
