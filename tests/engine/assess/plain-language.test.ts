/**
 * R3.8: every string a person reads — the report's texts, sources, reasons and to-dos, the note
 * (and so the print-out's words) — for every sandbox scenario patient and every planned agent,
 * in both label regions, is free of internal marks; sources name the label and section and link
 * to its public page.
 */
import { describe, expect, it } from 'vitest';
import type { FhirResource } from 'fhir/r4';
import { assess } from '../../../src/engine/assess';
import { buildRecord } from '../../../src/engine/normalise';
import { buildScenarios } from '../../../src/sandbox/scenarios';
import type { ReadinessReport, TherapyId } from '../../../src/contract/report';
import { reportAsNote } from '../../../src/ui/note';
import { internalMark } from '../../../src/ui/plain-language';
import { readyForEveryAgent, reportFor, lab } from './builders';

const THERAPIES: TherapyId[] = ['oral', 'abrocitinib', 'upadacitinib', 'baricitinib', 'topical', 'ruxolitinib-cream', 'delgocitinib-cream'];

/** What a person reads from a report, evidence details excepted. */
function readable(report: ReadinessReport): string[] {
  return [
    ...report.byAgent.flatMap((v) => [v.label, ...v.reasons]),
    ...report.todo.map((t) => t.text),
    ...report.cautions.flatMap((c) => [c.text, c.source, c.short ?? '', c.labelWording ?? '']),
    ...report.checklist.flatMap((i) => [i.label, i.detail ?? '', i.source, i.short ?? '', ...(i.notes ?? []), ...(i.missing ?? [])]),
    ...report.dosing.flatMap((d) => [d.advice, d.reason, d.source]),
    ...report.factors.flatMap((f) => [f.label, f.value, f.source ?? '']),
    ...(report.monitoring ? [report.monitoring.source, ...report.monitoring.entries.flatMap((e) => [e.label, e.detail ?? '', e.source])] : []),
    reportAsNote(report, 'planned'),
  ];
}

describe('no internal marks in what a person reads (R3.8)', () => {
  const scenarios = buildScenarios(new Date(Date.UTC(2025, 5, 15)));
  for (const region of ['US', 'EU'] as const) {
    it.each(scenarios.map((s) => [s.id, s] as const))(`%s (${region}): every therapy`, (_id, scenario) => {
      const record = buildRecord({ resources: scenario.resources as FhirResource[], patientId: scenario.id });
      for (const therapy of THERAPIES) {
        const report = assess(record, { now: '2025-06-15', therapy, config: { labelRegion: region } });
        for (const text of readable(report)) expect(internalMark(text), `${therapy}: ${text.slice(0, 200)}`).toBeUndefined();
      }
    });
  }

  it('the marks it looks for are the ones the issue lists', () => {
    for (const text of ['Cibinqo US PI §2.1', 'Olumiant SmPC §4.2', 'label-facts ◐', 'label text not re-read here', 'clinical/spec.md R2.3', 'higher risk of MACE', 'Labs §1 (indications)', 'Resource Observation/o1', 'Matched by code (LOINC 751-8)']) {
      expect(internalMark(text), text).toBeDefined();
    }
    expect(internalMark('Cibinqo label (US), section 2.1 · LDL cholesterol 262 mg/dL')).toBeUndefined();
  });

  it('provenance stays in the JSON provenance field', () => {
    const report = reportFor([...readyForEveryAgent().filter((r) => !JSON.stringify(r).includes('"751-8"')), lab.anc(0.8)], { therapy: 'abrocitinib' });
    const cytopenia = report.cautions.find((c) => c.id === 'cytopenia')!;
    expect(cytopenia.provenance).toMatch(/label-facts/);
    expect(cytopenia.source).toMatch(/^Cibinqo label \(US\), section 2\.1/);
  });
});

describe('sources name the label and section and link to its public page (R3.8)', () => {
  it('US: DailyMed for Cibinqo and Rinvoq', () => {
    const report = reportFor([...readyForEveryAgent().filter((r) => !JSON.stringify(r).includes('"751-8"')), lab.anc(0.8)], { therapy: 'abrocitinib' });
    expect(report.cautions.find((c) => c.id === 'cytopenia')!.links).toEqual([
      { label: 'Cibinqo label (US)', url: 'https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=16c12a56-4550-414b-ac9d-b785b41fea6b' },
      { label: 'Rinvoq label (US)', url: 'https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=2966aec7-2ef0-923c-d8ff-fe1a957bf095' },
    ]);
  });

  it('EU: the EMA product page', () => {
    const report = reportFor([...readyForEveryAgent(), lab.egfr(45)], { therapy: 'baricitinib', region: 'EU' });
    expect(report.dosing.find((d) => d.therapy === 'baricitinib')!.links).toEqual([{ label: 'Olumiant product information (EU)', url: 'https://www.ema.europa.eu/en/medicines/human/EPAR/olumiant' }]);
  });

  it('a source from the article or the record has no link', () => {
    const report = reportFor([], { therapy: 'ruxolitinib-cream' });
    const factor = report.factors[0]!;
    expect(factor.source).not.toMatch(/label \(US\)/);
    expect(report.checklist.find((i) => i.id === 'zoster-vaccine')!.links?.[0]?.label).toBe('Cibinqo label (US)');
  });

  it('the note prints the links as plain URLs', () => {
    const report = reportFor([...readyForEveryAgent().filter((r) => !JSON.stringify(r).includes('"751-8"')), lab.anc(0.8)], { therapy: 'abrocitinib' });
    expect(reportAsNote(report, 'Abrocitinib')).toMatch(/Source: Cibinqo label \(US\), section 2\.1.*\(https:\/\/dailymed\.nlm\.nih\.gov\/dailymed\/drugInfo\.cfm\?setid=16c12a56/);
  });

  it('the note names tests by their short name and spells out the abbreviations it uses', () => {
    const report = reportFor([...readyForEveryAgent().filter((r) => !JSON.stringify(r).includes('"18262-6"')), { ...lab.ldl(262), code: { coding: [{ system: 'http://loinc.org', code: '18262-6', display: 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay' }] } }], { therapy: 'upadacitinib' });
    const note = reportAsNote(report, 'Upadacitinib');
    expect(note).toMatch(/LDL cholesterol 262 mg\/dL/);
    expect(note).not.toMatch(/\[Mass\/volume\]/);
    expect(note).toMatch(/^Abbreviations: .*LDL = low-density lipoprotein/m);
  });
});
