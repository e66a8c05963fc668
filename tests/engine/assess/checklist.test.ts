import { describe, expect, it } from 'vitest';
import type { ItemStatus, TherapyId } from '../../../src/contract/report';
import { INDETERMINATE, NEGATIVE, POSITIVE, condition, itemOf, lab, observation, patient, readyBaseline, reportFor, vaccine } from './builders';

type Json = Record<string, unknown>;
interface Row {
  scenario: string;
  item: string;
  resources: Json[];
  status: ItemStatus;
  therapy?: TherapyId;
  missing?: string[];
  detail?: RegExp;
  note?: RegExp;
  loads?: NonNullable<Parameters<typeof reportFor>[1]>['loads'];
}

const base = readyBaseline();
const without = (...codes: string[]) => base.filter((r) => !codes.some((c) => JSON.stringify(r).includes(`"code":"${c}"`)));
const observationsFailed = { Observation: { state: 'failed' as const, reason: 'HTTP 503' } };
const observationsTruncated = { Observation: { state: 'truncated' as const, reason: 'stopped after 10 of 14 pages' } };

const rows: Row[] = [
  // Complete blood count
  { scenario: 'ready to start: recent normal CBC with differential', item: 'cbc', resources: base, status: 'done' },
  { scenario: 'CBC without differential', item: 'cbc', resources: without('751-8', '731-0'), status: 'incomplete', missing: ['ANC', 'ALC'] },
  { scenario: 'low neutrophils (ANC 800/µL)', item: 'cbc', resources: [...without('751-8'), lab.anc(0.8)], status: 'abnormal', detail: /ANC 800\/µL, below 1,000\/µL/ },
  { scenario: 'SI units: ANC 0.8 × 10*9/L and Hb 130 g/L', item: 'cbc', resources: [...without('751-8', '718-7'), lab.anc(0.8, '10*9/L'), lab.hemoglobin(130, 'g/L')], status: 'abnormal', detail: /ANC 800/ },
  { scenario: 'SI units, all normal (Hb 135 g/L, platelets 250 × 10*9/L)', item: 'cbc', resources: [...without('718-7', '777-3'), lab.hemoglobin(135, 'g/L'), lab.platelets(250, '10*9/L')], status: 'done' },
  { scenario: 'Hb 7.5 g/dL', item: 'cbc', resources: [...without('718-7'), lab.hemoglobin(7.5)], status: 'abnormal', detail: /Hemoglobin 7.5 g\/dL, below 8 g\/dL/ },
  { scenario: 'platelets 120,000 under oral: abnormal naming abrocitinib', item: 'cbc', resources: [...without('777-3'), lab.platelets(120)], status: 'abnormal', detail: /Platelets 120,000.*abrocitinib/ },
  { scenario: 'platelets 120,000 under upadacitinib: no platelet threshold', item: 'cbc', therapy: 'upadacitinib', resources: [...without('777-3'), lab.platelets(120)], status: 'done' },
  { scenario: 'ANC derived from WBC × neutrophil % of the same specimen', item: 'cbc', resources: [...without('751-8'), lab.wbc(1.5, '10*3/uL', 10), lab.neutrophilPercent(50, 10)], status: 'abnormal', detail: /ANC 750/ },
  { scenario: 'labs outdated: CBC 2 years old', item: 'cbc', resources: [lab.hemoglobin(13, 'g/dL', 730), lab.platelets(250, '10*3/uL', 730), lab.anc(4, '10*3/uL', 730), lab.alc(2, '10*3/uL', 730)], status: 'outdated' },
  { scenario: 'labs missing', item: 'cbc', resources: [], status: 'missing', missing: ['Hemoglobin', 'Platelets', 'ANC', 'ALC'] },
  { scenario: 'results without dates never make an item done', item: 'cbc', resources: [observation('718-7', 'Hemoglobin', { valueQuantity: { value: 13, unit: 'g/dL' } }, null), lab.platelets(), lab.anc(), lab.alc()], status: 'incomplete', missing: ['Hemoglobin'] },
  // R3.4 (spec Revision 3): the test was done, so an unreadable unit is "needs review", not "still needed".
  { scenario: 'unit not recognised is not compared: needs review', item: 'cbc', resources: [...without('751-8'), lab.anc(0.5, 'bananas/L')], status: 'abnormal', detail: /ANC needs review: "0\.5 bananas\/L"/, note: /needs review/ },
  { scenario: 'entered-in-error result is ignored', item: 'cbc', resources: [...without('751-8'), { ...lab.anc(0.2), status: 'entered-in-error' }], status: 'incomplete', missing: ['ANC'] },
  { scenario: 'Observations failed to load: unknown, never missing', item: 'cbc', resources: [], loads: observationsFailed, status: 'unknown', detail: /HTTP 503/, missing: undefined },
  { scenario: 'Observations truncated: unknown even with a normal CBC', item: 'cbc', resources: base, loads: observationsTruncated, status: 'unknown' },
  { scenario: 'topical therapy: CBC not applicable', item: 'cbc', therapy: 'topical', resources: [], status: 'not-applicable' },

  // Liver enzymes
  { scenario: 'normal ALT and AST', item: 'liver-enzymes', resources: base, status: 'done' },
  { scenario: 'ALT above 3 × default ULN (40)', item: 'liver-enzymes', resources: [...without('1742-6'), lab.alt(130)], status: 'abnormal', detail: /ALT 130 U\/L, above 3 × the upper limit of normal \(40 U\/L, default/ },
  { scenario: 'ALT 130 within 3 × ULN from its reference range (50)', item: 'liver-enzymes', resources: [...without('1742-6'), lab.alt(130, 10, { referenceRange: [{ high: { value: 50, unit: 'U/L', code: 'U/L' } }] })], status: 'done' },
  { scenario: 'ALT only', item: 'liver-enzymes', resources: without('1920-8'), status: 'incomplete', missing: ['AST'] },
  { scenario: 'liver enzymes 200 days old', item: 'liver-enzymes', resources: [lab.alt(25, 200), lab.ast(20, 200)], status: 'outdated' },
  { scenario: 'no liver enzymes', item: 'liver-enzymes', resources: [], status: 'missing' },
  { scenario: 'liver enzymes unknown when Observations were denied', item: 'liver-enzymes', resources: [], loads: { Observation: { state: 'denied', reason: 'scope not granted' } }, status: 'unknown' },

  // Lipid panel
  { scenario: 'full lipid panel', item: 'lipid-panel', resources: base, status: 'done' },
  { scenario: 'LDL plus HDL is enough', item: 'lipid-panel', resources: [lab.ldl(), lab.hdl()], status: 'done' },
  { scenario: 'total cholesterol only', item: 'lipid-panel', resources: [lab.totalCholesterol()], status: 'incomplete' },
  { scenario: 'lipids 2 years old', item: 'lipid-panel', resources: [lab.ldl(100, 730), lab.hdl(50, 730)], status: 'outdated' },
  { scenario: 'no lipids', item: 'lipid-panel', resources: [], status: 'missing' },

  // Tuberculosis screening
  { scenario: 'negative IGRA', item: 'tb-screening', resources: base, status: 'done' },
  { scenario: 'positive IGRA', item: 'tb-screening', resources: [lab.igra(POSITIVE)], status: 'abnormal', detail: /positive/ },
  { scenario: 'indeterminate IGRA: repeat the test', item: 'tb-screening', resources: [lab.igra(INDETERMINATE)], status: 'abnormal', note: /repeat the test/ },
  { scenario: 'IGRA as valueString "Non-reactive"', item: 'tb-screening', resources: [observation('71773-6', 'QuantiFERON', { valueString: 'Non-reactive' }, 30)], status: 'done' },
  { scenario: 'IGRA by interpretation code POS only', item: 'tb-screening', resources: [observation('71773-6', 'QuantiFERON', { interpretation: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'POS' }] }] }, 30)], status: 'abnormal' },
  // R3.4 (spec Revision 3): a result that cannot be read is abnormal "needs review", never done nor "still needed".
  { scenario: 'uninterpretable IGRA is shown, never done: needs review', item: 'tb-screening', resources: [observation('71773-6', 'QuantiFERON', { valueString: 'see scanned report' }, 30)], status: 'abnormal', detail: /needs review: "see scanned report"/, note: /needs review/ },
  { scenario: 'skin test 4 mm is negative', item: 'tb-screening', resources: [lab.tst(4)], status: 'done' },
  { scenario: 'skin test 6 mm is positive (≥ 5 mm)', item: 'tb-screening', resources: [lab.tst(6)], status: 'abnormal' },
  { scenario: 'IGRA 2 years old', item: 'tb-screening', resources: [lab.igra(NEGATIVE, 730)], status: 'outdated' },
  { scenario: 'no TB test', item: 'tb-screening', resources: [], status: 'missing' },
  { scenario: 'topical therapy: TB screening advisory', item: 'tb-screening', therapy: 'topical', resources: [], status: 'missing' },

  // Hepatitis B and C
  { scenario: 'HBsAg and anti-HBc negative', item: 'hepatitis-b', resources: base, status: 'done' },
  { scenario: 'anti-HBc positive with HBsAg negative', item: 'hepatitis-b', resources: [lab.hbsag(NEGATIVE), lab.antiHbc(POSITIVE)], status: 'abnormal', detail: /Anti-HBc positive/ },
  { scenario: 'HBsAg reactive (valueString)', item: 'hepatitis-b', resources: [observation('5196-1', 'HBsAg', { valueString: 'Reactive' }, 30), lab.antiHbc(POSITIVE)], status: 'abnormal' },
  { scenario: 'HBsAg only', item: 'hepatitis-b', resources: [lab.hbsag()], status: 'incomplete', missing: ['Anti-HBc'] },
  { scenario: 'hepatitis B serology 2 years old', item: 'hepatitis-b', resources: [lab.hbsag(NEGATIVE, 730), lab.antiHbc(NEGATIVE, 730)], status: 'outdated' },
  { scenario: 'no hepatitis B serology', item: 'hepatitis-b', resources: [], status: 'missing' },
  { scenario: 'HCV antibody negative', item: 'hepatitis-c', resources: base, status: 'done' },
  { scenario: 'HCV antibody positive, no RNA', item: 'hepatitis-c', resources: [lab.hcvAb(POSITIVE, 30)], status: 'abnormal' },
  { scenario: 'HCV antibody positive then RNA not detected: past infection', item: 'hepatitis-c', resources: [lab.hcvAb(POSITIVE, 30), lab.hcvRna(NEGATIVE, 20)], status: 'done', note: /past infection/ },
  { scenario: 'no HCV test', item: 'hepatitis-c', resources: [], status: 'missing' },

  // Pregnancy test
  { scenario: 'negative urine hCG 5 days ago', item: 'pregnancy-test', resources: base, status: 'done' },
  { scenario: 'positive hCG', item: 'pregnancy-test', resources: [lab.hcg(POSITIVE, 3)], status: 'abnormal' },
  { scenario: 'pregnancy status "not pregnant" counts as a test', item: 'pregnancy-test', resources: [observation('82810-3', 'Pregnancy status', { valueCodeableConcept: { coding: [{ system: 'http://loinc.org', code: 'LA26683-5', display: 'Not pregnant' }] } }, 3)], status: 'done' },
  { scenario: 'hCG 45 days old (window 30)', item: 'pregnancy-test', resources: [lab.hcg(NEGATIVE, 45)], status: 'outdated' },
  { scenario: 'woman of 34 without a test', item: 'pregnancy-test', resources: [], status: 'missing' },
  { scenario: 'man: not applicable', item: 'pregnancy-test', resources: [patient({ sex: 'male' })], status: 'not-applicable' },
  { scenario: 'woman of 60: not applicable', item: 'pregnancy-test', resources: [patient({ age: 60 })], status: 'not-applicable' },
  { scenario: 'sex unknown, birth sex female: applies', item: 'pregnancy-test', resources: [patient({ sex: 'unknown', birthSex: 'F' })], status: 'missing' },
  { scenario: 'sex other, birth sex male: not applicable', item: 'pregnancy-test', resources: [patient({ sex: 'other', birthSex: 'M' })], status: 'not-applicable' },

  // The remaining statuses of each item, so every item is shown in each status it can take
  { scenario: 'topical therapy: liver enzymes not applicable', item: 'liver-enzymes', therapy: 'topical', resources: [], status: 'not-applicable' },
  { scenario: 'lipids unknown when Observations failed', item: 'lipid-panel', resources: base, loads: observationsFailed, status: 'unknown' },
  { scenario: 'topical therapy: lipids not applicable', item: 'lipid-panel', therapy: 'ruxolitinib-cream', resources: [], status: 'not-applicable' },
  { scenario: 'TB screening unknown when Observations were truncated', item: 'tb-screening', resources: base, loads: observationsTruncated, status: 'unknown' },
  { scenario: 'hepatitis B unknown when Observations failed', item: 'hepatitis-b', resources: base, loads: observationsFailed, status: 'unknown' },
  { scenario: 'topical therapy: hepatitis B not applicable', item: 'hepatitis-b', therapy: 'delgocitinib-cream', resources: [], status: 'not-applicable' },
  { scenario: 'HCV antibody 2 years old', item: 'hepatitis-c', resources: [lab.hcvAb(NEGATIVE, 730)], status: 'outdated' },
  { scenario: 'uninterpretable HCV antibody: needs review (R3.4)', item: 'hepatitis-c', resources: [observation('13955-0', 'HCV Ab', { valueString: 'see comment' }, 30)], status: 'abnormal', detail: /HCV antibody needs review: "see comment"/ },
  { scenario: 'hepatitis C unknown when Observations failed', item: 'hepatitis-c', resources: base, loads: observationsFailed, status: 'unknown' },
  { scenario: 'topical therapy: hepatitis C not applicable', item: 'hepatitis-c', therapy: 'topical', resources: [], status: 'not-applicable' },
  { scenario: 'pregnancy test unknown when Observations failed', item: 'pregnancy-test', resources: base, loads: observationsFailed, status: 'unknown' },
  { scenario: 'uninterpretable hCG: needs review (R3.4)', item: 'pregnancy-test', resources: [observation('2106-3', 'hCG urine', { valueString: 'faint line' }, 3)], status: 'abnormal', detail: /needs review: "faint line"/ },

  // Zoster vaccine
  { scenario: 'two recombinant doses 80 days apart', item: 'zoster-vaccine', resources: base, status: 'done' },
  { scenario: 'one recombinant dose', item: 'zoster-vaccine', resources: [vaccine('187', 'Zoster recombinant', 40)], status: 'incomplete', missing: ['Dose 2'] },
  { scenario: 'two recombinant doses only 14 days apart', item: 'zoster-vaccine', resources: [vaccine('187', 'RZV', 40), vaccine('187', 'RZV', 26)], status: 'incomplete' },
  { scenario: 'CVX 188 twice counts as one dose, with verify', item: 'zoster-vaccine', resources: [vaccine('188', 'Zoster, unspecified', 300), vaccine('188', 'Zoster, unspecified', 200)], status: 'incomplete', note: /verify/ },
  { scenario: 'live zoster vaccine never counts', item: 'zoster-vaccine', resources: [vaccine('121', 'Zostavax', 900), vaccine('121', 'Zostavax', 800)], status: 'missing', note: /does not count/ },
  { scenario: 'not-done recombinant doses are ignored', item: 'zoster-vaccine', resources: [vaccine('187', 'RZV', 300, 'not-done'), vaccine('187', 'RZV', 200, 'not-done')], status: 'missing' },
  { scenario: 'immunizations failed to load', item: 'zoster-vaccine', resources: [], loads: { Immunization: { state: 'failed', reason: 'timeout after 15 s' } }, status: 'unknown' },
  { scenario: 'a 14-year-old: not applicable', item: 'zoster-vaccine', resources: [patient({ age: 14 })], status: 'not-applicable' },
];

