/**
 * A FHIR Bulk Data client for one Group export: kick-off (`Group/<id>/$export?_type=…`,
 * `Accept: application/fhir+json`, `Prefer: respond-async`), polling the status URL at the pace
 * the server asks (Retry-After), the completion manifest, and the files, streamed to a folder
 * the worklist then reads. Every wait is bounded: a timeout per request, a cap on the total
 * polling time, one new sign-in after a 401 and then a clear error.
 */
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { BackendServicesAuth } from './backend-auth';
import { isLoopback } from './backend-auth';
import { BulkError, describeUrl, errorText, request, retryAfterMs } from './http';

export interface GroupExportOptions {
  base: string;
  group: string;
  types: readonly string[];
  auth: BackendServicesAuth;
  /** Where the files go. */
  dir: string;
  /** Give up polling after this long (default 60 minutes). */
  maxWaitMs?: number;
  /** Wait when the server gives no Retry-After (default 5 s); never less than minWaitMs. */
  defaultWaitMs?: number;
  minWaitMs?: number;
  /** Longest single wait, whatever Retry-After says (default 5 minutes). */
  maxSingleWaitMs?: number;
  /** Timeout for one file download (default 15 minutes). */
  downloadTimeoutMs?: number;
  onProgress?: (text: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

export interface ManifestFile {
  type: string;
  url: string;
  count?: number;
}

export interface ExportManifest {
  transactionTime?: string;
  request?: string;
  requiresAccessToken: boolean;
  output: ManifestFile[];
  error: ManifestFile[];
}

export interface GroupExportResult {
  manifest: ExportManifest;
  files: string[];
  polls: number;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A request with the bearer token; after a 401, one new sign-in and one retry, then a clear error. */
async function authorized(auth: BackendServicesAuth, url: string, init: RequestInit & { timeoutMs?: number }, what: string): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const token = await auth.token();
    const response = await request(url, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } });
    if (response.status !== 401) return response;
    const reason = await errorText(response);
    auth.invalidate();
    if (attempt >= 1) throw new BulkError(`${what}: the server refused the access token again after a new sign-in (${reason}); check that the client's scopes cover the export`, 401);
  }
}

function parseManifest(json: unknown): ExportManifest {
  const m = json as { transactionTime?: unknown; request?: unknown; requiresAccessToken?: unknown; output?: unknown; error?: unknown };
  if (!m || typeof m !== 'object' || !Array.isArray(m.output)) throw new BulkError('the export finished but its manifest has no "output" list');
  const files = (list: unknown): ManifestFile[] =>
    (Array.isArray(list) ? list : []).filter((f): f is ManifestFile => !!f && typeof f === 'object' && typeof (f as ManifestFile).url === 'string' && typeof (f as ManifestFile).type === 'string');
  return {
    ...(typeof m.transactionTime === 'string' ? { transactionTime: m.transactionTime } : {}),
    ...(typeof m.request === 'string' ? { request: m.request } : {}),
    requiresAccessToken: m.requiresAccessToken === true,
    output: files(m.output),
    error: files(m.error),
  };
}

