/**
 * Clinical revision 3, after the start (clinical/spec.md R3.1–R3.4): each rule as named patient
 * scenarios, in both directions (fires / does not fire).
 */
import { describe, expect, it } from 'vitest';
import type { MonitoringEntry, ReadinessReport } from '../../../src/contract/report';
import { preselectTherapy } from '../../../src/engine/assess';
import { daysAgo, lab, medication, observation, qty, record, reportFor, resultText, NOW } from './builders';

type Json = Record<string, unknown>;

const abrocitinib = (days: number, extra: Parameters<typeof medication>[1] = {}) => medication('abrocitinib 100 MG Oral Tablet', { authoredDays: days, ...extra });
const upadacitinib = (days: number, extra: Parameters<typeof medication>[1] = {}) => medication('upadacitinib 15 MG Extended Release Oral Tablet', { authoredDays: days, ...extra });
/** A full CBC (Hb g/dL, platelets ×10³/µL, ANC and ALC ×10³/µL) taken `days` ago. */
const cbc = (days: number, v: { hb?: number; plt?: number; anc?: number; alc?: number } = {}) => [
  lab.hemoglobin(v.hb ?? 13.5, 'g/dL', days), lab.platelets(v.plt ?? 250, '10*3/uL', days), lab.anc(v.anc ?? 4, '10*3/uL', days), lab.alc(v.alc ?? 2, '10*3/uL', days),
];
const entryOf = (report: ReadinessReport, id: string): MonitoringEntry => {
  const e = report.monitoring?.entries.find((x) => x.id === id);
  if (!e) throw new Error(`no entry ${id} in ${JSON.stringify(report.monitoring?.entries.map((x) => x.id))}`);
  return e;
};
const verdictOf = (report: ReadinessReport, agent: string) => report.byAgent.find((v) => v.therapy === agent)!;

