/**
 * The chart page's order box, server side: drafting an order calls the mounted CDS Hooks service
 * with the sandbox's signed JWT; accepting "Order missing baseline labs" writes the ServiceRequests
 * into the sandbox's FHIR server; overriding posts feedback with the chosen reason.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server';
import { SandboxCdsClient } from '../../src/sandbox/cds-client';
import { cardsFor } from '../../src/cds-hooks/cards';
import type { ReadinessReport } from '../../src/contract/report';
import { fhirGet } from './helpers';

let sandbox: SandboxHandle;
const logs: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, quiet: true, samples: false, app: false, today: new Date(2025, 5, 15), cdsHooks: { log: (line) => logs.push(line) } });
}, 60_000);
afterAll(async () => {
  await sandbox?.close();
});

async function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(`${sandbox.origin}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

describe('the order box on the chart page', () => {
  it('is on every chart, with its script from a file (the EHR pages allow no inline script)', async () => {
    const page = await (await fetch(`${sandbox.origin}/ehr/patient/scn-clopidogrel`)).text();
    expect(page).toContain('id="cds-order-form"');
    expect(page).toContain('<script src="/ehr/cds-order.js" defer></script>');
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    const script = await fetch(`${sandbox.origin}/ehr/cds-order.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    // The script builds cards from text nodes only.
    expect(await script.text()).not.toMatch(/innerHTML|insertAdjacentHTML|document\.write/);
  });

  it('drafting abrocitinib for a patient on clopidogrel shows the critical card the service returned', async () => {
    const response = await postJson('/ehr/cds/call', { patientId: 'scn-clopidogrel', medication: 'abrocitinib', hook: 'order-select', data: 'prefetch+token' });
    expect(response.status).toBe(200);
    expect(response.body.status).toBe(200);
    const critical = response.body.response.cards.filter((c: { indicator: string }) => c.indicator === 'critical');
    expect(critical.map((c: { summary: string }) => c.summary)).toEqual(['Abrocitinib (Cibinqo): contraindicated — Current antiplatelet therapy: clopidogrel']);
    // The page sees the request without the bearer token, and prefetch as counts.
    expect(response.body.request.fhirAuthorization.access_token).toBe('(hidden)');
    expect(response.body.request.prefetch.conditions).toMatch(/^\(Bundle of \d+\)$/);
  });

  it('accepting "Order missing baseline labs" stores the draft ServiceRequests in the FHIR server (end to end)', async () => {
    const drafted = await postJson('/ehr/cds/call', { patientId: 'scn-labs-outdated', medication: 'upadacitinib', hook: 'order-select', data: 'prefetch' });
    const card = drafted.body.response.cards.find((c: { indicator: string }) => c.indicator === 'info');
    const suggestion = card.suggestions.find((s: { label: string }) => s.label === 'Order missing baseline labs');
    const accepted = await postJson('/ehr/cds/accept', { hookInstance: drafted.body.hookInstance, card: card.uuid, suggestion: suggestion.uuid });
    expect(accepted.status).toBe(200);
    expect(accepted.body.feedbackStatus).toBe(200);
    expect(accepted.body.created).toHaveLength(suggestion.actions.length);
    const token = sandbox.issueToken({ scope: 'patient/*.read', patient: 'scn-labs-outdated' });
    const { body } = await fhirGet(`${sandbox.fhirBase}/ServiceRequest?patient=scn-labs-outdated`, token);
    const stored = (body.entry ?? []).map((e: any) => e.resource);
    expect(stored.map((r: any) => `ServiceRequest/${r.id}`).sort()).toEqual([...accepted.body.created].sort());
    expect(stored.map((r: any) => r.code.coding[0].code).sort()).toEqual(suggestion.actions.map((a: any) => a.resource.code.coding[0].code).sort());
    for (const request of stored) expect(request).toMatchObject({ status: 'draft', intent: 'order', subject: { reference: 'Patient/scn-labs-outdated' } });
  });

  it('accepting a switch (abrocitinib blocked by clopidogrel) names the new agent for the order box', async () => {
    const drafted = await postJson('/ehr/cds/call', { patientId: 'scn-clopidogrel', medication: 'abrocitinib', hook: 'order-sign', data: 'prefetch' });
    const card = drafted.body.response.cards.find((c: { indicator: string }) => c.indicator === 'critical');
    const accepted = await postJson('/ehr/cds/accept', { hookInstance: drafted.body.hookInstance, card: card.uuid, suggestion: card.suggestions[0].uuid });
    expect(accepted.body).toMatchObject({ created: [], switchedTo: 'upadacitinib', feedbackStatus: 200 });
  });

  it('shows the 412 when the EHR sends neither prefetch nor token', async () => {
    const response = await postJson('/ehr/cds/call', { patientId: 'scn-ready', medication: 'upadacitinib', hook: 'order-sign', data: 'none' });
    expect(response.body.status).toBe(412);
  });

  it('overriding a card posts feedback with the chosen reason to the service', async () => {
    const drafted = await postJson('/ehr/cds/call', { patientId: 'scn-pregnant', medication: 'upadacitinib', hook: 'order-sign', data: 'prefetch' });
    const card = drafted.body.response.cards[0];
    logs.length = 0;
    const response = await postJson('/ehr/cds/override', { hookInstance: drafted.body.hookInstance, card: card.uuid, reason: 'benefit-outweighs-risk' });
    expect(response).toEqual({ status: 200, body: { feedbackStatus: 200 } });
    const feedback = logs.map((l) => JSON.parse(l)).filter((l) => l.event === 'cds-hooks.feedback');
    expect(feedback).toEqual([expect.objectContaining({ card: card.uuid, outcome: 'overridden', overrideReason: { code: 'benefit-outweighs-risk', system: 'urn:jak-readiness:cds-hooks:override-reason' } })]);
  });

  it('refuses a reason the card does not offer, a stale card, other origins and non-JSON posts', async () => {
    const drafted = await postJson('/ehr/cds/call', { patientId: 'scn-pregnant', medication: 'upadacitinib', hook: 'order-sign', data: 'prefetch' });
    const card = drafted.body.response.cards[0];
    expect((await postJson('/ehr/cds/override', { hookInstance: drafted.body.hookInstance, card: card.uuid, reason: 'made-up' })).status).toBe(400);
    expect((await postJson('/ehr/cds/override', { hookInstance: 'gone', card: card.uuid })).body.message).toMatch(/no longer on screen/);
    expect((await postJson('/ehr/cds/call', { patientId: 'scn-ready', medication: 'abrocitinib', hook: 'order-sign', data: 'prefetch' }, { Origin: 'https://evil.example' })).status).toBe(403);
    const form = await fetch(`${sandbox.origin}/ehr/cds/call`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'patientId=scn-ready' });
    expect(form.status).toBe(400);
    expect((await postJson('/ehr/cds/call', { patientId: 'nobody', medication: 'abrocitinib', hook: 'order-sign', data: 'prefetch' })).status).toBe(400);
  });

  it('the card\'s SMART link opens the app for the patient on screen (a fresh EHR launch), with a ticket the chart asked for', async () => {
    const link = await postJson('/ehr/cds/link', { patientId: 'scn-ready' });
    expect(link.status).toBe(200);
    const response = await fetch(`${sandbox.origin}${link.body.url}`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!, sandbox.origin);
    expect(location.pathname).toBe('/launch/');
    expect(location.searchParams.get('iss')).toBe(sandbox.fhirBase);
    expect(location.searchParams.get('launch')).toMatch(/\S+/);
    expect((await postJson('/ehr/cds/link', { patientId: '..%2Fx' })).status).toBe(400);
  });

  it('refuses a card launch it did not issue: no ticket, a made-up or used one, or one asked for by another site', async () => {
    const refused = async (path: string) => (await fetch(`${sandbox.origin}${path}`, { redirect: 'manual' })).status;
    expect(await refused('/ehr/cds/launch?patient=scn-ready')).toBe(403);
    expect(await refused(`/ehr/cds/launch?${new URLSearchParams({ patient: 'scn-pregnant', appContext: '{"therapy":"baricitinib"}' })}`)).toBe(403);
    expect(await refused('/ehr/cds/launch?ticket=made-up')).toBe(403);
    const { body } = await postJson('/ehr/cds/link', { patientId: 'scn-ready' });
    expect(await refused(body.url)).toBe(302);
    expect(await refused(body.url)).toBe(403);
    expect((await postJson('/ehr/cds/link', { patientId: 'scn-ready' }, { Origin: 'https://evil.example' })).status).toBe(403);
  });

  it('publishes the sandbox client\'s public key set (no private part)', async () => {
    const jwks = (await (await fetch(`${sandbox.origin}/ehr/cds/jwks.json`)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-384', alg: 'ES384', kid: sandbox.cdsHooks.identity.kid });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });
});

/**
 * Accepting suggestions, with a stand-in service whose cards come from the real mapping over a
 * hand-made report (the engine's to-do list and per-agent verdicts are filled in separately).
 */
