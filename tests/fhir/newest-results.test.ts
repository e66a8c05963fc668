/**
 * The newest results older than the look-back, one search per checklist item family (issue 8:
 * the sidebar and the command line must give the same statuses for the same record).
 */
import { describe, expect, it } from 'vitest';
import { delay } from 'msw';
import { loadPatientData, type LoaderOptions } from '../../src/fhir/loader';
import { LAB_FAMILY_CODES } from '../../src/kb/observation-codes';
import { buildRecord, assess } from '../../src/engine';
import { fhirJson, LAB_CODES, makeClient, observation, on, outcome, PATIENT_ID, requestLog, requestsTo, resetLog, searchset, STATUS_CODES, useFakeFhirServer } from './fake-fhir';

const FAMILIES = { cbc: ['http://loinc.org|718-7', 'http://loinc.org|777-3'], 'liver-enzymes': ['http://loinc.org|1742-6'] };
const OPTIONS: LoaderOptions = {
  observationCodes: { labs: LAB_CODES, status: STATUS_CODES },
  asOf: '2025-06-01',
  newestOlderResults: true,
  labFamilies: FAMILIES,
};
const FLOOR = '2024-04-27'; // 2025-06-01 − 400 days

const load = (extra: LoaderOptions = {}) => loadPatientData(makeClient(), { ...OPTIONS, ...extra });
const isOlderSearch = (params: URLSearchParams) => params.get('date')?.startsWith('lt') === true && !params.has('_summary');
const olderSearches = () => requestsTo('Observation').filter((r) => isOlderSearch(r.params));

/** The lab search answers with `recent`; each family's older search with `older[family code]`. */
function serve(recent: ReturnType<typeof observation>[], older: Record<string, ReturnType<typeof observation>[]>, fail?: string) {
  on('Observation', ({ request }) => {
    const params = new URL(request.url).searchParams;
    if (!isOlderSearch(params)) return fhirJson(searchset(params.get('date') ? recent : []));
    const code = params.get('code')!;
    if (fail && code.includes(fail)) return outcome('sort not supported', 500);
    return fhirJson(searchset(older[code.split(',')[0]!] ?? []));
  });
}

useFakeFhirServer();

describe('newest results older than the look-back', () => {
  it('asks each item family for its newest results before the floor, newest first, in the first round trip', async () => {
    let release!: () => void;
    const allArrived = new Promise<void>((resolve) => (release = resolve));
    on('Observation', async () => {
      if (requestsTo('Observation').length >= 4) release();
      await Promise.race([allArrived, delay(2000)]);
      return fhirJson(searchset([]));
    });
    const data = await load();

    const older = olderSearches();
    // The codes are alternatives (a literal comma between them), never one value with escaped commas.
    expect(older.map((r) => r.params.get('code')).sort()).toEqual(['http://loinc.org|1742-6', 'http://loinc.org|718-7,http://loinc.org|777-3']);
    for (const r of older) {
      expect(r.params.get('date')).toBe(`lt${FLOOR}`);
      expect(r.params.get('_sort')).toBe('-date');
      expect(r.params.get('_count')).toBe('10');
      expect(r.params.get('patient')).toBe(PATIENT_ID);
      expect(r.params.get('category')).toBe('laboratory');
    }
    expect(data.stats.roundTrips).toBe(1);
  });

  it('adds what they find to the record, so an old result makes the item "outdated" as on the command line', async () => {
    serve([], { 'http://loinc.org|718-7': [observation('hb-old', 'http://loinc.org|718-7', '2023-01-10')] });
    const data = await load();

    expect(data.resources.map((r) => r.id)).toContain('hb-old');
    // Nothing at any date is now known for the other family: no "since <floor>" left to say.
    expect(data.observationsSince).toBeUndefined();
    const record = buildRecord({ resources: [{ resourceType: 'Patient', id: PATIENT_ID, gender: 'male', birthDate: '1980-01-01' }, ...data.resources] as never, patientId: PATIENT_ID, loads: data.loads });
    const cbc = assess(record, { now: '2025-06-01', therapy: 'oral' }).checklist.find((i) => i.id === 'cbc')!;
    expect(cbc.status).toBe('outdated');
  });

  it('keeps the floor when a family search fails, and the failure is no data gap', async () => {
    serve([], {}, '1742-6');
    const data = await load();

    expect(data.observationsSince).toBe(FLOOR);
    expect(data.loads.Observation).toEqual({ state: 'complete' });
    expect(data.stats.notes.join(' ')).toMatch(/older results of this test may be missing/);
  });

  it('leaves older results out when the lab search itself stopped short of its floor', async () => {
    on('Observation', ({ request }) => {
      const params = new URL(request.url).searchParams;
      if (isOlderSearch(params)) return fhirJson(searchset([observation('hb-old', 'http://loinc.org|718-7', '2023-01-10')]));
      return outcome('down', 503);
    });
    const data = await load();

    expect(data.resources.map((r) => r.id)).not.toContain('hb-old');
    expect(data.loads.Observation?.state).toBe('failed');
  });

  it('is off unless asked for, and off without Observation search access', async () => {
    await load({ newestOlderResults: false });
    expect(olderSearches()).toEqual([]);
    resetLog();
    await loadPatientData(makeClient('patient/Patient.read patient/Condition.read'), { ...OPTIONS });
    expect(olderSearches()).toEqual([]);
    expect(requestLog.some((r) => r.path === 'Observation')).toBe(false);
  });

  it('covers every checklist item with lab results by default', () => {
    expect(Object.keys(LAB_FAMILY_CODES).sort()).toEqual(['cbc', 'hepatitis-b', 'hepatitis-c', 'lipid-panel', 'liver-enzymes', 'pregnancy-test', 'tb-screening']);
    for (const codes of Object.values(LAB_FAMILY_CODES)) expect(codes.length).toBeGreaterThan(0);
  });
});
