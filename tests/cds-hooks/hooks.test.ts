/**
 * Each hook with prefetch, with only a FHIR token, and with neither (412), against the sandbox's
 * real FHIR server; the reference sandbox's not-quite-R4 drafts; what the record holds around the
 * draft; prefetch that failed or came cut.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server';
import { buildSearchPlans, searchUrl } from '../../src/fhir/search-plan';
import { OBSERVATION_SEARCH_CODES } from '../../src/kb/observation-codes';
import { addDays } from '../../src/engine/normalise';
import type { CdsCard } from '../../src/cds-hooks/types';
import { draftBundle, draftOrder, hookRequest, makeKey, ORDER_SELECT, ORDER_SIGN, PATIENT_VIEW, post, sign, startService, TEST_ISS, type RunningService, type TestKey } from './helpers';

const TODAY = '2025-06-15';
let sandbox: SandboxHandle;
let key: TestKey;
/** The service alone, with patient-view enabled, trusting the test key for the sandbox's FHIR server. */
let standalone: RunningService;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, quiet: true, samples: false, app: false, today: new Date(2025, 5, 15) });
  key = await makeKey();
  standalone = await startService([key], {
    patientView: { enabled: true },
    issuers: [{ iss: TEST_ISS, jwks: key.jwks, fhirServers: [sandbox.fhirBase] }],
  }, { today: () => TODAY });
}, 60_000);
afterAll(async () => {
  await standalone?.close();
  await sandbox?.close();
});

/** A call to the sandbox-mounted service, signed by the sandbox's own CDS client. */
async function callSandbox(path: string, body: unknown): Promise<{ status: number; body: any }> {
  const url = `${sandbox.origin}${path}`;
  return post(url, body, await sandbox.cdsHooks.identity.sign(url));
}

async function callStandalone(path: string, body: unknown): Promise<{ status: number; body: any }> {
  return post(standalone.url(path), body, await sign(key, { iss: TEST_ISS, aud: standalone.url(path) }));
}

async function templates(): Promise<Record<string, string>> {
  const discovery = (await (await fetch(`${sandbox.origin}/cds-services`)).json()) as { services: Array<{ prefetch: Record<string, string> }> };
  return discovery.services[0]!.prefetch;
}

const prefetchFor = async (patient: string) => sandbox.cdsHooks.client.prefetch(await templates(), patient);
const tokenFor = (patient: string) => ({
  fhirServer: sandbox.fhirBase,
  fhirAuthorization: { access_token: sandbox.issueToken({ scope: 'patient/*.read', patient }), token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'jak-readiness-cds' },
});
const summaries = (cards: CdsCard[]) => cards.map((c) => `${c.indicator}: ${c.summary}`);
const criticals = (cards: CdsCard[]) => cards.filter((c) => c.indicator === 'critical').map((c) => c.summary);
const CLOPIDOGREL = 'Abrocitinib (Cibinqo): contraindicated — Current antiplatelet therapy: clopidogrel';
const orderContext = (patient: string, text: string) => ({ draftOrders: draftBundle(draftOrder(text, patient)) });

describe('discovery', () => {
  it('prefetch templates are the app loader\'s own searches: same codes, statuses, category and 400-day lab floor, no page size', async () => {
    const prefetch = await templates();
    const plans = buildSearchPlans({ patientId: 'X', observationCodes: OBSERVATION_SEARCH_CODES, labCategory: 'laboratory', labsSince: addDays(TODAY, -400), pageSize: 1000, includeMedications: true });
    const loaderUrls = plans.map((plan) => searchUrl(plan.type, plan.levels[0]!.params.filter(([name]) => name !== '_count')).replace('patient=X', 'patient={{context.patientId}}'));
    expect(Object.keys(prefetch)).toEqual(['patient', 'conditions', 'labResults', 'statusObservations', 'vitalSigns', 'medicationRequests', 'medicationStatements', 'immunizations', 'labOrders']);
    expect(prefetch.labOrders).toBe('ServiceRequest?patient={{context.patientId}}&status=draft,active,on-hold,completed');
    expect(Object.values(prefetch).slice(1)).toEqual(loaderUrls);
    expect(prefetch.patient).toBe('Patient/{{context.patientId}}');
    expect(prefetch.labResults).toContain(`date=ge${addDays(TODAY, -400)}`);
    // Body weight counts only within 6 months: it shares the lab floor instead of every weight ever taken.
    expect(prefetch.vitalSigns).toContain(`date=ge${addDays(TODAY, -400)}`);
    expect(prefetch.vitalSigns).toContain('29463-7');
    expect(prefetch.medicationRequests).toContain('_include=MedicationRequest');
    expect(Object.values(prefetch).join('&')).not.toContain('_count');
  });

  it('says patient-view is off by default and how a site turns it on', async () => {
    const { services } = (await (await fetch(`${sandbox.origin}/cds-services`)).json()) as { services: Array<{ id: string; hook: string; description: string }> };
    const patientView = services.find((s) => s.hook === 'patient-view')!;
    expect(patientView.description).toMatch(/^Off by default/);
    expect(patientView.description).toContain('"patientView": {"enabled": true}');
    const enabled = (await (await fetch(standalone.url('/cds-services'))).json()) as { services: Array<{ hook: string; description: string }> };
    expect(enabled.services.find((s) => s.hook === 'patient-view')!.description).toMatch(/^Enabled at this site/);
  });
});

