/**
 * Medplum's MemoryRepository with a patient index and a faster search.
 *
 * Why: MemoryRepository.search evaluates `subject.where(resolve() is Patient)` on every
 * resource and re-evaluates FHIRPath inside each sort comparison, which takes seconds per
 * page on the 5,000-Observation record. Here the patient filter is answered from an index,
 * token and date filters are compiled with Medplum's semantics (search-filters.ts: Sets for
 * long code lists, extracted values cached per resource version), every other filter still
 * goes through Medplum's own `matchesSearchRequest`, and sort keys are computed once per
 * resource version.
 */
import {
  Operator,
  deepClone,
  evalFhirPath,
  getSearchParameter,
  parseFhirPath,
  splitSearchOnComma,
  type Filter,
  type SearchRequest,
  type SortRule,
  type WithId,
} from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, Reference, Resource } from '@medplum/fhirtypes';
import { SearchFilterCompiler, medplumFilter, type CompiledFilter } from './search-filters';

/** Search parameters that name the patient a resource belongs to. */
const PATIENT_PARAMS = new Set(['patient', 'subject', 'beneficiary']);

/** Fields that point from a clinical resource to its patient (patient compartment, simplified). */
const PATIENT_REFERENCE_FIELDS = ['subject', 'patient', 'beneficiary'] as const;

export class PatientIndexedRepository extends MemoryRepository {
  /** resourceType -> id -> resource, in insertion order (the default search order). */
  private readonly store = new Map<string, Map<string, WithId<Resource>>>();
  /** resourceType -> patient id -> ids of that patient's resources. */
  private readonly byPatient = new Map<string, Map<string, Set<string>>>();
  /** "Type/id" -> patient id, for resources in a patient's compartment. */
  private readonly ownerOf = new Map<string, string>();
  private readonly filters = new SearchFilterCompiler();
  /**
   * false: every filter but the patient goes through Medplum's `matchesSearchRequest` and
   * sort keys are recomputed per search: the reference the compiled filters are tested against.
   */
  compiledFilters = true;

  override async createResource<T extends Resource>(resource: T): Promise<WithId<T>> {
    const saved = await super.createResource(resource);
    this.track(saved);
    // The stored object keys the per-resource caches, so callers get their own copy to change.
    return deepClone(saved);
  }

  override async deleteResource(resourceType: string, id: string): Promise<void> {
    await super.deleteResource(resourceType, id);
    this.untrack(resourceType, id);
  }

  override clear(): void {
    super.clear();
    this.store.clear();
    this.byPatient.clear();
    this.ownerOf.clear();
  }

  /** The patient whose compartment holds this resource (a Patient owns itself). */
  patientOf(resourceType: string, id: string): string | undefined {
    return this.ownerOf.get(`${resourceType}/${id}`);
  }

  /** Whether any resource of this type names a patient (Observation yes, Medication no). */
  isPatientScopedType(resourceType: string): boolean {
    return resourceType === 'Patient' || PATIENT_SCOPED_TYPES.has(resourceType);
  }

  /** All resources of one type for one patient, unsorted; for the EHR pages. */
  resourcesOf(resourceType: string, patientId: string): WithId<Resource>[] {
    const ids = this.byPatient.get(resourceType)?.get(patientId);
    const table = this.store.get(resourceType);
    if (!ids || !table) return [];
    return [...ids].flatMap((id) => {
      const resource = table.get(id);
      return resource ? [deepClone(resource)] : [];
    });
  }

