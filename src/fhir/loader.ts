/**
 * Loads what the readiness rules need for the patient in context, in as few sequential round
 * trips as the server allows: every search goes out at once, filtered on the server; paging,
 * fallbacks and unresolved Medication reads only add trips when they are needed.
 *
 * Failures are per resource type (LoadStatus) so the report can say "unknown" instead of
 * "missing". A 401 anywhere throws SessionExpiredError (no partial result). Resources are
 * never logged.
 */
import type { MedicationRequest, Patient, Resource } from 'fhir/r4';
import type Client from 'fhirclient/lib/Client';
import type { LoadedResourceType, LoadStatus } from '../engine/record';
import { LAB_FAMILY_CODES, OBSERVATION_SEARCH_CODES } from '../kb/observation-codes';
import { MIN_LOOKBACK_DAYS } from '../engine/config';
import { missingMedicationIds, readMedications } from './medications';
import { orderIdsInContext, readOrders } from './launch-context';
import { describeFailure, getWithRetry, type RequestContext } from './request-context';
import { parseScopes, scopeAllows } from './scopes';
import { buildSearchPlans, searchUrl, type ObservationCodes, type SearchParam, type SearchPlan } from './search-plan';
import { runSearch, type SearchOutcome } from './search-runner';
import { foldNewestResults, NEWEST_CAPS, newestResultPlans } from './newest-results';
import { crossChecks, judged } from './cross-check';
import { readSavedMarks, type SavedMarks } from './saved-marks';

export { SessionExpiredError, SESSION_EXPIRED_MESSAGE } from './errors';
export { LoadAbortedError } from './request-context';

export interface LoaderOptions {
  /** The day the review is for; labs are searched from `asOf − lookbackDays`. Default: now. */
  asOf?: Date | string;
  /**
   * Default 400: the longest default window (365 days) plus 5 weeks, so a result just outside its
   * window still shows as "outdated"; older ones make an item "missing: no result since <date>".
   * A site with longer windows must raise it. Three years of labs cost 3× the bytes and pages.
   */
  lookbackDays?: number;
  /** `_count` per page. Default 1000 (a server that caps lower is paged through). */
  pageSize?: number;
  /** Pages followed per search before stopping as truncated. Default 10. */
  maxPagesPerSearch?: number;
  /** Resources kept per search (Observation runs two searches). Default 2000. */
  maxResourcesPerType?: number;
  /** Per request, including each page and each retry. Default 15000. */
  timeoutMs?: number;
  /**
   * Answers larger than this are refused unread, as a data gap. Default 10 MB: a page of 1,000
   * Observations is about 1 MB; far more is a broken or hostile server, and parsing it would
   * freeze the sidebar.
   */
  maxResponseBytes?: number;
  /** Longest Retry-After honoured for the single 429 retry. Default 5000. */
  maxRetryWaitMs?: number;
  /** Separate Medication reads after the searches. Default 100. */
  maxMedicationReads?: number;
  /** Default: OBSERVATION_SEARCH_CODES from src/kb/observation-codes.ts. */
  observationCodes?: ObservationCodes;
  /** Category sent with the lab search. Default 'laboratory'; null sends none. */
  labCategory?: string | null;
  /** Default: the token response's scope (or the requested scope when the server omits it). */
  grantedScopes?: string[];
  /** Cancels the load (e.g. the sidebar closed); the promise then rejects with LoadAbortedError. */
  signal?: AbortSignal;
  /**
   * Also search, per checklist item, the newest lab results older than the look-back (one small
   * search each, in the same round trip; src/fhir/newest-results.ts), so statuses match the
   * command line's on the whole record. Default false.
   */
  newestOlderResults?: boolean;
  /** Checklist item → lab codes for those searches. Default: LAB_FAMILY_CODES (src/kb/observation-codes.ts). */
  labFamilies?: Readonly<Record<string, readonly string[]>>;
  /**
   * Only these searches, by plan name ('conditions', 'labResults', …), and the Patient read only
   * when 'patient' is listed; types not searched get no load status. Default: all. The CDS service
   * reads only what the EHR's prefetch left out; "Try again" only a previous load's
   * `failedSearches` (src/fhir/retry-load.ts merges the answers).
   */
  searches?: readonly string[];
  /**
   * Also read the to-do marks saved with this app's newest note (src/fhir/saved-marks.ts), in
   * the first round, when DocumentReference search is granted. Default false.
   */
  savedMarks?: boolean;
}

