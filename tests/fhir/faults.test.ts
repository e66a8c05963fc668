/**
 * The real loader, through fhirclient's browser code (as the app runs it), against the real
 * sandbox with injected faults; then the pure core on what was loaded. The invariant a
 * clinician relies on: a type that did not load completely never yields "done" or "missing",
 * and the report names the type and the reason.
 *
 * No MSW in this file: requests go over loopback HTTP to the sandbox.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SessionExpiredError, type LoadedData, type LoaderOptions } from '../../src/fhir/loader';
import { loadFromSandbox, reportOf as reportFor } from './sandbox-client';
import type { LoadedResourceType } from '../../src/engine/record';
import type { ChecklistId, ReadinessReport } from '../../src/contract/report';
import { faultPreset, type FaultPlan } from '../../src/sandbox/faults';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server';

const TODAY = '2025-06-15';
/** Female, 34: every baseline item applies and is done when nothing fails. */
const PATIENT = 'scn-ready';
const SEARCHED_TYPES: LoadedResourceType[] = ['Patient', 'Condition', 'Observation', 'MedicationRequest', 'MedicationStatement', 'Immunization', 'ServiceRequest'];
/** Patient read + Condition + 3 Observation searches (labs, statuses, body weight) + their 3 count checks + 2 medication searches + Immunization + lab orders (no code system: no count check). */
const FIRST_ROUND = 12;
/** Observation requests of the first round: the three searches and their count checks. */
const OBSERVATION_REQUESTS = 6;

const DEPENDS_ON: Partial<Record<LoadedResourceType, ChecklistId[]>> = {
  Observation: ['cbc', 'liver-enzymes', 'lipid-panel', 'tb-screening', 'hepatitis-b', 'hepatitis-c', 'pregnancy-test'],
  Immunization: ['zoster-vaccine'],
};

let sandbox: SandboxHandle;

beforeAll(async () => {
  const [year, month, day] = TODAY.split('-').map(Number) as [number, number, number];
  sandbox = await startSandbox({ port: 0, quiet: true, samples: false, app: false, today: new Date(year, month - 1, day) });
}, 60_000);
afterEach(() => sandbox.setFaultPlan({}));
afterAll(async () => {
  await sandbox?.close();
});

async function load(plan: FaultPlan, options: LoaderOptions = {}): Promise<LoadedData> {
  sandbox.setFaultPlan(plan);
  return loadFromSandbox(sandbox, PATIENT, { asOf: TODAY, maxRetryWaitMs: 2000, ...options });
}

const reportOf = (data: LoadedData): ReadinessReport => reportFor(data, PATIENT, TODAY);

function expectOthersComplete(data: LoadedData, failed: LoadedResourceType): void {
  for (const type of SEARCHED_TYPES.filter((t) => t !== failed)) expect(data.loads[type], type).toEqual({ state: 'complete' });
}

/** Every item depending on the type is `unknown` and says why; the data gaps name the type and reason. */
function expectUnknownBecause(report: ReadinessReport, type: LoadedResourceType, reason: RegExp): void {
  for (const id of DEPENDS_ON[type] ?? []) {
    const item = report.checklist.find((i) => i.id === id)!;
    expect(item.status, id).toBe('unknown');
    expect(item.detail, id).toMatch(reason);
  }
  const gap = report.dataGaps.find((g) => g.resourceType === type);
  expect(gap, `data gap for ${type}`).toBeDefined();
  expect(gap!.reason).toMatch(reason);
}

function statuses(report: ReadinessReport, ids: ChecklistId[]): string[] {
  return ids.map((id) => report.checklist.find((i) => i.id === id)!.status);
}

describe('without faults (the baseline the fault tests are measured against)', () => {
  it('loads every type completely and every baseline item is done', async () => {
    const data = await load({});

    for (const type of SEARCHED_TYPES) expect(data.loads[type], type).toEqual({ state: 'complete' });
    expect(data.stats.requests).toBe(FIRST_ROUND);
    const report = reportOf(data);
    expect(report.checklist.map((i) => [i.id, i.status])).toEqual(report.checklist.map((i) => [i.id, 'done']));
    expect(report.dataGaps).toEqual([]);
  });
});

describe('a failing resource type', () => {
  it('Observation 503: labs unknown with the HTTP status and the OperationOutcome text; the rest complete', async () => {
    const data = await load(faultPreset('observation-503'));

    expect(data.loads.Observation).toMatchObject({ state: 'failed', httpStatus: 503 });
    const reason = (data.loads.Observation as { reason: string }).reason;
    expect(reason).toContain('HTTP 503');
    expect(reason).toContain('Observation service temporarily unavailable');
    expectOthersComplete(data, 'Observation');
    expect(data.stats.requests).toBe(FIRST_ROUND);

    const report = reportOf(data);
    expectUnknownBecause(report, 'Observation', /HTTP 503/);
    expect(statuses(report, ['zoster-vaccine'])).toEqual(['done']);
  });

  it('Immunization 504: the zoster vaccine item is unknown, the labs are still judged', async () => {
    const data = await load({ Immunization: { status: 504, operationOutcome: 'Immunization registry timed out' } });

    expect(data.loads.Immunization).toMatchObject({ state: 'failed', httpStatus: 504 });
    expectOthersComplete(data, 'Immunization');
    const report = reportOf(data);
    expectUnknownBecause(report, 'Immunization', /HTTP 504: Immunization registry timed out/);
    expect(statuses(report, DEPENDS_ON.Observation!)).toEqual(DEPENDS_ON.Observation!.map(() => 'done'));
  });

  it('Condition 502: the report names the gap, the checklist is untouched', async () => {
    const data = await load({ Condition: { status: 502 } });

    expect(data.loads.Condition).toMatchObject({ state: 'failed', httpStatus: 502 });
    expectOthersComplete(data, 'Condition');
    const report = reportOf(data);
    expect(report.dataGaps.find((g) => g.resourceType === 'Condition')?.reason).toMatch(/HTTP 502/);
    expect(report.checklist.every((i) => i.status === 'done')).toBe(true);
  });
});