  override async search<T extends Resource>(searchRequest: SearchRequest<T>): Promise<Bundle<WithId<T>>> {
    const { resourceType } = searchRequest;
    const table = this.store.get(resourceType) ?? new Map<string, WithId<Resource>>();
    const filters = (searchRequest.filters ?? []).map((f) => qualifyBareReference(resourceType, f));

    let candidates: Iterable<WithId<Resource>> = table.values();
    const rest: Filter[] = [];
    for (const filter of filters) {
      const patientIds = this.patientIdsOf(filter);
      if (patientIds) {
        const allowed = new Set<string>();
        for (const pid of patientIds) {
          for (const id of this.byPatient.get(resourceType)?.get(pid) ?? []) allowed.add(id);
        }
        candidates = [...candidates].filter((r) => allowed.has(r.id));
      } else {
        rest.push(filter);
      }
    }

    // Filters are ANDed and side-effect free, so running the cheap ones first changes no result.
    const tests = rest
      .map((filter, order) => ({ order, ...this.compileFilter(resourceType, filter) }))
      .sort((a, b) => a.cost - b.cost || a.order - b.order)
      .map((compiled) => compiled.test);
    let matches = [...candidates].filter((r) => tests.every((test) => test(r)));
    if (searchRequest.sortRules?.length) {
      const remember = this.compiledFilters ? this.filters.remember.bind(this.filters) : undefined;
      matches = sortResources(matches, searchRequest.sortRules, remember);
    }

    const total = matches.length;
    const offset = searchRequest.offset ?? 0;
    const page =
      searchRequest.count === undefined ? matches.slice(offset) : matches.slice(offset, offset + searchRequest.count);
    const entry: BundleEntry<WithId<T>>[] = page.map((r) => ({
      resource: deepClone(r) as WithId<T>,
      search: { mode: 'match' },
    }));
    entry.push(...(await this.includes(page, searchRequest)));
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      total,
      ...(entry.length ? { entry } : {}),
    } as Bundle<WithId<T>>;
  }

  private compileFilter(resourceType: string, filter: Filter): CompiledFilter {
    return this.compiledFilters ? this.filters.compile(resourceType, filter) : medplumFilter(resourceType, filter);
  }

  private track(resource: WithId<Resource>): void {
    const { resourceType, id } = resource;
    this.untrack(resourceType, id);
    let table = this.store.get(resourceType);
    if (!table) this.store.set(resourceType, (table = new Map()));
    table.set(id, resource);

    const owner = resourceType === 'Patient' ? id : patientIdOf(resource);
    if (owner === undefined) return;
    this.ownerOf.set(`${resourceType}/${id}`, owner);
    let perType = this.byPatient.get(resourceType);
    if (!perType) this.byPatient.set(resourceType, (perType = new Map()));
    let ids = perType.get(owner);
    if (!ids) perType.set(owner, (ids = new Set()));
    ids.add(id);
  }

  private untrack(resourceType: string, id: string): void {
    this.store.get(resourceType)?.delete(id);
    const key = `${resourceType}/${id}`;
    const owner = this.ownerOf.get(key);
    if (owner !== undefined) {
      this.byPatient.get(resourceType)?.get(owner)?.delete(id);
      this.ownerOf.delete(key);
    }
  }

  /** Patient ids when the filter is a plain patient reference we can answer from the index. */
  private patientIdsOf(filter: Filter): string[] | undefined {
    if (!PATIENT_PARAMS.has(filter.code) || filter.operator !== Operator.EQUALS) return undefined;
    const ids: string[] = [];
    for (const value of splitSearchOnComma(filter.value)) {
      const match = /(?:^|\/)Patient\/([^/]+)$/.exec(value);
      if (!match?.[1]) return undefined;
      ids.push(match[1]);
    }
    return ids;
  }

  /** `_include` of references from the page (e.g. MedicationRequest:medication). */
  private async includes(page: WithId<Resource>[], searchRequest: SearchRequest): Promise<BundleEntry<any>[]> {
    const out: BundleEntry<any>[] = [];
    const seen = new Set<string>();
    for (const target of searchRequest.include ?? []) {
      const param = getSearchParameter(target.resourceType, target.searchParam);
      if (!param?.expression) continue;
      for (const resource of page) {
        for (const value of evalFhirPath(param.expression, resource)) {
          const ref = (value as Reference | undefined)?.reference;
          const match = ref ? /(?:^|\/)([A-Z][A-Za-z]+)\/([^/]+)$/.exec(ref) : null;
          if (!match?.[1] || !match[2]) continue;
          if (target.targetType && target.targetType !== match[1]) continue;
          const key = `${match[1]}/${match[2]}`;
          const included = this.store.get(match[1])?.get(match[2]);
          if (!included || seen.has(key)) continue;
          seen.add(key);
          out.push({ resource: deepClone(included), search: { mode: 'include' } });
        }
      }
    }
    return out;
  }
}

/**
 * Resource types whose instances belong to one patient. Kept explicit (not derived from the
 * compartment definition) because the access policy relies on it.
 */
