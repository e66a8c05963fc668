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

export type SearchParam = readonly [name: string, value: string];

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
  type: LoadedResourceType;
  /** Shown in reasons when a type needs more than one search ("lab results"). */
  label?: string;
  levels: SearchLevel[];
}

interface ParamGroup {
  params: SearchParam[];
  filter?: ResourceFilter;
}

/** Statuses that can still matter for a pre-treatment review (history included). */
export const MEDICATION_REQUEST_STATUSES = ['active', 'on-hold', 'draft', 'completed', 'stopped'];
export const MEDICATION_STATEMENT_STATUSES = ['active', 'intended', 'completed', 'stopped', 'on-hold'];
export const IMMUNIZATION_STATUSES = ['completed'];

export interface ObservationCodes {
  /** `system|code` tokens of baseline labs: searched with the date floor. */
  labs: string[];
  /** `system|code` tokens of status observations (smoking, pregnancy status, itch, BSA): no date floor. */
  status: string[];
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
  const { labs, status } = input.observationCodes;
  const plans: SearchPlan[] = [];

  plans.push({ type: 'Condition', levels: levels(base, [], never) });

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
    type: 'Observation',
    label: 'lab results',
    levels: levels(
      base,
      [labs.length ? { params: [['code', labs.join(',')]], filter: codeIn(labs) } : { params: [] }, labDateGroup],
      never,
    ),
  });
  if (status.length) {
    plans.push({
      type: 'Observation',
      label: 'status observations',
      levels: levels(base, [{ params: [['code', status.join(',')]], filter: codeIn(status) }, { params: [['_sort', '-date']] }], never),
    });
  }

  const medicationPlan = (type: 'MedicationRequest' | 'MedicationStatement', statuses: string[]): SearchPlan => ({
    type,
    levels: levels(
      base,
      [
        { params: [['status', statuses.join(',')]], filter: statusIn(statuses) },
        { params: input.includeMedications ? [['_include', `${type}:medication`]] : [] },
      ],
      hasInclude,
    ),
  });
  plans.push(medicationPlan('MedicationRequest', MEDICATION_REQUEST_STATUSES));
  plans.push(medicationPlan('MedicationStatement', MEDICATION_STATEMENT_STATUSES));

  plans.push({
    type: 'Immunization',
    levels: levels(base, [{ params: [['status', IMMUNIZATION_STATUSES.join(',')]], filter: statusIn(IMMUNIZATION_STATUSES) }], never),
  });
  return plans;
}

/**
 * `:` `/` `,` `|` are legal in a query and common in FHIR token lists; leaving them unescaped
 * keeps the lab search URL about a third shorter (some proxies cap URLs at 4-8 KB).
 */
function encodeValue(value: string): string {
  return encodeURIComponent(value).replace(/%(3A|2F|2C|7C)/gi, (escaped) => decodeURIComponent(escaped));
}

export function searchUrl(type: string, params: readonly SearchParam[]): string {
  return `${type}?${params.map(([name, value]) => `${encodeURIComponent(name)}=${encodeValue(value)}`).join('&')}`;
}