describe('order-select and order-sign', () => {
  for (const [hook, path] of [['order-select', ORDER_SELECT], ['order-sign', ORDER_SIGN]] as const) {
    it(`${hook} with prefetch: a critical card for abrocitinib and clopidogrel`, async () => {
      const response = await callSandbox(path, hookRequest(hook, 'scn-clopidogrel', orderContext('scn-clopidogrel', 'Abrocitinib 100 mg oral tablet'), { prefetch: await prefetchFor('scn-clopidogrel') }));
      expect(response.status).toBe(200);
      expect(criticals(response.body.cards)).toEqual([CLOPIDOGREL]);
    });

    it(`${hook} without prefetch: the service reads the FHIR server with the hook's token and answers the same`, async () => {
      const withPrefetch = await callSandbox(path, hookRequest(hook, 'scn-low-neutrophils', orderContext('scn-low-neutrophils', 'Cibinqo 200 mg'), { prefetch: await prefetchFor('scn-low-neutrophils') }));
      const withToken = await callSandbox(path, hookRequest(hook, 'scn-low-neutrophils', orderContext('scn-low-neutrophils', 'Cibinqo 200 mg'), tokenFor('scn-low-neutrophils')));
      expect(withToken.status).toBe(200);
      expect(summaries(withToken.body.cards)).toEqual(summaries(withPrefetch.body.cards));
      expect(summaries(withToken.body.cards)[0]).toMatch(/^critical: Abrocitinib \(Cibinqo\): do not initiate — ANC 800/);
    });

    it(`${hook} with neither prefetch nor token: 412, never an empty answer`, async () => {
      const response = await callSandbox(path, hookRequest(hook, 'scn-ready', orderContext('scn-ready', 'Rinvoq 15 mg')));
      expect(response.status).toBe(412);
      expect(response.body.message).toMatch(/^Missing prefetch "patient", "conditions"/);
      expect(response.body.message).toMatch(/no fhirAuthorization token/);
    });
  }

  it('a partial prefetch is completed through the token', async () => {
    const prefetch = await prefetchFor('scn-pregnant');
    delete prefetch.conditions; // the pregnancy is on the problem list
    const response = await callSandbox(ORDER_SIGN, hookRequest('order-sign', 'scn-pregnant', orderContext('scn-pregnant', 'upadacitinib 15 MG'), { prefetch, ...tokenFor('scn-pregnant') }));
    expect(summaries(response.body.cards)[0]).toMatch(/^critical: Upadacitinib \(Rinvoq\): avoid — Pregnant/);
  });

  it('a partial prefetch without a token: 412 naming the missing key', async () => {
    const prefetch = await prefetchFor('scn-pregnant');
    delete prefetch.conditions;
    const response = await callSandbox(ORDER_SIGN, hookRequest('order-sign', 'scn-pregnant', orderContext('scn-pregnant', 'upadacitinib 15 MG'), { prefetch }));
    expect(response.status).toBe(412);
    expect(response.body.message).toMatch(/^Missing prefetch "conditions"/);
  });

  it('a token the FHIR server refuses: 412 saying so', async () => {
    const response = await callSandbox(ORDER_SIGN, hookRequest('order-sign', 'scn-ready', orderContext('scn-ready', 'Rinvoq'), { fhirServer: sandbox.fhirBase, fhirAuthorization: { access_token: 'not-a-token', token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'x' } }));
    expect(response.status).toBe(412);
    expect(response.body.message).toMatch(/refused the fhirAuthorization token \(HTTP 401\)/);
  });

  it('a FHIR server the issuer is not trusted for is never called: 412', async () => {
    const response = await callStandalone(ORDER_SIGN, hookRequest('order-sign', 'scn-ready', orderContext('scn-ready', 'Rinvoq'), { ...tokenFor('scn-ready'), fhirServer: 'http://127.0.0.1:9/fhir' }));
    expect(response.status).toBe(412);
    expect(response.body.message).toMatch(/fhirServer is not among the FHIR servers the trust file lists for https:\/\/ehr\.test\.example/);
  });

  it('a prefetch key the EHR could not fill (OperationOutcome) makes its items unknown: a warning, never silence', async () => {
    const prefetch = await prefetchFor('scn-ready');
    prefetch.labResults = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception', diagnostics: 'lab system down' }] };
    const response = await callSandbox(ORDER_SIGN, hookRequest('order-sign', 'scn-ready', orderContext('scn-ready', 'Cibinqo'), { prefetch }));
    expect(response.status).toBe(200);
    const warning = response.body.cards.find((c: CdsCard) => c.indicator === 'warning');
    expect(warning.summary).toMatch(/could not check Complete blood count/);
    expect(warning.detail).toContain('lab system down');
  });

  it('a prefetch Bundle with a next page is not read as complete', async () => {
    const prefetch = await prefetchFor('scn-ready');
    (prefetch.labResults as { link?: unknown[] }).link = [{ relation: 'next', url: `${sandbox.fhirBase}/Observation?page=2` }];
    const response = await callSandbox(ORDER_SIGN, hookRequest('order-sign', 'scn-ready', orderContext('scn-ready', 'Cibinqo'), { prefetch }));
    const warning = response.body.cards.find((c: CdsCard) => c.indicator === 'warning');
    expect(warning.detail).toMatch(/more pages than it sent/);
  });

  it('types the token\'s scope does not cover are not read: their items are unknown, on the warning card', async () => {
    const access = tokenFor('scn-ready');
    access.fhirAuthorization.scope = 'patient/Patient.read patient/Condition.read patient/MedicationRequest.read patient/MedicationStatement.read patient/Medication.read patient/Immunization.read';
    const response = await callSandbox(ORDER_SIGN, hookRequest('order-sign', 'scn-ready', orderContext('scn-ready', 'Cibinqo'), access));
    expect(response.status).toBe(200);
    const warning = response.body.cards.find((c: CdsCard) => c.indicator === 'warning');
    expect(warning.summary).toMatch(/could not check Complete blood count/);
    expect(warning.detail).toMatch(/Observation/);
  });

  it('`null` prefetch means "no data" (CDS Hooks 2.0): no immunizations is read as none, not as a failure', async () => {
    const prefetch = await prefetchFor('scn-labs-missing');
    prefetch.immunizations = null;
    const response = await callSandbox(ORDER_SIGN, hookRequest('order-sign', 'scn-labs-missing', orderContext('scn-labs-missing', 'Cibinqo'), { prefetch }));
    expect(response.status).toBe(200);
    expect(response.body.cards.map((c: CdsCard) => c.indicator)).not.toContain('warning');
    expect(response.body.cards[0].detail).toMatch(/Shingles|zoster/i);
  });
});

