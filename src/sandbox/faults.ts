/**
 * Fault injection in front of the FHIR engine, per resource type: latency, 5xx, 429 with
 * Retry-After, an expired token, a broken page, malformed JSON, a server that ignores `_count`.
 * The hook runs after authentication and access control, so a fault never leaks data a token
 * could not read. Every fault is bounded (FAULT_LIMITS): no endless waits, no endless 429s
 * unless asked for, no unbounded memory.
 *
 * A FaultPlan is data (tests, the benchmark, `POST /ehr/faults`, `npm start -- --faults`);
 * `faultsFromPlan` turns it into the hook the server calls.
 *
 * Presets (for docs/development.md, "Fault injection"):
 *
 * | Preset                     | What the server does                                                        |
 * |----------------------------|-----------------------------------------------------------------------------|
 * | `none`                     | No faults.                                                                  |
 * | `slow-observation`         | Observation requests answer after 3 s.                                      |
 * | `observation-503`          | Observation requests answer 503 with an OperationOutcome.                   |
 * | `observation-429`          | Each Observation request is refused once with 429 (Retry-After: 1), then answered. |
 * | `expired-token`            | Every FHIR request answers 401 `invalid_token` ("The access token expired"). |
 * | `observation-page-2-broken`| Observation pages are capped at 100 and page 2 answers 500 (needs over 100 results: the heavy record). |
 * | `malformed-json`           | Observation requests answer 200 with a truncated JSON body.                 |
 * | `ignores-count`            | Every search ignores `_count` and returns all matches in one page.          |
 *
 * Use: `npm start -- --faults observation-503`, the "Faults" form on /ehr/, or
 * `curl -X POST -H 'Content-Type: application/json' -d '{"Observation":{"status":503}}' http://127.0.0.1:5173/ehr/faults`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FhirResult } from './fhir-engine';

export interface FhirFaultContext {
  method: string;
  /** First path segment after the FHIR base ('' for batch/system requests). */
  resourceType: string;
  /** Path segments after the FHIR base. */
  path: string[];
  query: URLSearchParams;
  /** Patient in the token context, when any. */
  patient?: string;
  /**
   * Runs the request through the FHIR engine without answering it (optionally with another
   * query), so a fault can reshape a real answer. Absent for hooks called outside the server.
   */
  forward?: (query?: URLSearchParams) => Promise<FhirResult>;
}

/**
 * Return true when the hook has answered the request itself (the engine is then skipped);
 * false to let the engine answer (after any delay the hook awaited).
 */
export type FhirFaultHook = (context: FhirFaultContext, req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export const noFaults: FhirFaultHook = () => false;

export const FAULT_TARGETS = [
  'Patient',
  'Condition',
  'Observation',
  'MedicationRequest',
  'MedicationStatement',
  'Medication',
  'Immunization',
  '*',
] as const;
/** A resource type, or '*' for every FHIR request that names a type. */
export type FaultTarget = (typeof FAULT_TARGETS)[number];

export const FAULT_STATUSES = [500, 502, 503, 504] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];

/**
 * What the server does to the requests of one resource type. Several fields may be combined;
 * they apply in this order: latency, expireToken, rateLimit, status, breakPage, then
 * ignoreCount and malformedJson shape the engine's answer.
 */