describe('checklist items by named patient scenario', () => {
  it.each(rows)('$scenario → $item is $status', (row) => {
    const report = reportFor(row.resources, { ...(row.therapy ? { therapy: row.therapy } : {}), ...(row.loads ? { loads: row.loads } : {}) });
    const item = itemOf(report, row.item);
    expect(item.status, JSON.stringify(item, null, 1)).toBe(row.status);
    if (row.missing) expect(item.missing).toEqual(row.missing);
    if (row.status === 'unknown') expect(item.missing, 'nothing is known to be missing when data did not load').toBeUndefined();
    if (row.detail) expect(item.detail).toMatch(row.detail);
    if (row.note) expect([...(item.notes ?? []), ...item.evidence.map((e) => e.note ?? '')].join(' | ')).toMatch(row.note);
  });

  it('shows the window used and the source on every item', () => {
    const report = reportFor(base);
    expect(itemOf(report, 'cbc').window).toBe('P90D');
    expect(itemOf(report, 'lipid-panel').window).toBe('P365D');
    expect(itemOf(report, 'pregnancy-test').window).toBe('P30D');
    expect(itemOf(report, 'zoster-vaccine').window).toBeNull();
    for (const item of report.checklist) expect(item.source.length).toBeGreaterThan(10);
  });

  it('marks TB screening and the zoster vaccine advisory under topical therapy, not the labs', () => {
    const report = reportFor([], { therapy: 'ruxolitinib-cream' });
    expect(itemOf(report, 'tb-screening').advisory).toBe(true);
    expect(itemOf(report, 'zoster-vaccine').advisory).toBe(true);
    expect(itemOf(report, 'liver-enzymes').status).toBe('not-applicable');
  });

  it('cites the evidence behind a done CBC, with values and units', () => {
    const evidence = itemOf(reportFor(base), 'cbc').evidence;
    expect(evidence.map((e) => e.display)).toEqual(['Hemoglobin', 'Platelets', 'Neutrophils', 'Lymphocytes']);
    expect(evidence[0]).toMatchObject({ value: '13.5 g/dL', match: 'code', matchedCode: 'http://loinc.org|718-7' });
    expect(evidence[0]!.reference).toMatch(/^Observation\//);
  });

  it('says a derived ANC is derived', () => {
    const item = itemOf(reportFor([...without('751-8'), lab.wbc(8, '10*3/uL', 10), lab.neutrophilPercent(50, 10)]), 'cbc');
    const derived = item.evidence.find((e) => e.match === 'derived');
    expect(derived).toMatchObject({ value: '4,000/µL' });
    expect(derived!.note).toMatch(/derived from WBC/);
  });

  it('reads OID code systems like their URLs', () => {
    const hb = { ...lab.hemoglobin(7) };
    (hb.code as { coding: Array<{ system: string }> }).coding[0]!.system = 'urn:oid:2.16.840.1.113883.6.1';
    expect(itemOf(reportFor([...without('718-7'), hb]), 'cbc').status).toBe('abnormal');
  });

  it('is unaffected by conditions for items that only read labs', () => {
    const report = reportFor([...base, condition('snomed', '24079001', 'Atopic dermatitis')]);
    expect(report.checklist.filter((i) => i.status !== 'done').map((i) => i.id)).toEqual([]);
  });
});
