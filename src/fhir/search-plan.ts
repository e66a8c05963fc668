/**
 * Which searches the loader issues, and how each one widens when a server rejects a parameter.
 *
 * Each search is a base (patient + page size) plus groups of optional parameters, dropped in
 * order on HTTP 400. Level 0 is the narrow search every server should accept (one round trip
 * in the normal case); level k drops the first k groups and filters on their criteria locally.
 */
import type { LoadedResourceType } from '../engine/record';
import {
  allOf,
  categoryIs,
  codeIn,
  effectiveOnOrAfter,
  statusIn,
  type ResourceFilter,
} from './client-filters';

/**
 * A parameter value: one value, or a list of alternatives (FHIR "OR", sent comma-separated).
 * Values are data: `encodeSearchValue` escapes them so that only the separating commas are syntax.
 */
export type SearchValue = string | readonly string[];
export type SearchParam = readonly [name: string, value: SearchValue];

export interface SearchLevel {
  params: SearchParam[];
  /** Criteria the server no longer applies at this level. */
  filter?: ResourceFilter;
  /** The parameter names dropped at this level (for the note). */
  dropped: string[];
  /** Whether Medications referenced by these results come back in the same Bundle. */
  includesMedications: boolean;
}

export interface SearchPlan {
  /**
   * Which search this is, stable across releases ("labResults"): the CDS service's prefetch
   * keys are these names, so a new search is a new key without a second list to keep in step.
   */
  name: string;
  type: LoadedResourceType;
  /** Shown in reasons when a type needs more than one search ("lab results"). */
  label?: string;
  levels: SearchLevel[];
  /**
   * A `_summary=count` search sent alongside: the same criteria with the codes' systems left
   * out. When it counts results and the narrow search found none, that empty answer is not
   * believed (a proxy or server mangled the system-qualified codes on the way).
   */
  countCheck?: SearchParam[];
  /**
   * Plans that differ only in their codes and share this name share one cross-check count
   * (src/fhir/cross-check.ts), which names them with it ("older lab results searches").
   */
  checkGroup?: string;
}

interface ParamGroup {
  params: SearchParam[];
  filter?: ResourceFilter;
}

/** Statuses that can still matter for a pre-treatment review (history included). */
export const MEDICATION_REQUEST_STATUSES = ['active', 'on-hold', 'draft', 'completed', 'stopped'];
export const MEDICATION_STATEMENT_STATUSES = ['active', 'intended', 'completed', 'stopped', 'on-hold'];
export const IMMUNIZATION_STATUSES = ['completed'];
/** Lab orders that can still bring a result: open (draft, active, on-hold) or performed (issue 18). */
export const LAB_ORDER_STATUSES = ['draft', 'active', 'on-hold', 'completed'];

export interface ObservationCodes {
  /** `system|code` tokens of baseline labs: searched with the date floor. */
  labs: string[];
  /** `system|code` tokens of status observations (smoking, pregnancy status, itch, BSA): no date floor. */
  status: string[];
  /** `system|code` tokens of vital signs read within a window (body weight): the lab date floor, any category. */
  vitals?: string[];
}

export interface PlanInput {
  patientId: string;
  observationCodes: ObservationCodes;
  /** Observation category of the lab search; null sends none. */
  labCategory: string | null;
  /** YYYY-MM-DD: labs before this date are not requested. */
  labsSince: string;
  pageSize: number;
  /** Whether Medications may be read (scope): only then ask for them with _include. */
  includeMedications: boolean;
}

function levels(base: SearchParam[], groups: ParamGroup[], includesMedications: (params: SearchParam[]) => boolean): SearchLevel[] {
  const nonEmpty = groups.filter((group) => group.params.length > 0);
  const result: SearchLevel[] = [];
  for (let dropCount = 0; dropCount <= nonEmpty.length; dropCount += 1) {
    const kept = nonEmpty.slice(dropCount);
    const dropped = nonEmpty.slice(0, dropCount);
    const params = [...base, ...kept.flatMap((group) => group.params)];
    const level: SearchLevel = {
      params,
      dropped: dropped.flatMap((group) => group.params.map(([name]) => name)),
      includesMedications: includesMedications(params),
    };
    const filter = allOf(dropped.flatMap((group) => (group.filter ? [group.filter] : [])));
    if (filter) level.filter = filter;
    result.push(level);
  }
  return result;
}

const hasInclude = (params: SearchParam[]) => params.some(([name]) => name === '_include');
const never = () => false;

