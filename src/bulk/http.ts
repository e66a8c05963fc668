/** HTTP for the Bulk Data client: every request has a timeout, and a failure says what and why. */

export class BulkError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'BulkError';
  }
}

export const REQUEST_TIMEOUT_MS = 30_000;

export async function request(url: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<Response> {
  const { timeoutMs = REQUEST_TIMEOUT_MS, ...rest } = init;
  try {
    return await fetch(url, { ...rest, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    if (e.name === 'TimeoutError') throw new BulkError(`${describeUrl(url)} did not answer within ${Math.round(timeoutMs / 1000)} s`);
    throw new BulkError(`${describeUrl(url)} could not be reached (${e.cause?.code ?? e.message})`);
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
      if (words.length) return `HTTP ${response.status}: ${words.join('; ')}`.slice(0, 500);
    }
    if (typeof json.error === 'string') return `HTTP ${response.status}: ${json.error}${json.error_description ? `: ${json.error_description}` : ''}`.slice(0, 500);
  } catch {
    /* not JSON */
  }
  const plain = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${plain ? `: ${plain.slice(0, 200)}` : ''}`;
}

/** Retry-After in milliseconds (seconds or an HTTP date), or undefined. */
export function retryAfterMs(response: Response, now = Date.now()): number | undefined {
  const value = response.headers.get('retry-after');
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