describe('R3.1 monitoring entries are complete only when every part is there', () => {
  interface Row { rule: string; resources: Json[]; entry: string; status: MonitoringEntry['status']; missing?: string[] }
  const rows: Row[] = [
    { rule: 'fires: a single hemoglobin after the start is not a CBC', resources: [abrocitinib(60), lab.hemoglobin(14.2, 'g/dL', 30)], entry: 'cbc-week-4', status: 'incomplete', missing: ['Platelets', 'ANC', 'ALC'] },
    { rule: 'fires: a WBC without a differential is not ANC', resources: [abrocitinib(60), lab.hemoglobin(14, 'g/dL', 30), lab.platelets(240, '10*3/uL', 30), lab.wbc(7, '10*3/uL', 30), lab.alc(2, '10*3/uL', 30)], entry: 'cbc-week-4', status: 'incomplete', missing: ['ANC'] },
    { rule: 'does not fire: Hb, platelets, ANC and ALC after the start', resources: [abrocitinib(60), ...cbc(30)], entry: 'cbc-week-4', status: 'done' },
    { rule: 'does not fire: ANC derived from WBC × neutrophil % counts', resources: [abrocitinib(60), lab.hemoglobin(14, 'g/dL', 30), lab.platelets(240, '10*3/uL', 30), lab.wbc(7, '10*3/uL', 30), lab.neutrophilPercent(60, 30), lab.alc(2, '10*3/uL', 30)], entry: 'cbc-week-4', status: 'done' },
    { rule: 'fires: liver enzymes need ALT and AST', resources: [upadacitinib(90), lab.alt(30, 10)], entry: 'liver-enzymes-week-12', status: 'incomplete', missing: ['AST'] },
    { rule: 'does not fire: ALT and AST', resources: [upadacitinib(90), lab.alt(30, 10), lab.ast(25, 10)], entry: 'liver-enzymes-week-12', status: 'done' },
    { rule: 'does not fire: the lipid panel is done with an LDL', resources: [abrocitinib(40), lab.ldl(110, 10)], entry: 'lipid-panel-week-4', status: 'done' },
    { rule: 'fires: HDL alone is not a lipid panel after the start (LDL still needed)', resources: [abrocitinib(40), lab.hdl(55, 10)], entry: 'lipid-panel-week-4', status: 'due', missing: ['LDL'] },
  ];
  it.each(rows)('$rule', (row) => {
    const e = entryOf(reportFor(row.resources), row.entry);
    expect(e.status, JSON.stringify(e)).toBe(row.status);
    if (row.missing) expect(e.missing).toEqual(row.missing);
    else expect(e.missing ?? []).toEqual([]);
  });

  it('an incomplete CBC is ordered, never "Done: CBC at week 4: Hemoglobin 14.2 g/dL"', () => {
    const report = reportFor([abrocitinib(60), lab.hemoglobin(14.2, 'g/dL', 30)], { therapy: 'abrocitinib' });
    expect(report.todo.map((t) => t.text)).toContain(`Order CBC with automated differential (CBC at week 4, still needed: Platelets, ANC, ALC; overdue since ${daysAgo(32)})`);
  });

  it('each entry carries the last value after the start and the baseline before it ("ALT 64 U/L, baseline 22")', () => {
    const e = entryOf(reportFor([upadacitinib(90), lab.alt(22, 100), lab.ast(20, 100), lab.alt(64, 10), lab.ast(30, 10)]), 'liver-enzymes-week-12');
    expect(e.values).toEqual([
      { name: 'ALT', last: expect.objectContaining({ value: '64 U/L' }), baseline: expect.objectContaining({ value: '22 U/L' }) },
      { name: 'AST', last: expect.objectContaining({ value: '30 U/L' }), baseline: expect.objectContaining({ value: '20 U/L' }) },
    ]);
  });

  it('the lipid panel shows total cholesterol, HDL and triglycerides beside the LDL when present, without requiring them', () => {
    const e = entryOf(reportFor([abrocitinib(40), lab.ldl(120, 10), lab.hdl(50, 10), lab.hdl(55, 45)]), 'lipid-panel-week-4');
    expect(e.status).toBe('done');
    expect(e.values?.map((v) => [v.name, v.last?.value, v.baseline?.value])).toEqual([['LDL', '120 mg/dL', undefined], ['HDL', '50 mg/dL', '55 mg/dL']]);
  });

  it('says how late an overdue entry is, and nothing late for one not yet due', () => {
    const overdue = entryOf(reportFor([abrocitinib(50)]), 'lipid-panel-week-4');
    expect(overdue).toMatchObject({ status: 'overdue', daysLate: 22, detail: `overdue since ${daysAgo(22)}, 22 days` });
    const dueReport = reportFor([abrocitinib(42)], { therapy: 'abrocitinib' });
    expect(entryOf(dueReport, 'lipid-panel-week-4')).toMatchObject({ status: 'due', daysLate: 14, detail: `due since ${daysAgo(14)}, 14 days` });
    // The to-do says what the schedule says: due, not overdue.
    expect(dueReport.todo.map((t) => t.text)).toContain(`Order lipid panel (Lipid panel at week 4, due since ${daysAgo(14)})`);
    const notYet = entryOf(reportFor([abrocitinib(5)]), 'lipid-panel-week-4');
    expect(notYet.status).toBe('not-yet');
    expect(notYet.daysLate).toBeUndefined();
  });
});

