/**
 * One GET through fhirclient's `Client.request` (so token refresh and the Authorization header
 * stay fhirclient's job), turned into a result the loader can reason about instead of throws.
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
  | { ok: false; kind: 'network'; detail: string };

const encoder = new TextEncoder();

function contentLength(response: Response | undefined): number | undefined {
  const header = response?.headers.get('content-length');
  if (!header) return undefined;
  const value = Number(header);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Bytes on the wire when the server says so; otherwise the size of the JSON we received. */
function bodyBytes(response: Response | undefined, body: unknown): number {
  const declared = contentLength(response);
  if (declared !== undefined) return declared;
  if (body === undefined || body === null || body === '') return 0;
  return encoder.encode(typeof body === 'string' ? body : JSON.stringify(body)).length;
}

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

/**
 * fhirclient's HttpError has already consumed the response body and appended it to the
 * message ("<status> <text>\nURL: <url>\n\n<JSON or text>"), so the body is read back from there.
 */
function errorDetail(message: string): { detail?: string; bodyLength: number } {
  const start = message.indexOf('\n\n');
  if (start < 0) {
    const lines = message.split('\n');
    const oauthError = lines.length > 2 ? lines.slice(2).join(' ') : undefined;
    return { detail: oauthError ? clip(oauthError) : undefined, bodyLength: 0 };
  }
  const rest = message.slice(start + 2);
  const jsonEnd = rest.lastIndexOf('}');
  if (rest.startsWith('{') && jsonEnd > 0) {
    const json = rest.slice(0, jsonEnd + 1);
    try {
      const body: unknown = JSON.parse(json);
      return { detail: operationOutcomeText(body), bodyLength: encoder.encode(JSON.stringify(body)).length };
    } catch {
      // Not JSON after all: fall through to plain text.
    }
  }
  return { detail: rest.trim() ? clip(rest) : undefined, bodyLength: encoder.encode(rest).length };
}

interface HttpErrorLike {
  status?: unknown;
  message?: unknown;
  response?: Response;
  name?: unknown;
}

export async function fhirGet(
  client: Client,
  url: string,
  options: { timeoutMs: number; signal: AbortSignal },
): Promise<FhirResponse> {
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
    const result = (await client.request(
      { url, signal: controller.signal, includeResponse: true, headers: { accept: 'application/fhir+json' } },
      { pageLimit: 1, flat: false },
    )) as { body?: unknown; response?: Response };
    return { ok: true, body: result.body, bytes: bodyBytes(result.response, result.body) };
  } catch (error) {
    if (timedOut) return { ok: false, kind: 'timeout' };
    if (options.signal.aborted) return { ok: false, kind: 'aborted' };
    const httpError = error as HttpErrorLike;
    if (typeof httpError?.status === 'number') {
      const { detail, bodyLength } = errorDetail(String(httpError.message ?? ''));
      const failure: FhirResponse = {
        ok: false,
        kind: 'http',
        status: httpError.status,
        bytes: contentLength(httpError.response) ?? bodyLength,
      };
      if (detail) failure.detail = detail;
      const retryAfterMs = parseRetryAfter(httpError.response?.headers.get('retry-after'));
      if (retryAfterMs !== undefined) failure.retryAfterMs = retryAfterMs;
      return failure;
    }
    const message = clip(String((error as Error)?.message ?? error));
    // fhirclient parses the body with JSON.parse; its SyntaxError (any realm) means a broken body, not a broken network.
    if ((error as Error)?.name === 'SyntaxError') return { ok: false, kind: 'malformed', detail: message };
    return { ok: false, kind: 'network', detail: message };
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onAbort);
  }
}