describe('accepting a suggestion', () => {
  let fake: Server;
  let base: string;
  const feedback: unknown[] = [];

  const REPORT: ReadinessReport = {
    asOf: '2025-06-15',
    therapy: 'abrocitinib',
    patient: { id: 'scn-labs-missing', age: 41, sex: 'male' },
    dataGaps: [],
    checklist: [],
    cautions: [{ id: 'pregnancy', severity: 'do-not-start', text: 'Pregnant', evidence: [], source: 'EU SmPC' }],
    factors: [],
    byAgent: [{ therapy: 'abrocitinib', label: 'Abrocitinib', verdict: 'do-not-start', reasons: [], causes: [] }, { therapy: 'upadacitinib', label: 'Upadacitinib', verdict: 'needs-work', reasons: [], causes: [] }],
    dosing: [],
    monitoring: null,
    todo: [
      { id: 'order-cbc', kind: 'order-lab', text: 'Order CBC with differential', orders: [{ system: 'http://loinc.org', code: '57021-8', display: 'CBC W Auto Differential panel - Blood' }], from: [] },
      { id: 'order-lipids', kind: 'order-lab', text: 'Order a lipid panel', orders: [{ system: 'http://loinc.org', code: '57698-3', display: 'Lipid panel with direct LDL - Serum or Plasma' }], from: [] },
    ],
  };

  beforeAll(async () => {
    fake = createServer((req, res) => {
      let text = '';
      req.on('data', (c) => (text += c));
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        if (req.method === 'GET') return res.end(JSON.stringify({ services: [{ id: 'fake', hook: 'order-sign', description: 'x', prefetch: {} }] }));
        if (req.url?.endsWith('/feedback')) {
          feedback.push(JSON.parse(text));
          return res.end('{}');
        }
        const draft = JSON.parse(text).context.draftOrders.entry[0].resource;
        const cards = cardsFor({ report: REPORT, agent: 'abrocitinib', draft, draftReference: `MedicationRequest/${draft.id}`, patientId: 'scn-labs-missing', today: '2025-06-15' });
        res.end(JSON.stringify({ cards }));
      });
    });
    await new Promise<void>((done) => fake.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((done) => fake.close(() => done()));
  });

  function client(): SandboxCdsClient {
    return new SandboxCdsClient({
      identity: sandbox.cdsHooks.identity,
      serviceBase: () => base,
      fhirBase: () => sandbox.fhirBase,
      issueToken: (patient) => sandbox.issueToken({ scope: 'patient/*.read', patient }),
      store: sandbox.cdsHooks.store,
    });
  }

  it('"Order missing baseline labs" creates draft ServiceRequests for the patient in the sandbox FHIR server, then sends feedback', async () => {
    const ehr = client();
    const exchange = await ehr.call({ patientId: 'scn-labs-missing', medication: 'abrocitinib', hook: 'order-sign', data: 'none' });
    const card = (exchange.response as any).cards.find((c: any) => c.indicator === 'info');
    const suggestion = card.suggestions[0];
    expect(suggestion.label).toBe('Order missing baseline labs');

    const result = await ehr.accept(exchange.hookInstance, card.uuid, suggestion.uuid);
    expect(result.created).toHaveLength(2);
    expect(result.feedbackStatus).toBe(200);

    const token = sandbox.issueToken({ scope: 'patient/*.read', patient: 'scn-labs-missing' });
    const { body } = await fhirGet(`${sandbox.fhirBase}/ServiceRequest?patient=scn-labs-missing`, token);
    const stored = (body.entry ?? []).map((e: any) => e.resource);
    expect(stored.map((r: any) => `${r.resourceType}/${r.id}`).sort()).toEqual([...result.created].sort());
    for (const request of stored) expect(request).toMatchObject({ status: 'draft', intent: 'order', subject: { reference: 'Patient/scn-labs-missing' } });
    expect(stored.map((r: any) => r.code.coding[0].code).sort()).toEqual(['57021-8', '57698-3']);
    expect(feedback.at(-1)).toMatchObject({ feedback: [{ card: card.uuid, outcome: 'accepted', acceptedSuggestions: [{ id: suggestion.uuid }] }] });
  });

  it('a switch suggestion replaces the draft: the order box learns the new agent (nothing is stored)', async () => {
    const ehr = client();
    const exchange = await ehr.call({ patientId: 'scn-labs-missing', medication: 'abrocitinib', hook: 'order-sign', data: 'none' });
    const card = (exchange.response as any).cards.find((c: any) => c.indicator === 'critical');
    const result = await ehr.accept(exchange.hookInstance, card.uuid, card.suggestions[0].uuid);
    expect(result).toEqual({ created: [], removedDraft: `MedicationRequest/${exchange.draft.id}`, switchedTo: 'upadacitinib', feedbackStatus: 200 });
  });
});