describe('R3.2 results during treatment get the label\'s action', () => {
  interface Row { rule: string; resources: Json[]; action: string | null; analyte?: string; threshold?: RegExp }
  const rows: Row[] = [
    { rule: 'fires: abrocitinib, platelets 45,000/µL → discontinue', resources: [abrocitinib(40), ...cbc(5, { plt: 45 })], action: 'discontinue', analyte: 'Platelets', threshold: /below 50,000\/µL/ },
    { rule: 'does not fire: abrocitinib, platelets 120,000/µL (below the start threshold, above the on-treatment one)', resources: [abrocitinib(40), ...cbc(5, { plt: 120 })], action: null },
    { rule: 'fires: abrocitinib, ANC 800/µL → interrupt', resources: [abrocitinib(40), ...cbc(5, { anc: 0.8 })], action: 'interrupt', analyte: 'ANC', threshold: /below 1,000\/µL/ },
    { rule: 'fires: abrocitinib, ALC 400/µL → interrupt', resources: [abrocitinib(40), ...cbc(5, { alc: 0.4 })], action: 'interrupt', analyte: 'ALC' },
    { rule: 'fires: abrocitinib, Hb 7.5 g/dL → interrupt', resources: [abrocitinib(40), ...cbc(5, { hb: 7.5 })], action: 'interrupt', analyte: 'Hemoglobin' },
    { rule: 'does not fire: upadacitinib has no platelet threshold', resources: [upadacitinib(40), ...cbc(5, { plt: 45 })], action: null },
    { rule: 'fires: upadacitinib, ANC 800/µL → interrupt', resources: [upadacitinib(40), ...cbc(5, { anc: 0.8 })], action: 'interrupt', analyte: 'ANC' },
    { rule: 'fires: upadacitinib, ALT 165 U/L (> 3 × 40) → interrupt if DILI suspected', resources: [upadacitinib(40), lab.alt(165, 5), lab.ast(30, 5)], action: 'interrupt-if-dili', analyte: 'ALT', threshold: /above 3 × the upper limit/ },
    { rule: 'does not fire: upadacitinib, ALT 100 U/L (≤ 3 × 40)', resources: [upadacitinib(40), lab.alt(100, 5), lab.ast(30, 5)], action: null },
    { rule: 'fires: baricitinib, AST 200 U/L → interrupt if DILI suspected', resources: [medication('baricitinib 2 MG Oral Tablet', { authoredDays: 40 }), lab.alt(30, 5), lab.ast(200, 5)], action: 'interrupt-if-dili', analyte: 'AST' },
    { rule: 'fires: LDL 195 mg/dL → manage per lipid guidelines', resources: [upadacitinib(40), lab.ldl(195, 5)], action: 'manage-lipids', analyte: 'LDL', threshold: /at or above 190/ },
    { rule: 'fires: LDL risen from 100 to 140 mg/dL → manage per lipid guidelines', resources: [upadacitinib(40), lab.ldl(100, 60), lab.ldl(140, 5)], action: 'manage-lipids', analyte: 'LDL', threshold: /risen 40 % from the baseline 100 mg\/dL/ },
    { rule: 'does not fire: LDL 110 after a baseline of 100 mg/dL', resources: [upadacitinib(40), lab.ldl(100, 60), lab.ldl(110, 5)], action: null },
    { rule: 'does not fire: a low count before the start (baseline) is not a result during treatment', resources: [abrocitinib(40), ...cbc(50, { plt: 45 })], action: null },
    { rule: 'does not fire: the newest result after the start has recovered', resources: [abrocitinib(60), ...cbc(30, { anc: 0.8 }), ...cbc(5, { anc: 2.5 })], action: null },
  ];
  it.each(rows)('$rule', (row) => {
    const report = reportFor(row.resources);
    const abnormal = report.monitoring!.abnormal ?? [];
    if (row.action === null) {
      expect(abnormal, JSON.stringify(abnormal)).toEqual([]);
      expect(report.todo.some((t) => t.kind === 'urgent')).toBe(false);
      expect(report.cautions.some((c) => c.id === 'on-treatment-result')).toBe(false);
      return;
    }
    expect(abnormal[0]).toMatchObject({ action: row.action, analyte: row.analyte });
    if (row.threshold) expect(abnormal[0]!.threshold).toMatch(row.threshold);
    expect(abnormal[0]!.source).toMatch(/(label \(US\)|product information \(EU\)), section \d/);
  });

  it('platelets 45,000/µL on abrocitinib: the entry is abnormal with value, threshold and action, the to-do starts with "Tell the prescriber today", the caution says what to do now', () => {
    const report = reportFor([abrocitinib(40), ...cbc(12, { plt: 45 }), lab.ldl(110, 12)], { therapy: 'abrocitinib' });
    const e = entryOf(report, 'cbc-week-4');
    expect(e.status).toBe('abnormal');
    expect(e.abnormal).toMatchObject({ analyte: 'Platelets', value: '45,000/µL', threshold: 'below 50,000/µL', action: 'discontinue', urgent: true });
    expect(report.todo[0]).toMatchObject({ kind: 'urgent', text: `Tell the prescriber today: Platelets 45,000/µL on abrocitinib (${daysAgo(12)}) — label: discontinue` });
    const caution = report.cautions.find((c) => c.id === 'on-treatment-result')!;
    expect(caution).toMatchObject({ severity: 'warning', action: 'discontinue' });
    expect(caution.text).toMatch(/label: discontinue; contact the prescriber today/);
    expect(report.cautions.map((c) => `${c.text} ${c.severity}`).join(' ')).not.toMatch(/do not start|do-not-start/i);
    expect(verdictOf(report, 'abrocitinib')).toMatchObject({ verdict: 'on-treatment', current: true, action: 'discontinue' });
  });

  it('an abnormal entry comes first in the monitoring order even before an overdue one', async () => {
    const { MONITORING_STATUSES } = await import('../../../src/contract/report');
    expect(MONITORING_STATUSES[0]).toBe('abnormal');
  });

  it('a low count after the start still blocks the other agents (cytopenia), not the drug being taken', () => {
    const report = reportFor([abrocitinib(40), ...cbc(5, { anc: 0.8 })], { therapy: 'upadacitinib' });
    expect(report.cautions.find((c) => c.id === 'cytopenia')).toMatchObject({ severity: 'do-not-start' });
    expect(verdictOf(report, 'upadacitinib').verdict).toBe('do-not-start');
    expect(verdictOf(report, 'abrocitinib')).toMatchObject({ verdict: 'on-treatment', action: 'interrupt' });
  });

  it('a switch to one planned agent is a to-do; a plan for "any oral" names no switch to-do', () => {
    const resources = [upadacitinib(100)];
    expect(reportFor(resources, { therapy: 'abrocitinib' }).todo.map((t) => t.text)).toContain('Stop upadacitinib before the first dose of abrocitinib');
    expect(reportFor(resources, { therapy: 'oral' }).todo.some((t) => /^Stop upadacitinib/.test(t.text))).toBe(false);
    expect(reportFor(resources, { therapy: 'upadacitinib' }).todo.some((t) => /^Stop upadacitinib/.test(t.text))).toBe(false);
  });

  it('an LDL to manage goes to the prescriber, not as urgent', () => {
    const report = reportFor([upadacitinib(40), lab.ldl(195, 5)], { therapy: 'upadacitinib' });
    expect(report.todo.some((t) => t.kind === 'urgent')).toBe(false);
    expect(report.todo.find((t) => t.kind === 'confirm' && /LDL 195 mg\/dL/.test(t.text))?.text).toMatch(/^Discuss with the prescriber: .*manage per lipid guidelines/);
  });
});