describe('the draft and the record around it', () => {
  it('the order being written is not "already on a JAK inhibitor", even when the EHR saved the draft', async () => {
    const draft = draftOrder('Cibinqo 100 mg', 'scn-heavy-record', 'saved-draft-1');
    await sandbox.cdsHooks.store(draft as never);
    const response = await callSandbox(ORDER_SIGN, hookRequest('order-sign', 'scn-heavy-record', { draftOrders: draftBundle(draft) }, tokenFor('scn-heavy-record')));
    expect(response.status).toBe(200);
    // The heavy record is ready: only the label's to-do (document prior therapy), no caution at all.
    expect(response.body.cards.map((c: CdsCard) => c.indicator)).toEqual(['info']);
    expect(JSON.stringify(response.body.cards)).not.toMatch(/Already on a JAK inhibitor|Another JAK inhibitor/);
  });

  it('another drug drafted alongside counts: clopidogrel ordered with abrocitinib is a contraindication', async () => {
    const orders = draftBundle(draftOrder('Abrocitinib 100 mg', 'scn-ready', 'r1'), draftOrder('clopidogrel 75 MG Oral Tablet', 'scn-ready', 'r2'));
    const response = await callSandbox(ORDER_SELECT, hookRequest('order-select', 'scn-ready', { draftOrders: orders, selections: ['MedicationRequest/r1'] }, { prefetch: await prefetchFor('scn-ready') }));
    expect(criticals(response.body.cards)).toEqual([CLOPIDOGREL]);
  });

  it('order-select judges only the newly selected order', async () => {
    const orders = draftBundle(draftOrder('Abrocitinib 100 mg', 'scn-pregnant', 'r1'), draftOrder('Cetirizine 10 mg', 'scn-pregnant', 'r2'));
    const response = await callSandbox(ORDER_SELECT, hookRequest('order-select', 'scn-pregnant', { draftOrders: orders, selections: ['MedicationRequest/r2'] }, { prefetch: await prefetchFor('scn-pregnant') }));
    expect(response.body.cards).toEqual([]);
  });

  it('an order for oral ruxolitinib (Jakafi) is not an eczema agent: no card', async () => {
    const response = await callSandbox(ORDER_SIGN, hookRequest('order-sign', 'scn-pregnant', orderContext('scn-pregnant', 'Jakafi 5 MG Oral Tablet'), { prefetch: await prefetchFor('scn-pregnant') }));
    expect(response.body.cards).toEqual([]);
  });
});

