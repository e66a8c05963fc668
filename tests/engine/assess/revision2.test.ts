/**
 * Clinical revision 2 (clinical/spec.md R2.1–R2.6) beyond the caution table: checklist readings,
 * the verdict per agent, dose advice, monitoring after the start, and the to-do list — each as
 * named patient scenarios.
 */
import { describe, expect, it } from 'vitest';
import type { AgentId, ItemStatus, MonitoringStatus, TherapyId, Verdict } from '../../../src/contract/report';
import { assess } from '../../../src/engine/assess';
import { NEGATIVE, NOW, POSITIVE, condition, daysAgo, flagged, itemOf, lab, medication, patient, qty, readyBaseline, readyForEveryAgent, record, reportFor, resultText } from './builders';

type Json = Record<string, unknown>;
const woman = (age: number) => patient({ sex: 'female', age });
const observationsFailed = { Observation: { state: 'failed' as const, reason: 'HTTP 503' } };

describe('checklist readings (R2.1–R2.3)', () => {
  interface Row { scenario: string; item: string; resources: Json[]; status: ItemStatus; missing?: string[]; detail?: RegExp; note?: RegExp; notMissing?: string }
  const rows: Row[] = [
    { scenario: 'HCV antibody reactive, RNA 25 IU/mL flagged N: active, never "past infection"', item: 'hepatitis-c', resources: [lab.hcvAb(resultText('Reactive')), lab.hcvRna(flagged(qty(25, '[IU]/mL'), 'N'))], status: 'abnormal', detail: /Active HCV \(RNA detected/ },
    { scenario: 'HCV antibody positive, no RNA after it: HCV RNA still needed', item: 'hepatitis-c', resources: [lab.hcvAb(POSITIVE)], status: 'abnormal', missing: ['HCV RNA'] },
    { scenario: 'HCV antibody positive, RNA not detected after it: past infection', item: 'hepatitis-c', resources: [lab.hcvAb(POSITIVE, 30), lab.hcvRna(resultText('Not detected'), 20)], status: 'done', note: /past infection/ },
    { scenario: 'HCV antibody negative', item: 'hepatitis-c', resources: [lab.hcvAb(NEGATIVE)], status: 'done' },
    { scenario: 'HCV antibody "Reactive, non-confirmed": contradictory, needs review', item: 'hepatitis-c', resources: [lab.hcvAb(flagged(resultText('Reactive, non-confirmed'), 'N'))], status: 'incomplete', note: /contradictory result text: needs review/ },
    { scenario: 'anti-HBc positive, HBsAg negative, no HBV DNA: HBV DNA still needed', item: 'hepatitis-b', resources: [lab.hbsag(NEGATIVE), lab.antiHbc(POSITIVE)], status: 'abnormal', missing: ['HBV DNA'] },
    { scenario: 'anti-HBc positive, HBsAg negative, HBV DNA not detected', item: 'hepatitis-b', resources: [lab.hbsag(NEGATIVE), lab.antiHbc(POSITIVE), lab.hbvDna(resultText('Not detected'))], status: 'abnormal', notMissing: 'HBV DNA' },
    { scenario: 'HBsAg "POS/NEG": contradictory, never negative', item: 'hepatitis-b', resources: [lab.hbsag(resultText('POS/NEG')), lab.antiHbc(NEGATIVE)], status: 'incomplete', note: /HBsAg: contradictory/ },
    { scenario: 'HBV DNA detected: abnormal whatever the serology', item: 'hepatitis-b', resources: [lab.hbsag(NEGATIVE), lab.antiHbc(NEGATIVE), lab.hbvDna(qty(2000, '[IU]/mL'))], status: 'abnormal', detail: /HBV DNA detected/ },
    { scenario: 'positive urine hCG 35 days ago: pregnant, not "outdated"', item: 'pregnancy-test', resources: [lab.hcg(POSITIVE, 35)], status: 'abnormal', detail: new RegExp(`Pregnant \\(positive test ${daysAgo(35)}`), notMissing: 'Pregnancy test' },
    { scenario: 'quantitative hCG 30 mIU/mL: positive', item: 'pregnancy-test', resources: [lab.hcgQuantitative(30)], status: 'abnormal' },
    { scenario: 'quantitative hCG 12 mIU/mL: equivocal, repeat', item: 'pregnancy-test', resources: [lab.hcgQuantitative(12)], status: 'incomplete', note: /equivocal hCG 12 mIU\/mL.*repeat the test/ },
    { scenario: 'quantitative hCG < 5 IU/L: negative', item: 'pregnancy-test', resources: [lab.hcgQuantitative(5, '[IU]/L', 5, '<')], status: 'done' },
    // R3.4 (spec Revision 3): the test was done; a unit nobody can read is abnormal "needs review", not "still needed".
    { scenario: 'hCG reported in pmol/L: needs a person', item: 'pregnancy-test', resources: [lab.hcgQuantitative(40, 'pmol/L')], status: 'abnormal', detail: /needs review: "40 pmol\/L"/ },
    { scenario: 'delivery 3 weeks ago, no test since: a test is needed, not "pregnant"', item: 'pregnancy-test', resources: [condition('icd10', 'O80', 'Encounter for full-term uncomplicated delivery', { onsetDays: 21 })], status: 'missing' },
    { scenario: 'birth sex male, gender recorded as other: no pregnancy test', item: 'pregnancy-test', resources: [patient({ sex: 'other', birthSex: 'M' })], status: 'not-applicable' },
    { scenario: 'birth sex female, gender recorded as male: a test is needed', item: 'pregnancy-test', resources: [patient({ sex: 'male', birthSex: 'F' })], status: 'missing' },
    { scenario: 'gender unknown, no birth sex: a test is needed', item: 'pregnancy-test', resources: [patient({ sex: 'unknown' })], status: 'missing' },
    { scenario: 'IGRA positive 14 months ago, negative now: done, with the earlier positive noted', item: 'tb-screening', resources: [lab.igra(POSITIVE, 425), lab.igra(NEGATIVE, 20)], status: 'done', note: /Earlier positive TB test.*does not exclude latent TB/ },
  ];
  it.each(rows)('$scenario', (row) => {
    const it = itemOf(reportFor(row.resources), row.item);
    expect(it.status, JSON.stringify(it)).toBe(row.status);
    if (row.missing) expect(it.missing).toEqual(expect.arrayContaining(row.missing));
    if (row.notMissing) expect(it.missing ?? []).not.toContain(row.notMissing);
    if (row.detail) expect(it.detail).toMatch(row.detail);
    if (row.note) expect((it.notes ?? []).join(' ')).toMatch(row.note);
  });
});

describe('verdict per agent (byAgent)', () => {
  interface Row { scenario: string; resources: Json[]; therapy?: TherapyId; expect: Partial<Record<AgentId, Verdict>>; reasons?: Partial<Record<AgentId, RegExp>>; loads?: NonNullable<Parameters<typeof reportFor>[1]>['loads'] }
  const rows: Row[] = [
    { scenario: 'complete normal baseline, prior systemic therapy, hand eczema: every US-approved agent ready, baricitinib not approved', resources: readyForEveryAgent(), expect: { abrocitinib: 'ready', upadacitinib: 'ready', baricitinib: 'not-approved', 'ruxolitinib-cream': 'ready', 'delgocitinib-cream': 'ready' }, reasons: { baricitinib: /^Not approved for atopic dermatitis \(US\)$/ } },
    { scenario: 'on clopidogrel: abrocitinib blocked by it, the others ready', resources: [...readyForEveryAgent(), medication('clopidogrel 75 MG Oral Tablet', { rxnorm: '309362' })], expect: { abrocitinib: 'do-not-start', upadacitinib: 'ready', 'ruxolitinib-cream': 'ready' }, reasons: { abrocitinib: /^clopidogrel$/ } },
    { scenario: 'nothing recorded: oral agents need labs, ruxolitinib cream ready, delgocitinib cream not approved without hand eczema', resources: [], expect: { abrocitinib: 'needs-work', upadacitinib: 'needs-work', 'ruxolitinib-cream': 'ready', 'delgocitinib-cream': 'not-approved' }, reasons: { upadacitinib: /^\d+ labs to order/, 'delgocitinib-cream': /^approved for chronic hand eczema only$/ } },
    { scenario: 'low ANC: every oral agent approved here blocked with the value', resources: [...readyForEveryAgent().filter((r) => !JSON.stringify(r).includes('"751-8"')), lab.anc(0.8)], expect: { abrocitinib: 'do-not-start', upadacitinib: 'do-not-start', baricitinib: 'not-approved', 'ruxolitinib-cream': 'ready' }, reasons: { upadacitinib: /ANC 800\/µL/ } },
    { scenario: 'labs could not be loaded: unknown for every approved agent, never ready', resources: readyForEveryAgent(), loads: observationsFailed, expect: { abrocitinib: 'unknown', upadacitinib: 'unknown', baricitinib: 'not-approved', 'ruxolitinib-cream': 'unknown', 'delgocitinib-cream': 'unknown' }, reasons: { abrocitinib: /labs could not be loaded/ } },
    { scenario: 'pregnant: oral agents blocked, topical agents need work', resources: [...readyForEveryAgent(), lab.hcg(POSITIVE, 3)], expect: { abrocitinib: 'do-not-start', 'ruxolitinib-cream': 'needs-work' }, reasons: { abrocitinib: /pregnant/ } },
    { scenario: 'on dupilumab: switching is work to do, not a block', resources: [...readyForEveryAgent(), medication('Dupixent 300 MG/2ML Prefilled Syringe')], expect: { upadacitinib: 'needs-work', 'delgocitinib-cream': 'ready' }, reasons: { upadacitinib: /switching from dupilumab/ } },
  ];
  it.each(rows)('$scenario', (row) => {
    const report = reportFor(row.resources, { ...(row.therapy ? { therapy: row.therapy } : {}), ...(row.loads ? { loads: row.loads } : {}) });
    expect(report.byAgent.map((v) => v.therapy)).toEqual(['abrocitinib', 'upadacitinib', 'baricitinib', 'ruxolitinib-cream', 'delgocitinib-cream']);
    for (const [agent, verdict] of Object.entries(row.expect)) {
      const v = report.byAgent.find((x) => x.therapy === agent)!;
      expect(v.verdict, `${agent}: ${v.reasons.join('; ')}`).toBe(verdict);
    }
    for (const [agent, pattern] of Object.entries(row.reasons ?? {})) {
      expect(report.byAgent.find((x) => x.therapy === agent)!.reasons.join('; ')).toMatch(pattern);
    }
  });

  it('a 14-year-old: delgocitinib cream is for adults, baricitinib is approved for children in the EU only', () => {
    const report = reportFor([woman(14), ...readyForEveryAgent()]);
    const verdict = (a: AgentId) => report.byAgent.find((v) => v.therapy === a)!;
    expect(verdict('delgocitinib-cream').verdict).toBe('do-not-start');
    expect(verdict('delgocitinib-cream').reasons).toEqual(['age 14']);
    expect(verdict('baricitinib').verdict).toBe('not-approved');
    const eu = reportFor([woman(14), ...readyForEveryAgent()], { region: 'EU' }).byAgent.find((v) => v.therapy === 'baricitinib')!;
    expect(eu.verdict).toBe('ready');
  });

  it('gives the same verdicts whichever therapy is planned', () => {
    const resources = [...readyBaseline(), medication('clopidogrel 75 MG Oral Tablet'), lab.egfr(45)];
    const verdicts = (therapy: TherapyId) => reportFor(resources, { therapy }).byAgent;
    expect(verdicts('upadacitinib')).toEqual(verdicts('oral'));
    expect(verdicts('delgocitinib-cream')).toEqual(verdicts('abrocitinib'));
  });

  it('names a do-not-start cause only once per agent and points at the caution', () => {
    const report = reportFor([...readyBaseline(), condition('snomed', '128053003', 'Deep venous thrombosis', { clinical: 'resolved' })]);
    const abro = report.byAgent[0]!;
    expect(abro.verdict).toBe('do-not-start');
    expect(abro.causes).toContainEqual({ kind: 'caution', id: 'thrombosis-history' });
  });

  it('a patient recorded as deceased is never "ready"', () => {
    const dead = { ...patient(), deceasedDateTime: daysAgo(3) };
    const report = reportFor([dead, ...readyBaseline()]);
    expect(report.patient.deceased).toBe(daysAgo(3));
    expect(report.byAgent.every((v) => v.verdict === 'unknown' && v.reasons[0] === 'patient recorded as deceased')).toBe(true);
  });
});

describe('dose advice (dosing)', () => {
  interface Row { scenario: string; resources: Json[]; region?: 'US' | 'EU'; expect: Array<[AgentId, string, RegExp]>; none?: AgentId[] }
  const rows: Row[] = [
    { scenario: 'eGFR 25 (US)', resources: [lab.egfr(25)], expect: [['upadacitinib', 'renal', /^15 mg once daily; do not increase to 30 mg$/]], none: ['baricitinib', 'abrocitinib'] },
    { scenario: 'eGFR 25 (EU)', region: 'EU', resources: [lab.egfr(25)], expect: [['upadacitinib', 'renal', /15 mg/], ['abrocitinib', 'renal', /start 50 mg, maximum 100 mg/]], none: ['baricitinib'] },
    { scenario: 'eGFR 45 (US)', resources: [lab.egfr(45)], expect: [['abrocitinib', 'renal', /50 mg once daily/]], none: ['upadacitinib', 'baricitinib'] },
    { scenario: 'eGFR 45 (EU)', region: 'EU', resources: [lab.egfr(45)], expect: [['abrocitinib', 'renal', /halve the dose/], ['baricitinib', 'renal', /2 mg/]], none: ['upadacitinib'] },
    { scenario: 'age 70 (US): upadacitinib only', resources: [woman(70)], expect: [['upadacitinib', 'age', /^15 mg once daily; do not increase to 30 mg$/]], none: ['abrocitinib', 'baricitinib'] },
    { scenario: 'age 70 (EU)', region: 'EU', resources: [woman(70)], expect: [['upadacitinib', 'age', /15 mg/], ['abrocitinib', 'age', /100 mg/], ['baricitinib', 'age', /2 mg/]] },
    { scenario: 'fluvoxamine (strong CYP2C19 inhibitor)', resources: [medication('fluvoxamine 50 MG Oral Tablet')], expect: [['abrocitinib', 'cyp2c19-inhibitor', /halve the dose/]] },
    { scenario: 'clarithromycin (strong CYP3A4 inhibitor)', resources: [medication('clarithromycin 500 MG Oral Tablet')], expect: [['upadacitinib', 'cyp3a4-inhibitor', /^15 mg once daily; do not increase to 30 mg$/]] },
    { scenario: 'probenecid (US): baricitinib is not approved for eczema, no dose', resources: [medication('probenecid 500 MG Oral Tablet')], expect: [], none: ['baricitinib'] },
    { scenario: 'probenecid (EU)', region: 'EU', resources: [medication('probenecid 500 MG Oral Tablet')], expect: [['baricitinib', 'oat3-inhibitor', /2 mg/]] },
    { scenario: 'a healthy 34-year-old: no dose advice for the oral agents', resources: readyBaseline(), expect: [], none: ['abrocitinib', 'upadacitinib', 'baricitinib'] },
  ];
  it.each(rows)('$scenario', (row) => {
    const report = reportFor(row.resources, row.region ? { region: row.region } : {});
    for (const [agent, trigger, advice] of row.expect) {
      const d = report.dosing.find((x) => x.therapy === agent && x.trigger === trigger);
      expect(d, JSON.stringify(report.dosing)).toBeDefined();
      expect(d!.advice).toMatch(advice);
      expect(d!.source).toMatch(row.region === 'EU' ? /product information \(EU\),? (and )?section \d/ : /label \(US\),? (and )?section \d/);
      expect(d!.evidence.length).toBeGreaterThan(0);
    }
    for (const agent of row.none ?? []) expect(report.dosing.filter((d) => d.therapy === agent)).toEqual([]);
    if (row.expect.length === 0) expect(report.dosing.filter((d) => d.trigger !== 'application-limits')).toEqual([]);
  });
});

describe('monitoring after the start', () => {
  const statuses = (resources: Json[], loads?: NonNullable<Parameters<typeof reportFor>[1]>['loads']) => {
    const m = reportFor(resources, loads ? { loads } : {}).monitoring!;
    return Object.fromEntries(m.entries.map((e) => [e.id, e.status])) as Record<string, MonitoringStatus>;
  };

  it('is null when the patient is not on a JAK inhibitor', () => {
    expect(reportFor(readyBaseline()).monitoring).toBeNull();
  });

  it('abrocitinib started 20 days ago: CBC and lipids due at week 4, visits dated from the real start', () => {
    const report = reportFor([medication('abrocitinib 100 MG Oral Tablet', { authoredDays: 20 })]);
    expect(report.monitoring).toMatchObject({ therapy: 'abrocitinib', drug: 'abrocitinib', start: daysAgo(20) });
    expect(Object.fromEntries(report.monitoring!.entries.map((e) => [e.id, [e.status, e.due]]))).toEqual({
      'cbc-week-4': ['due', daysAgo(20 - 28)],
      'lipid-panel-week-4': ['due', daysAgo(20 - 28)],
    });
    expect(report.monitoring!.visits).toEqual([{ week: 4, date: daysAgo(-8) }, { week: 8, date: daysAgo(-36) }, { week: 16, date: daysAgo(-92) }]);
  });

  it('abrocitinib started 60 days ago with a full CBC at week 4: CBC done with its result, lipids overdue', () => {
    const cbcAt30 = [lab.hemoglobin(13.2, 'g/dL', 30), lab.platelets(240, '10*3/uL', 30), lab.anc(3.1, '10*3/uL', 30), lab.alc(1.8, '10*3/uL', 30)];
    const report = reportFor([medication('abrocitinib 100 MG Oral Tablet', { authoredDays: 60 }), ...cbcAt30]);
    const cbc = report.monitoring!.entries.find((e) => e.id === 'cbc-week-4')!;
    expect(cbc.status).toBe('done');
    expect(cbc.result).toMatchObject({ date: expect.stringContaining(daysAgo(30)) });
    expect(statuses([medication('abrocitinib 100 MG Oral Tablet', { authoredDays: 60 }), ...cbcAt30])['lipid-panel-week-4']).toBe('overdue');
  });

  it('a result before the start does not count', () => {
    expect(statuses([medication('abrocitinib 100 MG Oral Tablet', { authoredDays: 50 }), lab.hemoglobin(13.2, 'g/dL', 55)])['cbc-week-4']).toBe('overdue');
  });

  it('upadacitinib started 100 days ago: CBC and liver enzymes every 12 weeks, lipids at week 12', () => {
    expect(statuses([medication('Rinvoq 15 mg extended-release tablet', { authoredDays: 100 }), lab.hemoglobin(13, 'g/dL', 20), lab.platelets(250, '10*3/uL', 20), lab.anc(4, '10*3/uL', 20), lab.alc(2, '10*3/uL', 20)])).toEqual({
      'cbc-week-12': 'done', 'cbc-week-24': 'not-yet', 'liver-enzymes-week-12': 'overdue', 'liver-enzymes-week-24': 'not-yet', 'lipid-panel-week-12': 'overdue',
    });
  });

  it('a statement started 12 weeks ago counts from its effective start', () => {
    const report = reportFor([medication('baricitinib 4 MG Oral Tablet', { kind: 'MedicationStatement', authoredDays: 84 })]);
    expect(report.monitoring?.start).toBe(daysAgo(84));
    expect(report.monitoring?.entries.map((e) => [e.id, e.status])).toEqual([['cbc-week-12', 'due'], ['liver-enzymes-week-12', 'due'], ['lipid-panel-week-12', 'due']]);
  });

  it('an abrocitinib dose increase brings a platelet check 4 weeks after it', () => {
    const report = reportFor([medication('abrocitinib 100 MG Oral Tablet', { authoredDays: 90, status: 'completed' }), medication('abrocitinib 200 MG Oral Tablet', { authoredDays: 10 }), medication('abrocitinib 100 MG Oral Tablet', { authoredDays: 90 })]);
    const platelets = report.monitoring!.entries.find((e) => e.id === 'platelets-after-dose-increase')!;
    expect(platelets).toMatchObject({ due: daysAgo(10 - 28), status: 'not-yet' });
  });

  it('says "could not check", never "overdue", when the labs did not load', () => {
    expect(statuses([medication('abrocitinib 100 MG Oral Tablet', { authoredDays: 60 })], observationsFailed)).toEqual({ 'cbc-week-4': 'unknown', 'lipid-panel-week-4': 'unknown' });
  });

  it('adds yearly TB screening when the site turns it on', () => {
    const r = assess(record([medication('upadacitinib 15 MG ER tablet', { authoredDays: 400 })]), { now: NOW, config: { monitoring: { tbRescreenDays: 365 } } });
    expect(r.monitoring!.entries.find((e) => e.test === 'tb-screening')).toMatchObject({ id: 'tb-screening-year-1', status: 'overdue' });
    expect(reportFor([medication('upadacitinib 15 MG ER tablet', { authoredDays: 400 })]).monitoring!.entries.some((e) => e.test === 'tb-screening')).toBe(false);
  });

  it('puts due and overdue checks on the to-do list instead of the pre-start orders', () => {
    const report = reportFor([medication('abrocitinib 100 MG Oral Tablet', { authoredDays: 60 }), lab.hemoglobin(13.2, 'g/dL', 30), lab.platelets(240, '10*3/uL', 30), lab.anc(3.1, '10*3/uL', 30), lab.alc(1.8, '10*3/uL', 30)], { therapy: 'abrocitinib' });
    expect(report.todo.filter((t) => t.kind === 'order-lab').map((t) => [t.text, t.from])).toEqual([
      [`Order lipid panel (Lipid panel at week 4, overdue since ${daysAgo(60 - 28)})`, [{ kind: 'monitoring', id: 'lipid-panel-week-4' }]],
    ]);
  });
});

describe('the to-do list', () => {
  it('nothing recorded (oral): each lab to order by name with its LOINC, the vaccine due, each from its item', () => {
    const todo = reportFor([]).todo;
    expect(todo.map((t) => [t.kind, t.text, t.orders?.map((o) => o.code), t.from.map((f) => f.id)])).toEqual([
      ['order-lab', 'Order CBC with automated differential', ['57021-8'], ['cbc']],
      ['order-lab', 'Order hepatic function panel (ALT, AST)', ['24325-3'], ['liver-enzymes']],
      ['order-lab', 'Order lipid panel', ['57698-3'], ['lipid-panel']],
      ['order-lab', 'Order TB blood test (IGRA, e.g. QuantiFERON)', ['71773-6'], ['tb-screening']],
      ['order-lab', 'Order hepatitis B surface antigen (HBsAg), hepatitis B core antibody, total (anti-HBc)', ['5196-1', '16933-4'], ['hepatitis-b']],
      ['order-lab', 'Order hepatitis C antibody', ['13955-0'], ['hepatitis-c']],
      ['order-lab', 'Order pregnancy test (serum hCG)', ['2118-8'], ['pregnancy-test']],
      ['vaccinate', 'Give the recombinant zoster vaccine (Shingrix), dose 1 of 2', undefined, ['zoster-vaccine']],
      ['confirm', 'Prescriber: confirm prior systemic therapy or why not', undefined, ['label-indication']],
    ]);
  });

  it('orders only what is missing: a CBC without differential, HCV RNA after a positive antibody, HBV DNA after past exposure', () => {
    const without = (...codes: string[]) => readyBaseline().filter((r) => !codes.some((c) => JSON.stringify(r).includes(`"code":"${c}"`)));
    const todo = reportFor([...without('751-8', '731-0', '13955-0', '16933-4', '5196-1'), lab.hcvAb(POSITIVE), lab.hbsag(NEGATIVE), lab.antiHbc(POSITIVE)]).todo;
    expect(todo.filter((t) => t.kind === 'order-lab').map((t) => t.orders!.map((o) => o.display))).toEqual([
      ['CBC with automated differential'], ['HBV DNA, quantitative'], ['HCV RNA, quantitative (viral load)'],
    ]);
  });

  it('lists what to confirm or ask, each naming its caution', () => {
    const todo = reportFor([...readyBaseline(), lab.igra(POSITIVE, 5), condition('icd10', 'O80', 'Encounter for full-term uncomplicated delivery', { onsetDays: 30 }), medication('Dupixent 300 MG/2ML Prefilled Syringe')]).todo;
    expect(todo.filter((t) => t.kind !== 'order-lab').map((t) => [t.kind, t.text, t.from[0]])).toEqual([
      ['confirm', 'Refer for latent-TB evaluation and treatment', { kind: 'caution', id: 'latent-tuberculosis' }],
      ['confirm', 'Stop dupilumab before the first dose', { kind: 'caution', id: 'immunosuppressant' }],
      ['ask', 'Ask about breastfeeding', { kind: 'caution', id: 'breastfeeding' }],
    ]);
  });

  it('says what could not be loaded first, never an order for what it could not check', () => {
    const todo = reportFor([], { loads: observationsFailed }).todo;
    expect(todo[0]).toMatchObject({ kind: 'recheck', text: 'Check the lab results in the chart: they could not be loaded (HTTP 503)' });
    expect(todo[0]!.from[0]).toEqual({ kind: 'data-gap', id: 'Observation' });
    expect(todo.filter((t) => t.kind === 'order-lab')).toEqual([]);
  });

  it('topical therapy: TB screening and the zoster vaccine are advisory, and are not counted as labs to order', () => {
    const report = reportFor([], { therapy: 'ruxolitinib-cream' });
    expect(report.todo.map((t) => [t.text, t.advisory])).toEqual([
      ['Consider ordering TB blood test (IGRA, e.g. QuantiFERON)', true],
      ['Consider: give the recombinant zoster vaccine (Shingrix), dose 1 of 2', true],
    ]);
    expect(report.byAgent.find((v) => v.therapy === 'ruxolitinib-cream')!.verdict).toBe('ready');
  });
});

describe('prior therapy (R2.5)', () => {
  const factor = (resources: Json[], id: string) => reportFor(resources).factors.find((f) => f.id === id)!.value;
  it.each<[string, Json[], string, RegExp]>([
    ['triamcinolone cream counts as prior topical therapy', [medication('triamcinolone acetonide 0.1 % Topical Cream', { status: 'completed' })], 'prior-topical-therapy', /triamcinolone/],
    ['tacrolimus ointment counts', [medication('tacrolimus 0.1 % Topical Ointment', { status: 'completed' })], 'prior-topical-therapy', /tacrolimus/],
    ['fluticasone nasal spray never counts', [medication('fluticasone propionate 50 MCG/ACTUAL Nasal Spray', { status: 'completed' })], 'prior-topical-therapy', /none documented/],
    ['budesonide inhaler never counts', [medication('budesonide 0.18 MG/ACTUAT Inhalation Powder', { status: 'completed' })], 'prior-topical-therapy', /none documented/],
    ['hydrocortisone tablets never count', [medication('hydrocortisone 10 MG Oral Tablet', { status: 'completed' })], 'prior-topical-therapy', /none documented/],
    ['dexamethasone eye drops never count', [medication('dexamethasone 0.1 % Ophthalmic Suspension', { status: 'completed' })], 'prior-topical-therapy', /none documented/],
    ['a current biologic counts as prior systemic therapy', [medication('Dupixent 300 MG/2ML Prefilled Syringe')], 'prior-systemic-therapy', /dupilumab/],
  ])('%s', (_name, resources, id, value) => {
    expect(factor(resources, id)).toMatch(value);
  });

  it('a current biologic (switching) is prior systemic therapy: no "US label" note', () => {
    expect(reportFor([medication('Dupixent 300 MG/2ML Prefilled Syringe')], { therapy: 'upadacitinib' }).cautions.find((c) => c.id === 'label-indication')).toBeUndefined();
  });
});

describe('values for people in the report (R2.1)', () => {
  it('rounds values and writes units for people; the raw value stays in the evidence', () => {
    const report = reportFor([lab.hemoglobin(12.5930613168), lab.platelets(248), lab.egfr(37.1966219173)]);
    const hb = itemOf(report, 'cbc').evidence.find((e) => e.display === 'Hemoglobin')!;
    expect(hb).toMatchObject({ value: '12.6 g/dL', rawValue: '12.5930613168 g/dL' });
    const platelets = itemOf(report, 'cbc').evidence.find((e) => e.display === 'Platelets')!;
    expect(platelets).toMatchObject({ value: '248 ×10³/µL', rawValue: '248 10*3/uL' });
    const egfr = assess(record([lab.egfr(25.4)]), { now: NOW, therapy: 'upadacitinib' }).cautions.find((c) => c.id === 'renal-impairment')!;
    expect(egfr.text).toMatch(/eGFR 25 mL\/min\/1.73 m²/);
    expect(egfr.evidence[0]).toMatchObject({ value: '25 mL/min/1.73 m²' });
    const forPeople = JSON.stringify(report, (key, value) => (key === 'rawValue' || key === 'matchedCode' ? undefined : value));
    expect(forPeople).not.toMatch(/\d\.\d{4,}|10\*3|\[IU\]/);
  });
});