export const PATIENT_SCOPED_TYPES: ReadonlySet<string> = new Set([
  'AllergyIntolerance',
  'CarePlan',
  'CareTeam',
  'Claim',
  'Condition',
  'Coverage',
  'DiagnosticReport',
  'DocumentReference',
  'Encounter',
  'ExplanationOfBenefit',
  'Goal',
  'Immunization',
  'ImagingStudy',
  'MedicationAdministration',
  'MedicationDispense',
  'MedicationRequest',
  'MedicationStatement',
  'Observation',
  'Procedure',
  'Provenance',
  'ServiceRequest',
  'Specimen',
  'Composition',
]);

function patientIdOf(resource: Resource): string | undefined {
  const record = resource as unknown as Record<string, Reference | undefined>;
  for (const field of PATIENT_REFERENCE_FIELDS) {
    const ref = record[field]?.reference;
    const match = ref ? /(?:^|\/)Patient\/([^/]+)$/.exec(ref) : null;
    if (match?.[1]) return match[1];
  }
  return undefined;
}

/**
 * `patient=123` means `patient=Patient/123` (a reference parameter with a single target
 * type); Medplum's matcher compares whole reference strings, so qualify bare ids first.
 */
function qualifyBareReference(resourceType: string, filter: Filter): Filter {
  const param = getSearchParameter(resourceType, filter.code);
  if (param?.type !== 'reference') return filter;
  const targets = param.target ?? [];
  const values = splitSearchOnComma(filter.value).map((value) => {
    if (value.includes('/') || value === '') return value;
    if (targets.length === 1) return `${targets[0]}/${value}`;
    // subject=123 on Observation: Patient is what a SMART client means.
    if (PATIENT_PARAMS.has(filter.code) && targets.includes('Patient')) return `Patient/${value}`;
    return value;
  });
  return { ...filter, value: values.join(',') };
}

type Remember = <V>(resource: WithId<Resource>, key: string, compute: () => V) => V;

function sortResources<T extends WithId<Resource>>(resources: T[], rules: SortRule[], remember?: Remember): T[] {
  const type = resources[0]?.resourceType ?? '';
  // Parsed once per search, not once per resource.
  const parsed = rules.map((rule) => {
    const expression = getSearchParameter(type, rule.code)?.expression;
    return { expression, atom: expression ? parseFhirPath(expression) : undefined };
  });
  const keyOf = (resource: T, rule: SortRule, i: number): string | undefined => {
    const { expression, atom } = parsed[i] ?? {};
    const compute = () => sortKey(resource, rule.code, atom);
    return remember ? remember(resource, `sort:${rule.code}:${expression ?? ''}`, compute) : compute();
  };
  const keyed = resources.map((resource, index) => ({
    resource,
    index,
    keys: rules.map((rule, i) => keyOf(resource, rule, i)),
  }));
  keyed.sort((a, b) => {
    for (let i = 0; i < rules.length; i++) {
      const ka = a.keys[i];
      const kb = b.keys[i];
      if (ka === kb) continue;
      // Missing values sort last whatever the direction, as most servers do.
      if (ka === undefined) return 1;
      if (kb === undefined) return -1;
      const cmp = ka < kb ? -1 : 1;
      return rules[i]?.descending ? -cmp : cmp;
    }
    return a.index - b.index;
  });
  return keyed.map((k) => k.resource);
}

function sortKey(resource: Resource, code: string, expression: ReturnType<typeof parseFhirPath> | undefined): string | undefined {
  if (code === '_id') return resource.id;
  if (code === '_lastUpdated') return resource.meta?.lastUpdated;
  if (!expression) return undefined;
  for (const value of evalFhirPath(expression, resource)) {
    const key = scalarOf(value);
    if (key !== undefined) return key;
  }
  return undefined;
}

function scalarOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.start === 'string') return v.start; // Period
    if (typeof v.end === 'string') return v.end;
    if (typeof v.value === 'number') return String(v.value).padStart(20, '0'); // Quantity
    if (typeof v.text === 'string') return v.text;
    const coding = (v.coding as { code?: string }[] | undefined)?.[0];
    if (coding?.code) return coding.code;
    return JSON.stringify(value);
  }
  return undefined;
}
