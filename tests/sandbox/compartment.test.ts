/**
 * The sandbox keeps a patient-scoped token inside its patient's compartment, in what it answers
 * and in what it lets the token write (issue 19: the attack that read another patient's positive
 * hCG through `_include=DocumentReference:related`, and ordered for another patient through a
 * `user/` scope), and its pages cannot be framed by another site.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server';
import { CLIENT_ID, authorize, authorizeParams, exchange, pkce, redirectParams } from './helpers';

let sandbox: SandboxHandle;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, quiet: true, samples: false, app: false });
}, 60_000);
afterAll(async () => {
  await sandbox?.close();
});

type Json = Record<string, any>;

async function call(path: string, token: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${sandbox.fhirBase}/${path}`, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${token}`, ...(init.body ? { 'Content-Type': 'application/fhir+json' } : {}) },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

const systemToken = () => sandbox.issueToken({ scope: 'system/*.*' });
const readyToken = (extra = '') => sandbox.issueToken({ scope: `patient/*.read ${extra}`.trim(), patient: 'scn-ready', clientId: CLIENT_ID });

/** The other patient's positive hCG: what the attack read. */
async function otherPatientsObservation(): Promise<string> {
  const { body } = await call('Observation?patient=scn-pregnant&_count=1', systemToken());
  const id = body.entry?.[0]?.resource?.id as string | undefined;
  if (!id) throw new Error('scn-pregnant has no Observation');
  return id;
}

const note = (related: string[], subject = 'Patient/scn-ready') => ({
  resourceType: 'DocumentReference',
  status: 'current',
  subject: { reference: subject },
  content: [{ attachment: { contentType: 'text/plain', data: 'bm90ZQ==' } }],
  ...(related.length ? { context: { related: related.map((reference) => ({ reference })) } } : {}),
});

describe('answers to a patient-scoped token hold only its patient', () => {
  it('_include follows no reference out of the compartment: the other patient\'s Observation and Patient stay out', async () => {
    const foreign = await otherPatientsObservation();
    // Already in the chart (filed by someone with wider access): a note of scn-ready pointing at it.
    const planted = await call('DocumentReference', systemToken(), { method: 'POST', body: note([`Observation/${foreign}`, 'Patient/scn-pregnant']) });
    expect(planted.status).toBe(201);

    const { status, body } = await call('DocumentReference?_include=DocumentReference:related', readyToken());
    expect(status).toBe(200);
    const resources = (body.entry ?? []).map((entry: Json) => entry.resource as Json);
    expect(resources.map((r: Json) => r.id)).toContain(planted.body.id);
    expect(resources.some((r: Json) => r.resourceType === 'Observation' && r.id === foreign)).toBe(false);
    expect(resources.some((r: Json) => r.resourceType === 'Patient' && r.id !== 'scn-ready')).toBe(false);
    // Only the note itself still names the other patient (its own reference); nothing of theirs came along.
    expect(JSON.stringify(resources.filter((r: Json) => r.resourceType !== 'DocumentReference'))).not.toContain('scn-pregnant');
  });

  it('_include:iterate and an include from outside the compartment bring nothing of another patient either', async () => {
    const { body } = await call('DocumentReference?_include=DocumentReference:related&_include:iterate=Observation:patient', readyToken());
    const included = (body.entry ?? []).map((entry: Json) => entry.resource as Json).filter((r: Json) => r.resourceType !== 'DocumentReference');
    expect(JSON.stringify(included)).not.toContain('scn-pregnant');
    const medications = await call('Medication?_revinclude=MedicationRequest:medication', readyToken());
    expect(JSON.stringify(medications.body)).not.toContain('scn-pregnant');
  });
});

describe('a patient-scoped create stays in its compartment', () => {
  it('refuses a note whose context.related points at another patient\'s Observation, and accepts a clean one', async () => {
    const foreign = await otherPatientsObservation();
    const token = readyToken('patient/DocumentReference.c');
    const crossing = await call('DocumentReference', token, { method: 'POST', body: note([`Observation/${foreign}`]) });
    expect(crossing.status).toBe(403);
    expect(JSON.stringify(crossing.body)).toMatch(/outside the token context/);
    const absolute = await call('DocumentReference', token, { method: 'POST', body: note([`${sandbox.fhirBase}/Patient/scn-pregnant`]) });
    expect(absolute.status).toBe(403);
    const clean = await call('DocumentReference', token, { method: 'POST', body: note([]) });
    expect(clean.status).toBe(201);
  });

  it('refuses a ServiceRequest for another patient', async () => {
    const order = { resourceType: 'ServiceRequest', status: 'active', intent: 'order', code: { text: 'CBC' }, subject: { reference: 'Patient/scn-pregnant' } };
    expect((await call('ServiceRequest', readyToken('patient/ServiceRequest.c'), { method: 'POST', body: order })).status).toBe(403);
  });
});

describe('a launch with a patient in context gets no user/ scope', () => {
  async function launchToken(scope: string): Promise<{ scope: string; access_token: string }> {
    const { verifier, challenge } = pkce();
    const launch = sandbox.createLaunch('scn-ready');
    const code = redirectParams(await authorize(sandbox, authorizeParams(sandbox, challenge, { launch, scope }))).get('code')!;
    return (await exchange(sandbox, { grant_type: 'authorization_code', code, redirect_uri: `${sandbox.origin}/`, client_id: CLIENT_ID, code_verifier: verifier })).body;
  }

  it('drops user/ServiceRequest.c, so the token cannot order for another patient', async () => {
    const token = await launchToken('launch openid patient/*.read user/ServiceRequest.c user/*.read patient/ServiceRequest.c');
    expect(token.scope).toBe('launch openid patient/*.read patient/ServiceRequest.c');
    const order = { resourceType: 'ServiceRequest', status: 'active', intent: 'order', code: { text: 'CBC' }, subject: { reference: 'Patient/scn-pregnant' } };
    expect((await call('ServiceRequest', token.access_token, { method: 'POST', body: order })).status).toBe(403);
  });

  it('keeps reading Practitioner records (the signed-in user\'s own name for "printed by"), never user/ access to patients', async () => {
    const token = await launchToken('launch openid fhirUser patient/*.read user/Practitioner.read user/*.read user/Observation.rs');
    expect(token.scope).toBe('launch openid fhirUser patient/*.read user/Practitioner.read');
  });
});

describe('framing', () => {
  it('the EHR and sign-in pages may be framed by the sandbox only (frame-ancestors \'self\')', async () => {
    for (const path of ['/ehr/', '/ehr/patient/scn-ready', '/auth/authorize?client_id=nobody']) {
      const response = await fetch(`${sandbox.origin}${path}`, { redirect: 'manual' });
      expect(response.headers.get('content-security-policy'), path).toMatch(/frame-ancestors 'self'(;|$)/);
    }
  });
});