describe('R3.3 the drug the patient is taking', () => {
  it('fires: a draft upadacitinib order is planned — preselected, never "on treatment since today"', () => {
    const resources = [upadacitinib(0, { status: 'draft' })];
    const report = reportFor(resources);
    expect(report.monitoring).toBeNull();
    expect(report.planned).toMatchObject({ therapy: 'upadacitinib', drug: 'upadacitinib' });
    expect(preselectTherapy(record(resources), NOW)).toBe('upadacitinib');
    expect(report.byAgent.some((v) => v.current || v.verdict === 'on-treatment')).toBe(false);
    expect(report.factors.find((f) => f.id === 'prior-systemic-therapy')!.value).not.toMatch(/upadacitinib/);
    expect(report.cautions.some((c) => c.id === 'already-on-jak-inhibitor' || c.id === 'immunosuppressant')).toBe(false);
  });

  it('fires: an order with intent proposal is planned too', () => {
    const report = reportFor([{ ...upadacitinib(3), intent: 'proposal' }]);
    expect(report.monitoring).toBeNull();
    expect(report.planned?.therapy).toBe('upadacitinib');
  });

  it('does not fire: an active order is current therapy', () => {
    const report = reportFor([upadacitinib(30)]);
    expect(report.monitoring?.start).toBe(daysAgo(30));
    expect(report.planned).toBeUndefined();
  });

  it('fires: a completed 100 mg order then a 200 mg order are one course from the first, with a dose increase and platelets 4 weeks after it', () => {
    const report = reportFor([abrocitinib(90, { status: 'completed' }), medication('abrocitinib 200 MG Oral Tablet', { authoredDays: 10 })]);
    expect(report.monitoring?.start).toBe(daysAgo(90));
    expect(report.monitoring?.doseIncrease).toMatchObject({ date: daysAgo(10), from: '100 mg', to: '200 mg' });
    expect(entryOf(report, 'platelets-after-dose-increase')).toMatchObject({ due: daysAgo(10 - 28), status: 'not-yet' });
    expect(report.monitoring!.entries.map((e) => e.id)).not.toContain('cbc-week-4-again');
  });

  it('does not fire: an order stopped over a year ago does not extend the new course (gap > 30 days)', () => {
    const report = reportFor([abrocitinib(400, { status: 'stopped' }), abrocitinib(20)]);
    expect(report.monitoring?.start).toBe(daysAgo(20));
    expect(report.monitoring?.doseIncrease).toBeUndefined();
  });

  it('does not fire: the same strength again is not a dose increase', () => {
    const report = reportFor([abrocitinib(90, { status: 'completed' }), abrocitinib(10)]);
    expect(report.monitoring?.doseIncrease).toBeUndefined();
    expect(report.monitoring!.entries.map((e) => e.id)).not.toContain('platelets-after-dose-increase');
  });

  it('fires: on upadacitinib with everything done and normal: current, on-treatment, continue; the other agents never on-treatment', () => {
    const report = reportFor([upadacitinib(100), ...cbc(10), lab.alt(25, 10), lab.ast(22, 10), lab.ldl(110, 10)], { therapy: 'upadacitinib' });
    expect(verdictOf(report, 'upadacitinib')).toMatchObject({ verdict: 'on-treatment', current: true, action: 'continue' });
    expect(report.byAgent.filter((v) => v.therapy !== 'upadacitinib').every((v) => !v.current && v.verdict !== 'on-treatment')).toBe(true);
  });

  it('fires: monitoring open → recheck', () => {
    const report = reportFor([upadacitinib(100)], { therapy: 'upadacitinib' });
    expect(verdictOf(report, 'upadacitinib')).toMatchObject({ verdict: 'on-treatment', action: 'recheck' });
    expect(verdictOf(report, 'upadacitinib').reasons.join(' ')).toMatch(/CBC at week 12 (due|overdue)/);
  });

  it('fires: switching from upadacitinib to abrocitinib is a warning "stop upadacitinib before the first dose of abrocitinib", never do-not-start by itself', () => {
    const resources = [upadacitinib(100), medication('abrocitinib 100 MG Oral Tablet', { status: 'draft', authoredDays: 0 })];
    const report = reportFor(resources, { therapy: 'abrocitinib' });
    expect(preselectTherapy(record(resources), NOW)).toBe('abrocitinib');
    const switching = report.cautions.find((c) => c.id === 'already-on-jak-inhibitor')!;
    expect(switching.severity).toBe('warning');
    expect(switching.text).toMatch(/Switching: stop upadacitinib before the first dose of abrocitinib; do not combine/);
    expect(report.cautions.some((c) => c.id === 'immunosuppressant')).toBe(false);
    expect(verdictOf(report, 'abrocitinib').verdict).not.toBe('do-not-start');
    expect(verdictOf(report, 'upadacitinib')).toMatchObject({ verdict: 'on-treatment', current: true });
    expect(report.todo.map((t) => t.text)).toContain('Stop upadacitinib before the first dose of abrocitinib');
  });

  it('fires: the current drug is never prior systemic therapy; an earlier biologic still is', () => {
    const report = reportFor([upadacitinib(100), medication('Dupixent 300 MG/2ML Prefilled Syringe', { status: 'stopped', authoredDays: 400 })], { therapy: 'upadacitinib' });
    const prior = report.factors.find((f) => f.id === 'prior-systemic-therapy')!.value;
    expect(prior).toMatch(/dupilumab/);
    expect(prior).not.toMatch(/upadacitinib/);
  });

  it('fires: the reassessment plan counts from the real start, the same dates as the monitoring view', () => {
    const report = reportFor([upadacitinib(100)], { therapy: 'upadacitinib' });
    expect(report.factors.find((f) => f.id === 'reassessment-plan')!.value).toBe(report.monitoring!.visits.map((v) => `week ${v.week}: ${v.date}`).join(' · '));
    expect(report.factors.find((f) => f.id === 'reassessment-plan')!.value).toContain(`week 16: ${daysAgo(100 - 112)}`);
  });

  it('does not fire: not on treatment, the plan counts from today', () => {
    const report = reportFor([]);
    expect(report.factors.find((f) => f.id === 'reassessment-plan')!.value).toContain(`week 4: ${daysAgo(-28)}`);
  });
});

