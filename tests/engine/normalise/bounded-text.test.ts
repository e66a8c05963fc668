/**
 * Bounded input: no string longer than 500 characters enters the record, so a 100 KB pasted
 * report or a 5 MB hostile string can neither freeze the rules nor the sidebar. Times are
 * printed, never asserted.
 */
import { describe, expect, it } from 'vitest';
import type { FhirResource } from 'fhir/r4';
import { assess } from '../../../src/engine/assess';
import { buildRecord } from '../../../src/engine/normalise/build-record';
import { bounded, MAX_TEXT_LENGTH } from '../../../src/engine/normalise/json';

const KB100 = 'A'.repeat(100 * 1024);
const MB5 = 'B'.repeat(5 * 1024 * 1024);
const subject = { reference: 'Patient/p1' };

function timed<T>(label: string, work: () => T): T {
  const started = performance.now();
  const result = work();
  console.info(`${label}: ${(performance.now() - started).toFixed(1)} ms`);
  return result;
}

function isBounded(text: string | undefined): boolean {
  return text !== undefined && text.length <= MAX_TEXT_LENGTH + 1;
}

describe('bounded(): the one helper every kept string passes through', () => {
  it('keeps short text as it is and cuts long text at 500 characters with "…"', () => {
    expect(bounded('Hemoglobin')).toBe('Hemoglobin');
    expect(bounded('x'.repeat(500))).toBe('x'.repeat(500));
    expect(bounded('x'.repeat(501))).toBe(`${'x'.repeat(500)}…`);
  });

  it('never splits a character made of two UTF-16 units', () => {
    const cut = bounded(`${'x'.repeat(499)}😀${'y'.repeat(10)}`);
    expect(cut).toBe(`${'x'.repeat(499)}…`);
  });
});

describe('buildRecord with huge strings', () => {
  const patient = { resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1990-04-02', name: [{ given: [MB5], family: 'Silva' }] };
  const lab = {
    resourceType: 'Observation',
    id: 'note',
    status: 'final',
    subject,
    category: [{ coding: [{ code: 'laboratory' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '718-7', display: MB5 }], text: KB100 },
    effectiveDateTime: '2026-10-01',
    valueString: KB100,
  };
  const hostileDate = { resourceType: 'Observation', id: 'bad-date', status: 'final', subject, code: { text: 'Platelets' }, effectiveDateTime: MB5 };
  const medication = {
    resourceType: 'MedicationRequest',
    id: 'mr1',
    status: 'active',
    intent: 'order',
    subject,
    authoredOn: KB100,
    medicationCodeableConcept: { text: MB5, coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: MB5 }] },
    dosageInstruction: [{ text: KB100 }],
  };
  const condition = { resourceType: 'Condition', id: 'c1', subject, code: { text: KB100 }, onsetDateTime: '2019-03-02' };

  it('keeps at most 500 characters and "…" of any value, display, name, code or message', () => {
    const record = timed('buildRecord, 100 KB and 5 MB strings', () =>
      buildRecord({ resources: [patient, lab, hostileDate, medication, condition] as unknown as FhirResource[], patientId: 'p1' }),
    );
    const observation = record.observations.find((o) => o.reference === 'Observation/note')!;
    expect(observation.valueString).toBe(`${'A'.repeat(500)}…`);
    expect(observation.display).toBe(`${'A'.repeat(500)}…`);
    expect(observation.codes[0]?.display).toBe(`${'B'.repeat(500)}…`);
    expect(observation.codes[0]?.code).toBe('718-7');
    expect(record.patient.name).toMatch(/^B{500}… Silva$/);
    const med = record.medications[0]!;
    expect([med.display, med.dosageText, ...med.names, ...med.codes.map((c) => c.code)].every(isBounded)).toBe(true);
    expect(isBounded(record.conditions[0]?.display)).toBe(true);
    expect(record.issues.length).toBeGreaterThan(0);
    for (const issue of record.issues) expect(issue.message.length, issue.message.slice(0, 80)).toBeLessThan(700);
  });

  it('assesses such a record quickly enough to print, and every evidence value stays bounded', () => {
    const record = buildRecord({ resources: [patient, lab, hostileDate, medication, condition] as unknown as FhirResource[], patientId: 'p1' });
    const report = timed('assess, 100 KB and 5 MB strings', () => assess(record, { now: '2026-11-27' }));
    const evidence = [...report.checklist.flatMap((item) => item.evidence), ...report.cautions.flatMap((caution) => caution.evidence)];
    for (const item of evidence) {
      for (const text of [item.display, item.value, item.note]) if (text !== undefined) expect(text.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH + 200);
    }
    expect(JSON.stringify(report).length).toBeLessThan(100_000);
  });
});