export function buildSearchPlans(input: PlanInput): SearchPlan[] {
  const base: SearchParam[] = [
    ['patient', input.patientId],
    ['_count', String(input.pageSize)],
  ];
  const { labs, status, vitals = [] } = input.observationCodes;
  const plans: SearchPlan[] = [];

  plans.push({ name: 'conditions', type: 'Condition', levels: levels(base, [], never) });

  const labDateGroup: ParamGroup = {
    params: [
      ...(input.labCategory ? [['category', input.labCategory] as const] : []),
      ['date', `ge${input.labsSince}`],
      ['_sort', '-date'],
    ],
    filter: allOf([
      ...(input.labCategory ? [categoryIs(input.labCategory)] : []),
      effectiveOnOrAfter(input.labsSince),
    ]),
  };
  plans.push({
    name: 'labResults',
    type: 'Observation',
    label: 'lab results',
    levels: levels(
      base,
      [labs.length ? { params: [['code', labs]], filter: codeIn(labs) } : { params: [] }, labDateGroup],
      never,
    ),
    ...(labs.length ? { countCheck: [['patient', input.patientId], ['code', bareCodes(labs)], ...labDateGroup.params.filter(([name]) => name !== '_sort'), ['_summary', 'count']] } : {}),
  });
  if (status.length) {
    plans.push({
      name: 'statusObservations',
      type: 'Observation',
      label: 'status observations',
      levels: levels(base, [{ params: [['code', status]], filter: codeIn(status) }, { params: [['_sort', '-date']] }], never),
    });
  }

  if (vitals.length) {
    // Same floor as the labs (the weight window is shorter than the look-back), no category filter.
    const vitalsSince: SearchParam = ['date', `ge${input.labsSince}`];
    plans.push({
      name: 'vitalSigns',
      type: 'Observation',
      label: 'vital signs',
      levels: levels(
        base,
        [{ params: [['code', vitals]], filter: codeIn(vitals) }, { params: [vitalsSince, ['_sort', '-date']], filter: effectiveOnOrAfter(input.labsSince) }],
        never,
      ),
    });
  }

  const medicationPlan = (name: string, type: 'MedicationRequest' | 'MedicationStatement', statuses: string[]): SearchPlan => ({
    name,
    type,
    levels: levels(
      base,
      [
        { params: [['status', statuses]], filter: statusIn(statuses) },
        { params: input.includeMedications ? [['_include', `${type}:medication`]] : [] },
      ],
      hasInclude,
    ),
  });
  plans.push(medicationPlan('medicationRequests', 'MedicationRequest', MEDICATION_REQUEST_STATUSES));
  plans.push(medicationPlan('medicationStatements', 'MedicationStatement', MEDICATION_STATEMENT_STATUSES));

  plans.push({
    name: 'immunizations',
    type: 'Immunization',
    levels: levels(base, [{ params: [['status', IMMUNIZATION_STATUSES]], filter: statusIn(IMMUNIZATION_STATUSES) }], never),
  });

  // Orders in flight (issue 18): in the same first round, so a test already ordered is not offered again.
  plans.push({
    name: 'labOrders',
    type: 'ServiceRequest',
    levels: levels(base, [{ params: [['status', LAB_ORDER_STATUSES]], filter: statusIn(LAB_ORDER_STATUSES) }], never),
  });
  return plans;
}

/** The codes of `system|code` tokens without their systems, once each (matches the code in any system). */
function bareCodes(tokens: readonly string[]): string[] {
  return [...new Set(tokens.map((token) => token.slice(token.indexOf('|') + 1)).filter((code) => code !== ''))];
}

/**
 * RFC 3986 percent-encoding: everything but the unreserved characters. `encodeURIComponent`
 * leaves `!'()*` alone; they are escaped too so no proxy or server can read them as syntax.
 */
export function percentEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * One value as FHIR search data: a comma or backslash inside it is escaped (`\,`, `\\`,
 * FHIR R4 search, "Escaping Search Parameters") because servers split on commas after decoding the query
 * (Medplum's `splitSearchOnComma`, HAPI), then the whole value is percent-encoded, so `:` `/`
 * `|` travel as `%3A` `%2F` `%7C`: a proxy that collapses `//` (smart-launcher-v2) cannot change
 * them. Alternatives are joined with a literal comma, the one piece of syntax left.
 */
export function encodeSearchValue(value: SearchValue): string {
  const alternatives = typeof value === 'string' ? [value] : value;
  return alternatives.map((one) => percentEncode(one.replace(/[\\,]/g, (c) => `\\${c}`))).join(',');
}

/** `name=value&…`, the same string for a GET query and a POST `_search` form body. */
export function searchQuery(params: readonly SearchParam[]): string {
  return params.map(([name, value]) => `${percentEncode(name)}=${encodeSearchValue(value)}`).join('&');
}

export function searchUrl(type: string, params: readonly SearchParam[]): string {
  return `${type}?${searchQuery(params)}`;
}
