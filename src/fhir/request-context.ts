/**
 * Shared by every request of one load: limits, the abort signal, and the counters that feed
 * `LoadedData.stats`. One 429 retry per request, bounded wait; a 401 ends the whole load.
 */
import type Client from 'fhirclient/lib/Client';
import { SessionExpiredError } from './errors';
import { fhirGet, type FhirResponse } from './http';

export interface RequestContext {
  client: Client;
  timeoutMs: number;
  maxRetryWaitMs: number;
  signal: AbortSignal;
  counters: { requests: number; bytes: number };
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

async function once(ctx: RequestContext, url: string): Promise<FhirResponse> {
  const response = await fhirGet(ctx.client, url, { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
  if (response.ok || response.kind === 'http') {
    ctx.counters.requests += 1;
    ctx.counters.bytes += response.bytes;
  } else if (response.kind !== 'aborted') {
    ctx.counters.requests += 1;
  }
  if (!response.ok && response.kind === 'http' && response.status === 401) throw new SessionExpiredError();
  if (!response.ok && response.kind === 'aborted') throw new LoadAbortedError();
  return response;
}

export async function getWithRetry(ctx: RequestContext, url: string): Promise<Fetched> {
  const first = await once(ctx, url);
  if (first.ok || first.kind !== 'http' || first.status !== 429) return { response: first, trips: 1 };
  await wait(Math.min(first.retryAfterMs ?? DEFAULT_RETRY_WAIT_MS, ctx.maxRetryWaitMs), ctx.signal);
  return { response: await once(ctx, url), trips: 2 };
}

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
    case 'aborted':
      return 'cancelled';
  }
}
