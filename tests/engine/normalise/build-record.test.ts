import { describe, expect, it } from 'vitest';
import type { FhirResource } from 'fhir/r4';
import { buildRecord } from '../../../src/engine/normalise/build-record';
import { BundleError, readBundle } from '../../../src/engine/normalise/bundle';
import { LOINC, SNOMED } from '../../../src/engine/normalise/codes';

type Json = Record<string, unknown>;

const PATIENT: Json = {
  resourceType: 'Patient',
  id: 'p1',
  name: [{ given: ['Ana', 'Maria'], family: 'Silva' }],
  gender: 'female',
  birthDate: '1990-04-02',
  extension: [{ url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex', valueCode: 'F' }],
};
const subject = { reference: 'Patient/p1' };

function build(resources: unknown[], extra: Partial<Parameters<typeof buildRecord>[0]> = {}) {
  return buildRecord({ resources: resources as FhirResource[], ...extra });
}

function obs(id: string, fields: Json = {}): Json {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    subject,
    code: { coding: [{ system: 'urn:oid:2.16.840.1.113883.6.1', code: '718-7', display: 'Hemoglobin' }] },
    effectiveDateTime: '2026-10-01T08:00:00Z',
    valueQuantity: { value: 13.1, unit: 'g/dL', system: 'http://unitsofmeasure.org', code: 'g/dL' },
    ...fields,
  };
}

function condition(id: string, fields: Json = {}): Json {
  return {
    resourceType: 'Condition',
    id,
    subject,
    code: { coding: [{ system: 'http://snomed.info/sct', code: '128053003', display: 'Deep venous thrombosis' }] },
    onsetDateTime: '2019-03-02',
    ...fields,
  };
}

const status = (code: string) => ({ coding: [{ code }] });

describe('buildRecord: patient', () => {
  it('reads name, birth date, sex and US Core birth sex', () => {
    const record = build([PATIENT]);
    expect(record.patient).toEqual({
      id: 'p1',
      name: 'Ana Maria Silva',
      birthDate: '1990-04-02',
      sex: 'female',
      birthSex: 'female',
    });
    expect(record.loads).toEqual({});
    expect(record.issues).toEqual([]);
  });

  it('defaults sex to unknown and reads deceased', () => {
    const record = build([{ resourceType: 'Patient', id: 'p1', gender: 'nonsense', deceasedDateTime: '2020-01-05T00:00:00Z', name: [{ text: 'J. Doe' }] }]);
    expect(record.patient).toMatchObject({ sex: 'unknown', deceased: '2020-01-05', name: 'J. Doe' });
  });

  it('passes load statuses through', () => {
    const loads = { Observation: { state: 'failed' as const, reason: 'HTTP 503', httpStatus: 503 } };
    expect(build([PATIENT], { loads }).loads).toEqual(loads);
  });

  it('keeps going with the launch patient id when the Patient itself failed to load', () => {
    const record = build([obs('o1')], { patientId: 'p1', loads: { Patient: { state: 'failed', reason: 'HTTP 500' } } });
    expect(record.patient).toEqual({ id: 'p1', sex: 'unknown' });
    expect(record.observations).toHaveLength(1);
    expect(record.issues[0]?.message).toMatch(/Patient resource could not be read/);
  });

  it('throws a BundleError when several patients and no id are given', () => {
    expect(() => build([PATIENT, { resourceType: 'Patient', id: 'p2' }])).toThrow(BundleError);
  });
});

describe('buildRecord: status filters (spec "What is read")', () => {
  it('drops refuted and entered-in-error conditions but keeps resolved and inactive ones as history', () => {
    const record = build([
      PATIENT,
      condition('refuted', { verificationStatus: status('refuted') }),
      condition('error', { verificationStatus: status('entered-in-error') }),
      condition('resolved', { clinicalStatus: status('resolved'), abatementDateTime: '2019-06-01' }),
      condition('inactive', { clinicalStatus: status('inactive') }),
      condition('provisional', { verificationStatus: status('provisional') }),
    ]);
    expect(record.conditions.map((c) => c.reference)).toEqual([
      'Condition/resolved',
      'Condition/inactive',
      'Condition/provisional',
    ]);
    expect(record.conditions[0]).toMatchObject({ clinicalStatus: 'resolved', abatement: '2019-06-01', onset: '2019-03-02' });
    expect(record.conditions[2]?.verificationStatus).toBe('provisional');
  });

  it('drops cancelled and entered-in-error observations', () => {
    const record = build([PATIENT, obs('ok'), obs('c', { status: 'cancelled' }), obs('e', { status: 'entered-in-error' })]);
    expect(record.observations.map((o) => o.reference)).toEqual(['Observation/ok']);
  });

  it('drops not-done and entered-in-error immunizations', () => {
    const imm = (id: string, s: string) => ({
      resourceType: 'Immunization',
      id,
      status: s,
      patient: subject,
      vaccineCode: { coding: [{ system: 'urn:oid:2.16.840.1.113883.12.292', code: '187' }] },
      occurrenceDateTime: '2025-01-01',
    });
    const record = build([PATIENT, imm('done', 'completed'), imm('nd', 'not-done'), imm('err', 'entered-in-error')]);
    expect(record.immunizations).toEqual([
      {
        reference: 'Immunization/done',
        codes: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '187' }],
        display: '187',
        status: 'completed',
        date: '2025-01-01',
      },
    ]);
  });

  it('drops entered-in-error medications and keeps stopped ones', () => {
    const med = (id: string, s: string) => ({
      resourceType: 'MedicationRequest',
      id,
      status: s,
      intent: 'order',
      subject,
      medicationCodeableConcept: { text: 'Methotrexate 2.5 mg tablet' },
    });
    const record = build([PATIENT, med('a', 'active'), med('s', 'stopped'), med('e', 'entered-in-error')]);
    expect(record.medications.map((m) => `${m.reference} ${m.status}`)).toEqual([
      'MedicationRequest/a active',
      'MedicationRequest/s stopped',
    ]);
  });
});

