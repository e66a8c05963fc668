/**
 * The HTTP surface: bad input gets a 4xx with a clear message (never a crash), CORS for browser
 * clients, the feedback endpoint and what it writes to the log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardIds } from '../../src/cds-hooks/card-ids';
import { draftBundle, draftOrder, hookRequest, makeKey, ORDER_SELECT, ORDER_SIGN, post, sign, startService, TEST_ISS, type RunningService, type TestKey } from './helpers';

let key: TestKey;
let service: RunningService;
let strict: RunningService;
/** The ids `service` signs its cards with: ids made here are ones it issued. */
const issuedIds = new CardIds('test secret');
const [CARD_1, CARD_2, CARD_3, SUGG_1] = [issuedIds.issue(), issuedIds.issue(), issuedIds.issue(), issuedIds.issue()];

beforeAll(async () => {
  key = await makeKey();
  service = await startService([key], { maxRequestBytes: 64 * 1024 }, { cardIds: issuedIds });
  strict = await startService([key], { allowedOrigins: ['https://ehr.example'] });
});
afterAll(async () => {
  await service?.close();
  await strict?.close();
});

const jwtFor = (path: string, on = service) => sign(key, { iss: TEST_ISS, aud: on.url(path) });
const call = async (path: string, body: unknown) => post(service.url(path), body, await jwtFor(path));

describe('bad input: 400 with a clear message', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['not JSON', '{"hook": "order-sign",', /not valid JSON/],
    ['an empty body', '', /empty/],
    ['a JSON array', '[]', /must be a JSON object/],
    ['no hook', { hookInstance: 'x', context: { patientId: 'p1' } }, /no "hook"/],
    ['an unknown hook', hookRequest('medication-prescribe', 'p1'), /Unknown hook "medication-prescribe"/],
    ['another service\'s hook', hookRequest('patient-view', 'p1'), /answers the order-sign hook, not patient-view/],
    ['no hookInstance', { hook: 'order-sign', context: { patientId: 'p1' } }, /no "hookInstance"/],
    ['no context', { hook: 'order-sign', hookInstance: 'x' }, /no "context"/],
    ['a patientId that is not a FHIR id', hookRequest('order-sign', '../../etc'), /context\.patientId/],
    ['draftOrders that is not a Bundle', hookRequest('order-sign', 'p1', { draftOrders: [{ resourceType: 'MedicationRequest' }] }), /draftOrders must be a FHIR Bundle/],
    ['draftOrders of another resource type', hookRequest('order-sign', 'p1', { draftOrders: { resourceType: 'MedicationRequest' } }), /draftOrders must be a FHIR Bundle/],
    ['fhirAuthorization without fhirServer', hookRequest('order-sign', 'p1', {}, { fhirAuthorization: { access_token: 't', token_type: 'Bearer' } }), /needs "fhirServer"/],
    ['a fhirServer that is not http(s)', hookRequest('order-sign', 'p1', {}, { fhirServer: 'file:///etc/passwd' }), /"fhirServer" must be/],
    ['prefetch that is not an object', hookRequest('order-sign', 'p1', {}, { prefetch: 'all' }), /"prefetch" must be an object/],
  ];
  for (const [what, body, message] of cases) {
    it(`${what}`, async () => {
      const response = await call(ORDER_SIGN, body);
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('invalid_request');
      expect(response.body.message).toMatch(message);
    });
  }

  it('a prefetched Patient that is not the patient in context is refused', async () => {
    const body = hookRequest('order-sign', 'p1', { draftOrders: draftBundle(draftOrder('Rinvoq 15 mg', 'p1')) }, { prefetch: { patient: { resourceType: 'Patient', id: 'p2' } } });
    const response = await call(ORDER_SIGN, body);
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/prefetch "patient" is Patient\/p2, not the patient in context \(p1\)/);
  });

  it('garbage inside a valid request (resources of the wrong shape) still answers, never 500', async () => {
    const prefetch = {
      patient: { resourceType: 'Patient', id: 'p1', birthDate: 'yesterday', gender: 42 },
      conditions: { resourceType: 'Bundle', entry: [null, 7, { resource: { resourceType: 'Condition', code: 'eczema' } }] },
      labResults: { resourceType: 'Bundle', entry: [{ resource: { resourceType: 'Observation', code: { coding: 'x' }, valueQuantity: { value: 'high' } } }] },
      statusObservations: null,
      vitalSigns: null,
      medicationRequests: { resourceType: 'Bundle' },
      medicationStatements: 'none',
      immunizations: { resourceType: 'Bundle', entry: [{ resource: { resourceType: 'Immunization', vaccineCode: null } }] },
    };
    const response = await call(ORDER_SIGN, hookRequest('order-sign', 'p1', { draftOrders: draftBundle(draftOrder('Cibinqo', 'p1')) }, { prefetch }));
    expect(response.status).toBe(200);
    // medicationStatements was not a resource: its part of the record is unknown, and says so.
    expect(response.body.cards.some((c: { indicator: string }) => c.indicator === 'warning')).toBe(true);
  });

  it('a body nested deeper than 64 levels: 400, without walking it', async () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const response = await call(ORDER_SIGN, `{"hook":"order-sign","context":${deep}}`);
    expect(response.status).toBe(400);
    expect(response.body.message).toBe('The request body nests deeper than 64 levels: not a CDS Hooks request.');
    // Brackets inside strings are text, not nesting.
    const inText = await call(ORDER_SIGN, hookRequest('order-sign', 'p1', { note: '['.repeat(1000) }));
    expect(inText.status).toBe(200);
  });

  it('a body over the size limit: 413', async () => {
    const response = await call(ORDER_SIGN, JSON.stringify({ pad: 'x'.repeat(70 * 1024) }));
    expect(response.status).toBe(413);
  });

  it('an unknown service: 404; GET on a service: 405', async () => {
    const unknown = await call('/cds-services/no-such-service', hookRequest('order-sign', 'p1'));
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/No such CDS service/);
    expect((await fetch(service.url(ORDER_SIGN))).status).toBe(405);
  });
});

