/**
 * The bench's fault hook: records what crossed the wire in front of another hook (the latency
 * plan), so both strategies are measured at the same place, the server, whatever the browser
 * does.
 *
 * Sequential round trips are counted two ways. By dependency: a search's later pages can only be
 * requested once the previous page (its `next` link) has arrived, so each page of a search adds a
 * trip (the sandbox's next links differ from the first request only in `_offset` and `_count`). By timing: a request's depth is one
 * more than the deepest request that had finished before it arrived; this also counts waits that
 * are not dependencies (a browser's connection limit, a busy single-threaded sandbox), so it is an
 * upper bound.
 */
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FhirFaultHook } from '../sandbox/faults';

export interface WireRecord {
  method: string;
  /** Path and query after the FHIR base, e.g. `Observation?patient=...`. */
  target: string;
  arrived: number;
  /** When the inner hook let the request through to the FHIR engine (after the added latency). */
  released?: number;
  finished?: number;
  /** Response body bytes as sent (uncompressed; the sandbox does not compress). */
  bytes: number;
}

export interface WireSummary {
  requests: number;
  /** Longest chain of pages of one search (a read or a one-page search is 1). */
  roundTrips: number;
  /** Timing-derived depth (upper bound, see above). */
  observedTrips: number;
  /** Pages per search, most first (search without `_offset` -> pages). */
  pagesPerSearch: Array<{ search: string; pages: number }>;

  bytes: number;
  /** First request's arrival to the last response, at the server. */
  spanMs: number;
  /** The sandbox's own time per request (engine work and waiting for its single thread), summed. */
  serverMs: number;
  /** The request the sandbox spent longest on, and how long. */
  slowest?: { record: WireRecord; ms: number };
  /** The longest response as the app waited for it at the server: arrival to last byte, added latency included. */
  slowestResponseMs: number;
  /** The chain of requests behind `observedTrips`, first to last. */
  longestChain: WireRecord[];
}

export class WireMeter {
  private records: WireRecord[] = [];

  constructor(private readonly inner: FhirFaultHook) {}

  readonly hook: FhirFaultHook = (context, req, res) => {
    const query = context.query.toString();
    const record: WireRecord = {
      method: context.method,
      target: `${context.path.join('/')}${query ? `?${query}` : ''}`,
      arrived: performance.now(),
      bytes: 0,
    };
    this.records.push(record);
    countBody(res, record);
    const release = (answered: boolean) => {
      record.released = performance.now();
      return answered;
    };
    const answered = this.inner(context, req, res);
    return typeof answered === 'boolean' ? release(answered) : answered.then(release);
  };

  /** Starts a new measurement (what happened before is dropped). */
  reset(): void {
    this.records = [];
  }

  summary(): WireSummary {
    const done = this.records.filter((r) => r.finished !== undefined).sort((a, b) => a.arrived - b.arrived);
    const depth = new Map<WireRecord, { depth: number; after?: WireRecord }>();
    for (const record of done) {
      let best: { depth: number; after?: WireRecord } = { depth: 1 };
      for (const earlier of done) {
        if (earlier === record || earlier.finished! > record.arrived) continue;
        const d = depth.get(earlier);
        if (d && d.depth + 1 > best.depth) best = { depth: d.depth + 1, after: earlier };
      }
      depth.set(record, best);
    }
    let deepest: WireRecord | undefined;
    for (const record of done) if (!deepest || depth.get(record)!.depth > depth.get(deepest)!.depth) deepest = record;
    let slowest: WireRecord | undefined;
    for (const record of done) if (!slowest || serverTime(record) > serverTime(slowest)) slowest = record;
    const longestChain: WireRecord[] = [];
    for (let r = deepest; r; r = depth.get(r)?.after) longestChain.unshift(r);
    const pages = new Map<string, number>();
    for (const record of this.records) {
      const key = withoutOffset(record.target);
      pages.set(key, (pages.get(key) ?? 0) + 1);
    }
    const pagesPerSearch = [...pages].map(([search, n]) => ({ search, pages: n })).sort((a, b) => b.pages - a.pages);
    return {
      requests: this.records.length,
      roundTrips: pagesPerSearch[0]?.pages ?? 0,
      observedTrips: longestChain.length,
      pagesPerSearch,
      bytes: this.records.reduce((sum, r) => sum + r.bytes, 0),
      spanMs: done.length ? Math.max(...done.map((r) => r.finished!)) - done[0]!.arrived : 0,
      serverMs: done.reduce((sum, r) => sum + serverTime(r), 0),
      ...(slowest ? { slowest: { record: slowest, ms: serverTime(slowest) } } : {}),
      slowestResponseMs: done.reduce((max, r) => Math.max(max, r.finished! - r.arrived), 0),
      longestChain,
    };
  }
}

/**
 * `Observation?patient=x&_count=50&_offset=200` -> `Observation?patient=x`: the search a page
 * belongs to. `_count` goes too: a search sent without it gets next links that carry the
 * server's default.
 */
function withoutOffset(target: string): string {
  const [path, query = ''] = target.split('?', 2) as [string, string?];
  const params = new URLSearchParams(query);
  params.delete('_offset');
  params.delete('_count');
  const rest = params.toString();
  return rest ? `${path}?${rest}` : path;
}

function serverTime(record: WireRecord): number {
  return record.finished! - (record.released ?? record.arrived);
}

/** Wraps write/end so the body size is known whatever way the server sends it. */
function countBody(res: ServerResponse, record: WireRecord): void {
  const size = (chunk: unknown, encoding?: unknown): number => {
    if (typeof chunk === 'string') return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    if (chunk instanceof Uint8Array) return chunk.byteLength;
    return 0;
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((...args: unknown[]) => {
    record.bytes += size(args[0], args[1]);
    return write(...args);
  }) as ServerResponse['write'];
  res.end = ((...args: unknown[]) => {
    if (typeof args[0] !== 'function') record.bytes += size(args[0], args[1]);
    return end(...args);
  }) as ServerResponse['end'];
  res.once('finish', () => {
    record.finished = performance.now();
  });
}