export const LOADER_DEFAULTS = {
  lookbackDays: MIN_LOOKBACK_DAYS,
  pageSize: 1000,
  maxPagesPerSearch: 10,
  maxResourcesPerType: 2000,
  timeoutMs: 15_000,
  maxResponseBytes: 10 * 1024 * 1024,
  maxRetryWaitMs: 5000,
  maxMedicationReads: 100,
  labCategory: 'laboratory',
  newestOlderResults: false,
} as const;

export interface LoadStats {
  /** HTTP requests sent (pages, retries, fallbacks and Medication reads included). */
  requests: number;
  /** Longest chain of requests that had to wait for each other; 1 when everything fit the first round. */
  roundTrips: number;
  /** Response body bytes (Content-Length, else the size of the JSON received). */
  bytes: number;
  ms: number;
  /** Plain-text notes on how the server was worked around (fallback searches, unread Medications). */
  notes: string[];
}

export interface LoadedData {
  /** The patient in context; also absent from `resources`. */
  patient?: Patient;
  /** Conditions, Observations, MedicationRequests/Statements, Medications, Immunizations (deduplicated). */
  resources: Resource[];
  loads: Partial<Record<LoadedResourceType, LoadStatus>>;
  /** YYYY-MM-DD floor of the lab search, so the report can say "nothing since <date>". */
  observationsSince?: string;
  /**
   * The MedicationRequest(s) the EHR put in the launch context (`fhirContext`): the order being
   * written. Also in `resources` when the searches found them.
   */
  orders?: MedicationRequest[];
  /** The to-do marks of this app's newest note (only with `savedMarks` and a DocumentReference search grant). */
  savedMarks?: SavedMarks;
  stats: LoadStats;
  /** How each search of this load ended (SearchPlan name, `patient` for the Patient read). */
  searches?: Record<string, { type: LoadedResourceType; status: LoadStatus }>;
  /** The searches a second attempt may fix (failed, or cut short by a failed page): what "Try again" re-runs. */
  failedSearches?: string[];
}

const DAY_MS = 86_400_000;

function dateFloor(asOf: Date | string | undefined, lookbackDays: number): string {
  const base = asOf === undefined ? new Date() : new Date(asOf);
  const time = Number.isNaN(base.getTime()) ? Date.now() : base.getTime();
  return new Date(time - lookbackDays * DAY_MS).toISOString().slice(0, 10);
}

/** Worst status wins: the rules must not trust a type if any of its searches fell short. */
const SEVERITY: Record<LoadStatus['state'], number> = { complete: 0, truncated: 1, failed: 2, denied: 3 };

export function combine(statuses: LoadStatus[]): LoadStatus {
  const problems = statuses.filter((s) => s.state !== 'complete');
  if (problems.length === 0) return { state: 'complete' };
  const worst = problems.reduce((a, b) => (SEVERITY[b.state] > SEVERITY[a.state] ? b : a));
  if (problems.length === 1) return worst;
  // Two searches failing for one cause read once: "lab results, status observations: HTTP 503: …".
  const byCause = new Map<string, string[]>();
  for (const problem of problems) {
    const text = 'reason' in problem ? problem.reason : '';
    const match = /^([^:]+): (.*)$/.exec(text);
    const [label, cause] = match && !/^HTTP \d/.test(text) ? [match[1]!, match[2]!] : ['', text];
    byCause.set(cause, [...(byCause.get(cause) ?? []), label]);
  }
  const reason = [...byCause.entries()]
    .map(([cause, labels]) => (labels.filter(Boolean).length ? `${labels.filter(Boolean).join(', ')}: ${cause}` : cause))
    .filter(Boolean)
    .join('; ');
  return { ...worst, reason } as LoadStatus;
}

