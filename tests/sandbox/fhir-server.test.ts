import type { Observation } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScenarios, HEAVY_OBSERVATIONS, HEAVY_RECORD_ID } from '../../src/sandbox/scenarios';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server';
import { ehrLaunchToken, fhirGet, nextLink } from './helpers';

const TODAY = new Date(2025, 5, 15);
let sandbox: SandboxHandle;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, app: false, samples: false, quiet: true, today: TODAY });
});
afterAll(async () => {
  await sandbox?.close();
});

function observationsOf(patientId: string): Observation[] {
  const scenario = buildScenarios(TODAY).find((s) => s.id === patientId);
  return (scenario?.resources ?? []).filter((r): r is Observation => r.resourceType === 'Observation');
}

describe('authentication', () => {
  it('answers 401 with an OperationOutcome and WWW-Authenticate without a token', async () => {
    const res = await fhirGet(`${sandbox.fhirBase}/Observation?patient=scn-ready`);
    expect(res.status).toBe(401);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });

  it('answers 401 for a token it never issued', async () => {
    const res = await fhirGet(`${sandbox.fhirBase}/Patient/scn-ready`, 'made-up-token');
    expect(res.status).toBe(401);
  });

  it('answers 401 for an expired token', async () => {
    const token = sandbox.issueToken({ scope: 'patient/*.read', patient: 'scn-ready', ttlSeconds: 0 });
    expect((await fhirGet(`${sandbox.fhirBase}/Patient/scn-ready`, token)).status).toBe(401);
  });
});

describe('search semantics', () => {
  it('filters by patient, category, code (system|code) and date=ge like a FHIR server', async () => {
    const { access_token: token } = await ehrLaunchToken(sandbox, HEAVY_RECORD_ID);
    const since = '2020-01-01';
    const expected = observationsOf(HEAVY_RECORD_ID).filter(
      (o) =>
        o.code.coding?.some((c) => c.system === 'http://loinc.org' && c.code === '718-7') &&
        o.category?.some((cat) => cat.coding?.some((c) => c.code === 'laboratory')) &&
        (o.effectiveDateTime ?? '') >= since,
    );
    expect(expected.length).toBeGreaterThan(10);

    const url = `${sandbox.fhirBase}/Observation?patient=${HEAVY_RECORD_ID}&category=laboratory&code=http://loinc.org|718-7&date=ge${since}&_count=1000`;
    const { status, body } = await fhirGet(url, token);
    expect(status).toBe(200);
    expect(body.total).toBe(expected.length);
    const ids = body.entry.map((e: any) => e.resource.id).sort();
    expect(ids).toEqual(expected.map((o) => o.id).sort());
  });

  it('matches any code of a comma-separated list and nothing from another system', async () => {
    const { access_token: token } = await ehrLaunchToken(sandbox, 'scn-ready');
    const both = await fhirGet(`${sandbox.fhirBase}/Observation?patient=scn-ready&code=http://loinc.org|751-8,http://loinc.org|731-0`, token);
    expect(body(both).map((o) => o.code.coding[0].code).sort()).toEqual(['731-0', '751-8']);
    const wrongSystem = await fhirGet(`${sandbox.fhirBase}/Observation?patient=scn-ready&code=http://snomed.info/sct|751-8`, token);
    expect(wrongSystem.body.total).toBe(0);
  });

  it('sorts by -date', async () => {
    const { access_token: token } = await ehrLaunchToken(sandbox, HEAVY_RECORD_ID);
    const { body: bundle } = await fhirGet(`${sandbox.fhirBase}/Observation?patient=${HEAVY_RECORD_ID}&_sort=-date&_count=200`, token);
    const dates = bundle.entry.map((e: any) => e.resource.effectiveDateTime as string);
    expect(dates).toEqual([...dates].sort().reverse());
    const newest = observationsOf(HEAVY_RECORD_ID).map((o) => o.effectiveDateTime as string).sort().at(-1);
    expect(dates[0]).toBe(newest);
  });

  it('pages the heavy record with _count=50 through next links on this server', async () => {
    const { access_token: token } = await ehrLaunchToken(sandbox, HEAVY_RECORD_ID);
    let url: string | undefined = `${sandbox.fhirBase}/Observation?patient=${HEAVY_RECORD_ID}&_count=50`;
    const seen = new Set<string>();
    let pages = 0;
    while (url) {
      expect(url.startsWith(`${sandbox.fhirBase}/Observation?`)).toBe(true);
      const { status, body: bundle } = await fhirGet(url, token);
      expect(status).toBe(200);
      expect(bundle.total).toBe(HEAVY_OBSERVATIONS);
      expect(bundle.entry.length).toBeLessThanOrEqual(50);
      for (const e of bundle.entry) seen.add(e.resource.id);
      pages += 1;
      url = nextLink(bundle);
    }
    expect(pages).toBe(HEAVY_OBSERVATIONS / 50);
    expect(seen.size).toBe(HEAVY_OBSERVATIONS);
  });

  it('pages by default when the client gives no _count', async () => {
    const { access_token: token } = await ehrLaunchToken(sandbox, HEAVY_RECORD_ID);
    const { body: bundle } = await fhirGet(`${sandbox.fhirBase}/Condition?patient=${HEAVY_RECORD_ID}`, token);
    expect(bundle.total).toBe(200);
    expect(bundle.entry.length).toBeLessThan(200);
    expect(nextLink(bundle)).toBeTruthy();
  });
});