export async function runGroupExport(options: GroupExportOptions): Promise<GroupExportResult> {
  const sleep = options.sleep ?? sleepFor;
  const base = options.base.replace(/\/+$/, '');
  const baseUrl = new URL(base);
  const kickoff = `${base}/Group/${encodeURIComponent(options.group)}/$export?_type=${options.types.join(',')}`;

  // Kick-off.
  options.onProgress?.('asking the server for the export');
  const started = await authorized(options.auth, kickoff, { headers: { accept: 'application/fhir+json', prefer: 'respond-async' } }, 'the export request');
  if (started.status !== 202) {
    throw new BulkError(`the server did not start the export of Group ${options.group} (${await errorText(started)})`, started.status);
  }
  const location = started.headers.get('content-location');
  if (!location) throw new BulkError('the server accepted the export but gave no status URL (Content-Location)');
  const statusUrl = new URL(location, kickoff).href;
  await started.body?.cancel();

  // Polling, at the server's pace, within a cap.
  const maxWait = options.maxWaitMs ?? 60 * 60_000;
  const minWait = options.minWaitMs ?? 1000;
  const deadline = Date.now() + maxWait;
  let polls = 0;
  let manifest: ExportManifest | undefined;
  while (!manifest) {
    polls += 1;
    const response = await authorized(options.auth, statusUrl, { headers: { accept: 'application/json' } }, 'checking the export');
    if (response.status === 200) {
      try {
        manifest = parseManifest(await response.json());
      } catch (error) {
        if (error instanceof BulkError) throw error;
        throw new BulkError('the export finished but its manifest is not JSON');
      }
      break;
    }
    if (response.status !== 202 && response.status !== 429) {
      throw new BulkError(`the export failed on the server (${await errorText(response)})`, response.status);
    }
    const progress = response.headers.get('x-progress');
    await response.body?.cancel();
    const wait = Math.min(options.maxSingleWaitMs ?? 5 * 60_000, Math.max(minWait, retryAfterMs(response) ?? options.defaultWaitMs ?? 5000));
    if (Date.now() + wait > deadline) {
      throw new BulkError(`the export was still running after ${Math.round(maxWait / 60_000)} min (${polls} checks); stopped waiting (raise --max-wait to wait longer)`);
    }
    options.onProgress?.(`the server is preparing the export${progress ? `: ${progress.slice(0, 80)}` : ''}`);
    await sleep(wait);
  }

  // Files: the token goes only to the FHIR server's own origin.
  const files: string[] = [];
  const counters = new Map<string, number>();
  const all = [...manifest.output.map((f) => ({ ...f, error: false })), ...manifest.error.map((f) => ({ ...f, type: 'OperationOutcome', error: true }))];
  let done = 0;
  for (const file of all) {
    let url: URL;
    try {
      url = new URL(file.url, statusUrl);
    } catch {
      throw new BulkError(`the manifest lists a file whose URL is not valid (${file.type})`);
    }
    if (manifest.requiresAccessToken && url.origin !== baseUrl.origin) {
      throw new BulkError(`the manifest asks for the access token on ${url.origin}, another server than ${baseUrl.origin}; refusing to send it there`);
    }
    if (url.protocol !== 'https:' && !(url.origin === baseUrl.origin && isLoopback(url))) {
      throw new BulkError(`the manifest lists a ${file.type} file at ${describeUrl(url.href)}, which is not https`);
    }
    if (!/^[A-Z][A-Za-z]+$/.test(file.type)) throw new BulkError(`the manifest lists a file of type "${file.type.slice(0, 40)}", which is not a FHIR resource type`);
    const n = (counters.get(file.type) ?? 0) + 1;
    counters.set(file.type, n);
    const name = `${file.type}.${n}.ndjson`;
    const timeoutMs = options.downloadTimeoutMs ?? 15 * 60_000;
    let response: Response;
    if (manifest.requiresAccessToken) {
      response = await authorized(options.auth, url.href, { headers: { accept: 'application/fhir+ndjson' }, timeoutMs }, `downloading ${name}`);
    } else {
      response = await request(url.href, { headers: { accept: 'application/fhir+ndjson' }, timeoutMs });
    }
    if (!response.ok || !response.body) throw new BulkError(`the ${file.type} file ${n} could not be downloaded (${await errorText(response)})`, response.status);
    try {
      await pipeline(Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>), createWriteStream(join(options.dir, name)));
    } catch (error) {
      throw new BulkError(`the ${file.type} file ${n} stopped half-way (${(error as Error).message})`);
    }
    files.push(name);
    done += 1;
    options.onProgress?.(`downloading the export: ${done}/${all.length} files`);
  }
  // Keep what the export asked for: the worklist reads "asked for, no file" as "none".
  writeFileSync(join(options.dir, 'manifest.json'), JSON.stringify({ ...manifest, request: kickoff, ...(manifest.request ? { serverRequest: manifest.request } : {}) }, null, 2));

  // Tell the server the files can go (optional for the server; its failure changes nothing here).
  try {
    const response = await request(statusUrl, { method: 'DELETE', headers: { authorization: `Bearer ${await options.auth.token()}` }, timeoutMs: 10_000 });
    await response.body?.cancel();
  } catch {
    /* the server cleans up on its own schedule */
  }
  return { manifest, files, polls };
}
