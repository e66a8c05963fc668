/**
 * The bench's replay server (issue 18): the FHIR answers of the sandbox run, recorded as sent,
 * then served again for the same requests with the same added latency and no search work. What
 * is left of "page load → checklist" on it is the app's own time plus one latency per round
 * trip: the sandbox's CPU-bound searches (one Node thread, a busy shared machine) drop out.
 */
import type { ServerResponse } from 'node:http';
import type { FhirFaultContext, FhirFaultHook } from '../sandbox/faults';

export interface RecordedResponse {
  status: number;
  headers: Record<string, string | number | string[]>;
  body: Buffer;
}

/** Per connection, not per answer: the replay sets its own. */
const HOP_HEADERS = new Set(['content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding']);

/** The request as the replay looks it up: method, path and query after the FHIR base. */
export function requestKey(context: Pick<FhirFaultContext, 'method' | 'path' | 'query'>): string {
  const query = context.query.toString();
  return `${context.method} ${context.path.join('/')}${query ? `?${query}` : ''}`;
}

export class ResponseRecorder {
  readonly responses = new Map<string, RecordedResponse>();
  /** Only the measured launch is recorded (not the warm-up or the naive row). */
  recording = false;

  /** Records every answer `inner` lets through (or gives itself) while `recording` is on. */
  wrap(inner: FhirFaultHook): FhirFaultHook {
    return (context, req, res) => {
      if (this.recording) capture(res, requestKey(context), this.responses);
      return inner(context, req, res);
    };
  }
}

function capture(res: ServerResponse, key: string, into: Map<string, RecordedResponse>): void {
  const chunks: Buffer[] = [];
  const take = (chunk: unknown, encoding?: unknown) => {
    if (typeof chunk === 'string') chunks.push(Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
    else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((...args: unknown[]) => {
    take(args[0], args[1]);
    return write(...args);
  }) as ServerResponse['write'];
  res.end = ((...args: unknown[]) => {
    if (typeof args[0] !== 'function') take(args[0], args[1]);
    return end(...args);
  }) as ServerResponse['end'];
  res.once('finish', () => {
    const headers: RecordedResponse['headers'] = {};
    for (const [name, value] of Object.entries(res.getHeaders())) {
      if (value !== undefined && !HOP_HEADERS.has(name.toLowerCase())) headers[name] = value;
    }
    into.set(key, { status: res.statusCode, headers, body: Buffer.concat(chunks) });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Answers each recorded request after `latencyMs` with the recorded status, headers and body;
 * a request that was not recorded is counted in `misses` and left to the sandbox (so the
 * printout can say the replay was not pure).
 */
export function replayHook(responses: ReadonlyMap<string, RecordedResponse>, latencyMs: number, misses: string[]): FhirFaultHook {
  return async (context, _req, res) => {
    const key = requestKey(context);
    await sleep(latencyMs);
    const recorded = responses.get(key);
    if (!recorded) {
      misses.push(key);
      return false;
    }
    if (res.destroyed) return true;
    for (const [name, value] of Object.entries(recorded.headers)) res.setHeader(name, value);
    res.setHeader('Content-Length', recorded.body.byteLength);
    res.statusCode = recorded.status;
    res.end(recorded.body);
    return true;
  };
}