describe('the reference sandbox\'s drafts (lenient reading)', () => {
  it('a Bundle without type, category and reasonCode as objects, id request-123: read, cards given', async () => {
    const draft = {
      resourceType: 'MedicationRequest',
      id: 'request-123',
      status: 'draft',
      intent: 'order',
      category: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category', code: 'outpatient' }] },
      reasonCode: { coding: [{ system: 'http://snomed.info/sct', code: '24079001', display: 'Atopic dermatitis' }] },
      subject: { reference: 'Patient/scn-clopidogrel' },
      medicationCodeableConcept: { text: 'abrocitinib 100 MG Oral Tablet', coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '2591489', display: 'abrocitinib 100 MG Oral Tablet' }] },
    };
    const response = await callSandbox(ORDER_SELECT, hookRequest('order-select', 'scn-clopidogrel', { draftOrders: { resourceType: 'Bundle', entry: [{ resource: draft }] }, selections: ['MedicationRequest/request-123'] }, { prefetch: await prefetchFor('scn-clopidogrel') }));
    expect(response.status).toBe(200);
    expect(criticals(response.body.cards)).toEqual([CLOPIDOGREL]);
  });

  it('order-select on page load with an empty draft: no card, no error', async () => {
    const empty = { resourceType: 'Bundle', entry: [{ resource: { resourceType: 'MedicationRequest', id: 'request-123', status: 'draft', intent: 'order' } }] };
    const response = await callSandbox(ORDER_SELECT, hookRequest('order-select', 'scn-ready', { draftOrders: empty, selections: ['MedicationRequest/request-123'] }));
    expect(response).toMatchObject({ status: 200, body: { cards: [] } });
  });

  it('order-sign re-sent without draftOrders: no card, no error', async () => {
    const response = await callSandbox(ORDER_SIGN, hookRequest('order-sign', 'scn-ready'));
    expect(response).toMatchObject({ status: 200, body: { cards: [] } });
  });
});