describe('R3.4 results as laboratories send them', () => {
  const ancText = (text: string, days = 5, extra: Json = {}) => observation('751-8', 'Neutrophils', resultText(text), days, extra);
  const platelets = (value: number, days: number, extra: Json = {}) => observation('777-3', 'Platelets', qty(value, '10*3/uL'), days, extra);
  interface Row { rule: string; resources: Json[]; action: string | null; value?: string }
  const rows: Row[] = [
    { rule: 'fires: ANC "<0.5 x10^9/L" in valueString is a bound below 1,000/µL → interrupt', resources: [abrocitinib(40), ancText('<0.5 x10^9/L')], action: 'interrupt', value: '<500/µL' },
    { rule: 'fires: ANC valueQuantity with comparator "<" 0.5 ×10³/µL → interrupt', resources: [abrocitinib(40), observation('751-8', 'Neutrophils', qty(0.5, '10*3/uL', '<'), 5)], action: 'interrupt', value: '<500/µL' },
    { rule: 'does not fire: ANC "<1.5 x10^9/L" is a bound above the threshold: not crossed', resources: [abrocitinib(40), ancText('<1.5 x10^9/L')], action: null },
    { rule: 'does not fire: platelets ">400 x10^9/L"', resources: [abrocitinib(40), observation('777-3', 'Platelets', resultText('>400 x10^9/L'), 5)], action: null },
    { rule: 'fires: an unreadable value needs review, with the verbatim text', resources: [abrocitinib(40), ancText('see comment')], action: 'review', value: 'see comment' },
    { rule: 'fires: an unreadable unit needs review', resources: [abrocitinib(40), observation('777-3', 'Platelets', qty(45, 'bogus-unit'), 5)], action: 'review', value: '45 bogus-unit' },
    { rule: 'fires: a preliminary result counts', resources: [abrocitinib(40), platelets(45, 5, { status: 'preliminary' })], action: 'discontinue' },
    { rule: 'does not fire: an amended result replaces the earlier one of the same sample', resources: [abrocitinib(40), platelets(45, 5), platelets(145, 5, { status: 'amended' })], action: null },
    { rule: 'does not fire: a corrected result replaces the earlier one of the same sample', resources: [abrocitinib(40), platelets(45, 5), platelets(160, 5, { status: 'corrected' })], action: null },
    { rule: 'does not fire: entered-in-error never counts', resources: [abrocitinib(40), platelets(45, 5, { status: 'entered-in-error' })], action: null },
    { rule: 'does not fire: cancelled never counts', resources: [abrocitinib(40), platelets(45, 5, { status: 'cancelled' })], action: null },
  ];
  it.each(rows)('$rule', (row) => {
    const abnormal = reportFor(row.resources).monitoring!.abnormal ?? [];
    if (row.action === null) {
      expect(abnormal).toEqual([]);
      return;
    }
    expect(abnormal[0]).toMatchObject({ action: row.action, ...(row.value ? { value: row.value } : {}) });
  });

  describe('before the start: a bound below the "do not start" threshold crosses it', () => {
    const baselineWith = (anc: Json) => [lab.hemoglobin(), lab.platelets(), lab.alc(), anc];
    interface PreRow { rule: string; anc: Json; status: string; cytopenia: boolean; text?: RegExp }
    const pre: PreRow[] = [
      { rule: 'fires: ANC "<0.5 x10^9/L" → abnormal, do not start', anc: ancText('<0.5 x10^9/L', 10), status: 'abnormal', cytopenia: true, text: /ANC <500\/µL, below 1,000\/µL/ },
      { rule: 'fires: ANC valueQuantity "<" 0.5 ×10³/µL → abnormal', anc: observation('751-8', 'Neutrophils', qty(0.5, '10*3/uL', '<'), 10), status: 'abnormal', cytopenia: true },
      { rule: 'does not fire: ANC "<1.5 x10^9/L" is not known to be below 1,000: a person reads it, never done', anc: ancText('<1.5 x10^9/L', 10), status: 'incomplete', cytopenia: false, text: /bound <1,500\/µL: needs review/ },
      { rule: 'does not fire: ANC "3.1 x10^9/L" written as text is read as 3,100/µL', anc: ancText('3.1 x10^9/L', 10), status: 'done', cytopenia: false },
    ];
    it.each(pre)('$rule', (row) => {
      const report = reportFor(baselineWith(row.anc));
      const cbcItem = report.checklist.find((i) => i.id === 'cbc')!;
      expect(cbcItem.status, JSON.stringify(cbcItem)).toBe(row.status);
      expect(report.cautions.some((c) => c.id === 'cytopenia' && c.severity === 'do-not-start')).toBe(row.cytopenia);
      if (row.text) expect([cbcItem.detail, ...(cbcItem.notes ?? [])].join(' ')).toMatch(row.text);
    });
  });

  it('an unreadable value is "needs review: <verbatim>", never "still needed"', () => {
    const report = reportFor([abrocitinib(40), ...cbc(12).filter((r) => !JSON.stringify(r).includes('"751-8"')), ancText('see comment', 12)], { therapy: 'abrocitinib' });
    const e = entryOf(report, 'cbc-week-4');
    expect(e.status).toBe('abnormal');
    expect(e.detail).toMatch(/ANC needs review: "see comment"/);
    expect(e.missing ?? []).not.toContain('ANC');
    expect(report.todo.find((t) => /see comment/.test(t.text))?.text).toMatch(/^Read the result in the chart/);
  });

  it('a preliminary result is marked in the evidence and the text', () => {
    const report = reportFor([abrocitinib(40), platelets(45, 5, { status: 'preliminary' })]);
    const r = report.monitoring!.abnormal![0]!;
    expect(r.preliminary).toBe(true);
    expect(r.evidence.note).toMatch(/preliminary/);
    expect(r.text).toMatch(/preliminary/);
  });
});

