import { describe, expect, it, vi } from 'vitest';
import { delay, http, HttpResponse } from 'msw';
import type { Medication, MedicationRequest, MedicationStatement, Resource } from 'fhir/r4';
import { loadPatientData, SessionExpiredError, type LoaderOptions } from '../../src/fhir/loader';
import { retryFailedSearches } from '../../src/fhir/retry-load';
import {
  BASE,
  condition,
  events,
  fhirJson,
  fhirServer,
  LAB_CODES,
  makeClient,
  observation,
  on,
  outcome,
  PATIENT_ID,
  requestLog,
  requestsTo,
  resetLog,
  searchset,
  STATUS_CODES,
  useFakeFhirServer,
} from './fake-fhir';

const OPTIONS: LoaderOptions = {
  observationCodes: { labs: LAB_CODES, status: STATUS_CODES },
  asOf: '2025-06-01',
};

const load = (extra: LoaderOptions = {}, scope?: string) => loadPatientData(makeClient(scope), { ...OPTIONS, ...extra });

/** The lab search (not its `_summary=count` cross-check). */
const isLabSearch = (params: URLSearchParams) => params.has('date') && !params.has('_summary');

useFakeFhirServer();

describe('first round trip', () => {
  it('sends the patient read and every search before any answer arrives', async () => {
    const expected = 10; // Patient + Condition + 2 Observation (+ their two count checks) + 2 medication + Immunization + lab orders
    let release!: () => void;
    const allArrived = new Promise<void>((resolve) => (release = resolve));
    const gate = async () => {
      if (requestLog.length >= expected) release();
      await Promise.race([allArrived, delay(2000)]);
    };
    on(`Patient/${PATIENT_ID}`, async () => {
      await gate();
      return fhirJson({ resourceType: 'Patient', id: PATIENT_ID });
    });
    for (const type of ['Condition', 'Observation', 'MedicationRequest', 'MedicationStatement', 'Immunization', 'ServiceRequest']) {
      on(type, async () => {
        await gate();
        return fhirJson(searchset([]));
      });
    }

    const data = await load();

    const firstResponse = events.findIndex((e) => e.startsWith('response'));
    expect(events.slice(0, firstResponse).filter((e) => e.startsWith('request'))).toHaveLength(expected);
    expect(data.stats).toMatchObject({ requests: expected, roundTrips: 1 });
    expect(data.stats.bytes).toBeGreaterThan(0);
    expect(data.patient?.id).toBe(PATIENT_ID);
    for (const type of ['Patient', 'Condition', 'Observation', 'MedicationRequest', 'MedicationStatement', 'Immunization', 'ServiceRequest'] as const) {
      expect(data.loads[type]).toEqual({ state: 'complete' });
    }
    expect(requestLog.every((r) => r.authorization === 'Bearer token-123')).toBe(true);
  });

  it('asks the server for exactly the data the rules need', async () => {
    const data = await load();

    const observations = requestsTo('Observation');
    const labs = observations.find((r) => isLabSearch(r.params))!;
    expect(labs.params.get('patient')).toBe(PATIENT_ID);
    expect(labs.params.get('category')).toBe('laboratory');
    expect(labs.params.get('code')).toBe(LAB_CODES.join(','));
    expect(labs.params.get('date')).toBe('ge2024-04-27');
    expect(labs.params.get('_sort')).toBe('-date');
    expect(labs.params.get('_count')).toBe('1000');
    expect(data.observationsSince).toBe('2024-04-27');

    const status = observations.find((r) => !r.params.has('date'))!;
    expect(status.params.get('code')).toBe(STATUS_CODES.join(','));
    expect(status.params.has('category')).toBe(false);

    // The cross-check: the same lab codes without their systems, counted only, same floor.
    const check = observations.find((r) => r.params.get('_summary') === 'count')!;
    expect(check.params.get('code')).toBe('718-7,1742-6');
    expect(check.params.get('category')).toBe('laboratory');
    expect(check.params.get('date')).toBe('ge2024-04-27');
    expect(check.params.get('patient')).toBe(PATIENT_ID);

    const requests = requestsTo('MedicationRequest')[0]!.params;
    expect(requests.get('status')).toBe('active,on-hold,draft,completed,stopped');
    expect(requests.get('_include')).toBe('MedicationRequest:medication');
    const statements = requestsTo('MedicationStatement')[0]!.params;
    expect(statements.get('status')).toBe('active,intended,completed,stopped,on-hold');
    expect(statements.get('_include')).toBe('MedicationStatement:medication');
    expect(requestsTo('Immunization')[0]!.params.get('status')).toBe('completed');
    const conditions = requestsTo('Condition')[0]!.params;
    expect(conditions.get('patient')).toBe(PATIENT_ID);
    expect(conditions.has('clinical-status')).toBe(false);
  });

  it('searches body weight back to the lab floor only, in any category, newest first', async () => {
    const weight = 'http://loinc.org|29463-7';
    await load({ observationCodes: { labs: LAB_CODES, status: STATUS_CODES, vitals: [weight] } });

    const weights = requestsTo('Observation').filter((r) => r.params.get('code') === weight);
    expect(weights).toHaveLength(1);
    const params = weights[0]!.params;
    expect(params.get('date')).toBe('ge2024-04-27');
    expect(params.get('_sort')).toBe('-date');
    expect(params.has('category')).toBe(false);
    // Weight is in neither the lab search nor the status search (which has no date floor).
    const others = requestsTo('Observation').filter((r) => r !== weights[0] && !r.params.has('_summary'));
    for (const request of others) expect(request.params.get('code') ?? '').not.toContain('29463-7');
  });

  it('uses the lookback the caller asks for', async () => {
    const data = await load({ asOf: '2025-06-01T00:00:00Z', lookbackDays: 365 });
    expect(data.observationsSince).toBe('2024-06-01');
    expect(requestsTo('Observation').find((r) => isLabSearch(r.params))!.params.get('date')).toBe('ge2024-06-01');
  });

  it('runs only the searches asked for (the CDS service reads just the prefetch keys the EHR left out)', async () => {
    const data = await load({ searches: ['conditions'], newestOlderResults: true });
    expect(requestLog.map((r) => r.path)).toEqual(['Condition']);
    expect(Object.keys(data.loads)).toEqual(['Condition']);
    expect(data.patient).toBeUndefined();
    const withPatient = (resetLog(), await load({ searches: ['patient', 'immunizations'] }));
    expect(requestLog.map((r) => r.path).sort()).toEqual(['Immunization', `Patient/${PATIENT_ID}`]);
    expect(withPatient.loads.Patient?.state).toBe('complete');
  });
});