describe('patient context', () => {
  it('refuses a search naming another patient', async () => {
    const { access_token: token } = await ehrLaunchToken(sandbox, 'scn-ready');
    const res = await fhirGet(`${sandbox.fhirBase}/Observation?patient=scn-low-neutrophils`, token);
    expect(res.status).toBe(403);
    expect(res.body.entry).toBeUndefined();
  });

  it('returns only the token patient when the search names none', async () => {
    const { access_token: token } = await ehrLaunchToken(sandbox, 'scn-ready');
    const res = await fhirGet(`${sandbox.fhirBase}/Observation?code=http://loinc.org|751-8&_count=100`, token);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(1);
    expect(res.body.entry[0].resource.subject.reference).toBe('Patient/scn-ready');
    const patients = await fhirGet(`${sandbox.fhirBase}/Patient`, token);
    expect(patients.body.entry.map((e: any) => e.resource.id)).toEqual(['scn-ready']);
  });

  it('refuses to read another patient or their resources', async () => {
    const { access_token: token } = await ehrLaunchToken(sandbox, 'scn-ready');
    expect((await fhirGet(`${sandbox.fhirBase}/Patient/scn-pregnant`, token)).status).toBe(403);
    const foreign = observationsOf('scn-pregnant')[0]!;
    expect((await fhirGet(`${sandbox.fhirBase}/Observation/${foreign.id}`, token)).status).toBe(403);
    const own = observationsOf('scn-ready')[0]!;
    expect((await fhirGet(`${sandbox.fhirBase}/Observation/${own.id}`, token)).status).toBe(200);
  });

  it('refuses resource types the granted scopes do not cover', async () => {
    const { access_token: token } = await ehrLaunchToken(sandbox, 'scn-ready', 'launch patient/Patient.read patient/Condition.rs');
    expect((await fhirGet(`${sandbox.fhirBase}/Condition?patient=scn-ready`, token)).status).toBe(200);
    const denied = await fhirGet(`${sandbox.fhirBase}/Observation?patient=scn-ready`, token);
    expect(denied.status).toBe(403);
    expect(denied.body.issue[0].code).toBe('forbidden');
  });
});

