import { describe, expect, it } from 'vitest';
import { assess, AssessError, preselectTherapy } from '../../../src/engine/assess';
import { CAUTION_IDS, CHECKLIST_IDS, ITEM_STATUSES, SEVERITIES, THERAPY_IDS } from '../../../src/contract/report';
import { NOW, condition, lab, medication, readyBaseline, record, reportFor } from './builders';

const busy = [
  ...readyBaseline(), lab.anc(0.8), lab.igra({ valueString: 'Positive' }), condition('snomed', '128053003', 'DVT', { clinical: 'resolved' }),
  medication('clopidogrel 75 MG Oral Tablet', { rxnorm: '309362' }), medication('Dupixent 300 MG/2ML Prefilled Syringe'),
];

describe('the report contract (clinical/spec.md)', () => {
  it.each(THERAPY_IDS)('every checklist id appears once, in order, for %s', (therapy) => {
    const report = reportFor(busy, { therapy });
    expect(report.therapy).toBe(therapy);
    expect(report.checklist.map((i) => i.id)).toEqual([...CHECKLIST_IDS]);
    for (const item of report.checklist) {
      expect(ITEM_STATUSES).toContain(item.status);
      expect(item.source).toBeTruthy();
    }
    for (const caution of report.cautions) {
      expect(CAUTION_IDS).toContain(caution.id);
      expect(SEVERITIES).toContain(caution.severity);
      expect(caution.evidence.length).toBeGreaterThan(0);
    }
    expect(new Set(report.cautions.map((c) => c.id)).size).toBe(report.cautions.length);
  });

  it('has the contract fields at the top level', () => {
    const report = reportFor(busy);
    expect(Object.keys(report).sort()).toEqual(['asOf', 'byAgent', 'cautions', 'checklist', 'dataGaps', 'dosing', 'factors', 'monitoring', 'orders', 'patient', 'therapy', 'todo']);
    expect(report).toMatchObject({ asOf: NOW, therapy: 'oral', patient: { id: 'p1', age: 34, sex: 'female' } });
  });

  it('is deterministic for a given now', () => {
    const r = record(busy);
    expect(JSON.stringify(assess(r, { now: NOW }))).toBe(JSON.stringify(assess(r, { now: NOW })));
  });

  it('rejects an unknown therapy and a malformed date', () => {
    const r = record([]);
    expect(() => assess(r, { now: NOW, therapy: 'tofacitinib' as never })).toThrow(AssessError);
    expect(() => assess(r, { now: 'yesterday' })).toThrow(/YYYY-MM-DD/);
  });

  it('lists load problems as data gaps with what they affect', () => {
    const report = reportFor([], { loads: { Observation: { state: 'failed', reason: 'HTTP 503' }, Immunization: { state: 'denied', reason: 'scope patient/Immunization.read not granted' } } });
    expect(report.dataGaps).toEqual(expect.arrayContaining([
      expect.objectContaining({ resourceType: 'Observation', reason: 'HTTP 503', affects: expect.arrayContaining(['cbc']) }),
      expect.objectContaining({ resourceType: 'Immunization', reason: expect.stringMatching(/^not permitted/), affects: expect.arrayContaining(['zoster-vaccine']) }),
    ]));
    expect(report.checklist.filter((i) => i.status === 'missing' || i.status === 'done')).toEqual([]);
  });

  it('surfaces the decision factors of the article', () => {
    const report = reportFor([...busy, condition('snomed', '24079001', 'Atopic dermatitis')]);
    const ids = report.factors.map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining(['eczema-diagnosis', 'extent', 'prior-topical-therapy', 'prior-systemic-therapy', 'itch-score', 'monitoring-load', 'reassessment-plan']));
    expect(report.factors.find((f) => f.id === 'prior-systemic-therapy')!.value).toMatch(/dupilumab/);
    expect(report.factors.find((f) => f.id === 'reassessment-plan')!.value).toBe('week 4: 2026-12-25 · week 8: 2027-01-22 · week 16: 2027-03-19');
  });

  it('preselects the agent of an active order', () => {
    expect(preselectTherapy(record([medication('Cibinqo 100 mg tablet', { status: 'draft' })]), NOW)).toBe('abrocitinib');
    expect(preselectTherapy(record([medication('Opzelura 1.5% cream')]), NOW)).toBe('ruxolitinib-cream');
    expect(preselectTherapy(record([medication('Rinvoq 15 mg', { status: 'stopped' })]), NOW)).toBeUndefined();
  });
});

describe('decision factors when their source did not load', () => {
  it('say the eczema diagnosis and prior therapy could not be checked, never "none"', () => {
    const report = reportFor([], { loads: { Condition: { state: 'failed', reason: 'HTTP 502' }, MedicationRequest: { state: 'truncated', reason: 'stopped after 10 pages' } } });
    const factor = (id: string) => report.factors.find((f) => f.id === id)!.value;
    expect(factor('eczema-diagnosis')).toBe('could not be checked fully (Condition: HTTP 502)');
    expect(factor('prior-systemic-therapy')).toBe('could not be checked fully (MedicationRequest: stopped after 10 pages)');
    expect(factor('extent')).toMatch(/^could not be checked fully/);
  });

  it('keep what was found and add the caveat', () => {
    const report = reportFor([medication('Dupixent 300 MG/2ML Prefilled Syringe')], { loads: { MedicationStatement: { state: 'failed', reason: 'HTTP 500' } } });
    expect(report.factors.find((f) => f.id === 'prior-systemic-therapy')!.value).toMatch(/^dupilumab \(.*\); could not be checked fully \(MedicationStatement: HTTP 500\)$/);
  });
});