describe('buildRecord: observations', () => {
  it('canonicalises codes and keeps value, unit, reference range, specimen and categories', () => {
    const record = build([
      PATIENT,
      obs('o1', {
        category: [{ coding: [{ code: 'laboratory' }] }],
        specimen: { reference: 'Specimen/s1' },
        referenceRange: [{ low: { value: 12, unit: 'g/dL' }, high: { value: 16 } }],
      }),
    ]);
    expect(record.observations[0]).toEqual({
      reference: 'Observation/o1',
      codes: [{ system: LOINC, code: '718-7', display: 'Hemoglobin' }],
      display: 'Hemoglobin',
      status: 'final',
      date: '2026-10-01',
      quantity: { value: 13.1, unit: 'g/dL' },
      valueCodes: [],
      interpretation: [],
      referenceLow: { value: 12, unit: 'g/dL' },
      referenceHigh: { value: 16, unit: 'g/dL' },
      specimen: 'Specimen/s1',
      categories: ['laboratory'],
    });
  });

  it('keeps the human unit when the quantity is coded in another system than UCUM', () => {
    const record = build([PATIENT, obs('o1', { valueQuantity: { value: 4, unit: 'K/uL', system: 'http://local', code: 'KUL' } })]);
    expect(record.observations[0]?.quantity).toEqual({ value: 4, unit: 'K/uL' });
  });

  it('keeps a result without any date, undated', () => {
    const record = build([PATIENT, obs('o1', { effectiveDateTime: undefined })]);
    expect(record.observations[0]?.date).toBeUndefined();
    expect(record.observations).toHaveLength(1);
  });

  it('dates by effectivePeriod, and flags a date taken from issued', () => {
    const record = build([
      PATIENT,
      obs('period', { effectiveDateTime: undefined, effectivePeriod: { start: '2026-09-01', end: '2026-09-02' } }),
      obs('issued', { effectiveDateTime: undefined, issued: '2026-09-05T10:00:00Z' }),
    ]);
    expect(record.observations.map((o) => [o.date, o.dateFromIssued])).toEqual([
      ['2026-09-02', undefined],
      ['2026-09-05', true],
    ]);
  });

  it('turns each component into its own fact with the parent reference, date and specimen', () => {
    const record = build([
      PATIENT,
      obs('cbc', {
        code: { text: 'CBC with differential' },
        valueQuantity: undefined,
        specimen: { reference: 'Specimen/s9' },
        component: [
          { code: { coding: [{ system: LOINC, code: '751-8', display: 'Neutrophils' }] }, valueQuantity: { value: 0.8, code: '10*3/uL' } },
          { code: { coding: [{ system: LOINC, code: '731-0' }] }, valueQuantity: { value: 1.9, code: '10*3/uL' } },
          { valueString: 'no code' },
        ],
      }),
    ]);
    const [parent, neutrophils, lymphocytes] = record.observations;
    expect(record.observations).toHaveLength(3);
    expect(parent).toMatchObject({ reference: 'Observation/cbc', display: 'CBC with differential' });
    expect(parent?.componentOf).toBeUndefined();
    expect(neutrophils).toMatchObject({
      reference: 'Observation/cbc',
      componentOf: '0',
      display: 'Neutrophils',
      date: '2026-10-01',
      specimen: 'Specimen/s9',
      status: 'final',
      quantity: { value: 0.8, unit: '10*3/uL' },
    });
    expect(lymphocytes).toMatchObject({ componentOf: '1', display: '731-0' });
    expect(record.issues.map((i) => i.message)).toEqual(['component 2 has no code or text; ignored.']);
  });

  it('keeps a panel that only has members', () => {
    const record = build([PATIENT, obs('panel', { valueQuantity: undefined, hasMember: [{ reference: 'Observation/o1' }] })]);
    expect(record.observations).toHaveLength(1);
  });

  it('carries coded and text values for qualitative interpretation', () => {
    const record = build([
      PATIENT,
      obs('hbsag', {
        valueQuantity: undefined,
        valueCodeableConcept: { coding: [{ system: 'urn:oid:2.16.840.1.113883.6.96', code: '260385009' }], text: 'Negative' },
        interpretation: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'N' }] }],
      }),
    ]);
    expect(record.observations[0]).toMatchObject({
      valueCodes: [{ system: SNOMED, code: '260385009' }],
      valueString: 'Negative',
      interpretation: [{ code: 'N' }],
    });
  });
});