describe('loading data', () => {
  it('accepts a transaction bundle from a system token and not from a patient token', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:9d3c8f0e-1111-4a4a-8b8b-000000000001',
          resource: { resourceType: 'Patient', name: [{ family: 'Loaded', given: ['Test'] }] },
          request: { method: 'POST', url: 'Patient' },
        },
        {
          resource: {
            resourceType: 'Condition',
            subject: { reference: 'urn:uuid:9d3c8f0e-1111-4a4a-8b8b-000000000001' },
            code: { coding: [{ system: 'http://snomed.info/sct', code: '24079001' }] },
          },
          request: { method: 'POST', url: 'Condition' },
        },
      ],
    };
    const post = (token: string) =>
      fetch(sandbox.fhirBase, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/fhir+json' },
        body: JSON.stringify(bundle),
      });
    const patientToken = sandbox.issueToken({ scope: 'patient/*.*', patient: 'scn-ready' });
    expect((await post(patientToken)).status).toBe(403);

    const systemToken = sandbox.issueToken({ scope: 'system/*.*' });
    const res = await post(systemToken);
    expect(res.status).toBe(200);
    const response = await res.json();
    expect(response.type).toBe('transaction-response');
    const patientId = response.entry[0].response.location.split('/')[1];
    const conditions = await fhirGet(`${sandbox.fhirBase}/Condition?patient=${patientId}`, systemToken);
    expect(conditions.body.total).toBe(1);
  });
});

function body(res: { body: any }): any[] {
  return (res.body.entry ?? []).map((e: any) => e.resource);
}

describe('patient-scoped creates (the sidebar ordering labs, saving its note)', () => {
  async function post(type: string, body: object, token: string) {
    const res = await fetch(`${sandbox.fhirBase}/${type}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/fhir+json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  }
  const draft = (patient: string) => ({ resourceType: 'ServiceRequest', status: 'draft', intent: 'order', subject: { reference: `Patient/${patient}` }, code: { text: 'CBC' } });

  it('creates a resource of a granted type in the compartment of the patient in context', async () => {
    const token = sandbox.issueToken({ scope: 'patient/ServiceRequest.c patient/DocumentReference.write', patient: 'scn-ready' });
    const created = await post('ServiceRequest', draft('scn-ready'), token);
    expect(created.status).toBe(201);
    expect(created.body.id).toBeTruthy();
    const note = await post('DocumentReference', { resourceType: 'DocumentReference', status: 'current', subject: { reference: 'Patient/scn-ready' }, content: [{ attachment: { contentType: 'text/plain', data: 'aGk=' } }] }, token);
    expect(note.status).toBe(201);
  });

  it('serves the lab orders search (issue 18) to a patient token with ServiceRequest read scope, for that patient only', async () => {
    const writer = sandbox.issueToken({ scope: 'patient/ServiceRequest.c', patient: 'scn-ready' });
    const created = await post('ServiceRequest', draft('scn-ready'), writer);
    expect(created.status).toBe(201);
    for (const scope of ['patient/ServiceRequest.rs', 'patient/ServiceRequest.read']) {
      const reader = sandbox.issueToken({ scope, patient: 'scn-ready' });
      const found = await fhirGet(`${sandbox.fhirBase}/ServiceRequest?patient=scn-ready&status=draft,active,on-hold,completed`, reader);
      expect(found.status, scope).toBe(200);
      expect(found.body.entry.map((e: any) => e.resource.id), scope).toContain(created.body.id);
      expect((await fhirGet(`${sandbox.fhirBase}/ServiceRequest?patient=scn-pregnant`, reader)).status, scope).toBe(403);
    }
    const withoutScope = sandbox.issueToken({ scope: 'patient/Observation.rs', patient: 'scn-ready' });
    expect((await fhirGet(`${sandbox.fhirBase}/ServiceRequest?patient=scn-ready`, withoutScope)).status).toBe(403);
  });

  it('refuses a create for another patient, of an ungranted type, or with a read-only token', async () => {
    const writer = sandbox.issueToken({ scope: 'patient/ServiceRequest.c', patient: 'scn-ready' });
    expect((await post('ServiceRequest', draft('scn-pregnant'), writer)).status).toBe(403);
    expect((await post('ServiceRequest', { ...draft('scn-ready'), subject: undefined }, writer)).status).toBe(403);
    expect((await post('DocumentReference', { resourceType: 'DocumentReference', status: 'current', subject: { reference: 'Patient/scn-ready' }, content: [] }, writer)).status).toBe(403);
    expect((await post('ServiceRequest', { resourceType: 'Observation' }, writer)).status).toBe(400);
    const reader = sandbox.issueToken({ scope: 'patient/*.read', patient: 'scn-ready' });
    expect((await post('ServiceRequest', draft('scn-ready'), reader)).status).toBe(403);
  });
});
