/**
 * Runs one planned search: the narrow level first, a wider one only after HTTP 400, then the
 * Bundle pages up to the caps. Never throws for server trouble (that becomes a LoadStatus);
 * throws only SessionExpiredError / LoadAbortedError, which end the whole load.
 */
import type { Bundle, Resource } from 'fhir/r4';
import type { LoadStatus } from '../engine/record';
import type { FhirRequest } from './http';
import { describeFailure, requestWithRetry, type RequestContext } from './request-context';
import { searchQuery, searchUrl, type SearchLevel, type SearchPlan } from './search-plan';

export interface SearchCaps {
  maxPages: number;
  maxResources: number;
}

export interface SearchOutcome {
  status: LoadStatus;
  /** Matches of the searched type (after any client-side filter). */
  resources: Resource[];
  /** Medications that came back through _include. */
  included: Resource[];
  /** Sequential round trips this search took. */
  trips: number;
  /** Whether Medications referenced by `resources` were asked for in the same Bundles. */
  includedMedications: boolean;
  notes: string[];
  /**
   * Set when a newest-first search stopped at the cap: everything on or after this date was
   * loaded (the server's order was checked), so the results are complete back to it.
   */
  completeSince?: string;
  /** Set when a page failed after the first: cut short by the server's trouble, so worth trying again. */
  pageFailed?: boolean;
}

/** A search the server will not run as asked: bad/unsupported parameter, or URL too long. */
const REJECTED_SEARCH = new Set([400, 414]);

/** URI Too Long: the same search fits in a POST `_search` body. */
const URI_TOO_LONG = 414;

function isBundle(body: unknown): body is Bundle {
  return typeof body === 'object' && body !== null && (body as { resourceType?: unknown }).resourceType === 'Bundle';
}