export interface FaultSpec {
  /** Delay before answering (0–FAULT_LIMITS.maxLatencyMs). */
  latencyMs?: number;
  /** Answer every request with this status and an OperationOutcome. */
  status?: FaultStatus;
  /**
   * Answer 429 with Retry-After. Each distinct request (method, path and query) is refused
   * `times` times in a row, then answered once, and the cycle starts again, so every load
   * sees the same behaviour. Default times: 1; Infinity: always 429.
   */
  rateLimit?: { retryAfterSeconds: number; times?: number };
  /** 401 with WWW-Authenticate `error="invalid_token"`, as for an expired access token. */
  expireToken?: boolean;
  /**
   * The Nth page of a search (1-based; page 1 is the search itself, later pages are reached
   * through the Bundle's next link) answers 500. No effect on a search with fewer pages.
   */
  breakPage?: number;
  /** 200 with the engine's JSON cut in half (a complete HTTP body that is not valid JSON). */
  malformedJson?: boolean;
  /** Searches ignore `_count` and return every match in one page (no next link). */
  ignoreCount?: boolean;
  /** Searches answer at most this many matches a page, whatever `_count` asks (as many EHRs cap it). */
  maxCount?: number;
  /** Diagnostics text of the OperationOutcome in error answers (5xx, 429, 401, broken page). */
  operationOutcome?: string;
}

/** The most specific entry wins: a type's own spec replaces '*' for that type (no merging). */
export type FaultPlan = Partial<Record<FaultTarget, FaultSpec>>;

export const FAULT_LIMITS = {
  maxLatencyMs: 60_000,
  maxRetryAfterSeconds: 120,
  /** Largest finite `rateLimit.times` (Infinity is allowed separately). */
  maxRateLimitTimes: 1000,
  maxBreakPage: 1000,
  maxOperationOutcomeLength: 500,
  /** Distinct requests tracked for rateLimit; the tracker is cleared when it would grow past this. */
  maxTrackedRequests: 10_000,
  /** ignoreCount: pages of FETCH_PAGE_SIZE merged into the single answer. */
  maxMergedPages: 100,
} as const;

const FETCH_PAGE_SIZE = 1000;

export const FAULT_PRESET_NAMES = [
  'none',
  'slow-observation',
  'observation-503',
  'observation-429',
  'expired-token',
  'observation-page-2-broken',
  'malformed-json',
  'ignores-count',
] as const;
export type FaultPresetName = (typeof FAULT_PRESET_NAMES)[number];

export const FAULT_PRESETS: Readonly<Record<FaultPresetName, { label: string; plan: FaultPlan }>> = {
  none: { label: 'No faults', plan: {} },
  'slow-observation': { label: 'Slow Observation (3 s)', plan: { Observation: { latencyMs: 3000 } } },
  'observation-503': {
    label: 'Observation 503',
    plan: { Observation: { status: 503, operationOutcome: 'Observation service temporarily unavailable (fault injected by the sandbox)' } },
  },
  'observation-429': { label: 'Observation 429, Retry-After 1 s (once per request)', plan: { Observation: { rateLimit: { retryAfterSeconds: 1, times: 1 } } } },
  'expired-token': { label: 'Expired token (every request 401)', plan: { '*': { expireToken: true } } },
  'observation-page-2-broken': { label: 'Page 2 of Observation searches fails (500; pages capped at 100)', plan: { Observation: { breakPage: 2, maxCount: 100 } } },
  'malformed-json': { label: 'Observation answers malformed JSON', plan: { Observation: { malformedJson: true } } },
  'ignores-count': { label: 'Server ignores _count (one big page)', plan: { '*': { ignoreCount: true } } },
};

export function isFaultPresetName(name: unknown): name is FaultPresetName {
  return typeof name === 'string' && (FAULT_PRESET_NAMES as readonly string[]).includes(name);
}

/** A copy of a preset's plan (callers may change it freely). */
export function faultPreset(name: FaultPresetName): FaultPlan {
  return structuredClone(FAULT_PRESETS[name].plan);
}