function deniedByScope(type: string, access: 'read' | 'search'): LoadStatus {
  const suffix = access === 'read' ? 'read / .r' : 'read / .rs';
  return { state: 'denied', reason: `the EHR did not grant access to ${type} (scope patient/${type}.${suffix})` };
}

function dedupe(resources: Resource[]): Resource[] {
  const seen = new Set<string>();
  return resources.filter((resource) => {
    if (!resource.id) return true;
    const key = `${resource.resourceType}/${resource.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function readPatient(ctx: RequestContext, patientId: string): Promise<{ patient?: Patient; status: LoadStatus; trips: number }> {
  const { response, trips } = await getWithRetry(ctx, `Patient/${encodeURIComponent(patientId)}`);
  if (response.ok) {
    const body = response.body as Patient | undefined;
    if (body && typeof body === 'object' && body.resourceType === 'Patient') return { patient: body, status: { state: 'complete' }, trips };
    return { status: { state: 'failed', reason: 'the server did not answer with a Patient' }, trips };
  }
  const reason = describeFailure(response, ctx.timeoutMs);
  if (response.kind === 'http' && response.status === 403) return { status: { state: 'denied', reason }, trips };
  const failed: LoadStatus = { state: 'failed', reason };
  if (response.kind === 'http') failed.httpStatus = response.status;
  return { status: failed, trips };
}

function patientIdOf(client: Client): string {
  const id = client.patient.id;
  if (id === null || id === undefined || String(id).trim() === '') {
    throw new Error('No patient in context: the EHR did not say which patient is open.');
  }
  return String(id);
}

export async function loadPatientData(client: Client, options: LoaderOptions = {}): Promise<LoadedData> {
  const started = performance.now();
  const patientId = patientIdOf(client);
  const settings = { ...LOADER_DEFAULTS, ...definedOnly(options) };
  const granted = options.grantedScopes ?? parseScopes(client.state.tokenResponse?.scope ?? client.state.scope);
  // No scope information at all: let the server decide rather than refuse everything.
  const allows = (type: string, access: 'read' | 'search') => granted.length === 0 || scopeAllows(granted, type, access);

  const controller = new AbortController();
  allowManyListeners(controller.signal);
  const onCallerAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onCallerAbort);
  if (options.signal?.aborted) controller.abort();
  const ctx: RequestContext = {
    client,
    timeoutMs: settings.timeoutMs,
    maxRetryWaitMs: settings.maxRetryWaitMs,
    maxResponseBytes: settings.maxResponseBytes,
    signal: controller.signal,
    counters: { requests: 0, bytes: 0 },
  };
  // The first fatal error (401, cancel) stops every other request of this load.
  const guard = <T>(work: Promise<T>): Promise<T> =>
    work.catch((error: unknown) => {
      controller.abort();
      throw error;
    });

  try {
    const labsSince = dateFloor(settings.asOf, settings.lookbackDays);
    const includeMedications = allows('Medication', 'read');
    const plans = buildSearchPlans({
      patientId,
      observationCodes: settings.observationCodes ?? OBSERVATION_SEARCH_CODES,
      labCategory: settings.labCategory,
      labsSince,
      pageSize: settings.pageSize,
      includeMedications,
    });
    const loads: Partial<Record<LoadedResourceType, LoadStatus>> = {};
    const notes: string[] = [];
    const caps = { maxPages: settings.maxPagesPerSearch, maxResources: settings.maxResourcesPerType };

    const wanted = options.searches ? new Set(options.searches) : undefined;
    const allowedPlans = plans.filter((plan) => {
      if (wanted && !wanted.has(plan.name)) return false;
      if (allows(plan.type, 'search')) return true;
      loads[plan.type] = deniedByScope(plan.type, 'search');
      return false;
    });
    const readPatientToo = !wanted || wanted.has('patient');
    if (readPatientToo && !allows('Patient', 'read')) loads.Patient = deniedByScope('Patient', 'read');

    const olderPlans =
      settings.newestOlderResults && allows('Observation', 'search') && (!wanted || wanted.has('labResults'))
        ? newestResultPlans({ patientId, families: settings.labFamilies ?? LAB_FAMILY_CODES, labCategory: settings.labCategory, before: labsSince })
        : [];

    // First round trip: the patient read, every search, its cross-checks, the newest older
    // results per item family and the order in context, all in flight together.
    const patientWork = loads.Patient || !readPatientToo ? undefined : guard(readPatient(ctx, patientId));
    const searchWork = allowedPlans.map((plan) => guard(runSearch(ctx, plan, caps)));
    const olderWork = olderPlans.map((plan) => guard(runSearch(ctx, plan, NEWEST_CAPS)));
    // Every search that names a code system gets its system-less count (src/fhir/cross-check.ts).
    const checks = crossChecks([...allowedPlans, ...olderPlans]);
    const countWork = checks.map((check) => guard(countOf(ctx, check.type, check.params)));
    // The order in context is read with the whole load, not again for a chosen few searches.
    const orderIds = !wanted && allows('MedicationRequest', 'read') ? orderIdsInContext(client) : [];
    const orderWork = orderIds.length ? guard(readOrders(ctx, orderIds, patientId)) : undefined;
    const marksWork =
      options.savedMarks && scopeAllows(granted, 'DocumentReference', 'search') ? guard(readSavedMarks(ctx, patientId)) : undefined;
    const [patientResult, searchOutcomes, olderAnswers, counts, orderResult, marksResult] = await Promise.all([
      patientWork,
      Promise.all(searchWork),
      Promise.all(olderWork),
      Promise.all(countWork),
      orderWork,
      marksWork,
    ]);
    const outcomes = new Map<SearchPlan, SearchOutcome>();
    allowedPlans.forEach((plan, index) => outcomes.set(plan, searchOutcomes[index]!));
    olderPlans.forEach((plan, index) => outcomes.set(plan, olderAnswers[index]!));
    const altered = checks.filter((check, index) => judged(check, counts[index], outcomes));
    const searchResults = allowedPlans.map((plan) => ({ plan, outcome: outcomes.get(plan)! }));
    const olderOutcomes = olderPlans.map((plan) => outcomes.get(plan)!);

    let roundTrips = Math.max(patientResult?.trips ?? 0, marksResult?.trips ?? 0);
    const resources: Resource[] = [];
    const byType = new Map<LoadedResourceType, LoadStatus[]>();
    const searches: NonNullable<LoadedData['searches']> = {};
    const failedSearches: string[] = [];
    let observationsSince = labsSince;
    for (const { plan, outcome } of searchResults) {
      searches[plan.name] = { type: plan.type, status: outcome.status };
      if (outcome.status.state === 'failed' || outcome.pageFailed) failedSearches.push(plan.name);
      roundTrips = Math.max(roundTrips, outcome.trips);
      if (outcome.completeSince && outcome.completeSince > observationsSince) observationsSince = outcome.completeSince;
      resources.push(...outcome.resources, ...outcome.included);
      notes.push(...outcome.notes);
      byType.set(plan.type, [...(byType.get(plan.type) ?? []), outcome.status]);
    }
    for (const [type, statuses] of byType) loads[type] = combine(statuses);
    if (patientResult) {
      loads.Patient = patientResult.status;
      searches.patient = { type: 'Patient', status: patientResult.status };
      if (patientResult.status.state === 'failed') failedSearches.unshift('patient');
    }

    // Older results count only when the lab search itself reached its floor: with a gap between
    // them (a capped search complete only from a later day) they could pass for the newest.
    let olderComplete = false;
    if (olderOutcomes.length > 0) {
      for (const outcome of olderOutcomes) roundTrips = Math.max(roundTrips, outcome.trips);
      const older = foldNewestResults(olderOutcomes);
      notes.push(...older.notes);
      if (loads.Observation?.state === 'complete' && observationsSince === labsSince) {
        resources.push(...older.resources);
        olderComplete = older.complete;
      }
      // An altered answer is no ordinary failure: the proxy that emptied it may have emptied
      // more, so it is a data gap ("could not check"), never "missing" or "no result since".
      const alteredOlder = altered.filter((check) => check.plans.some((plan) => olderPlans.includes(plan)));
      if (alteredOlder.length > 0) {
        loads.Observation = combine([loads.Observation ?? { state: 'complete' }, ...alteredOlder.map((check) => outcomes.get(check.plans[0]!)!.status)]);
      }
    }

    const medicationTrips = await resolveMedications(ctx, searchResults, orderResult?.orders ?? [], resources, notes, {
      allowed: includeMedications,
      limit: settings.maxMedicationReads,
      guard,
    });
    roundTrips = Math.max(roundTrips, medicationTrips);
    if (orderResult) {
      roundTrips = Math.max(roundTrips, orderResult.trips);
      notes.push(...orderResult.notes);
    }

    const data: LoadedData = {
      resources: dedupe(resources),
      loads,
      stats: {
        requests: ctx.counters.requests,
        roundTrips,
        bytes: ctx.counters.bytes,
        ms: Math.round(performance.now() - started),
        notes,
      },
      searches,
      failedSearches,
    };
    if (patientResult?.patient) data.patient = patientResult.patient;
    if (orderResult?.orders.length) data.orders = orderResult.orders;
    if (marksResult) data.savedMarks = marksResult.saved;
    // With the newest older results of every family read, "nothing found" means nothing at any date.
    if (loads.Observation && loads.Observation.state !== 'denied' && !olderComplete) data.observationsSince = observationsSince;
    return data;
  } finally {
    options.signal?.removeEventListener('abort', onCallerAbort);
  }
}

/** Returns the round-trip depth at which the last Medication read finished (0 when none). */
async function resolveMedications(
  ctx: RequestContext,
  searchResults: { plan: SearchPlan; outcome: SearchOutcome }[],
  orders: readonly Resource[],
  resources: Resource[],
  notes: string[],
  options: { allowed: boolean; limit: number; guard: <T>(work: Promise<T>) => Promise<T> },
): Promise<number> {
  const medicationSearches = searchResults.filter(
    ({ plan }) => plan.type === 'MedicationRequest' || plan.type === 'MedicationStatement',
  );
  const prescriptions = [...medicationSearches.flatMap(({ outcome }) => outcome.resources), ...orders];
  const missing = missingMedicationIds(prescriptions, resources, ctx.client.state.serverUrl);
  if (missing.length === 0) return 0;
  if (!options.allowed) {
    notes.push(`Medication: ${missing.length} referenced medications were not read (no Medication scope).`);
    return 0;
  }
  const reads = await options.guard(readMedications(ctx, missing, options.limit));
  resources.push(...reads.medications);
  notes.push(...reads.notes);
  const after = medicationSearches.reduce((max, { outcome }) => Math.max(max, outcome.trips), 0);
  return after + reads.trips;
}

/** `Bundle.total` of a `_summary=count` search; undefined when the server could not say. */
async function countOf(ctx: RequestContext, type: string, params: readonly SearchParam[]): Promise<number | undefined> {
  const { response } = await getWithRetry(ctx, searchUrl(type, params));
  if (!response.ok) return undefined;
  const total = (response.body as { resourceType?: unknown; total?: unknown } | undefined)?.total;
  return (response.body as { resourceType?: unknown }).resourceType === 'Bundle' && typeof total === 'number' ? total : undefined;
}

/**
 * Every request in flight listens on the load's signal, and a load has about 15 at once. Node
 * (the CDS service runs this loader there) warns past 10 listeners; browsers do not count.
 */
function allowManyListeners(signal: AbortSignal): void {
  const nodeProcess = (globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process;
  try {
    const events = nodeProcess?.getBuiltinModule?.('node:events') as { setMaxListeners?(n: number, ...targets: EventTarget[]): void } | undefined;
    events?.setMaxListeners?.(100, signal);
  } catch {
    // Another environment's AbortSignal (jsdom): nothing to raise, nothing to warn about.
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
