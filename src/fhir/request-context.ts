/**
 * Shared by every request of one load: limits, the abort signal, the counters that feed
 * `LoadedData.stats`, and the one token refresh a load may make. One 429 retry per request,
 * bounded wait; a 401 that a refresh cannot cure ends the whole load.
 */
import type Client from 'fhirclient/lib/Client';
import { SessionExpiredError } from './errors';
import { fhirFetch, type FhirRequest, type FhirResponse } from './http';

export interface RequestContext {
  client: Client;
  timeoutMs: number;
  maxRetryWaitMs: number;
  /** Answers larger than this are refused unread (a data gap, never parsed). */
  maxResponseBytes: number;
  signal: AbortSignal;
  counters: { requests: number; bytes: number };
  /** The refresh this load started after a 401 (shared by requests that fail together). */
  refresh?: Promise<boolean>;
}

/** A request's answer plus how many sequential round trips it took (2 after a 429 retry). */
export interface Fetched {
  response: FhirResponse;
  trips: number;
}

export class LoadAbortedError extends Error {
  override name = 'AbortError';
  constructor() {
    super('The load was cancelled.');
  }
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

const DEFAULT_RETRY_WAIT_MS = 1000;

/**
 * fhirclient refreshes only with a refresh token and an `online_access`/`offline_access` grant
 * (SMART App Launch: a refresh token comes with either), and needs the token endpoint.
 */
export function canRefresh(client: Client): boolean {
  const state = client.state as { tokenUri?: unknown; tokenResponse?: { refresh_token?: unknown; scope?: unknown } };
  const scope = typeof state.tokenResponse?.scope === 'string' ? state.tokenResponse.scope : '';
  return (
    typeof state.tokenResponse?.refresh_token === 'string' &&
    state.tokenResponse.refresh_token !== '' &&
    typeof state.tokenUri === 'string' &&
    /\b(online|offline)_access\b/.test(scope)
  );
}

/** One refresh per load: parallel requests that all met the 401 wait for the same one. */
function refreshOnce(ctx: RequestContext): Promise<boolean> {
  ctx.refresh ??= ctx.client.refresh({ signal: ctx.signal }).then(
    () => true,
    () => false,
  );
  return ctx.refresh;
}

async function send(ctx: RequestContext, request: FhirRequest): Promise<FhirResponse> {
  const response = await fhirFetch(ctx.client, request, {
    timeoutMs: ctx.timeoutMs,
    signal: ctx.signal,
    maxResponseBytes: ctx.maxResponseBytes,
  });
  if (response.ok || response.kind === 'http' || response.kind === 'too-large') {
    ctx.counters.requests += 1;
    ctx.counters.bytes += response.bytes;
  } else if (response.kind !== 'aborted') {
    ctx.counters.requests += 1;
  }
  if (!response.ok && response.kind === 'aborted') throw new LoadAbortedError();
  return response;
}

const isUnauthorized = (response: FhirResponse) => !response.ok && response.kind === 'http' && response.status === 401;

/** fhirclient refreshes a token this close to its expiry too (Client.refreshIfNeeded). */
const EXPIRY_MARGIN_SECONDS = 10;

/**
 * When the SMART state says the token has expired (or is about to), the load refreshes it once
 * before its first request, rather than sending every search with a dead token and repeating
 * them all after the 401s. Without a way to refresh, or when the refresh fails, the requests go
 * out as they are and the server decides (the browser's clock may be the one that is wrong).
 */
async function refreshIfExpired(ctx: RequestContext): Promise<number> {
  const expiresAt = (ctx.client.state as { expiresAt?: unknown }).expiresAt;
  if (typeof expiresAt !== 'number' || expiresAt - EXPIRY_MARGIN_SECONDS > Date.now() / 1000) return 0;
  if (ctx.refresh === undefined && !canRefresh(ctx.client)) return 0;
  await refreshOnce(ctx);
  return 1; // the token request this request waited for
}

/**
 * A 401 is retried once after a token refresh, when the session has a refresh token; only a
 * 401 after that (or with no way to refresh) means the session is over.
 */
async function once(ctx: RequestContext, request: FhirRequest): Promise<Fetched> {
  const waited = await refreshIfExpired(ctx);
  if (ctx.signal.aborted) throw new LoadAbortedError();
  const sentWith = ctx.client.getAuthorizationHeader();
  const response = await send(ctx, request);
  if (!isUnauthorized(response)) return { response, trips: 1 + waited };
  const current = () => ctx.client.getAuthorizationHeader();
  // Another request of this load may already have refreshed: then just try again with the new token.
  const refreshedMeanwhile = current() !== sentWith;
  const refreshed =
    refreshedMeanwhile ||
    ((ctx.refresh !== undefined || canRefresh(ctx.client)) && (await refreshOnce(ctx)) && current() !== sentWith);
  if (!refreshed) throw new SessionExpiredError();
  if (ctx.signal.aborted) throw new LoadAbortedError();
  const retried = await send(ctx, request);
  if (isUnauthorized(retried)) throw new SessionExpiredError();
  // The 401, (the token request,) the retry.
  return { response: retried, trips: refreshedMeanwhile ? 2 : 3 };
}

export async function requestWithRetry(ctx: RequestContext, request: FhirRequest): Promise<Fetched> {
  const first = await once(ctx, request);
  const { response } = first;
  if (response.ok || response.kind !== 'http' || response.status !== 429) return first;
  await wait(Math.min(response.retryAfterMs ?? DEFAULT_RETRY_WAIT_MS, ctx.maxRetryWaitMs), ctx.signal);
  const second = await once(ctx, request);
  return { response: second.response, trips: first.trips + second.trips };
}

export function getWithRetry(ctx: RequestContext, url: string): Promise<Fetched> {
  return requestWithRetry(ctx, { url });
}

const MB = 1024 * 1024;

/** A failed response as the user reads it ("HTTP 500: Database unavailable", "timeout after 15 s"). */
export function describeFailure(response: Exclude<FhirResponse, { ok: true }>, timeoutMs: number): string {
  switch (response.kind) {
    case 'http': {
      const label = response.status === 429 ? 'HTTP 429 (too many requests)' : `HTTP ${response.status}`;
      return response.detail ? `${label}: ${response.detail}` : label;
    }
    case 'timeout':
      return `timeout after ${Math.round(timeoutMs / 100) / 10} s`;
    case 'network':
      return `network error: ${response.detail}`;
    case 'malformed':
      return `the server sent malformed JSON (${response.detail})`;
    case 'too-large':
      return `the server's answer was larger than ${Math.round((response.limitBytes / MB) * 10) / 10} MB and was not read`;
    case 'aborted':
      return 'cancelled';
  }
}