describe('paging', () => {
  it('follows next links to the end', async () => {
    on('Condition', ({ request }) => {
      const page = Number(new URL(request.url).searchParams.get('page') ?? '1');
      const next = page < 3 ? `${BASE}/Condition?patient=${PATIENT_ID}&page=${page + 1}` : undefined;
      return fhirJson(searchset([condition(`c${page}`)], { total: 3, next }));
    });

    const data = await load();

    expect(requestsTo('Condition')).toHaveLength(3);
    expect(data.resources.filter((r) => r.resourceType === 'Condition').map((r) => r.id)).toEqual(['c1', 'c2', 'c3']);
    expect(data.loads.Condition).toEqual({ state: 'complete' });
    expect(data.stats.roundTrips).toBe(3);
  });

  it('stops at the page cap and says how much is missing', async () => {
    on('Condition', ({ request }) => {
      const page = Number(new URL(request.url).searchParams.get('page') ?? '1');
      return fhirJson(
        searchset([condition(`c${page}a`), condition(`c${page}b`)], {
          total: 10,
          next: `${BASE}/Condition?patient=${PATIENT_ID}&page=${page + 1}`,
        }),
      );
    });

    const data = await load({ maxPagesPerSearch: 2 });

    expect(requestsTo('Condition')).toHaveLength(2);
    expect(data.loads.Condition).toMatchObject({ state: 'truncated', loaded: 4, total: 10 });
    expect((data.loads.Condition as { reason: string }).reason).toMatch(/stopped after 4 of 10/);
  });

  it('stops at the resource cap', async () => {
    on('Condition', () =>
      fhirJson(searchset([condition('a'), condition('b'), condition('c')], { next: `${BASE}/Condition?page=2` })),
    );
    const data = await load({ maxResourcesPerType: 2 });
    expect(requestsTo('Condition')).toHaveLength(1);
    expect(data.resources.filter((r) => r.resourceType === 'Condition')).toHaveLength(2);
    expect(data.loads.Condition).toMatchObject({ state: 'truncated', loaded: 2 });
  });

  it('keeps what loaded when a later page fails', async () => {
    on('Condition', ({ request }) => {
      if (new URL(request.url).searchParams.get('page') === '2') return outcome('Backend unavailable', 503);
      return fhirJson(searchset([condition('c1')], { total: 2, next: `${BASE}/Condition?patient=${PATIENT_ID}&page=2` }));
    });
    const data = await load();
    expect(data.resources.filter((r) => r.resourceType === 'Condition')).toHaveLength(1);
    expect(data.loads.Condition).toMatchObject({ state: 'truncated', loaded: 1, total: 2 });
    expect((data.loads.Condition as { reason: string }).reason).toMatch(/page 2 failed \(HTTP 503: Backend unavailable\)/);
  });

  it('treats newest-first lab results cut at the cap as complete back to the oldest whole day', async () => {
    on('Observation', ({ request }) => {
      const params = new URL(request.url).searchParams;
      if (!params.has('date')) return fhirJson(searchset([]));
      return fhirJson(searchset([
        observation('o1', LAB_CODES[0]!, '2025-05-20'), observation('o2', LAB_CODES[0]!, '2025-03-01'), observation('o3', LAB_CODES[1]!, '2025-01-10'),
      ], { total: 50, next: `${BASE}/Observation?page=2` }));
    });
    const data = await load({ maxResourcesPerType: 3 });
    expect(data.loads.Observation).toEqual({ state: 'complete' });
    expect(data.observationsSince).toBe('2025-01-11');
    expect(data.stats.notes.join(' ')).toMatch(/stopped after 3 newest results: complete from 2025-01-11/);
  });

  it('keeps a cut-off lab search truncated when the server did not return newest first', async () => {
    on('Observation', ({ request }) => {
      const params = new URL(request.url).searchParams;
      if (!params.has('date')) return fhirJson(searchset([]));
      return fhirJson(searchset([
        observation('o1', LAB_CODES[0]!, '2025-01-10'), observation('o2', LAB_CODES[0]!, '2025-05-20'), observation('o3', LAB_CODES[1]!, '2025-03-01'),
      ], { total: 50, next: `${BASE}/Observation?page=2` }));
    });
    const data = await load({ maxResourcesPerType: 3 });
    expect(data.loads.Observation).toMatchObject({ state: 'truncated', loaded: 3, total: 50 });
    expect(data.observationsSince).toBe('2024-04-27');
  });

  it('does not send the token to a next link on another server', async () => {
    on('Condition', () => fhirJson(searchset([condition('c1')], { next: 'http://elsewhere.test/Condition?page=2' })));
    const data = await load();
    expect(data.loads.Condition).toMatchObject({ state: 'truncated', loaded: 1 });
    expect((data.loads.Condition as { reason: string }).reason).toMatch(/another server/);
  });
});

