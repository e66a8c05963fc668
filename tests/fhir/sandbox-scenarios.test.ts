/**
 * Scenario patients of the sandbox through the app's real data path (loader + engine), checking
 * what the sidebar would say for each, and how many requests and round trips it took.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server';
import type { ReadinessReport, TherapyId } from '../../src/contract/report';
import { loadFromSandbox, reportOf } from './sandbox-client';

const TODAY = '2025-06-15';
let sandbox: SandboxHandle;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, quiet: true, samples: false, app: false, today: new Date(2025, 5, 15) });
}, 60_000);
afterAll(async () => {
  await sandbox?.close();
});

async function reportFor(patient: string, therapy?: TherapyId): Promise<{ report: ReadinessReport; roundTrips: number; requests: number }> {
  const data = await loadFromSandbox(sandbox, patient, { asOf: TODAY });
  return { report: reportOf(data, patient, TODAY, therapy), roundTrips: data.stats.roundTrips, requests: data.stats.requests };
}
const statusOf = (r: ReadinessReport, id: string) => r.checklist.find((i) => i.id === id)!.status;
const caution = (r: ReadinessReport, id: string) => r.cautions.find((c) => c.id === id);

describe('sandbox scenarios through the real loader and engine', () => {
  it('labs outdated: every lab item outdated, none missing', async () => {
    const { report } = await reportFor('scn-labs-outdated');
    for (const id of ['cbc', 'liver-enzymes', 'lipid-panel', 'tb-screening', 'hepatitis-b', 'hepatitis-c', 'pregnancy-test']) expect(statusOf(report, id), id).toBe('outdated');
  });

  it('heavy record: complete in one round of 12 requests (3 of them count checks, 1 the lab orders), and the recent work-up is done', async () => {
    const { report, roundTrips, requests } = await reportFor('scn-heavy-record');
    expect(report.dataGaps).toEqual([]);
    expect(requests).toBe(12);
    expect(roundTrips).toBe(1);
    expect(statusOf(report, 'cbc')).toBe('done');
  });

  it('CBC without differential: incomplete', async () => {
    expect(statusOf((await reportFor('scn-cbc-no-diff')).report, 'cbc')).toBe('incomplete');
  });

  it('on dupilumab (free text only): switching, stop it before the first dose (R2.5)', async () => {
    const c = caution((await reportFor('scn-dupilumab')).report, 'immunosuppressant');
    expect(c?.severity).toBe('warning');
    expect(c?.text).toMatch(/stop dupilumab before the first dose/);
  });

  it('positive IGRA in SI-unit record: TB screening abnormal and latent TB warning', async () => {
    const { report } = await reportFor('scn-igra-positive');
    expect(statusOf(report, 'tb-screening')).toBe('abnormal');
    expect(caution(report, 'latent-tuberculosis')?.severity).toBe('warning');
  });

  it('a 14-year-old under delgocitinib cream: below the approved age', async () => {
    expect(caution((await reportFor('scn-adolescent', 'delgocitinib-cream')).report, 'age-eligibility')?.severity).toBe('do-not-start');
  });
});