describe('paging faults', () => {
  it('page 2 of Observation failing: truncated, "page 2 failed", labs unknown', async () => {
    const data = await load(faultPreset('observation-page-2-broken'), { pageSize: 2 });

    const status = data.loads.Observation;
    expect(status?.state).toBe('truncated');
    expect((status as { reason: string }).reason).toMatch(/page 2 failed \(HTTP 500/);
    expect((status as { loaded?: number }).loaded).toBeGreaterThan(0);
    expectOthersComplete(data, 'Observation');
    const report = reportOf(data);
    expectUnknownBecause(report, 'Observation', /page 2 failed/);
    expect(report.dataGaps.find((g) => g.resourceType === 'Observation')!.reason).toMatch(/^incomplete: /);
  });

  it('a server that ignores _count still yields complete data, in one page per search', async () => {
    const paged = await load({}, { pageSize: 2 });
    expect(paged.stats.requests).toBeGreaterThan(FIRST_ROUND);

    const data = await load(faultPreset('ignores-count'), { pageSize: 2 });

    for (const type of SEARCHED_TYPES) expect(data.loads[type], type).toEqual({ state: 'complete' });
    expect(data.stats.requests).toBe(FIRST_ROUND);
    const ids = (d: LoadedData) => d.resources.map((r) => `${r.resourceType}/${r.id}`).sort();
    expect(ids(data)).toEqual(ids(paged));
    expect(reportOf(data).checklist.every((i) => i.status === 'done')).toBe(true);
  });
});

describe('malformed JSON', () => {
  it('does not crash the load: Observation failed with "malformed JSON", labs unknown', async () => {
    const data = await load(faultPreset('malformed-json'));

    expect(data.loads.Observation?.state).toBe('failed');
    expect((data.loads.Observation as { reason: string }).reason).toMatch(/malformed JSON/);
    expectOthersComplete(data, 'Observation');
    expectUnknownBecause(reportOf(data), 'Observation', /malformed JSON/);
  });
});

describe('rate limiting (429)', () => {
  it('retries once after Retry-After and then loads completely', async () => {
    const data = await load(faultPreset('observation-429'));

    expect(data.loads.Observation).toEqual({ state: 'complete' });
    // Each Observation request (three searches, the count check): one 429, one retry.
    expect(data.stats.requests).toBe(FIRST_ROUND + OBSERVATION_REQUESTS);
    expect(reportOf(data).checklist.every((i) => i.status === 'done')).toBe(true);
  });

  it('gives up after one retry when the server keeps answering 429', async () => {
    const data = await load({ Observation: { rateLimit: { retryAfterSeconds: 0, times: Infinity } } });

    expect(data.loads.Observation).toMatchObject({ state: 'failed', httpStatus: 429 });
    expect((data.loads.Observation as { reason: string }).reason).toContain('HTTP 429');
    expect(data.stats.requests).toBe(FIRST_ROUND + OBSERVATION_REQUESTS);
    expectOthersComplete(data, 'Observation');
    expectUnknownBecause(reportOf(data), 'Observation', /HTTP 429/);
  });

  it('retries at most once per request even when every type is rate limited', async () => {
    const data = await load({ '*': { rateLimit: { retryAfterSeconds: 0, times: 5 } } });

    expect(data.stats.requests).toBe(FIRST_ROUND * 2);
    for (const type of SEARCHED_TYPES) expect(data.loads[type]?.state, type).toBe('failed');
    const report = reportOf(data);
    expect(report.checklist.every((i) => i.status === 'unknown' || i.status === 'not-applicable')).toBe(true);
  });
});

describe('slow server', () => {
  it('a type slower than the timeout fails with "timeout" instead of hanging', async () => {
    const data = await load({ Observation: { latencyMs: 1500 } }, { timeoutMs: 300 });

    expect(data.loads.Observation).toEqual({ state: 'failed', reason: expect.stringMatching(/timeout after 0\.3 s/) });
    expectOthersComplete(data, 'Observation');
    expectUnknownBecause(reportOf(data), 'Observation', /timeout/);
  });
});

describe('expired token', () => {
  it('ends the load with SessionExpiredError (no partial report)', async () => {
    await expect(load(faultPreset('expired-token'))).rejects.toBeInstanceOf(SessionExpiredError);
  });

  it('also when only one type answers 401', async () => {
    await expect(load({ Immunization: { expireToken: true } })).rejects.toBeInstanceOf(SessionExpiredError);
  });
});