describe('server errors', () => {
  it('throws SessionExpiredError on 401', async () => {
    on('Immunization', () => outcome('Token expired', 401));
    await expect(load()).rejects.toBeInstanceOf(SessionExpiredError);
  });

  it('marks a type denied on 403 and still loads the others', async () => {
    on('Immunization', () => outcome('Access to Immunization is not permitted', 403));
    const data = await load();
    expect(data.loads.Immunization).toMatchObject({ state: 'denied' });
    expect((data.loads.Immunization as { reason: string }).reason).toMatch(/not permitted/);
    expect(data.loads.Condition).toEqual({ state: 'complete' });
  });

  it('reports a missing patient as failed with HTTP 404', async () => {
    on(`Patient/${PATIENT_ID}`, () => outcome('Resource Patient/p1 not found', 404));
    const data = await load();
    expect(data.patient).toBeUndefined();
    expect(data.loads.Patient).toMatchObject({ state: 'failed', httpStatus: 404 });
    expect((data.loads.Patient as { reason: string }).reason).toMatch(/not found/);
  });

  it('retries once after 429 with Retry-After and then succeeds', async () => {
    let calls = 0;
    on('Condition', () => {
      calls += 1;
      if (calls === 1) return fhirJson({ resourceType: 'OperationOutcome', issue: [] }, { status: 429, headers: { 'retry-after': '0' } });
      return fhirJson(searchset([condition('c1')]));
    });
    const data = await load();
    expect(calls).toBe(2);
    expect(data.loads.Condition).toEqual({ state: 'complete' });
    expect(data.resources.some((r) => r.id === 'c1')).toBe(true);
    expect(data.stats.roundTrips).toBe(2);
  });

  it('gives up after one retry when the server stays busy', async () => {
    on('Condition', () => fhirJson({}, { status: 429, headers: { 'retry-after': '0' } }));
    const data = await load();
    expect(requestsTo('Condition')).toHaveLength(2);
    expect(data.loads.Condition).toMatchObject({ state: 'failed', httpStatus: 429 });
  });

  it('puts the OperationOutcome text of a 500 in the reason', async () => {
    on('MedicationStatement', () =>
      fhirJson(
        { resourceType: 'OperationOutcome', issue: [{ severity: 'fatal', code: 'exception', diagnostics: 'Database connection lost' }] },
        { status: 500 },
      ),
    );
    const data = await load();
    expect(data.loads.MedicationStatement).toEqual({
      state: 'failed',
      httpStatus: 500,
      reason: 'HTTP 500: Database connection lost',
    });
  });

  it('names one cause once when both Observation searches fail for it', async () => {
    on('Observation', () => outcome('Observation service down', 503));
    const data = await load();
    expect(data.loads.Observation).toMatchObject({ state: 'failed', reason: 'lab results, status observations: HTTP 503: Observation service down' });
  });

  it('fails a search that does not answer in time', async () => {
    on('Immunization', async () => {
      await delay(1000);
      return fhirJson(searchset([]));
    });
    const data = await load({ timeoutMs: 50 });
    expect(data.loads.Immunization).toMatchObject({ state: 'failed' });
    expect((data.loads.Immunization as { reason: string }).reason).toMatch(/^timeout after/);
    expect(data.loads.Condition).toEqual({ state: 'complete' });
  });
});