describe('the next reassessment visit and the trend', () => {
  it('fires: the week-16 visit in 9 days is a to-do', () => {
    const report = reportFor([upadacitinib(103)], { therapy: 'upadacitinib' });
    expect(report.todo.find((t) => t.kind === 'visit')).toMatchObject({ text: `Week-16 review ${daysAgo(-9)}, in 9 days` });
    expect(report.todo[report.todo.length - 1]!.kind).toBe('visit');
  });

  it('does not fire: the next visit 20 days away is not yet a to-do', () => {
    const report = reportFor([upadacitinib(92)], { therapy: 'upadacitinib' });
    expect(report.todo.some((t) => t.kind === 'visit')).toBe(false);
  });

  it('gives the last three values of each monitored analyte with their dates, in words', () => {
    const report = reportFor([abrocitinib(120), ...cbc(150, { plt: 300 }), ...cbc(100, { plt: 210 }), ...cbc(50, { plt: 120 }), ...cbc(5, { plt: 45 })]);
    const trend = report.monitoring!.trends!.find((t) => t.analyte === 'Platelets')!;
    expect(trend.points.map((p) => [p.date, p.value])).toEqual([[daysAgo(100), '210,000/µL'], [daysAgo(50), '120,000/µL'], [daysAgo(5), '45,000/µL']]);
    expect(trend.words).toBe(`Platelets falling: 210,000/µL (${daysAgo(100)}) → 120,000/µL (${daysAgo(50)}) → 45,000/µL (${daysAgo(5)})`);
    expect(report.monitoring!.trends!.find((t) => t.analyte === 'Hemoglobin')!.words).toMatch(/^Hemoglobin stable/);
  });
});