/** The preset a plan is exactly equal to, if any (for showing the current choice). */
export function presetOf(plan: FaultPlan): FaultPresetName | undefined {
  const text = canonicalJson(plan);
  return FAULT_PRESET_NAMES.find((name) => canonicalJson(FAULT_PRESETS[name].plan) === text);
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

export class FaultPlanError extends Error {
  override name = 'FaultPlanError';
}

const SPEC_KEYS = new Set(['latencyMs', 'status', 'rateLimit', 'expireToken', 'breakPage', 'malformedJson', 'ignoreCount', 'maxCount', 'operationOutcome']);

/**
 * Checks a plan from outside (JSON, a test) and returns a clean copy. `rateLimit.times` may be
 * "Infinity" or null in JSON, where Infinity cannot be written. Throws FaultPlanError.
 */
export function validateFaultPlan(input: unknown): FaultPlan {
  if (!isRecord(input)) throw new FaultPlanError('A fault plan is an object keyed by resource type');
  const plan: FaultPlan = {};
  for (const [target, spec] of Object.entries(input)) {
    if (!(FAULT_TARGETS as readonly string[]).includes(target)) {
      throw new FaultPlanError(`Unknown fault target "${target}" (one of ${FAULT_TARGETS.join(', ')})`);
    }
    if (spec === undefined) continue;
    plan[target as FaultTarget] = validateSpec(spec, target);
  }
  return plan;
}

function validateSpec(input: unknown, target: string): FaultSpec {
  if (!isRecord(input)) throw new FaultPlanError(`${target}: a fault spec is an object`);
  for (const key of Object.keys(input)) {
    if (!SPEC_KEYS.has(key)) throw new FaultPlanError(`${target}: unknown fault "${key}"`);
  }
  const spec: FaultSpec = {};
  const { latencyMs, status, rateLimit, expireToken, breakPage, malformedJson, ignoreCount, maxCount, operationOutcome } = input;
  if (latencyMs !== undefined) spec.latencyMs = boundedInteger(latencyMs, 0, FAULT_LIMITS.maxLatencyMs, `${target}.latencyMs`);
  if (status !== undefined) {
    if (!(FAULT_STATUSES as readonly unknown[]).includes(status)) throw new FaultPlanError(`${target}.status must be one of ${FAULT_STATUSES.join(', ')}`);
    spec.status = status as FaultStatus;
  }
  if (rateLimit !== undefined) {
    if (!isRecord(rateLimit)) throw new FaultPlanError(`${target}.rateLimit is an object`);
    const retryAfterSeconds = boundedInteger(rateLimit.retryAfterSeconds, 0, FAULT_LIMITS.maxRetryAfterSeconds, `${target}.rateLimit.retryAfterSeconds`);
    const rawTimes = rateLimit.times;
    const times =
      rawTimes === undefined
        ? 1
        : rawTimes === Infinity || rawTimes === 'Infinity' || rawTimes === null
          ? Infinity
          : boundedInteger(rawTimes, 0, FAULT_LIMITS.maxRateLimitTimes, `${target}.rateLimit.times`);
    spec.rateLimit = { retryAfterSeconds, times };
  }
  if (breakPage !== undefined) spec.breakPage = boundedInteger(breakPage, 1, FAULT_LIMITS.maxBreakPage, `${target}.breakPage`);
  if (maxCount !== undefined) spec.maxCount = boundedInteger(maxCount, 1, FETCH_PAGE_SIZE, `${target}.maxCount`);
  for (const [key, value] of [['expireToken', expireToken], ['malformedJson', malformedJson], ['ignoreCount', ignoreCount]] as const) {
    if (value === undefined) continue;
    if (typeof value !== 'boolean') throw new FaultPlanError(`${target}.${key} is true or false`);
    spec[key] = value;
  }
  if (operationOutcome !== undefined) {
    if (typeof operationOutcome !== 'string') throw new FaultPlanError(`${target}.operationOutcome is text`);
    spec.operationOutcome = operationOutcome.slice(0, FAULT_LIMITS.maxOperationOutcomeLength);
  }
  return spec;
}

function boundedInteger(value: unknown, min: number, max: number, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new FaultPlanError(`${name} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const DEFAULT_TEXT: Record<FaultStatus, string> = {
  500: 'Internal server error (fault injected by the sandbox)',
  502: 'Bad gateway: the upstream FHIR store did not answer (fault injected by the sandbox)',
  503: 'Service temporarily unavailable (fault injected by the sandbox)',
  504: 'Gateway timeout: the upstream FHIR store was too slow (fault injected by the sandbox)',
};

/** Builds the server's hook from a plan (validated first: a bad plan throws FaultPlanError). */
export function faultsFromPlan(input: FaultPlan): FhirFaultHook {
  const plan = validateFaultPlan(input);
  if (Object.keys(plan).length === 0) return noFaults;
  const refusals = new Map<string, number>();

  return async (context, _req, res) => {
    const spec = specFor(plan, context.resourceType);
    if (!spec) return false;

    if (spec.latencyMs) await sleep(spec.latencyMs);
    if (res.destroyed) return true;

    if (spec.expireToken) {
      sendOutcome(res, 401, 'expired', spec.operationOutcome ?? 'The access token expired', {
        'WWW-Authenticate': 'Bearer realm="jak-readiness sandbox", error="invalid_token", error_description="The access token expired"',
      });
      return true;
    }
    if (spec.rateLimit && refuseThisTime(refusals, requestKey(context), spec.rateLimit.times ?? 1)) {
      sendOutcome(res, 429, 'throttled', spec.operationOutcome ?? 'Too many requests (fault injected by the sandbox)', {
        'Retry-After': String(spec.rateLimit.retryAfterSeconds),
      });
      return true;
    }
    if (spec.status) {
      sendOutcome(res, spec.status, spec.status === 500 ? 'exception' : 'transient', spec.operationOutcome ?? DEFAULT_TEXT[spec.status]);
      return true;
    }
    const search = isSearch(context);
    if (spec.breakPage && search && pageNumber(context.query) === spec.breakPage) {
      sendOutcome(res, 500, 'exception', spec.operationOutcome ?? `Page ${spec.breakPage} could not be produced (fault injected by the sandbox)`);
      return true;
    }
    const capped = spec.maxCount && search && !spec.ignoreCount ? withCountCap(context.query, spec.maxCount) : undefined;
    if (!context.forward || !(spec.malformedJson || (spec.ignoreCount && search) || capped)) return false;

    const result = spec.ignoreCount && search ? await everythingInOnePage(context.forward, context.query) : await context.forward(capped);
    if (spec.malformedJson) {
      const text = JSON.stringify(result.body);
      // Cut inside the object: a complete HTTP body (Content-Length matches) that no JSON parser accepts.
      sendText(res, 200, text.slice(0, Math.max(1, Math.floor(text.length / 2))));
    } else {
      sendText(res, result.status, JSON.stringify(result.body), result.headers);
    }
    return true;
  };
}

function specFor(plan: FaultPlan, resourceType: string): FaultSpec | undefined {
  if (!resourceType) return undefined;
  return (FAULT_TARGETS as readonly string[]).includes(resourceType) && resourceType !== '*'
    ? (plan[resourceType as FaultTarget] ?? plan['*'])
    : plan['*'];
}

function isSearch(context: FhirFaultContext): boolean {
  const { method, path } = context;
  return (method === 'GET' && path.length === 1) || (method === 'POST' && path.length === 2 && path[1] === '_search');
}

/** Page number from the engine's paging parameters (its next links carry `_count` and `_offset`). */
/** The query with `_count` lowered to the cap (or set to it when absent); paging links follow it. */
function withCountCap(query: URLSearchParams, cap: number): URLSearchParams {
  const capped = new URLSearchParams(query);
  const asked = Number(query.get('_count'));
  capped.set('_count', String(Number.isInteger(asked) && asked > 0 ? Math.min(asked, cap) : cap));
  return capped;
}

function pageNumber(query: URLSearchParams): number {
  const offset = Number(query.get('_offset') ?? 0);
  if (!Number.isFinite(offset) || offset <= 0) return 1;
  const count = Number(query.get('_count'));
  return Number.isFinite(count) && count > 0 ? Math.floor(offset / count) + 1 : 2;
}

function requestKey(context: FhirFaultContext): string {
  const query = [...context.query.entries()].sort(([a], [b]) => a.localeCompare(b));
  return `${context.method} ${context.path.join('/')}?${new URLSearchParams(query).toString()}`;
}

/** `times` refusals, then one answer, then the cycle restarts. */
function refuseThisTime(refusals: Map<string, number>, key: string, times: number): boolean {
  const refused = refusals.get(key) ?? 0;
  if (refused >= times) {
    refusals.delete(key);
    return false;
  }
  if (!refusals.has(key) && refusals.size >= FAULT_LIMITS.maxTrackedRequests) refusals.clear();
  refusals.set(key, refused + 1);
  return true;
}

interface BundleLike {
  resourceType: string;
  total?: number;
  entry?: unknown[];
  link?: Array<{ relation?: string; url?: string }>;
}

/** Pages through the engine and answers with one Bundle holding every match. */
async function everythingInOnePage(forward: NonNullable<FhirFaultContext['forward']>, query: URLSearchParams): Promise<FhirResult> {
  const ask = (offset: number) => {
    const q = new URLSearchParams(query);
    q.set('_count', String(FETCH_PAGE_SIZE));
    if (offset > 0) q.set('_offset', String(offset));
    else q.delete('_offset');
    return forward(q);
  };
  const first = await ask(0);
  const bundle = first.body as unknown as BundleLike;
  if (first.status !== 200 || bundle.resourceType !== 'Bundle') return first;
  const entries = [...(bundle.entry ?? [])];
  let hasNext = bundle.link?.some((l) => l.relation === 'next') ?? false;
  for (let page = 1; hasNext && page < FAULT_LIMITS.maxMergedPages; page += 1) {
    const more = await ask(page * FETCH_PAGE_SIZE);
    const moreBundle = more.body as unknown as BundleLike;
    if (more.status !== 200 || moreBundle.resourceType !== 'Bundle') return more;
    entries.push(...(moreBundle.entry ?? []));
    hasNext = moreBundle.link?.some((l) => l.relation === 'next') ?? false;
  }
  const merged: BundleLike = { ...bundle, entry: entries, link: (bundle.link ?? []).filter((l) => l.relation === 'self') };
  return { ...first, body: merged as unknown as FhirResult['body'] };
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, Math.min(Math.max(0, ms), FAULT_LIMITS.maxLatencyMs)));
}

function sendOutcome(res: ServerResponse, status: number, code: string, diagnostics: string, headers: Record<string, string> = {}): void {
  const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] };
  sendText(res, status, JSON.stringify(outcome), headers);
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'application/fhir+json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/**
 * The plan in force, changeable while the server runs (handle.setFaultPlan, POST /ehr/faults).
 * `hook` is stable, so the server keeps one reference.
 */
export class FaultSwitch {
  private current: FhirFaultHook;
  private currentPlan: FaultPlan | undefined;

  constructor(initial: { plan?: FaultPlan; hook?: FhirFaultHook }) {
    if (initial.plan) {
      this.currentPlan = validateFaultPlan(initial.plan);
      this.current = faultsFromPlan(this.currentPlan);
    } else {
      this.current = initial.hook ?? noFaults;
      this.currentPlan = initial.hook ? undefined : {};
    }
  }

  readonly hook: FhirFaultHook = (context, req, res) => this.current(context, req, res);

  /** Validates and applies a plan; 429 counts start afresh. Throws FaultPlanError. */
  set(plan: FaultPlan): FaultPlan {
    const clean = validateFaultPlan(plan);
    this.current = faultsFromPlan(clean);
    this.currentPlan = clean;
    return clean;
  }

  /** The plan in force; undefined when a custom hook (not a plan) is in force. */
  get plan(): FaultPlan | undefined {
    return this.currentPlan && structuredClone(this.currentPlan);
  }
}
