/**
 * One FHIR request (GET, or POST `_search` with a form body) with the session's bearer token,
 * turned into a result the loader can reason about instead of throws.
 *
 * The request goes out through `fetch` directly rather than fhirclient's `Client.request`:
 * fhirclient parses every answer whole and clears the session on the first 401, while the
 * loader must refuse an oversized answer before parsing it (a hostile or broken server must
 * not freeze the sidebar) and may refresh the token once on 401 (request-context.ts). The token
 * and the server URL still come from fhirclient's state.
 */
import type Client from 'fhirclient/lib/Client';

export type FhirResponse =
  | { ok: true; body: unknown; bytes: number }
  | {
      ok: false;
      kind: 'http';
      status: number;
      /** OperationOutcome text (issue details/diagnostics) or the server's short error text. */
      detail?: string;
      /** From Retry-After, when the server sent one. */
      retryAfterMs?: number;
      bytes: number;
    }
  | { ok: false; kind: 'timeout' }
  | { ok: false; kind: 'aborted' }
  /** A 2xx answer whose body is not valid JSON (e.g. cut off by a proxy). */
  | { ok: false; kind: 'malformed'; detail: string }
  /** A 2xx answer larger than the limit: refused unread. */
  | { ok: false; kind: 'too-large'; limitBytes: number; bytes: number }
  | { ok: false; kind: 'network'; detail: string };

export interface FhirRequest {
  /** Relative to the FHIR base (`Observation?…`) or absolute (a next-page link). */
  url: string;
  /** A form-encoded body: sends `POST <url>` (FHIR `_search`). */
  form?: string;
}

export interface FetchOptions {
  timeoutMs: number;
  signal: AbortSignal;
  /** Answers larger than this are not read. */
  maxResponseBytes: number;
}

/** Error bodies are read only this far: enough for any OperationOutcome worth showing. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function clip(text: string, max = 300): string {
  const single = text.replace(/\s+/g, ' ').trim();
  return single.length > max ? `${single.slice(0, max - 1)}…` : single;
}

/** The human text of an OperationOutcome: details.text, else diagnostics, else the code. */
export function operationOutcomeText(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const outcome = body as { resourceType?: unknown; issue?: unknown };
  if (outcome.resourceType !== 'OperationOutcome' || !Array.isArray(outcome.issue)) return undefined;
  const texts = outcome.issue
    .map((issue: { details?: { text?: unknown }; diagnostics?: unknown; code?: unknown }) => {
      if (typeof issue?.details?.text === 'string' && issue.details.text.trim()) return issue.details.text;
      if (typeof issue?.diagnostics === 'string' && issue.diagnostics.trim()) return issue.diagnostics;
      return typeof issue?.code === 'string' ? issue.code : undefined;
    })
    .filter((text): text is string => text !== undefined);
  return texts.length ? clip(texts.join('; ')) : undefined;
}

/** An OAuth error body (`{"error": …, "error_description": …}`) as one line. */
function oauthErrorText(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { error, error_description: description } = body as { error?: unknown; error_description?: unknown };
  if (typeof error !== 'string' || !error.trim()) return undefined;
  return clip(typeof description === 'string' && description.trim() ? `${error}: ${description}` : error);
}

/** What an error answer says, from its (size-capped) body. */
function errorDetail(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  if (trimmed.startsWith('{')) {
    try {
      const body: unknown = JSON.parse(trimmed);
      return operationOutcomeText(body) ?? oauthErrorText(body);
    } catch {
      // Not JSON after all (or cut at the cap): fall through to plain text.
    }
  }
  // An HTML error page is markup, not a message.
  return /^<(!doctype|html)/i.test(trimmed) ? undefined : clip(trimmed);
}

function declaredLength(response: Response): number | undefined {
  const header = response.headers.get('content-length');
  if (!header) return undefined;
  const value = Number(header);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Reads the body up to `limit` bytes; `undefined` text when it is longer (the rest is cancelled). */
async function readCapped(response: Response, limit: number): Promise<{ text?: string; bytes: number }> {
  const declared = declaredLength(response);
  // Cancelling is not awaited: some stream sources settle a cancel only once fully read.
  if (declared !== undefined && declared > limit) {
    response.body?.cancel().catch(() => undefined);
    return { bytes: declared };
  }
  if (!response.body) return { text: '', bytes: 0 };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > limit) {
      reader.cancel().catch(() => undefined);
      return { bytes };
    }
    chunks.push(value);
  }
  const joined = new Uint8Array(bytes);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { text: new TextDecoder().decode(joined), bytes };
}

/** fhirclient's rule: an absolute URL is used as is, a relative one hangs off the FHIR base. */
export function absoluteUrl(url: string, serverUrl: string): string {
  if (/^https?:\/\//i.test(url)) return url;
  return `${serverUrl.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
}

export async function fhirFetch(client: Client, request: FhirRequest, options: FetchOptions): Promise<FhirResponse> {
  if (options.signal.aborted) return { ok: false, kind: 'aborted' };
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  const onAbort = () => controller.abort();
  options.signal.addEventListener('abort', onAbort);
  try {
    const headers: Record<string, string> = { accept: 'application/fhir+json' };
    const authorization = client.getAuthorizationHeader();
    if (authorization) headers.authorization = authorization;
    if (request.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(absoluteUrl(request.url, client.state.serverUrl), {
      method: request.form !== undefined ? 'POST' : 'GET',
      headers,
      ...(request.form !== undefined ? { body: request.form } : {}),
      signal: controller.signal,
      mode: 'cors',
      credentials: 'same-origin',
    });
    if (!response.ok) {
      const { text, bytes } = await readCapped(response, MAX_ERROR_BODY_BYTES);
      const failure: FhirResponse = { ok: false, kind: 'http', status: response.status, bytes };
      const detail = text !== undefined ? errorDetail(text) : undefined;
      if (detail) failure.detail = detail;
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      if (retryAfterMs !== undefined) failure.retryAfterMs = retryAfterMs;
      return failure;
    }
    const { text, bytes } = await readCapped(response, options.maxResponseBytes);
    if (text === undefined) return { ok: false, kind: 'too-large', limitBytes: options.maxResponseBytes, bytes };
    if (text.length === 0) return { ok: true, body: '', bytes };
    try {
      return { ok: true, body: JSON.parse(text) as unknown, bytes };
    } catch (error) {
      return { ok: false, kind: 'malformed', detail: clip(String((error as Error).message)) };
    }
  } catch (error) {
    if (timedOut) return { ok: false, kind: 'timeout' };
    if (options.signal.aborted) return { ok: false, kind: 'aborted' };
    return { ok: false, kind: 'network', detail: clip(String((error as Error)?.message ?? error)) };
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onAbort);
  }
}
