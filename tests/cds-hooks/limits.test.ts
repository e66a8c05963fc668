/**
 * Limits and refusals: a call is bounded whatever its body (drafts cap, work that grows with the
 * drafts only linearly, JSON nesting), and discovery answers while a long call is at work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DRAFT_ORDERS } from '../../src/cds-hooks/draft-orders';
import type { CdsCard } from '../../src/cds-hooks/types';
import { draftBundle, draftOrder, hookRequest, makeKey, ORDER_SIGN, post, sign, startService, TEST_ISS, type RunningService, type TestKey } from './helpers';

let key: TestKey;
let service: RunningService;

beforeAll(async () => {
  key = await makeKey();
  service = await startService([key], {}, { today: () => '2025-06-15' });
});
afterAll(async () => {
  await service?.close();
});

/** A record the EHR prefetched whole: a woman of 30 with nothing else on file. */
const PREFETCH = {
  patient: { resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1995-01-01' },
  conditions: null,
  labResults: null,
  statusObservations: null,
  vitalSigns: null,
  medicationRequests: null,
  medicationStatements: null,
  immunizations: null,
};

const call = async (body: unknown) => post(service.url(ORDER_SIGN), body, await sign(key, { iss: TEST_ISS, aud: service.url(ORDER_SIGN) }));

function drafts(n: number, text = 'Cibinqo 100 mg'): Record<string, unknown> {
  return draftBundle(...Array.from({ length: n }, (_, i) => draftOrder(text, 'p1', `request-${i}`)));
}

describe('draftOrders per call', () => {
  it(`is capped at ${MAX_DRAFT_ORDERS}: one more is refused with 400 saying so`, async () => {
    expect(MAX_DRAFT_ORDERS).toBe(400);
    const response = await call(hookRequest('order-sign', 'p1', { draftOrders: drafts(401) }, { prefetch: PREFETCH }));
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_request');
    expect(response.body.message).toBe('context.draftOrders holds 401 entries; this service takes at most 400 orders per call');
  });

  it('400 drafts for one agent answer with the cards of one draft (one assessment per agent, not per draft), in bounded time', async () => {
    const one = await call(hookRequest('order-sign', 'p1', { draftOrders: drafts(1) }, { prefetch: PREFETCH }));
    expect(one.status).toBe(200);
    const started = performance.now();
    const many = await call(hookRequest('order-sign', 'p1', { draftOrders: drafts(400) }, { prefetch: PREFETCH }));
    const ms = performance.now() - started;
    console.log(`400 drafts: ${many.body.cards?.length} cards in ${Math.round(ms)} ms (1 draft: ${one.body.cards.length} cards)`);
    expect(many.status).toBe(200);
    // Before: 3 cards per draft, 1,200 cards and 98 s for 400 drafts.
    expect((many.body.cards as CdsCard[]).map((c) => c.indicator)).toEqual((one.body.cards as CdsCard[]).map((c) => c.indicator));
  }, 60_000);

  it('drafts for two agents: one set of cards for each', async () => {
    const bundle = draftBundle(
      ...Array.from({ length: 200 }, (_, i) => draftOrder('Cibinqo 100 mg', 'p1', `a-${i}`)),
      ...Array.from({ length: 200 }, (_, i) => draftOrder('Rinvoq 15 mg', 'p1', `u-${i}`)),
    );
    const response = await call(hookRequest('order-sign', 'p1', { draftOrders: bundle }, { prefetch: PREFETCH }));
    expect(response.status).toBe(200);
    const agents = new Set((response.body.cards as CdsCard[]).map((c) => c.summary.match(/(Abrocitinib|Upadacitinib)/)?.[1]));
    expect([...agents].sort()).toEqual(['Abrocitinib', 'Upadacitinib']);
    // Each drafted agent counts for the other: another JAK inhibitor is being ordered alongside.
    expect((response.body.cards as CdsCard[]).filter((c) => c.indicator === 'critical').length).toBeLessThanOrEqual(4);
  }, 60_000);
});

describe('a call that cannot finish', () => {
  it('answers 503 at the deadline, cancels its reads, and discovery answers meanwhile', async () => {
    let cancelled = false;
    const slow = await startService([key], { issuers: [{ iss: TEST_ISS, jwks: key.jwks, fhirServers: ['https://fhir.example/r4'] }] }, {
      today: () => '2025-06-15',
      callDeadlineMs: 500,
      // A FHIR server that never answers.
      fetchData: (_access, options) =>
        new Promise((_, reject) => {
          options.signal?.addEventListener('abort', () => {
            cancelled = true;
            reject(new Error('aborted'));
          });
        }),
    });
    try {
      const path = ORDER_SIGN;
      const body = hookRequest('order-sign', 'p1', { draftOrders: drafts(1) }, { fhirServer: 'https://fhir.example/r4', fhirAuthorization: { access_token: 't', token_type: 'Bearer' } });
      const pending = post(slow.url(path), body, await sign(key, { iss: TEST_ISS, aud: slow.url(path) }));
      const discovery = await fetch(slow.url('/cds-services'));
      expect(discovery.status).toBe(200);
      const response = await pending;
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ error: 'temporarily_unavailable', message: 'The service could not answer within 1 s; no cards were produced. Try again, or send the data as prefetch.' });
      expect(cancelled).toBe(true);
    } finally {
      await slow.close();
    }
  });
});