describe('buildRecord: malformed input never throws', () => {
  it('skips what cannot be used and says why', () => {
    const record = build([
      PATIENT,
      null,
      'garbage',
      obs('nocode', { code: undefined }),
      obs('badnum', { valueQuantity: { value: 'thirteen', unit: 'g/dL' } }),
      obs('textnum', { valueQuantity: { value: '13.1', unit: 'g/dL' } }),
      obs('nan', { valueQuantity: { value: Number.NaN, unit: 'g/dL' } }),
      obs('baddate', { effectiveDateTime: '2026-02-30' }),
      condition('nocode', { code: { coding: [{ system: SNOMED }] } }),
      condition('strange', { bodySite: 'arm', category: { coding: 'x' }, onsetDateTime: 42 }),
      { resourceType: 'Immunization', id: 'novax', status: 'completed', patient: subject },
      { resourceType: 'MedicationRequest', id: 'weird', status: 'active', subject, dosageInstruction: 'twice', medicationCodeableConcept: 'aspirin' },
    ]);
    expect(record.observations.map((o) => [o.reference, o.quantity?.value, o.date])).toEqual([
      ['Observation/badnum', undefined, '2026-10-01'],
      ['Observation/textnum', 13.1, '2026-10-01'],
      ['Observation/nan', undefined, '2026-10-01'],
      ['Observation/baddate', 13.1, undefined],
    ]);
    expect(record.conditions.map((c) => c.reference)).toEqual(['Condition/strange']);
    expect(record.conditions[0]).toMatchObject({ bodySites: [], categories: [] });
    expect(record.immunizations).toEqual([]);
    expect(record.medications[0]).toMatchObject({ reference: 'MedicationRequest/weird', unresolved: true });

    const messages = record.issues.map((i) => `${i.reference ?? '-'}: ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        '-: entry 2 is not a FHIR resource (null); ignored.',
        '-: entry 3 is not a FHIR resource (string); ignored.',
        'Observation/nocode: has no code or text; ignored.',
        'Observation/badnum: valueQuantity.value "thirteen" is not a number; value ignored.',
        'Observation/textnum: valueQuantity.value was given as text "13.1"; read as the number 13.1.',
        'Observation/nan: valueQuantity.value "NaN" is not a number; value ignored.',
        'Observation/baddate: effectiveDateTime "2026-02-30" is not a valid date; ignored.',
        'Condition/nocode: has no code or text; ignored.',
        'Condition/strange: onsetDateTime "42" is not a valid date; ignored.',
        'Immunization/novax: has no vaccine code or text; ignored.',
      ]),
    );
  });

  it('treats a non-array resources input as empty, not as a crash', () => {
    expect(() => buildRecord({ resources: 'nope' as never, patientId: 'p1', loads: { Patient: { state: 'failed', reason: 'x' } } })).not.toThrow();
  });

  it('keeps one copy of a duplicated resource: the later lastUpdated, else the last', () => {
    const record = build([
      PATIENT,
      obs('dup', { meta: { lastUpdated: '2026-10-02T00:00:00Z' }, valueQuantity: { value: 9, unit: 'g/dL' } }),
      obs('dup', { meta: { lastUpdated: '2026-10-01T00:00:00Z' }, valueQuantity: { value: 7, unit: 'g/dL' } }),
      obs('twice', { valueQuantity: { value: 1, unit: 'g/dL' } }),
      obs('twice', { valueQuantity: { value: 2, unit: 'g/dL' } }),
    ]);
    expect(record.observations.map((o) => [o.reference, o.quantity?.value])).toEqual([
      ['Observation/dup', 9],
      ['Observation/twice', 2],
    ]);
    expect(record.issues.map((i) => i.message)).toEqual([
      'appears 2 times; kept the most recently updated copy.',
      'appears 2 times; kept the most recently updated copy.',
    ]);
  });
});

describe('buildRecord: whose resources', () => {
  it('keeps only the chosen patient resources and says nothing about the other known patient', () => {
    const record = build(
      [PATIENT, { resourceType: 'Patient', id: 'p2' }, obs('mine'), obs('theirs', { subject: { reference: 'Patient/p2' } })],
      { patientId: 'p1' },
    );
    expect(record.observations.map((o) => o.reference)).toEqual(['Observation/mine']);
    expect(record.issues).toEqual([]);
  });

  it('flags resources that name a patient absent from a single-patient file', () => {
    const record = build([PATIENT, obs('o1', { subject: { reference: 'Patient/2' } }), obs('o2', { subject: { reference: 'Patient/2' } })]);
    expect(record.observations).toEqual([]);
    expect(record.issues).toEqual([
      { resourceType: 'Observation', message: '2 Observation resources refer to Patient/2, not to this patient (Patient/p1); ignored.' },
    ]);
  });

  it('accepts absolute and versioned references to the patient', () => {
    const record = build([
      PATIENT,
      obs('abs', { subject: { reference: 'https://ehr.example/fhir/Patient/p1' } }),
      obs('hist', { subject: { reference: 'Patient/p1/_history/3' } }),
    ]);
    expect(record.observations).toHaveLength(2);
  });

  it('ignores resources without a subject when the file holds several patients, and says so', () => {
    const record = build([PATIENT, { resourceType: 'Patient', id: 'p2' }, obs('nosubject', { subject: undefined })], {
      patientId: 'p1',
    });
    expect(record.observations).toEqual([]);
    expect(record.issues.map((i) => i.message)).toEqual(['1 Observation names no patient and the file holds several; ignored.']);
  });

  it('keeps resources without a subject when the file holds a single patient (documents)', () => {
    const record = build([PATIENT, obs('nosubject', { subject: undefined })]);
    expect(record.observations).toHaveLength(1);
  });

  it('resolves urn:uuid subjects and medications in a transaction bundle', () => {
    const json = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:aaaa', resource: { ...PATIENT, id: undefined }, request: { method: 'POST', url: 'Patient' } },
        {
          fullUrl: 'urn:uuid:med',
          resource: { resourceType: 'Medication', code: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '1431', display: 'Upadacitinib' }] } },
        },
        { fullUrl: 'urn:uuid:o', resource: { ...obs('x'), id: undefined, subject: { reference: 'urn:uuid:aaaa' } } },
        {
          fullUrl: 'urn:uuid:mr',
          resource: { resourceType: 'MedicationRequest', status: 'active', intent: 'order', subject: { reference: 'urn:uuid:aaaa' }, medicationReference: { reference: 'urn:uuid:med' } },
        },
      ],
    };
    const { resources, fullUrls } = readBundle(json);
    const record = buildRecord({ resources, fullUrls });
    expect(record.patient.id).toBe('aaaa');
    expect(record.observations.map((o) => o.reference)).toEqual(['urn:uuid:o']);
    expect(record.medications[0]).toMatchObject({ reference: 'urn:uuid:mr', display: 'Upadacitinib', names: ['upadacitinib'] });
    // Without the explicit map the remembered fullUrls still resolve.
    expect(buildRecord({ resources }).medications[0]?.display).toBe('Upadacitinib');
  });

  it('reads a searchset whose patient fullUrl is an absolute URL', () => {
    const base = 'https://ehr.example/fhir';
    const json = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [
        { fullUrl: `${base}/Patient/p1`, resource: PATIENT, search: { mode: 'match' } },
        { fullUrl: `${base}/Observation/o1`, resource: obs('o1', { subject: { reference: `${base}/Patient/p1` } }), search: { mode: 'include' } },
        { resource: { resourceType: 'OperationOutcome', issue: [] }, search: { mode: 'outcome' } },
      ],
    };
    const { resources, fullUrls } = readBundle(json);
    expect(buildRecord({ resources, fullUrls }).observations).toHaveLength(1);
  });

  it('reads a document bundle (IPS) whose sections hold resources without subjects', () => {
    const json = {
      resourceType: 'Bundle',
      type: 'document',
      entry: [
        { fullUrl: 'urn:uuid:comp', resource: { resourceType: 'Composition', status: 'final', subject: { reference: 'urn:uuid:pat' }, section: [] } },
        { fullUrl: 'urn:uuid:pat', resource: { ...PATIENT, id: 'ips-1' } },
        { fullUrl: 'urn:uuid:c1', resource: { ...condition('c1'), subject: { reference: 'urn:uuid:pat' } } },
        { fullUrl: 'urn:uuid:c2', resource: { ...condition('c2'), subject: undefined } },
      ],
    };
    const { resources, fullUrls } = readBundle(json);
    const record = buildRecord({ resources, fullUrls });
    expect(record.patient.id).toBe('ips-1');
    expect(record.conditions.map((c) => c.reference)).toEqual(['Condition/c1', 'Condition/c2']);
  });
});
