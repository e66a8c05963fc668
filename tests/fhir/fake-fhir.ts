/**
 * A scripted FHIR server for loader tests (MSW), and a real fhirclient Client pointed at it.
 * Every request is logged so tests can assert what was asked for and in which order.
 */
import FHIR from 'fhirclient/lib/entry/browser';
import type Client from 'fhirclient/lib/Client';
import type { Bundle, Resource } from 'fhir/r4';
import { http, HttpResponse, type HttpResponseResolver } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

export const BASE = 'http://fhir.test/r4';
export const PATIENT_ID = 'p1';

export const LAB_CODES = ['http://loinc.org|718-7', 'http://loinc.org|1742-6'];
export const STATUS_CODES = ['http://loinc.org|72166-2'];

export interface LoggedRequest {
  path: string;
  params: URLSearchParams;
  authorization: string | null;
  /** The URL exactly as sent (percent-encoding intact). */
  url: string;
  method: string;
}

export const requestLog: LoggedRequest[] = [];
export const events: string[] = [];

export const fhirServer = setupServer();
fhirServer.events.on('request:start', ({ request }) => {
  const url = new URL(request.url);
  if (!url.href.startsWith(BASE)) return;
  const path = url.pathname.slice(new URL(BASE).pathname.length + 1);
  requestLog.push({ path, params: url.searchParams, authorization: request.headers.get('authorization'), url: request.url, method: request.method });
  events.push(`request ${path}`);
});
fhirServer.events.on('response:mocked', ({ request }) => {
  events.push(`response ${new URL(request.url).pathname}`);
});

export function resetLog(): void {
  requestLog.length = 0;
  events.length = 0;
}

export function requestsTo(path: string): LoggedRequest[] {
  return requestLog.filter((r) => r.path === path);
}

/** `expiresAt`: the SMART state's expiry of the access token, epoch seconds. */
export function makeClient(scope?: string, extra: { tokenResponse?: Record<string, unknown>; tokenUri?: string; expiresAt?: number } = {}): Client {
  const tokenResponse: Record<string, unknown> = { access_token: 'token-123', patient: PATIENT_ID, ...extra.tokenResponse };
  if (scope !== undefined) tokenResponse.scope = scope;
  return FHIR.client({ serverUrl: BASE, tokenResponse, ...(extra.tokenUri ? { tokenUri: extra.tokenUri } : {}), ...(extra.expiresAt !== undefined ? { expiresAt: extra.expiresAt } : {}) } as never);
}

export function searchset(resources: Resource[], options: { next?: string; total?: number; included?: Resource[] } = {}): Bundle {
  const bundle: Bundle = {
    resourceType: 'Bundle',
    type: 'searchset',
    entry: [
      ...resources.map((resource) => ({ resource, search: { mode: 'match' as const } })),
      ...(options.included ?? []).map((resource) => ({ resource, search: { mode: 'include' as const } })),
    ],
  };
  if (options.total !== undefined) bundle.total = options.total;
  if (options.next) bundle.link = [{ relation: 'next', url: options.next }];
  return bundle;
}

export const fhirJson = (body: unknown, init?: ResponseInit) =>
  HttpResponse.json(body as never, { ...init, headers: { 'content-type': 'application/fhir+json', ...(init?.headers ?? {}) } });

export function outcome(text: string, status: number) {
  return fhirJson({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing', details: { text } }] }, { status });
}

/** Default answers: the patient and empty Bundles for every searched type. */
export function useEmptyChart(): void {
  fhirServer.use(
    http.get(`${BASE}/Patient/${PATIENT_ID}`, () => fhirJson({ resourceType: 'Patient', id: PATIENT_ID, gender: 'female' })),
    ...['Condition', 'Observation', 'MedicationRequest', 'MedicationStatement', 'Immunization', 'ServiceRequest'].map((type) =>
      http.get(`${BASE}/${type}`, () => fhirJson(searchset([]))),
    ),
  );
}

export function on(path: string, resolver: HttpResponseResolver) {
  fhirServer.use(http.get(`${BASE}/${path}`, resolver));
}

export function observation(id: string, code: string, date: string, category = 'laboratory'): Resource {
  const [system, value] = code.split('|');
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: category }] }],
    code: { coding: [{ system: system!, code: value! }] },
    subject: { reference: `Patient/${PATIENT_ID}` },
    effectiveDateTime: date,
  } as Resource;
}

export function condition(id: string): Resource {
  return {
    resourceType: 'Condition',
    id,
    subject: { reference: `Patient/${PATIENT_ID}` },
    code: { text: `condition ${id}` },
  } as Resource;
}

/**
 * The fake server's life in a test file: listening for the file (an unscripted request fails the
 * test), a fresh log before each test, and by default an empty chart to script on.
 */
export function useFakeFhirServer(options: { emptyChart?: boolean } = {}): void {
  beforeAll(() => fhirServer.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => {
    resetLog();
    if (options.emptyChart !== false) useEmptyChart();
  });
  afterEach(() => fhirServer.resetHandlers());
  afterAll(() => fhirServer.close());
}
