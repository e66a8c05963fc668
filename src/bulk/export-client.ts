/**
 * A FHIR Bulk Data client for one Group export: kick-off (`Group/<id>/$export?_type=…`,
 * `Accept: application/fhir+json`, `Prefer: respond-async, handling=lenient`), polling the
 * status URL at the pace the server asks (Retry-After), the completion manifest, and the files,
 * streamed to a folder the worklist then reads. Every wait is bounded: a timeout per request, a
 * cap on the total time (`maxWaitMs`) within which transient errors (5xx marked `transient` or
 * without an OperationOutcome, a reset connection) and 429s are tried again, one new sign-in
 * after a 401 and then a clear error. Whenever the client gives up after the kick-off, it
 * DELETEs the job so that the server can stop working on it.
 */
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { BackendServicesAuth } from './backend-auth';
import { isLoopback } from './backend-auth';
import { BulkError, describeUrl, duration, errorText, readFailure, readRetryAfter, request } from './http';

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
  /** First wait after a transient error (default 1 s); doubles each time, at most 30 s. */
  backoffMs?: number;
  /** Types left out of the export before the kick-off, with the reason (kept in manifest.json). */
  notAsked?: ReadonlyArray<{ type: string; reason: string }>;
  /** Called once the server has accepted the export, with a function that cancels the job (DELETE), for an interrupted run. */
  onJob?: (cancel: () => Promise<void>) => void;
}

export interface ManifestFile {
  type: string;
  url: string;
  count?: number;
  /** The local file name it was saved as (added by this client in the kept manifest.json). */
  file?: string;
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
  /** The types in the final `_type`, and those left out (before or at the kick-off) with why. */
  types: string[];
  notAsked: Array<{ type: string; reason: string }>;
  /** What happened on the way that the user should know (retries, a Retry-After read as a clock time). */
  notes: string[];
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
    (Array.isArray(list) ? list : [])
      .filter((f): f is ManifestFile => !!f && typeof f === 'object' && typeof (f as ManifestFile).url === 'string' && typeof (f as ManifestFile).type === 'string')
      .map((f) => ({ type: f.type, url: f.url, ...(Number.isSafeInteger(f.count) && f.count! >= 0 ? { count: f.count } : {}) }));
  return {
    ...(typeof m.transactionTime === 'string' ? { transactionTime: m.transactionTime } : {}),
    // (count is kept only when it is a count: the integrity check compares it with the file.)
    ...(typeof m.request === 'string' ? { request: m.request } : {}),
    requiresAccessToken: m.requiresAccessToken === true,
    output: files(m.output),
    error: files(m.error),
  };
}

/** The time the client may spend on the export (--max-wait), from the kick-off. */
interface Budget {
  started: number;
  deadline: number;
  maxWaitMs: number;
}

const BACKOFF_CAP_MS = 30_000;

function giveUp(budget: Budget, cause: string, extra = ''): BulkError {
  return new BulkError(`gave up after ${duration(Date.now() - budget.started)}: ${cause}${extra}`);
}

/**
 * One request, tried again while the failure is transient and the budget allows: a 429 waits
 * as long as Retry-After says (a delay, an HTTP date, or — a server's mistake — an epoch time),
 * a transient 5xx or a reset connection waits with doubling backoff. Any other answer is the
 * caller's to read.
 */
async function withRetries(
  send: () => Promise<Response>,
  what: string,
  budget: Budget,
  options: GroupExportOptions,
  notes: string[],
  maxTries = Number.POSITIVE_INFINITY,
): Promise<Response> {
  const sleep = options.sleep ?? sleepFor;
  let backoff = options.backoffMs ?? 1000;
  for (let tries = 1; ; tries++) {
    let cause: string;
    let wait: number;
    try {
      const response = await send();
      if (response.status === 429) {
        const header = response.headers.get('retry-after');
        const after = readRetryAfter(header);
        await response.body?.cancel();
        if (after?.note && !notes.includes(after.note)) notes.push(after.note);
        wait = after?.ms ?? backoff;
        cause = `the server answered 429 Too Many Requests${header ? ` with Retry-After: ${header.slice(0, 40)}` : ''}${after?.clock ? ` (${after.clock})` : ''}`;
        backoff = Math.min(BACKOFF_CAP_MS, backoff * 2);
      } else if (response.status >= 500) {
        const failure = await readFailure(response.clone());
        if (!failure.transient) return response; // a real failure: the caller says what failed
        cause = `the server answered ${failure.text}${failure.marked ? '' : ' (no OperationOutcome: taken as a passing fault)'}`;
        wait = backoff;
        backoff = Math.min(BACKOFF_CAP_MS, backoff * 2);
      } else {
        return response;
      }
    } catch (error) {
      if (!(error instanceof BulkError) || !error.transient) throw error;
      cause = error.message;
      wait = backoff;
      backoff = Math.min(BACKOFF_CAP_MS, backoff * 2);
    }
    const within = Date.now() + wait <= budget.deadline;
    if (!within || tries >= maxTries) {
      throw giveUp(budget, `${what}: ${cause}`, within
        ? ` (${tries} tries)`
        : ` (${tries} ${tries === 1 ? 'try' : 'tries'}); waiting ${duration(wait)} more would pass the --max-wait of ${duration(budget.maxWaitMs)}`);
    }
    options.onProgress?.(`${what}: ${cause}; trying again in ${duration(wait)}`);
    await sleep(wait);
  }
}