/** Only same-origin next links are followed: the access token must not leave the FHIR server. */
function nextPageUrl(bundle: Bundle, serverUrl: string): { url?: string; offServer?: boolean } {
  const next = bundle.link?.find((link) => link.relation === 'next')?.url;
  if (!next) return {};
  const base = new URL(serverUrl.replace(/\/*$/, '/'));
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return { offServer: true };
  }
  return url.origin === base.origin ? { url: url.href } : { offServer: true };
}

/** The date a server sorts Observations by (`date` = effective[x]), as YYYY-MM-DD. */
function effectiveDay(resource: Resource): string | undefined {
  const r = resource as { effectiveDateTime?: unknown; effectivePeriod?: { start?: unknown }; effectiveInstant?: unknown };
  const value = r.effectiveDateTime ?? r.effectivePeriod?.start ?? r.effectiveInstant;
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : undefined;
}

/**
 * For a `_sort=-date` search cut off at the cap: the oldest day loaded, when every result is dated
 * and the server really returned them newest first; else undefined (then the cut is a gap).
 */
function newestFirstFloor(level: SearchLevel, resources: readonly Resource[]): string | undefined {
  if (!level.params.some(([name, value]) => name === '_sort' && value === '-date') || resources.length === 0) return undefined;
  let previous = '9999-12-31';
  for (const resource of resources) {
    const day = effectiveDay(resource);
    if (!day || day > previous) return undefined;
    previous = day;
  }
  return previous;
}

function prefix(plan: SearchPlan, text: string): string {
  return plan.label ? `${plan.label}: ${text}` : text;
}

function searchName(plan: SearchPlan): string {
  return plan.label ? `${plan.type} (${plan.label})` : plan.type;
}

function fallbackNote(plan: SearchPlan, level: SearchLevel): string {
  return `${searchName(plan)}: the server rejected the search; searched again without ${level.dropped.join(', ')} and filtered in the app.`;
}

function nextDay(day: string): string {
  const next = new Date(`${day}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

export async function runSearch(ctx: RequestContext, plan: SearchPlan, caps: SearchCaps): Promise<SearchOutcome> {
  let trips = 0;
  const notes: string[] = [];
  const serverUrl: string = ctx.client.state.serverUrl;

  for (let index = 0; index < plan.levels.length; index += 1) {
    const level = plan.levels[index]!;
    const isLastLevel = index === plan.levels.length - 1;
    const resources: Resource[] = [];
    const included: Resource[] = [];
    let fetched = 0;
    let total: number | undefined;
    let pages = 0;
    let droppedIncludes = 0;
    let request: FhirRequest | undefined = { url: searchUrl(plan.type, level.params) };
    let triedPost = false;

    const outcome = (status: LoadStatus): SearchOutcome => ({
      status,
      resources,
      included,
      trips,
      includedMedications: level.includesMedications,
      notes,
    });

    while (request) {
      const { response, trips: used } = await requestWithRetry(ctx, request);
      trips += used;
      const pageNumber = pages + 1;
      if (!response.ok) {
        if (pages === 0 && !triedPost && response.kind === 'http' && response.status === URI_TOO_LONG) {
          // Same criteria, no URL to outgrow (FHIR R4 search: POST [type]/_search, form-encoded).
          triedPost = true;
          notes.push(`${searchName(plan)}: the server refused the long search URL; sent the same search as POST _search.`);
          request = { url: `${plan.type}/_search`, form: searchQuery(level.params) };
          continue;
        }
        if (pages === 0) {
          // After a refused long URL, a POST that fails too (405, 404, …) means "not this way" as well.
          const refused = response.kind === 'http' && (REJECTED_SEARCH.has(response.status) || (triedPost && response.status !== 403));
          if (refused && !isLastLevel) {
            notes.push(fallbackNote(plan, plan.levels[index + 1]!));
            break;
          }
          if (response.kind === 'http' && response.status === 403) {
            return outcome({ state: 'denied', reason: prefix(plan, describeFailure(response, ctx.timeoutMs)) });
          }
          const failed: LoadStatus = { state: 'failed', reason: prefix(plan, describeFailure(response, ctx.timeoutMs)) };
          if (response.kind === 'http') failed.httpStatus = response.status;
          return outcome(failed);
        }
        return {
          ...outcome({
            state: 'truncated',
            reason: prefix(plan, `page ${pageNumber} failed (${describeFailure(response, ctx.timeoutMs)}); kept the first ${fetched}`),
            loaded: fetched,
            ...(total !== undefined ? { total } : {}),
          }),
          pageFailed: true,
        };
      }
      if (!isBundle(response.body)) {
        const reason = prefix(plan, `page ${pageNumber}: the server did not answer with a search Bundle`);
        return pages === 0
          ? outcome({ state: 'failed', reason })
          : outcome({ state: 'truncated', reason, loaded: fetched, ...(total !== undefined ? { total } : {}) });
      }
      const bundle = response.body;
      pages += 1;
      if (typeof bundle.total === 'number') total ??= bundle.total;

      const matches: Resource[] = [];
      for (const entry of bundle.entry ?? []) {
        const resource = entry.resource;
        if (!resource || typeof resource !== 'object') continue;
        const mode = entry.search?.mode;
        if (resource.resourceType === plan.type && (mode === undefined || mode === 'match')) matches.push(resource);
        else if (resource.resourceType === 'Medication') {
          // Included Medications are capped like matches: a server may send any number of them.
          if (included.length < caps.maxResources) included.push(resource);
          else droppedIncludes += 1;
        }
      }
      const room = caps.maxResources - fetched;
      const kept = matches.slice(0, room);
      fetched += kept.length;
      resources.push(...(level.filter ? kept.filter(level.filter) : kept));

      if (droppedIncludes > 0) {
        return outcome({
          state: 'truncated',
          reason: prefix(plan, `stopped after ${caps.maxResources} included medications: the server sent ${droppedIncludes} more`),
          loaded: fetched,
          ...(total !== undefined ? { total } : {}),
        });
      }

      const next = nextPageUrl(bundle, serverUrl);
      const cappedInPage = matches.length > kept.length;
      if (next.offServer) {
        return outcome({
          state: 'truncated',
          reason: prefix(plan, `stopped after ${fetched}: the next page link points to another server`),
          loaded: fetched,
          ...(total !== undefined ? { total } : {}),
        });
      }
      if (!next.url && !cappedInPage) return outcome({ state: 'complete' });
      if (cappedInPage || fetched >= caps.maxResources || pages >= caps.maxPages) {
        const floor = newestFirstFloor(level, resources);
        if (floor) {
          // Results on the floor day itself may continue on the next page: only the days after it are whole.
          const since = nextDay(floor);
          notes.push(prefix(plan, `stopped after ${fetched} newest results: complete from ${since}`));
          return { ...outcome({ state: 'complete' }), completeSince: since };
        }
        const of = total !== undefined ? ` of ${total}` : ' (the server has more)';
        return outcome({
          state: 'truncated',
          reason: prefix(plan, `stopped after ${fetched}${of}: paging limit reached`),
          loaded: fetched,
          ...(total !== undefined ? { total } : {}),
        });
      }
      request = next.url ? { url: next.url } : undefined;
    }
  }
  // Unreachable: the last level never breaks out of its loop.
  return { status: { state: 'failed', reason: prefix(plan, 'no search was possible') }, resources: [], included: [], trips, includedMedications: false, notes };
}
