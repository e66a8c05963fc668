/**
 * `worklist --fhir <base> --group <id>`: SMART Backend Services sign-in and a Group $export,
 * downloaded to a folder (temporary unless --download-dir) that the worklist then reads.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackendServicesAuth, KeyFileError, readSigningKey } from '../bulk/backend-auth';
import { scopesFor } from '../bulk/export-types';
import { runGroupExport } from '../bulk/export-client';
import { BulkError } from '../bulk/http';
import { chooseTypes, readServerTypes } from '../bulk/server-types';
import { EXIT, RunFailure, UsageError } from './args';

export interface FhirSource {
  fhir: string;
  group: string;
  clientId: string;
  key: string;
  scope?: string;
  downloadDir?: string;
  maxWaitMinutes?: number;
  /** --types: exactly these types, whatever the server's CapabilityStatement says. */
  types?: string[];
}

export async function downloadGroupExport(source: FhirSource, progress: (text: string) => void): Promise<{ dir: string; cleanup: () => void; notes: string[] }> {
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
  // Types from the server (its CapabilityStatement) unless --types says; the scopes follow the types.
  progress('reading what the server offers');
  const server = source.types ? {} : await readServerTypes(source.fhir);
  const choice = chooseTypes(server.types, source.types, server.problem);
  const notes = [`asked for ${choice.ask.join(', ')}: ${choice.source}`];
  const auth = new BackendServicesAuth({ base: source.fhir, clientId: source.clientId, key, scope: source.scope ?? scopesFor(choice.ask) });
  // Interrupted (Ctrl-C, a scheduler's SIGTERM): the job is cancelled on the server before the process ends.
  let cancel: (() => Promise<void>) | undefined;
  const interrupted = (signal: NodeJS.Signals) => {
    process.stderr.write(`\njak-readiness: stopped by ${signal}: cancelling the export on the server\n`);
    void (cancel ?? (async () => {}))().finally(() => {
      cleanup();
      process.exit(EXIT.INTERRUPTED);
    });
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const result = await runGroupExport({
      base: source.fhir,
      group: source.group,
      types: choice.ask,
      notAsked: choice.notAsked,
      auth,
      dir,
      ...(source.maxWaitMinutes ? { maxWaitMs: source.maxWaitMinutes * 60_000 } : {}),
      onProgress: progress,
      onJob: (c) => (cancel = c),
    });
    notes.push(...result.notes);
  } catch (error) {
    cleanup();
    if (error instanceof BulkError) throw new RunFailure(`bulk export from ${source.fhir}: ${error.message}`);
    throw error;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
  return { dir, cleanup, notes };
}