describe('CORS (browser CDS clients such as the reference sandbox)', () => {
  it('answers a preflight without a JWT, allowing authorization and content-type', async () => {
    const response = await fetch(service.url(ORDER_SIGN), {
      method: 'OPTIONS',
      headers: { Origin: 'https://sandbox.cds-hooks.org', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('answers every response (cards, errors) with the CORS header', async () => {
    const ok = await call(ORDER_SELECT, hookRequest('order-select', 'p1', { draftOrders: draftBundle(draftOrder('Cetirizine', 'p1')) }));
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
    const bad = await call(ORDER_SIGN, 'nope');
    expect(bad.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('with a site\'s list of origins: echoes a listed origin, gives none to others', async () => {
    const listed = await fetch(strict.url('/cds-services'), { headers: { Origin: 'https://ehr.example' } });
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://ehr.example');
    const other = await fetch(strict.url('/cds-services'), { headers: { Origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('feedback', () => {
  const path = `${ORDER_SIGN}/feedback`;

  it('records accepted and overridden cards as structured log lines with ids only', async () => {
    service.logs.length = 0;
    const response = await call(path, {
      feedback: [
        { card: CARD_1, outcome: 'accepted', acceptedSuggestions: [{ id: SUGG_1 }], outcomeTimestamp: '2025-06-15T10:00:00Z' },
        {
          card: CARD_2,
          outcome: 'overridden',
          overrideReason: { reason: { code: 'done-elsewhere', system: 'urn:jak-readiness:cds-hooks:override-reason' }, userComment: 'Labs done at St Mary\'s for Jane Doe, MRN 12345' },
          outcomeTimestamp: '2025-06-15T10:01:00Z',
        },
        { card: CARD_3, outcome: 'overridden', outcomeTimestamp: '2025-06-15T10:02:00Z' },
      ],
    });
    expect(response).toMatchObject({ status: 200, body: { recorded: 3 } });
    const lines = service.logs.map((line) => JSON.parse(line));
    expect(lines).toEqual([
      { event: 'cds-hooks.feedback', service: 'jak-readiness-order-sign', client: TEST_ISS, card: CARD_1, outcome: 'accepted', acceptedSuggestions: [SUGG_1], outcomeTimestamp: '2025-06-15T10:00:00Z', receivedAt: expect.any(String) },
      { event: 'cds-hooks.feedback', service: 'jak-readiness-order-sign', client: TEST_ISS, card: CARD_2, outcome: 'overridden', overrideReason: { code: 'done-elsewhere', system: 'urn:jak-readiness:cds-hooks:override-reason' }, userComment: 'given (not recorded)', outcomeTimestamp: '2025-06-15T10:01:00Z', receivedAt: expect.any(String) },
      { event: 'cds-hooks.feedback', service: 'jak-readiness-order-sign', client: TEST_ISS, card: CARD_3, outcome: 'overridden', outcomeTimestamp: '2025-06-15T10:02:00Z', receivedAt: expect.any(String) },
    ]);
    // The clinician's comment (which here names a patient) is never written down.
    expect(service.logs.join('\n')).not.toMatch(/Jane|12345|Mary/);
  });

  const invalid: Array<[string, unknown, RegExp]> = [
    ['not JSON', '{', /not valid JSON/],
    ['no feedback list', { cards: [] }, /\{"feedback": \[ \.\.\. \]\}/],
    ['an empty list', { feedback: [] }, /empty/],
    ['an unknown outcome', { feedback: [{ card: 'c', outcome: 'ignored', outcomeTimestamp: '2025-06-15T10:00:00Z' }] }, /feedback\[0\]\.outcome must be "accepted" or "overridden"/],
    ['accepted without suggestions', { feedback: [{ card: 'c', outcome: 'accepted', outcomeTimestamp: '2025-06-15T10:00:00Z' }] }, /acceptedSuggestions/],
    ['no card id', { feedback: [{ outcome: 'overridden', outcomeTimestamp: '2025-06-15T10:00:00Z' }] }, /feedback\[0\]\.card/],
    ['a bad timestamp', { feedback: [{ card: 'c', outcome: 'overridden', outcomeTimestamp: 'yesterday' }] }, /outcomeTimestamp must be an ISO 8601 date-time/],
    ['an override reason that is not a Coding', { feedback: [{ card: 'c', outcome: 'overridden', overrideReason: { reason: 'because' }, outcomeTimestamp: '2025-06-15T10:00:00Z' }] }, /reason must be a Coding/],
    ['a huge id', { feedback: [{ card: 'c'.repeat(500), outcome: 'overridden', outcomeTimestamp: '2025-06-15T10:00:00Z' }] }, /at most 128 characters/],
    ['too many entries', { feedback: Array.from({ length: 51 }, () => ({ card: 'c', outcome: 'overridden', outcomeTimestamp: '2025-06-15T10:00:00Z' })) }, /at most 50/],
  ];
  for (const [what, body, message] of invalid) {
    it(`refuses ${what} with 400 and writes nothing`, async () => {
      service.logs.length = 0;
      const response = await call(path, body);
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(message);
      expect(service.logs).toEqual([]);
    });
  }

  it('refuses feedback for a card id this service never issued, and writes nothing', async () => {
    service.logs.length = 0;
    const forged = await call(path, { feedback: [{ card: '0f0e0d0c-0b0a-4908-8706-050403020100', outcome: 'overridden', outcomeTimestamp: '2025-06-15T10:00:00Z' }] });
    expect(forged.status).toBe(400);
    expect(forged.body).toEqual({ error: 'unknown_card', message: 'feedback[0].card is not a card this service issued (or it was issued by another copy or before a restart, without a shared card-id secret); nothing was recorded.' });
    const anyText = await call(path, { feedback: [{ card: 'card-1', outcome: 'overridden', outcomeTimestamp: '2025-06-15T10:00:00Z' }] });
    expect(anyText.status).toBe(400);
    // Another copy's (or a previous run's) ids are not this one's.
    const other = new CardIds('another secret').issue();
    expect((await call(path, { feedback: [{ card: other, outcome: 'overridden', outcomeTimestamp: '2025-06-15T10:00:00Z' }] })).status).toBe(400);
    const suggestion = await call(path, { feedback: [{ card: CARD_1, outcome: 'accepted', acceptedSuggestions: [{ id: 'made-up' }], outcomeTimestamp: '2025-06-15T10:00:00Z' }] });
    expect(suggestion.body.message).toMatch(/^feedback\[0\]\.acceptedSuggestions\[0\] is not a suggestion this service issued/);
    expect(service.logs).toEqual([]);
  });

  it('accepts feedback for the cards a hook call just answered', async () => {
    const prefetch = { patient: { resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1990-01-01' }, conditions: null, labResults: null, statusObservations: null, vitalSigns: null, medicationRequests: null, medicationStatements: null, immunizations: null };
    const answer = await call(ORDER_SIGN, hookRequest('order-sign', 'p1', { draftOrders: draftBundle(draftOrder('Rinvoq', 'p1')) }, { prefetch }));
    const card = answer.body.cards[0] as { uuid: string; suggestions?: Array<{ uuid: string }> };
    expect(card.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const response = await call(path, { feedback: [{ card: card.uuid, outcome: 'overridden', outcomeTimestamp: '2025-06-15T10:00:00Z' }] });
    expect(response).toMatchObject({ status: 200, body: { recorded: 1 } });
  });

  it('feedback for an unknown service: 404', async () => {
    const response = await call('/cds-services/nope/feedback', { feedback: [] });
    expect(response.status).toBe(404);
  });
});

describe('reading the record through the token', () => {
  it('uses the configured timeout and searches labs back to the longest site window + 35 days (discovery says the same)', async () => {
    const seen: Array<{ fhirServer: string; patientId: string; scope?: string; timeoutMs: number; lookbackDays: number; asOf: string }> = [];
    const site = await startService([key], { siteConfig: { windows: { tbScreening: 730 } }, fhirTimeoutMs: 4000, issuers: [{ iss: TEST_ISS, jwks: key.jwks, fhirServers: ['https://fhir.example/r4'] }] }, {
      today: () => '2025-06-15',
      fetchData: async (access, options) => {
        seen.push({ ...access, ...options } as never);
        return { patient: { resourceType: 'Patient', id: 'p1' }, resources: [], loads: { Patient: { state: 'complete' }, Condition: { state: 'complete' } }, stats: { requests: 0, roundTrips: 0, bytes: 0, ms: 0, notes: [] } } as never;
      },
    });
    try {
      const path = ORDER_SIGN;
      const body = hookRequest('order-sign', 'p1', { draftOrders: draftBundle(draftOrder('Rinvoq', 'p1')) }, { fhirServer: 'https://fhir.example/r4/', fhirAuthorization: { access_token: 'tok', token_type: 'Bearer', scope: 'patient/*.read' } });
      const response = await post(site.url(path), body, await jwtFor(path, site));
      expect(response.status).toBe(200);
      expect(seen).toEqual([{ fhirServer: 'https://fhir.example/r4', accessToken: 'tok', patientId: 'p1', scope: 'patient/*.read', asOf: '2025-06-15', lookbackDays: 765, timeoutMs: 4000, searches: ['patient', 'conditions', 'labResults', 'statusObservations', 'vitalSigns', 'medicationRequests', 'medicationStatements', 'immunizations', 'labOrders'], signal: expect.any(AbortSignal) }]);
      const discovery = (await (await fetch(site.url('/cds-services'))).json()) as { services: Array<{ prefetch: Record<string, string> }> };
      expect(discovery.services[0]!.prefetch.labResults).toContain('date=ge2023-05-12');
    } finally {
      await site.close();
    }
  });
});

describe('a FHIR server that answers for another patient', () => {
  it('is refused with 412: nothing is judged on someone else\'s record', async () => {
    const site = await startService([key], { issuers: [{ iss: TEST_ISS, jwks: key.jwks, fhirServers: ['https://fhir.example'] }] }, {
      today: () => '2025-06-15',
      fetchData: async () => ({ patient: { resourceType: 'Patient', id: 'someone-else' }, resources: [], loads: { Patient: { state: 'complete' } }, stats: { requests: 0, roundTrips: 0, bytes: 0, ms: 0, notes: [] } }) as never,
    });
    try {
      const body = hookRequest('order-sign', 'p1', { draftOrders: draftBundle(draftOrder('Rinvoq', 'p1')) }, { fhirServer: 'https://fhir.example', fhirAuthorization: { access_token: 'tok', token_type: 'Bearer' } });
      const response = await post(site.url(ORDER_SIGN), body, await jwtFor(ORDER_SIGN, site));
      expect(response.status).toBe(412);
      expect(response.body.message).toMatch(/answered with Patient\/someone-else, not the patient in context \(p1\)/);
    } finally {
      await site.close();
    }
  });
});

describe('a failure inside the service', () => {
  it('answers 500 with a plain message and logs where it failed, never what it said', async () => {
    const broken = await startService([key], {}, {
      today: () => '2025-06-15',
      newUuid: () => {
        throw new Error('Jane Doe, MRN 12345');
      },
    });
    try {
      const prefetch = { patient: { resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1990-01-01' }, conditions: null, labResults: null, statusObservations: null, vitalSigns: null, medicationRequests: null, medicationStatements: null, immunizations: null };
      const response = await post(broken.url(ORDER_SIGN), hookRequest('order-sign', 'p1', { draftOrders: draftBundle(draftOrder('Rinvoq', 'p1')) }, { prefetch }), await jwtFor(ORDER_SIGN, broken));
      expect(response.status).toBe(500);
      expect(response.body).toEqual({ error: 'server_error', message: 'The service failed on this request; no cards could be produced.' });
      const line = JSON.parse(broken.logs.find((l) => l.includes('cds-hooks.error'))!);
      expect(line).toMatchObject({ event: 'cds-hooks.error', service: 'jak-readiness-order-sign', error: 'Error' });
      expect(broken.logs.join('\n')).not.toMatch(/Jane|12345/);
    } finally {
      await broken.close();
    }
  });
});

describe('the call log', () => {
  it('one line per call with ids and counts, no patient data', async () => {
    service.logs.length = 0;
    const body = hookRequest('order-select', 'patient-777', { draftOrders: draftBundle(draftOrder('Cetirizine for John Smith', 'patient-777')) });
    await call(ORDER_SELECT, body);
    expect(service.logs).toHaveLength(1);
    const line = JSON.parse(service.logs[0]!);
    expect(line).toEqual({ event: 'cds-hooks.call', service: 'jak-readiness-order-select', client: TEST_ISS, hookInstance: body.hookInstance, cards: 0, ms: expect.any(Number) });
    expect(service.logs[0]).not.toMatch(/John|Smith|patient-777/);
  });
});