/** Kick-off URL for these types. */
function kickoffUrl(base: string, group: string, types: readonly string[]): string {
  return `${base}/Group/${encodeURIComponent(group)}/$export?_type=${types.join(',')}`;
}

/** The requested type an error answer names as unavailable ("…type "MedicationStatement" is not available…"). */
function refusedType(text: string, types: readonly string[]): string | undefined {
  const named = types.filter((t) => new RegExp(`["'\`]${t}["'\`]|\\b${t}\\b[^.]*\\b(not (supported|available|allowed|known)|unsupported|unknown)`).test(text));
  return named.length === 1 ? named[0] : undefined;
}

export async function runGroupExport(options: GroupExportOptions): Promise<GroupExportResult> {
  const sleep = options.sleep ?? sleepFor;
  const base = options.base.replace(/\/+$/, '');
  const baseUrl = new URL(base);
  const maxWait = options.maxWaitMs ?? 60 * 60_000;
  const started = Date.now();
  const budget: Budget = { started, deadline: started + maxWait, maxWaitMs: maxWait };
  const notes: string[] = [];
  const notAsked = [...(options.notAsked ?? [])];
  let types = [...options.types];

  // Kick-off: lenient handling first (a server MAY then skip what it cannot do instead of
  // refusing); a server that refuses the request is asked again without it, and a type it
  // names as unavailable is left out (what depends on it says "could not check").
  options.onProgress?.('asking the server for the export');
  let lenient = true;
  let lenientRefused: string | undefined;
  let kickoff = kickoffUrl(base, options.group, types);
  let startedResponse: Response;
  // Ends: each round either succeeds, fails, leaves out one more type, or drops lenient handling once.
  for (;;) {
    kickoff = kickoffUrl(base, options.group, types);
    const prefer = lenient ? 'respond-async, handling=lenient' : 'respond-async';
    startedResponse = await withRetries(
      () => authorized(options.auth, kickoff, { headers: { accept: 'application/fhir+json', prefer } }, 'the export request'),
      'the export request', budget, options, notes,
    );
    if (startedResponse.status === 202) break;
    const text = await errorText(startedResponse);
    const clientError = startedResponse.status >= 400 && startedResponse.status < 500 && startedResponse.status !== 404 && startedResponse.status !== 403;
    const refused = clientError ? refusedType(text, types) : undefined;
    if (refused && refused !== 'Patient') {
      types = types.filter((t) => t !== refused);
      notAsked.push({ type: refused, reason: `the server refused to export ${refused} (${text})` });
      continue;
    }
    if (clientError && lenient) {
      lenient = false;
      lenientRefused = text;
      continue;
    }
    throw new BulkError(`the server did not start the export of Group ${options.group} (${text})`, startedResponse.status);
  }
  if (lenientRefused) notes.push(`the server refused the export with Prefer: handling=lenient (${lenientRefused}); asked again without it`);
  const location = startedResponse.headers.get('content-location');
  if (!location) throw new BulkError('the server accepted the export but gave no status URL (Content-Location)');
  const statusUrl = new URL(location, kickoff).href;
  await startedResponse.body?.cancel();

  /** Tell the server the job can go (optional for the server; its failure changes nothing here). */
  const release = async () => {
    try {
      const response = await request(statusUrl, { method: 'DELETE', headers: { authorization: `Bearer ${await options.auth.token()}` }, timeoutMs: 10_000 });
      await response.body?.cancel();
    } catch {
      /* the server cleans up on its own schedule */
    }
  };

  options.onJob?.(release);
  try {
    const result = await afterKickoff();
    await release();
    return result;
  } catch (error) {
    // Giving up: the job is deleted so that the server stops working on it and frees its files.
    await release();
    throw error;
  }

  async function afterKickoff(): Promise<GroupExportResult> {
    // Polling, at the server's pace, within the cap.
    const minWait = options.minWaitMs ?? 1000;
    let polls = 0;
    let manifest: ExportManifest | undefined;
    let progress: string | null = null;
    while (!manifest) {
      polls += 1;
      const response = await withRetries(
        () => authorized(options.auth, statusUrl, { headers: { accept: 'application/json' } }, 'checking the export'),
        'checking the export', budget, options, notes,
      );
      if (response.status === 200) {
        try {
          manifest = parseManifest(await response.json());
        } catch (error) {
          if (error instanceof BulkError) throw error;
          throw new BulkError('the export finished but its manifest is not JSON');
        }
        break;
      }
      if (response.status !== 202) {
        throw new BulkError(`the export failed on the server (${await errorText(response)})`, response.status);
      }
      progress = response.headers.get('x-progress') ?? progress;
      const header = response.headers.get('retry-after');
      const after = readRetryAfter(header);
      if (after?.note && !notes.includes(after.note)) notes.push(after.note);
      await response.body?.cancel();
      const wait = Math.min(options.maxSingleWaitMs ?? 5 * 60_000, Math.max(minWait, after?.ms ?? options.defaultWaitMs ?? 5000));
      if (Date.now() + wait > budget.deadline) {
        throw giveUp(budget, `the export was still running (${polls} check${polls === 1 ? '' : 's'}${progress ? `, last progress: ${progress.slice(0, 80)}` : ''}); stopped waiting at the --max-wait of ${duration(maxWait)} (raise --max-wait to wait longer)`);
      }
      options.onProgress?.(`the server is preparing the export${progress ? `: ${progress.slice(0, 80)}` : ''}`);
      await sleep(wait);
    }

    // Files: the token goes only to the FHIR server's own origin.
    const files: string[] = [];
    const counters = new Map<string, number>();
    const all = [...manifest.output.map((f) => ({ entry: f, error: false })), ...manifest.error.map((f) => ({ entry: f, error: true }))];
    let done = 0;
    for (const { entry: file, error: isError } of all) {
      const type = isError ? 'OperationOutcome' : file.type;
      let url: URL;
      try {
        url = new URL(file.url, statusUrl);
      } catch {
        throw new BulkError(`the manifest lists a file whose URL is not valid (${type})`);
      }
      if (manifest.requiresAccessToken && url.origin !== baseUrl.origin) {
        throw new BulkError(`the manifest asks for the access token on ${url.origin}, another server than ${baseUrl.origin}; refusing to send it there`);
      }
      if (url.protocol !== 'https:' && !(url.origin === baseUrl.origin && isLoopback(url))) {
        throw new BulkError(`the manifest lists a ${type} file at ${describeUrl(url.href)}, which is not https`);
      }
      if (!/^[A-Z][A-Za-z]+$/.test(type)) throw new BulkError(`the manifest lists a file of type "${type.slice(0, 40)}", which is not a FHIR resource type`);
      const n = (counters.get(type) ?? 0) + 1;
      counters.set(type, n);
      const name = `${type}.${n}.ndjson`;
      const timeoutMs = options.downloadTimeoutMs ?? 15 * 60_000;
      // A download is tried a few times on a transient fault, even past --max-wait (which bounds the wait for the job).
      const fileBudget: Budget = { ...budget, deadline: Math.max(budget.deadline, Date.now() + 5 * 60_000) };
      for (let attempt = 1; ; attempt++) {
        const response = await withRetries(
          () => manifest!.requiresAccessToken
            ? authorized(options.auth, url.href, { headers: { accept: 'application/fhir+ndjson' }, timeoutMs }, `downloading ${name}`)
            : request(url.href, { headers: { accept: 'application/fhir+ndjson' }, timeoutMs }),
          `downloading ${name}`, fileBudget, options, notes, 4,
        );
        if (!response.ok || !response.body) throw new BulkError(`the ${type} file ${n} could not be downloaded (${await errorText(response)})`, response.status);
        try {
          await pipeline(Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>), createWriteStream(join(options.dir, name)));
          break;
        } catch (error) {
          if (attempt >= 3) throw new BulkError(`the ${type} file ${n} stopped half-way ${attempt} times (${(error as Error).message})`);
          options.onProgress?.(`the ${type} file ${n} stopped half-way (${(error as Error).message}); downloading it again`);
        }
      }
      file.file = name;
      files.push(name);
      done += 1;
      options.onProgress?.(`downloading the export: ${done}/${all.length} files`);
    }
    // Keep what the export asked for (the worklist reads "asked for, no file" as "none"), what it
    // left out and why, and each file's local name and count (the worklist checks the files against them).
    writeFileSync(join(options.dir, 'manifest.json'), JSON.stringify({
      ...manifest,
      request: kickoff,
      ...(manifest.request ? { serverRequest: manifest.request } : {}),
      ...(notAsked.length ? { typesNotAsked: notAsked } : {}),
    }, null, 2));
    return { manifest, files, polls, types, notAsked, notes };
  }
}
