/**
 * The bench's fault hook: records what crossed the wire in front of another hook (the latency
 * plan), so both strategies are measured at the same place, the server, whatever the browser
 * does.
 *
 * Sequential round trips are derived from timing alone: a request's depth is one more than the
 * deepest request that had finished before it arrived. Requests sent together have depth 1; a
 * page that needed the previous page's `next` link has the previous depth + 1.
 */
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FhirFaultHook } from '../sandbox/faults';

export interface WireRecord {
  method: string;
  /** Path and query after the FHIR base, e.g. `Observation?patient=...`. */
  target: string;
  arrived: number;
  finished?: number;
  /** Response body bytes as sent (uncompressed; the sandbox does not compress). */
  bytes: number;
}

export interface WireSummary {
  requests: number;
  roundTrips: number;
  bytes: number;
  /** First request's arrival to the last response, at the server. */
  spanMs: number;
  /** The chain of requests behind `roundTrips`, first to last (for explaining a missed budget). */
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
    return this.inner(context, req, res);
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
    const longestChain: WireRecord[] = [];
    for (let r = deepest; r; r = depth.get(r)?.after) longestChain.unshift(r);
    return {
      requests: this.records.length,
      roundTrips: longestChain.length,
      bytes: this.records.reduce((sum, r) => sum + r.bytes, 0),
      spanMs: done.length ? Math.max(...done.map((r) => r.finished!)) - done[0]!.arrived : 0,
      longestChain,
    };
  }
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