describe('servers that reject a search parameter', () => {
  it('searches again without the code list and keeps only the matching codes', async () => {
    on('Observation', ({ request }) => {
      const params = new URL(request.url).searchParams;
      if (params.has('code')) return outcome("Unknown search parameter 'code'", 400);
      if (!isLabSearch(params)) return fhirJson(searchset([observation('smoke', STATUS_CODES[0]!, '2010-01-01', 'social-history')]));
      return fhirJson(
        searchset([
          observation('hb', LAB_CODES[0]!, '2025-01-10'),
          observation('glucose', 'http://loinc.org|2345-7', '2025-01-10'),
          observation('alt', LAB_CODES[1]!, '2024-11-02'),
        ]),
      );
    });

    const data = await load();

    const fallback = requestsTo('Observation').filter((r) => isLabSearch(r.params) && !r.params.has('code'));
    expect(fallback).toHaveLength(1);
    expect(fallback[0]!.params.get('category')).toBe('laboratory');
    const observations = data.resources.filter((r) => r.resourceType === 'Observation').map((r) => r.id);
    expect(observations.sort()).toEqual(['alt', 'hb', 'smoke']);
    expect(data.loads.Observation).toEqual({ state: 'complete' });
    expect(data.stats.notes.join(' ')).toMatch(/without code/);
    expect(data.stats.roundTrips).toBe(2);
  });

  it('drops category, date and sort next and filters them in the app', async () => {
    on('Observation', ({ request }) => {
      const params = new URL(request.url).searchParams;
      if (params.has('code') || params.has('_sort')) return outcome('Unsupported parameter', 400);
      return fhirJson(
        searchset([
          observation('recent', LAB_CODES[0]!, '2025-01-10'),
          observation('old', LAB_CODES[0]!, '2019-01-10'),
          observation('vital', LAB_CODES[0]!, '2025-01-10', 'vital-signs'),
        ]),
      );
    });
    const data = await load({ observationCodes: { labs: LAB_CODES, status: [] } });
    expect(data.resources.filter((r) => r.resourceType === 'Observation').map((r) => r.id)).toEqual(['recent']);
    expect(data.loads.Observation).toEqual({ state: 'complete' });
  });

  it('filters prescription statuses in the app when the server rejects the status list', async () => {
    const prescription = (id: string, status: string) =>
      ({ resourceType: 'MedicationRequest', id, status, intent: 'order', subject: { reference: `Patient/${PATIENT_ID}` }, medicationCodeableConcept: { text: id } }) as MedicationRequest;
    on('MedicationRequest', ({ request }) => {
      if (new URL(request.url).searchParams.has('status')) return outcome("Unknown search parameter 'status'", 400);
      return fhirJson(searchset([prescription('current', 'active'), prescription('mistake', 'entered-in-error')]));
    });
    const data = await load();
    const fallback = requestsTo('MedicationRequest')[1]!.params;
    expect(fallback.has('status')).toBe(false);
    expect(fallback.get('_include')).toBe('MedicationRequest:medication');
    expect(data.resources.filter((r) => r.resourceType === 'MedicationRequest').map((r) => r.id)).toEqual(['current']);
    expect(data.loads.MedicationRequest).toEqual({ state: 'complete' });
  });

  it('fails with the server text when even the broadest search is rejected', async () => {
    on('Immunization', () => outcome('Invalid request', 400));
    const data = await load();
    expect(requestsTo('Immunization')).toHaveLength(2);
    expect(data.loads.Immunization).toEqual({ state: 'failed', httpStatus: 400, reason: 'HTTP 400: Invalid request' });
  });
});

describe('medications', () => {
  const request = (id: string, medication: Partial<MedicationRequest>): MedicationRequest =>
    ({ resourceType: 'MedicationRequest', id, status: 'active', intent: 'order', subject: { reference: `Patient/${PATIENT_ID}` }, ...medication }) as MedicationRequest;

  it('uses contained and included Medications and reads the rest in one more round trip', async () => {
    const contained = request('mr1', {
      contained: [{ resourceType: 'Medication', id: 'm1', code: { text: 'methotrexate 2.5 MG Oral Tablet' } } as Medication],
      medicationReference: { reference: '#m1' },
    });
    const includedRef = request('mr2', { medicationReference: { reference: 'Medication/m2' } });
    const statement: MedicationStatement = {
      resourceType: 'MedicationStatement',
      id: 'ms1',
      status: 'active',
      subject: { reference: `Patient/${PATIENT_ID}` },
      medicationReference: { reference: `${BASE}/Medication/m3` },
    };
    on('MedicationRequest', () =>
      fhirJson(searchset([contained, includedRef], { included: [{ resourceType: 'Medication', id: 'm2', code: { text: 'upadacitinib' } } as Medication] })),
    );
    on('MedicationStatement', () => fhirJson(searchset([statement])));
    on('Medication/m3', () => fhirJson({ resourceType: 'Medication', id: 'm3', code: { text: 'atorvastatin' } }));

    const data = await load();

    const medications = data.resources.filter((r) => r.resourceType === 'Medication').map((r) => r.id);
    expect(medications.sort()).toEqual(['m2', 'm3']);
    expect(requestsTo('Medication/m3')).toHaveLength(1);
    expect(requestLog.filter((r) => r.path.startsWith('Medication/'))).toHaveLength(1);
    expect(data.stats.roundTrips).toBe(2);
    expect(data.loads.MedicationRequest).toEqual({ state: 'complete' });
  });

  it('notes a Medication that could not be read without failing the prescriptions', async () => {
    on('MedicationRequest', () => fhirJson(searchset([request('mr1', { medicationReference: { reference: 'Medication/gone' } })])));
    on('Medication/gone', () => outcome('Not found', 404));
    const data = await load();
    expect(data.loads.MedicationRequest).toEqual({ state: 'complete' });
    expect(data.stats.notes.join(' ')).toMatch(/1 referenced medication could not be read/);
  });
});

describe('scopes', () => {
  it('does not request a type the granted scopes do not cover', async () => {
    const scope = [
      'launch',
      'patient/Patient.read',
      'patient/Condition.read',
      'patient/Observation.read',
      'patient/MedicationRequest.read',
      'patient/MedicationStatement.read',
      'patient/Medication.read',
    ].join(' ');
    const data = await load({}, scope);
    expect(requestsTo('Immunization')).toHaveLength(0);
    expect(data.loads.Immunization).toMatchObject({ state: 'denied' });
    expect(data.loads.Condition).toEqual({ state: 'complete' });
  });

  it('does not ask for Medications without a Medication scope', async () => {
    const data = await load({}, 'patient/Patient.rs patient/MedicationRequest.rs patient/MedicationStatement.rs');
    expect(requestsTo('MedicationRequest')[0]!.params.has('_include')).toBe(false);
    expect(data.loads.Observation).toMatchObject({ state: 'denied' });
    expect(data.observationsSince).toBeUndefined();
  });
});