describe('patient-view', () => {
  it('is off by default: no card, and no data read', async () => {
    const response = await callSandbox(PATIENT_VIEW, hookRequest('patient-view', 'scn-pregnant'));
    expect(response).toMatchObject({ status: 200, body: { cards: [] } });
  });

  it('enabled, with prefetch: cards for the agent drafted in the record', async () => {
    await sandbox.cdsHooks.store(draftOrder('Rinvoq 15 mg extended-release tablet', 'scn-pregnant', 'planned-upa') as never);
    const response = await callStandalone(PATIENT_VIEW, hookRequest('patient-view', 'scn-pregnant', {}, { prefetch: await prefetchFor('scn-pregnant') }));
    expect(response.status).toBe(200);
    expect(summaries(response.body.cards)[0]).toMatch(/^critical: Upadacitinib \(Rinvoq\): avoid — Pregnant/);
  });

  it('enabled, without prefetch: through the token, the same cards', async () => {
    const response = await callStandalone(PATIENT_VIEW, hookRequest('patient-view', 'scn-pregnant', {}, tokenFor('scn-pregnant')));
    expect(response.status).toBe(200);
    expect(summaries(response.body.cards)[0]).toMatch(/^critical: Upadacitinib \(Rinvoq\): avoid — Pregnant/);
  });

  it('enabled, with neither: 412', async () => {
    expect((await callStandalone(PATIENT_VIEW, hookRequest('patient-view', 'scn-pregnant'))).status).toBe(412);
  });

  it('enabled, on abrocitinib with platelets below 50,000/µL: a critical card that says discontinue and names the label section (R3.2)', async () => {
    const response = await callStandalone(PATIENT_VIEW, hookRequest('patient-view', 'scn-abrocitinib-low-platelets', {}, tokenFor('scn-abrocitinib-low-platelets')));
    expect(response.status).toBe(200);
    const cards = response.body.cards as CdsCard[];
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatchObject({ indicator: 'critical', summary: expect.stringMatching(/^Abrocitinib \(Cibinqo\): Platelets 45,000\/µL \(\d{4}-\d{2}-\d{2}\) — label: discontinue; tell the prescriber today$/) });
    expect(cards[0]!.source.label).toMatch(/Cibinqo label \(US\), section 2/);
    expect(cards[0]!.detail).toMatch(/Label: Cibinqo label \\?\(US\\?\), section 2/);
    expect(cards[0]!.detail).toMatch(/Threshold: below 50,000\/µL/);
  });

  it('enabled, on upadacitinib with monitoring done and normal: no card', async () => {
    const response = await callStandalone(PATIENT_VIEW, hookRequest('patient-view', 'scn-upadacitinib-all-done', {}, tokenFor('scn-upadacitinib-all-done')));
    expect(response).toMatchObject({ status: 200, body: { cards: [] } });
  });

  it('enabled, for a patient with nothing planned: no card', async () => {
    const response = await callStandalone(PATIENT_VIEW, hookRequest('patient-view', 'scn-clopidogrel', {}, tokenFor('scn-clopidogrel')));
    expect(response).toMatchObject({ status: 200, body: { cards: [] } });
  });
});

describe('orders already placed (issue 18)', () => {
  const cbcOrdered = (patient: string) => ({
    resourceType: 'Bundle', type: 'searchset',
    entry: [{ resource: { resourceType: 'ServiceRequest', id: 'sr-cbc', status: 'active', intent: 'order', subject: { reference: `Patient/${patient}` }, code: { coding: [{ system: 'http://loinc.org', code: '57021-8' }] }, authoredOn: '2025-06-12' } }],
  });
  const orderCodes = (cards: CdsCard[]) =>
    cards.flatMap((c) => c.suggestions ?? []).flatMap((s) => s.actions ?? []).map((a) => (a.resource as { resourceType?: string; code?: { coding?: Array<{ code: string }> } }))
      .filter((r) => r?.resourceType === 'ServiceRequest').map((r) => r.code!.coding![0]!.code);

  it('a lab already ordered is not suggested again; the card says it is awaited', async () => {
    const prefetch = await prefetchFor('scn-labs-missing');
    const before = await callSandbox(ORDER_SIGN, hookRequest('order-sign', 'scn-labs-missing', orderContext('scn-labs-missing', 'Cibinqo'), { prefetch }));
    expect(orderCodes(before.body.cards)).toContain('57021-8');

    prefetch.labOrders = cbcOrdered('scn-labs-missing');
    const after = await callSandbox(ORDER_SIGN, hookRequest('order-sign', 'scn-labs-missing', orderContext('scn-labs-missing', 'Cibinqo'), { prefetch }));
    expect(after.status).toBe(200);
    expect(orderCodes(after.body.cards)).not.toContain('57021-8');
    expect(orderCodes(after.body.cards)).toContain('57698-3');
    expect(JSON.stringify(after.body.cards)).toContain('CBC ordered 2025-06-12, awaiting result');
  });

  it('an EHR that does not prefetch the orders (and sends no token) is still answered, saying the orders could not be checked', async () => {
    const prefetch = await prefetchFor('scn-labs-missing');
    delete prefetch.labOrders;
    const response = await callSandbox(ORDER_SIGN, hookRequest('order-sign', 'scn-labs-missing', orderContext('scn-labs-missing', 'Cibinqo'), { prefetch }));
    expect(response.status).toBe(200);
    expect(JSON.stringify(response.body.cards)).toMatch(/could not check orders already placed/);
  });
});
