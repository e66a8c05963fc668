/** HTTP for the Bulk Data client: every request has a timeout, and a failure says what and why. */

export class BulkError extends Error {
  constructor(message: string, readonly status?: number, readonly transient = false) {
    super(message);
    this.name = 'BulkError';
  }
}

/**
 * Network faults worth another try: a connection reset or closed mid-answer, a timeout. A
 * refused connection is not: the server is down, and saying so at once beats an hour of tries.
 */
const TRANSIENT_NETWORK = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'EAI_AGAIN']);

export const REQUEST_TIMEOUT_MS = 30_000;

export async function request(url: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<Response> {
  const { timeoutMs = REQUEST_TIMEOUT_MS, ...rest } = init;
  try {
    return await fetch(url, { ...rest, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    if (e.name === 'TimeoutError') throw new BulkError(`${describeUrl(url)} did not answer within ${Math.round(timeoutMs / 1000)} s`, undefined, true);
    const code = e.cause?.code ?? e.message;
    throw new BulkError(`${describeUrl(url)} could not be reached (${code})`, undefined, TRANSIENT_NETWORK.has(code));
  }
}

/** The URL without its query (which may carry signatures) for messages. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return 'the server';
  }
}

/** The words of an OperationOutcome or OAuth error body, else the status line. */
export async function errorText(response: Response): Promise<string> {
  return (await readFailure(response)).text;
}

/**
 * An error answer in words, and whether it is worth another try: a 5xx whose OperationOutcome
 * says `transient`, or a 5xx with no OperationOutcome at all (a proxy's error page, a restart).
 */
export async function readFailure(response: Response): Promise<{ text: string; transient: boolean; marked: boolean }> {
  const text = await failureText(response);
  const marked = text.codes.includes('transient');
  return { text: text.words, transient: response.status >= 500 && (!text.outcome || marked), marked };
}

async function failureText(response: Response): Promise<{ words: string; outcome: boolean; codes: string[] }> {
  const answer = (words: string, outcome = false, codes: string[] = []) => ({ words, outcome, codes });
  let text = '';
  try {
    text = (await response.text()).slice(0, 20_000);
  } catch {
    /* no body */
  }
  try {
    const json = JSON.parse(text) as { resourceType?: string; issue?: Array<{ diagnostics?: string; details?: { text?: string }; code?: string }>; error?: string; error_description?: string };
    if (json.resourceType === 'OperationOutcome' && Array.isArray(json.issue)) {
      const words = json.issue.map((i) => i?.diagnostics ?? i?.details?.text ?? i?.code).filter(Boolean);
      const codes = json.issue.map((i) => i?.code).filter((c): c is string => typeof c === 'string');
      if (words.length) return answer(`HTTP ${response.status}: ${words.join('; ')}`.slice(0, 500), true, codes);
      return answer(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`, true, codes);
    }
    if (typeof json.error === 'string') return answer(`HTTP ${response.status}: ${json.error}${json.error_description ? `: ${json.error_description}` : ''}`.slice(0, 500));
  } catch {
    /* not JSON */
  }
  const plain = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return answer(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${plain ? `: ${plain.slice(0, 200)}` : ''}`);
}

/** Retry-After in milliseconds (seconds or an HTTP date), or undefined. */
export function retryAfterMs(response: Response, now = Date.now()): number | undefined {
  return readRetryAfter(response.headers.get('retry-after'), now)?.ms;
}

const YEAR_MS = 366 * 24 * 3600_000;

/**
 * Retry-After as RFC 9110 allows it (delay-seconds or an HTTP date), plus one server mistake
 * seen in the wild: an absolute time in epoch seconds (or milliseconds). A number that big is
 * no plausible delay (over 30 years), so when it lies within a year of now it is read as a
 * clock time, and `note` says so for the user.
 */
export function readRetryAfter(value: string | null, now = Date.now()): { ms: number; note?: string; clock?: string } | undefined {
  const raw = value?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) {
    const n = Number(raw);
    for (const [scale, unit] of [[1000, 'seconds'], [1, 'milliseconds']] as const) {
      const at = n * scale;
      if (n >= 1e9 && Math.abs(at - now) < YEAR_MS) {
        const clock = `a clock time in epoch ${unit} rather than a delay; read as ${new Date(at).toISOString()}`;
        return { ms: Math.max(0, at - now), note: `the server sent Retry-After: ${raw}, ${clock}`, clock };
      }
    }
    return { ms: n * 1000 };
  }
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : { ms: Math.max(0, date - now) };
}

/** "0.4 s" under a second, "17 s" under two minutes, else "3 min". */
export function duration(ms: number): string {
  if (ms > 0 && ms < 950) return `${(ms / 1000).toFixed(1)} s`;
  return ms < 120_000 ? `${Math.max(0, Math.round(ms / 1000))} s` : `${Math.round(ms / 60_000)} min`;
}

/** A client id as messages show it: ids of hundreds of characters (a JWT) cut to their start. */
export function shortId(id: string): string {
  return id.length > 24 ? `${id.slice(0, 12)}…` : id;
}
