/**
 * Fault injection in the sandbox, over real HTTP: each fault does what it says, only for the
 * resource type it names, behind authentication and access control, and can be changed while
 * the server runs (handle.setFaultPlan, POST /ehr/faults, the form on /ehr/).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  FAULT_PRESET_NAMES,
  FaultPlanError,
  faultPreset,
  faultsFromPlan,
  noFaults,
  validateFaultPlan,
  type FaultPlan,
} from '../../src/sandbox/faults';
import { HEAVY_OBSERVATIONS, HEAVY_RECORD_ID } from '../../src/sandbox/scenarios';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server';
import { nextLink } from './helpers';

const PATIENT = 'scn-ready';
let sandbox: SandboxHandle;
let token: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, quiet: true, samples: false, app: false });
  token = sandbox.issueToken({ scope: 'patient/*.read', patient: PATIENT });
});
afterEach(() => sandbox.setFaultPlan({}));
afterAll(async () => {
  await sandbox?.close();
});

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json(): any;
}

async function get(path: string, bearer: string | null = token): Promise<Answer> {
  const url = path.startsWith('http') ? path : `${sandbox.fhirBase}/${path}`;
  const response = await fetch(url, { headers: bearer ? { Authorization: `Bearer ${bearer}` } : {} });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

const observations = (extra = '') => `Observation?patient=${PATIENT}${extra}`;
const conditions = `Condition?patient=${PATIENT}`;

function diagnostics(answer: Answer): string {
  const body = answer.json();
  expect(body.resourceType).toBe('OperationOutcome');
  return body.issue[0].diagnostics;
}

describe('server errors', () => {
  it('answers the chosen 5xx with an OperationOutcome carrying the diagnostics text', async () => {
    sandbox.setFaultPlan({ Observation: { status: 503, operationOutcome: 'Lab interface down for maintenance' } });

    const answer = await get(observations());

    expect(answer.status).toBe(503);
    expect(answer.headers.get('content-type')).toMatch(/application\/fhir\+json/);
    expect(diagnostics(answer)).toBe('Lab interface down for maintenance');
  });

  it.each([500, 502, 504] as const)('answers %i with a default explanation when none is given', async (status) => {
    sandbox.setFaultPlan({ Observation: { status } });

    const answer = await get(observations());

    expect(answer.status).toBe(status);
    expect(diagnostics(answer)).toMatch(/fault injected by the sandbox/);
  });

  it('fails reads as well as searches of the type', async () => {
    sandbox.setFaultPlan({ Patient: { status: 500 } });
    expect((await get(`Patient/${PATIENT}`)).status).toBe(500);
  });
});

describe('per resource type', () => {
  it('leaves every other type alone while Observation fails', async () => {
    sandbox.setFaultPlan({ Observation: { status: 503 } });

    expect((await get(observations())).status).toBe(503);
    for (const path of [conditions, `Patient/${PATIENT}`, `MedicationRequest?patient=${PATIENT}`, `Immunization?patient=${PATIENT}`]) {
      const answer = await get(path);
      expect(answer.status, path).toBe(200);
      expect(answer.json().resourceType, path).not.toBe('OperationOutcome');
    }
  });

  it("applies '*' to every type, except a type with its own spec", async () => {
    sandbox.setFaultPlan({ '*': { status: 502 }, Condition: {} });

    expect((await get(observations())).status).toBe(502);
    expect((await get(`Immunization?patient=${PATIENT}`)).status).toBe(502);
    expect((await get(conditions)).status).toBe(200);
  });

  it('runs after authentication and access control: no token is still 401, another patient still 403', async () => {
    sandbox.setFaultPlan({ '*': { status: 503 } });

    expect((await get(observations(), null)).status).toBe(401);
    expect((await get('Observation?patient=scn-labs-missing')).status).toBe(403);
    // The capability statement is public and never faulted.
    expect((await get('metadata', null)).status).toBe(200);
  });
});

describe('rate limiting (429)', () => {
  it('refuses a request the given number of times with Retry-After, then answers, then starts again', async () => {
    sandbox.setFaultPlan({ Observation: { rateLimit: { retryAfterSeconds: 7, times: 2 } } });

    const first = await get(observations());
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    expect(first.json().resourceType).toBe('OperationOutcome');
    expect((await get(observations())).status).toBe(429);
    const third = await get(observations());
    expect(third.status).toBe(200);
    expect(third.json().resourceType).toBe('Bundle');
    expect((await get(observations())).status).toBe(429);
  });

  it('counts each distinct request on its own', async () => {
    sandbox.setFaultPlan({ Observation: { rateLimit: { retryAfterSeconds: 1 } } });

    expect((await get(observations('&code=718-7'))).status).toBe(429);
    expect((await get(observations('&code=1742-6'))).status).toBe(429);
    expect((await get(observations('&code=718-7'))).status).toBe(200);
    expect((await get(conditions)).status).toBe(200);
  });

  it('keeps refusing when times is Infinity', async () => {
    sandbox.setFaultPlan({ Observation: { rateLimit: { retryAfterSeconds: 0, times: Infinity } } });

    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await get(observations())).status);

    expect(statuses).toEqual([429, 429, 429, 429, 429]);
  });
});

describe('expired token', () => {
  it('answers 401 with WWW-Authenticate invalid_token although the token is valid', async () => {
    sandbox.setFaultPlan(faultPreset('expired-token'));

    const answer = await get(`Patient/${PATIENT}`);

    expect(answer.status).toBe(401);
    const challenge = answer.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain('error="invalid_token"');
    expect(challenge).toMatch(/expired/);
    expect(answer.json().issue[0].code).toBe('expired');
    expect((await get(observations())).status).toBe(401);
  });
});

describe('broken page', () => {
  it('answers 500 for the chosen page while the pages before and after are fine', async () => {
    sandbox.setFaultPlan({ Observation: { breakPage: 2 } });

    const page1 = await get(observations('&_count=2'));
    expect(page1.status).toBe(200);
    const link2 = nextLink(page1.json());
    expect(link2).toBeDefined();

    const page2 = await get(link2!);
    expect(page2.status).toBe(500);
    expect(diagnostics(page2)).toMatch(/Page 2/);

    const link3 = new URL(link2!);
    link3.searchParams.set('_offset', '4');
    const page3 = await get(link3.href);
    expect(page3.status).toBe(200);
    expect(page3.json().entry.length).toBeGreaterThan(0);
  });

  it('caps the page size like many EHRs, so paging follows the cap', async () => {
    sandbox.setFaultPlan({ Observation: { maxCount: 2 } });
    const page1 = await get(observations('&_count=1000'));
    expect(page1.status).toBe(200);
    expect(page1.json().entry).toHaveLength(2);
    expect(new URL(nextLink(page1.json())!).searchParams.get('_count')).toBe('2');
  });

  it('leaves a search that fits in one page alone', async () => {
    sandbox.setFaultPlan({ Condition: { breakPage: 2 } });
    const answer = await get(`${conditions}&_count=100`);
    expect(answer.status).toBe(200);
    expect(nextLink(answer.json())).toBeUndefined();
  });
});

describe('malformed JSON', () => {
  it('answers 200 with a complete HTTP body that is a cut-off FHIR Bundle', async () => {
    sandbox.setFaultPlan({ Observation: { malformedJson: true } });

    const answer = await get(observations());

    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/application\/fhir\+json/);
    expect(Number(answer.headers.get('content-length'))).toBe(Buffer.byteLength(answer.text));
    expect(answer.text.startsWith('{"resourceType":"Bundle"')).toBe(true);
    expect(() => JSON.parse(answer.text)).toThrow(SyntaxError);
    expect((await get(conditions)).json().resourceType).toBe('Bundle');
  });
});

describe('ignoring _count', () => {
  it('returns every match in one page without a next link', async () => {
    const paged = (await get(observations('&_count=2'))).json();
    expect(nextLink(paged)).toBeDefined();

    sandbox.setFaultPlan({ Observation: { ignoreCount: true } });
    const all = (await get(observations('&_count=2'))).json();

    expect(all.entry.length).toBe(paged.total);
    expect(all.entry.length).toBeGreaterThan(2);
    expect(nextLink(all)).toBeUndefined();
  });

  it('returns even a record larger than the largest page size in one answer', async () => {
    const heavyToken = sandbox.issueToken({ scope: 'patient/*.read', patient: HEAVY_RECORD_ID });
    sandbox.setFaultPlan(faultPreset('ignores-count'));

    const answer = await get(`Observation?patient=${HEAVY_RECORD_ID}&_count=10`, heavyToken);

    expect(answer.status).toBe(200);
    const bundle = answer.json();
    expect(bundle.entry).toHaveLength(HEAVY_OBSERVATIONS);
    expect(new Set(bundle.entry.map((e: any) => e.resource.id)).size).toBe(HEAVY_OBSERVATIONS);
    expect(nextLink(bundle)).toBeUndefined();
  });
});

describe('latency', () => {
  it('delays the answers of the slowed type', async () => {
    const latencyMs = 400;
    sandbox.setFaultPlan({ Observation: { latencyMs } });

    const started = performance.now();
    const answer = await get(observations());
    const elapsed = performance.now() - started;

    expect(answer.status).toBe(200);
    // Lower bound only; a few ms of slack for timer granularity.
    expect(elapsed).toBeGreaterThanOrEqual(latencyMs - 5);
  });

  it('delays an error answer too when combined with a status', async () => {
    sandbox.setFaultPlan({ Observation: { latencyMs: 300, status: 504 } });
    const started = performance.now();
    const answer = await get(observations());
    expect(answer.status).toBe(504);
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
  });
});

describe('changing faults at run time', () => {
  it('setFaultPlan switches faults on and off and reports the plan in force', async () => {
    expect((await get(observations())).status).toBe(200);

    sandbox.setFaultPlan({ Observation: { status: 503 } });
    expect((await get(observations())).status).toBe(503);
    expect(sandbox.faultPlan()).toEqual({ Observation: { status: 503 } });

    sandbox.setFaultPlan({});
    expect((await get(observations())).status).toBe(200);
  });

  it('refuses plans that are unbounded or make no sense, keeping the plan in force', async () => {
    sandbox.setFaultPlan({ Observation: { status: 503 } });
    const bad: unknown[] = [
      { Observation: { latencyMs: 10 * 60_000 } },
      { Observation: { status: 418 } },
      { Encounter: { status: 500 } },
      { Observation: { rateLimit: { retryAfterSeconds: -1 } } },
      { Observation: { breakPage: 0 } },
      { Observation: { explode: true } },
    ];
    for (const plan of bad) expect(() => sandbox.setFaultPlan(plan as FaultPlan), JSON.stringify(plan)).toThrow(FaultPlanError);
    expect((await get(observations())).status).toBe(503);
  });

  it('POST /ehr/faults applies a JSON plan or a preset, and GET shows it', async () => {
    const post = (body: unknown) =>
      fetch(`${sandbox.origin}/ehr/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

    const applied = await post({ Condition: { status: 502 } });
    expect(applied.status).toBe(200);
    expect((await applied.json()).plan).toEqual({ Condition: { status: 502 } });
    expect((await get(conditions)).status).toBe(502);
    expect((await get(observations())).status).toBe(200);

    expect((await post({ preset: 'observation-503' })).status).toBe(200);
    expect((await get(observations())).status).toBe(503);
    const shown = await (await fetch(`${sandbox.origin}/ehr/faults`)).json();
    expect(shown.preset).toBe('observation-503');
    expect(Object.keys(shown.presets)).toEqual([...FAULT_PRESET_NAMES]);

    // JSON cannot say Infinity: "Infinity" (or null) stands for it.
    expect((await post({ Observation: { rateLimit: { retryAfterSeconds: 0, times: 'Infinity' } } })).status).toBe(200);
    expect(sandbox.faultPlan()).toEqual({ Observation: { rateLimit: { retryAfterSeconds: 0, times: Infinity } } });
  });

  it('POST /ehr/faults answers 400 for a bad plan or preset and keeps the plan in force', async () => {
    sandbox.setFaultPlan({ Observation: { status: 503 } });
    const post = (body: string) => fetch(`${sandbox.origin}/ehr/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });

    for (const body of ['{"Observation":{"latencyMs":"slow"}}', '{"preset":"meltdown"}', 'not json', '[1]']) {
      const answer = await post(body);
      expect(answer.status, body).toBe(400);
      expect((await answer.json()).error_description, body).toBeTruthy();
    }
    expect((await get(observations())).status).toBe(503);
  });

  it('refuses a cross-origin post (another site cannot switch faults on)', async () => {
    const answer = await fetch(`${sandbox.origin}/ehr/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://evil.example' },
      body: 'preset=expired-token',
    });
    expect(answer.status).toBe(403);
    expect((await get(observations())).status).toBe(200);
  });

  it('the form on /ehr/ offers every preset, applies the chosen one and shows it selected', async () => {
    const list = await (await fetch(`${sandbox.origin}/ehr/`)).text();
    expect(list).toContain('action="/ehr/faults"');
    for (const name of FAULT_PRESET_NAMES) expect(list).toContain(`value="${name}"`);

    const submitted = await fetch(`${sandbox.origin}/ehr/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: sandbox.origin },
      body: 'preset=observation-page-2-broken',
      redirect: 'manual',
    });
    expect(submitted.status).toBe(303);
    expect(submitted.headers.get('location')).toBe('/ehr/');
    expect(sandbox.faultPlan()).toEqual({ Observation: { breakPage: 2, maxCount: 100 } });

    const after = await (await fetch(`${sandbox.origin}/ehr/`)).text();
    expect(after).toContain('value="observation-page-2-broken" selected');
    expect(after).toContain('Page 2 of Observation searches fails');
  });
});

describe('faultsFromPlan and startSandbox({ faultPlan })', () => {
  it('an empty plan is the no-op hook; a bad plan throws', () => {
    expect(faultsFromPlan({})).toBe(noFaults);
    expect(() => faultsFromPlan({ Observation: { status: 404 as never } })).toThrow(FaultPlanError);
    expect(validateFaultPlan({ Observation: { rateLimit: { retryAfterSeconds: 2 } } })).toEqual({
      Observation: { rateLimit: { retryAfterSeconds: 2, times: 1 } },
    });
  });

  it('a sandbox started with a plan applies it from the first request', async () => {
    const faulty = await startSandbox({ port: 0, quiet: true, samples: false, app: false, faultPlan: faultPreset('observation-503') });
    try {
      const bearer = faulty.issueToken({ scope: 'patient/*.read', patient: PATIENT });
      const answer = await get(`${faulty.fhirBase}/${observations()}`, bearer);
      expect(answer.status).toBe(503);
      expect(diagnostics(answer)).toMatch(/unavailable/);
      expect((await get(`${faulty.fhirBase}/${conditions}`, bearer)).status).toBe(200);
    } finally {
      await faulty.close();
    }
  });
});