describe('cancelling', () => {
  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    on('Condition', async () => {
      controller.abort();
      await delay(200);
      return fhirJson(searchset([]));
    });
    await expect(load({ signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('privacy', () => {
  it('writes nothing to the console while loading', async () => {
    const spies = (['log', 'info', 'debug', 'warn', 'error'] as const).map((m) => vi.spyOn(console, m));
    on('Condition', () => fhirJson(searchset([condition('secret-condition')])));
    on('Immunization', () => outcome('boom', 500));
    await load();
    for (const spy of spies) {
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    }
  });
});


describe('search values on the wire', () => {
  /** The query string exactly as it left the app. */
  const rawQuery = (url: string) => url.slice(url.indexOf('?') + 1);

  it('percent-encodes every value (RFC 3986) and keeps only the separating commas literal', async () => {
    await load({ observationCodes: { labs: [...LAB_CODES, 'http://example.org/local|a,b (x)'], status: STATUS_CODES } });

    const labs = requestsTo('Observation').find((r) => isLabSearch(r.params))!;
    const code = /(?:^|&)code=([^&]*)/.exec(rawQuery(labs.url))![1]!;
    expect(code).toBe('http%3A%2F%2Floinc.org%7C718-7,http%3A%2F%2Floinc.org%7C1742-6,http%3A%2F%2Fexample.org%2Flocal%7Ca%5C%2Cb%20%28x%29');
    // What a server reads after decoding: three alternatives, the comma inside the third escaped (FHIR `\,`).
    expect(labs.params.get('code')).toBe('http://loinc.org|718-7,http://loinc.org|1742-6,http://example.org/local|a\\,b (x)');
    for (const request of requestLog.filter((r) => r.url.includes('?'))) {
      const query = rawQuery(request.url);
      expect(query, request.url).not.toMatch(/\/|\||:|\\/);
    }
    const include = requestsTo('MedicationRequest')[0]!;
    expect(rawQuery(include.url)).toContain('_include=MedicationRequest%3Amedication');
    expect(rawQuery(include.url)).toContain('status=active,on-hold,draft,completed,stopped');
  });
});

describe('a server that refuses a long URL', () => {
  const hb = () => observation('hb', LAB_CODES[0]!, '2025-01-10');

  it('sends the same search as POST _search with a form body (HTTP 414), and paging goes on from there', async () => {
    on('Observation', ({ request }) => {
      const params = new URL(request.url).searchParams;
      if (params.get('code')?.includes('|') && isLabSearch(params)) return outcome('URI Too Long', 414);
      return fhirJson(searchset([]));
    });
    let form: URLSearchParams | undefined;
    let contentType: string | null = null;
    fhirServer.use(
      http.post(`${BASE}/Observation/_search`, async ({ request }) => {
        contentType = request.headers.get('content-type');
        form = new URLSearchParams(await request.text());
        return fhirJson(searchset([hb()], { next: `${BASE}/Observation?page=2` }));
      }),
    );
    on('Observation', ({ request }) => {
      const params = new URL(request.url).searchParams;
      if (params.get('page') === '2') return fhirJson(searchset([observation('alt', LAB_CODES[1]!, '2024-11-02')]));
      if (params.get('code')?.includes('|') && isLabSearch(params)) return outcome('URI Too Long', 414);
      return fhirJson(searchset([]));
    });

    const data = await load();

    expect(contentType).toBe('application/x-www-form-urlencoded');
    expect(form?.get('code')).toBe(LAB_CODES.join(','));
    expect(form?.get('date')).toBe('ge2024-04-27');
    expect(form?.get('patient')).toBe(PATIENT_ID);
    expect(requestLog.find((r) => r.method === 'POST')?.authorization).toBe('Bearer token-123');
    expect(data.resources.filter((r) => r.resourceType === 'Observation').map((r) => r.id).sort()).toEqual(['alt', 'hb']);
    expect(data.loads.Observation).toEqual({ state: 'complete' });
    expect(data.stats.notes.join(' ')).toMatch(/refused the long search URL; sent the same search as POST _search/);
  });

  it('widens the search and filters in the app when POST _search is refused too', async () => {
    on('Observation', ({ request }) => {
      const params = new URL(request.url).searchParams;
      if (params.get('code')?.includes('|') && isLabSearch(params)) return outcome('URI Too Long', 414);
      if (isLabSearch(params)) return fhirJson(searchset([hb(), observation('glucose', 'http://loinc.org|2345-7', '2025-01-10')]));
      return fhirJson(searchset([]));
    });
    fhirServer.use(http.post(`${BASE}/Observation/_search`, () => outcome('POST search is not supported', 405)));

    const data = await load();

    const widened = requestsTo('Observation').filter((r) => isLabSearch(r.params) && !r.params.has('code'));
    expect(widened).toHaveLength(1);
    expect(data.resources.filter((r) => r.resourceType === 'Observation').map((r) => r.id)).toEqual(['hb']);
    expect(data.loads.Observation).toEqual({ state: 'complete' });
  });
});

describe('suspiciously empty is not missing', () => {
  const answerLabs = (labs: Resource[], count: number | 'error') =>
    on('Observation', ({ request }) => {
      const params = new URL(request.url).searchParams;
      if (params.get('_summary') === 'count') {
        // The status search's check (no date) counts nothing: only the lab search is in question here.
        if (!params.has('date')) return fhirJson({ resourceType: 'Bundle', type: 'searchset', total: 0 });
        return count === 'error' ? outcome("Unknown parameter '_summary'", 400) : fhirJson({ resourceType: 'Bundle', type: 'searchset', total: count });
      }
      return fhirJson(searchset(isLabSearch(params) ? labs : []));
    });

  it('does not believe an empty lab search when the same codes without systems count results', async () => {
    answerLabs([], 3);
    const data = await load();
    expect(data.loads.Observation).toEqual({
      state: 'failed',
      reason: "the server's answer to the lab search looks altered (no results for the tests' codes with their code systems, 3 without)",
    });
    expect(data.stats.roundTrips).toBe(1);
  });

  it('keeps an empty lab search when the count agrees (a patient with no such labs)', async () => {
    answerLabs([], 0);
    expect((await load()).loads.Observation).toEqual({ state: 'complete' });
  });

  it('keeps a lab search that found results whatever the count says', async () => {
    answerLabs([observation('hb', LAB_CODES[0]!, '2025-01-10')], 5);
    expect((await load()).loads.Observation).toEqual({ state: 'complete' });
  });

  it('takes a server that cannot count as no evidence either way', async () => {
    answerLabs([], 'error');
    expect((await load()).loads.Observation).toEqual({ state: 'complete' });
  });
});

describe('bounded answers', () => {
  const prescription = (id: string): MedicationRequest =>
    ({ resourceType: 'MedicationRequest', id, status: 'active', intent: 'order', subject: { reference: `Patient/${PATIENT_ID}` }, medicationReference: { reference: 'Medication/m0' } }) as MedicationRequest;

  it('caps included Medications like matches: 100,000 of them stop at the cap as a data gap', async () => {
    const included = Array.from({ length: 100_000 }, (_, i) => ({ resourceType: 'Medication', id: `m${i}` }) as Medication);
    on('MedicationRequest', () => fhirJson(searchset([prescription('mr1')], { included })));
    const started = performance.now();
    const data = await load();
    console.info(`100,000 included Medications: loaded in ${Math.round(performance.now() - started)} ms`);

    expect(data.resources.filter((r) => r.resourceType === 'Medication')).toHaveLength(2000);
    expect(data.loads.MedicationRequest).toMatchObject({ state: 'truncated', loaded: 1 });
    expect((data.loads.MedicationRequest as { reason: string }).reason).toBe('stopped after 2000 included medications: the server sent 98000 more');
  }, 60_000); // building and serving the 8 MB Bundle in MSW is most of the time, on 2 shared cores

  it('refuses an answer larger than the set size unread, as a data gap', async () => {
    const huge = { ...observation('big', LAB_CODES[0]!, '2025-01-10'), valueString: 'x'.repeat(2 * 1024 * 1024) };
    on('Observation', ({ request }) => fhirJson(searchset(isLabSearch(new URL(request.url).searchParams) ? [huge as Resource] : [])));
    const data = await load({ maxResponseBytes: 1024 * 1024 });
    expect(data.loads.Observation).toEqual({
      state: 'failed',
      reason: "lab results: the server's answer was larger than 1 MB and was not read",
    });
    expect(data.resources.some((r) => r.id === 'big')).toBe(false);
    expect(data.loads.Condition).toEqual({ state: 'complete' });
  });

  it('reads a 5 MB string within the default limit (the record cuts it, not the loader)', async () => {
    const big = { ...observation('big', LAB_CODES[0]!, '2025-01-10'), valueString: 'x'.repeat(5 * 1024 * 1024) };
    on('Observation', ({ request }) => fhirJson(searchset(isLabSearch(new URL(request.url).searchParams) ? [big as Resource] : [])));
    const data = await load();
    expect(data.loads.Observation).toEqual({ state: 'complete' });
    expect(data.resources.some((r) => r.id === 'big')).toBe(true);
  });

  it('refuses a page by its declared Content-Length without reading it', async () => {
    on('Immunization', () => new HttpResponse('{}', { headers: { 'content-type': 'application/fhir+json', 'content-length': String(50 * 1024 * 1024) } }));
    const data = await load();
    expect(data.loads.Immunization).toMatchObject({ state: 'failed', reason: "the server's answer was larger than 10 MB and was not read" });
  });
});

describe('long sessions: one token refresh on 401', () => {
  const TOKEN_URI = 'http://fhir.test/auth/token';
  const refreshable = (scope = 'launch openid patient/*.read online_access') =>
    makeClient(scope, { tokenResponse: { refresh_token: 'refresh-1' }, tokenUri: TOKEN_URI });

  /** Every FHIR request with the old token answers 401; the token endpoint hands out `token-new`. */
  function expireOldToken(tokenAnswer: () => Response = () => HttpResponse.json({ access_token: 'token-new', token_type: 'Bearer', expires_in: 300, scope: 'launch openid patient/*.read online_access', refresh_token: 'refresh-2' })) {
    const refreshBodies: string[] = [];
    fhirServer.use(
      http.post(TOKEN_URI, async ({ request }) => {
        refreshBodies.push(await request.text());
        return tokenAnswer();
      }),
      http.all(`${BASE}/*`, ({ request }) => {
        if (request.headers.get('authorization') === 'Bearer token-123') return outcome('Token expired', 401);
        return undefined;
      }),
    );
    return refreshBodies;
  }

  it('refreshes once for all the parallel requests that met the 401 and retries each of them', async () => {
    const refreshBodies = expireOldToken();
    on('Condition', ({ request }) =>
      request.headers.get('authorization') === 'Bearer token-new' ? fhirJson(searchset([condition('c1')])) : outcome('Token expired', 401),
    );
    const data = await loadPatientData(refreshable(), OPTIONS);

    expect(refreshBodies).toHaveLength(1);
    expect(new URLSearchParams(refreshBodies[0]).get('grant_type')).toBe('refresh_token');
    expect(new URLSearchParams(refreshBodies[0]).get('refresh_token')).toBe('refresh-1');
    expect(data.resources.map((r) => r.id)).toContain('c1');
    expect(data.loads.Condition).toEqual({ state: 'complete' });
    // Each request went out twice: with the old token, then with the new one.
    expect(requestLog.filter((r) => r.authorization === 'Bearer token-new')).toHaveLength(10); // every first-round request, the lab orders search included
    expect(data.stats.roundTrips).toBe(3);
  });

  it('refreshes before sending when the token is known to have expired: no request goes out with it', async () => {
    const refreshBodies = expireOldToken();
    const expired = Math.floor(Date.now() / 1000) - 60;
    const client = makeClient('launch openid patient/*.read online_access', { tokenResponse: { refresh_token: 'refresh-1' }, tokenUri: TOKEN_URI, expiresAt: expired });
    const data = await loadPatientData(client, OPTIONS);

    expect(refreshBodies).toHaveLength(1);
    expect(requestLog.filter((r) => r.authorization === 'Bearer token-123')).toHaveLength(0);
    expect(requestLog.filter((r) => r.authorization === 'Bearer token-new')).toHaveLength(data.stats.requests);
    expect(data.loads.Condition).toEqual({ state: 'complete' });
    expect(data.stats.roundTrips).toBe(2); // the token request, then every search
  });

  it('sends as usual when the token is still valid for a while', async () => {
    let refreshes = 0;
    fhirServer.use(
      http.post(TOKEN_URI, () => {
        refreshes += 1;
        return HttpResponse.json({ error: 'invalid_grant' }, { status: 400 });
      }),
    );
    const valid = Math.floor(Date.now() / 1000) + 300;
    const data = await loadPatientData(makeClient('launch openid patient/*.read online_access', { tokenResponse: { refresh_token: 'refresh-1' }, tokenUri: TOKEN_URI, expiresAt: valid }), OPTIONS);
    expect(refreshes).toBe(0);
    expect(requestLog.filter((r) => r.authorization === 'Bearer token-123')).toHaveLength(data.stats.requests);
  });

  it('says the session expired when the refresh is refused', async () => {
    const refreshBodies = expireOldToken(() => HttpResponse.json({ error: 'invalid_grant' }, { status: 400 }));
    await expect(loadPatientData(refreshable(), OPTIONS)).rejects.toBeInstanceOf(SessionExpiredError);
    expect(refreshBodies).toHaveLength(1);
  });

  it('says the session expired without trying when there is no refresh token or no online/offline access', async () => {
    const refreshBodies = expireOldToken();
    await expect(loadPatientData(makeClient('launch patient/*.read online_access', { tokenUri: TOKEN_URI }), OPTIONS)).rejects.toBeInstanceOf(SessionExpiredError);
    await expect(loadPatientData(refreshable('launch patient/*.read'), OPTIONS)).rejects.toBeInstanceOf(SessionExpiredError);
    expect(refreshBodies).toHaveLength(0);
  });

  it('refreshes only once: a 401 with the new token ends the session', async () => {
    const refreshBodies = expireOldToken();
    on('Immunization', () => outcome('Token revoked', 401));
    await expect(loadPatientData(refreshable(), OPTIONS)).rejects.toBeInstanceOf(SessionExpiredError);
    expect(refreshBodies).toHaveLength(1);
  });
});

describe('the order in the launch context', () => {
  const order = (id: string, patient = PATIENT_ID): MedicationRequest =>
    ({ resourceType: 'MedicationRequest', id, status: 'draft', intent: 'order', subject: { reference: `Patient/${patient}` }, medicationCodeableConcept: { text: 'upadacitinib 15 MG' } }) as MedicationRequest;
  const withContext = (fhirContext: unknown) => makeClient(undefined, { tokenResponse: { fhirContext } });

  it('reads the MedicationRequest named in fhirContext in the first round trip', async () => {
    on('MedicationRequest/draft-1', () => fhirJson(order('draft-1')));
    const data = await loadPatientData(withContext([{ reference: 'MedicationRequest/draft-1' }, { reference: 'Encounter/e1' }]), OPTIONS);
    expect(data.orders?.map((o) => o.id)).toEqual(['draft-1']);
    expect(data.stats.roundTrips).toBe(1);
  });

  it('accepts an absolute reference on this server and the plain-string form', async () => {
    on('MedicationRequest/draft-2', () => fhirJson(order('draft-2')));
    const data = await loadPatientData(withContext([`${BASE}/MedicationRequest/draft-2`, 'https://elsewhere.example/MedicationRequest/x']), OPTIONS);
    expect(data.orders?.map((o) => o.id)).toEqual(['draft-2']);
    expect(requestLog.some((r) => r.path === 'MedicationRequest/x')).toBe(false);
  });

  it('ignores an order for another patient, with a note', async () => {
    on('MedicationRequest/other', () => fhirJson(order('other', 'someone-else')));
    const data = await loadPatientData(withContext([{ reference: 'MedicationRequest/other' }]), OPTIONS);
    expect(data.orders).toBeUndefined();
    expect(data.stats.notes.join(' ')).toMatch(/order in the launch context is for another patient/);
  });
});

describe('orders already placed (ServiceRequest, issue 18)', () => {
  const GRANTED = 'launch patient/Patient.read patient/Condition.read patient/Observation.read patient/MedicationRequest.read patient/MedicationStatement.read patient/Medication.read patient/Immunization.read';
  const cbcOrder = { resourceType: 'ServiceRequest', id: 'sr1', status: 'draft', intent: 'order', subject: { reference: `Patient/${PATIENT_ID}` }, code: { coding: [{ system: 'http://loinc.org', code: '57021-8' }] }, authoredOn: '2025-05-30' } as Resource;

  it('granted: searched in the first round for the patient\'s open and performed orders', async () => {
    let release!: () => void;
    const everySearchSent = new Promise<void>((resolve) => (release = resolve));
    on('ServiceRequest', async () => {
      // Answered only once the other searches are out: it cannot be a second round.
      if (requestLog.length >= 9) release();
      await Promise.race([everySearchSent, delay(2000)]);
      return fhirJson(searchset([cbcOrder]));
    });
    const data = await load({}, `${GRANTED} patient/ServiceRequest.read`);
    const [search] = requestsTo('ServiceRequest');
    expect(search!.params.get('patient')).toBe(PATIENT_ID);
    expect(search!.params.get('status')).toBe('draft,active,on-hold,completed');
    expect(data.resources.map((r) => `${r.resourceType}/${r.id}`)).toContain('ServiceRequest/sr1');
    expect(data.loads.ServiceRequest).toEqual({ state: 'complete' });
    expect(data.stats.roundTrips).toBe(1);
  });

  it('not granted: not searched, and the load says the orders could not be checked', async () => {
    const data = await load({}, GRANTED);
    expect(requestsTo('ServiceRequest')).toHaveLength(0);
    expect(data.loads.ServiceRequest).toMatchObject({ state: 'denied', reason: expect.stringMatching(/ServiceRequest/) });
    expect(data.loads.Condition).toEqual({ state: 'complete' });
    expect(data.failedSearches).toEqual([]); // a scope not granted is not fixed by trying again
  });

  it('failing: the orders search alone fails, named as one "Try again" can re-run', async () => {
    on('ServiceRequest', () => outcome('order service down', 503));
    const data = await load({}, `${GRANTED} patient/ServiceRequest.read`);
    expect(data.loads.ServiceRequest).toMatchObject({ state: 'failed', httpStatus: 503 });
    expect(data.loads.Observation).toEqual({ state: 'complete' });
    expect(data.failedSearches).toEqual(['labOrders']);
  });
});

describe('"Try again": only the failed searches are sent again', () => {
  it('re-runs the failed search alone and merges its answer into the first load', async () => {
    let conditionCalls = 0;
    on('Condition', () => {
      conditionCalls += 1;
      return conditionCalls === 1 ? outcome('database busy', 503) : fhirJson(searchset([condition('c1')]));
    });
    const first = await load();
    expect(first.loads.Condition).toMatchObject({ state: 'failed' });
    expect(first.failedSearches).toEqual(['conditions']);

    resetLog();
    const again = await retryFailedSearches(makeClient(), first, OPTIONS);
    expect(requestLog.map((r) => r.path)).toEqual(['Condition']);
    expect(again.loads.Condition).toEqual({ state: 'complete' });
    expect(again.loads.Observation).toEqual({ state: 'complete' });
    expect(again.resources.map((r) => r.id)).toContain('c1');
    expect(again.patient?.id).toBe(PATIENT_ID);
    expect(again.failedSearches).toEqual([]);
  });

  it('a type with two searches is complete only when both are: one still failing keeps it failed', async () => {
    on('Observation', ({ request }) => (new URL(request.url).searchParams.has('date') ? outcome('lab system down', 503) : fhirJson(searchset([]))));
    const first = await load();
    expect(first.failedSearches).toEqual(['labResults']);
    resetLog();
    const again = await retryFailedSearches(makeClient(), first, OPTIONS);
    expect(requestLog.every((r) => r.path === 'Observation' && r.params.has('date'))).toBe(true);
    expect(again.loads.Observation).toMatchObject({ state: 'failed', reason: expect.stringMatching(/lab system down/) });
    expect(again.failedSearches).toEqual(['labResults']);
  });

  it('a failed patient read is read again', async () => {
    let calls = 0;
    on(`Patient/${PATIENT_ID}`, () => (++calls === 1 ? outcome('timeout upstream', 504) : fhirJson({ resourceType: 'Patient', id: PATIENT_ID })));
    const first = await load();
    expect(first.failedSearches).toEqual(['patient']);
    resetLog();
    const again = await retryFailedSearches(makeClient(), first, OPTIONS);
    expect(requestLog.map((r) => r.path)).toEqual([`Patient/${PATIENT_ID}`]);
    expect(again.loads.Patient).toEqual({ state: 'complete' });
    expect(again.patient?.id).toBe(PATIENT_ID);
  });
});
