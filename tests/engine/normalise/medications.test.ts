import { describe, expect, it } from 'vitest';
import type { FhirResource, Medication, MedicationRequest, MedicationStatement } from 'fhir/r4';
import { toMedicationFact } from '../../../src/engine/normalise/medications';
import { ResourceIndex, rememberFullUrl } from '../../../src/engine/normalise/references';
import { RXNORM } from '../../../src/engine/normalise/codes';

function run(resource: MedicationRequest | MedicationStatement, others: FhirResource[] = []) {
  const index = new ResourceIndex([resource, ...others]);
  return toMedicationFact(resource, `${resource.resourceType}/${resource.id}`, (ref, c) => index.resolve(ref, c));
}

const subject = { reference: 'Patient/p1' };

function request(fields: Partial<MedicationRequest>): MedicationRequest {
  return { resourceType: 'MedicationRequest', id: 'mr1', status: 'active', intent: 'order', subject, ...fields } as MedicationRequest;
}

const aspirinMedication: Medication = {
  resourceType: 'Medication',
  id: 'med-asa',
  code: { coding: [{ system: 'urn:oid:2.16.840.1.113883.6.88', code: '243670', display: 'Aspirin 81 MG Oral Tablet' }] },
  form: { text: 'Oral tablet' },
  ingredient: [
    {
      itemCodeableConcept: { coding: [{ system: RXNORM, code: '1191', display: 'Aspirin' }] },
      strength: { numerator: { value: 81, unit: 'mg' }, denominator: { value: 1, unit: 'TAB' } },
    },
  ],
};

describe('toMedicationFact: finding the drug', () => {
  it('reads an inline medicationCodeableConcept', () => {
    const { fact, issues } = run(
      request({
        medicationCodeableConcept: { coding: [{ system: RXNORM, code: '309362', display: 'Clopidogrel 75 MG Oral Tablet' }] },
        authoredOn: '2025-01-10T09:00:00Z',
      }),
    );
    expect(fact).toMatchObject({
      kind: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      display: 'Clopidogrel 75 MG Oral Tablet',
      names: ['clopidogrel 75 mg oral tablet'],
      strengthMg: 75,
      date: '2025-01-10',
    });
    expect(fact.codes).toEqual([{ system: RXNORM, code: '309362', display: 'Clopidogrel 75 MG Oral Tablet' }]);
    expect(issues).toEqual([]);
  });

  it('resolves a contained Medication (#id)', () => {
    const { fact } = run(request({ contained: [{ ...aspirinMedication, id: 'm' }], medicationReference: { reference: '#m' } }));
    expect(fact.codes.map((c) => c.code)).toEqual(['243670']);
    expect(fact.codes[0]?.system).toBe(RXNORM);
    expect(fact.names).toEqual(['aspirin 81 mg oral tablet', 'aspirin']);
    expect(fact.doseForm).toBe('Oral tablet');
    expect(fact.strengthMg).toBe(81);
  });

  it('resolves a separate Medication by Medication/id and by absolute URL', () => {
    const byId = run(request({ medicationReference: { reference: 'Medication/med-asa' } }), [aspirinMedication]);
    expect(byId.fact.display).toBe('Aspirin 81 MG Oral Tablet');
    const byUrl = run(request({ medicationReference: { reference: 'https://ehr.example/fhir/Medication/med-asa' } }), [
      aspirinMedication,
    ]);
    expect(byUrl.fact.strengthMg).toBe(81);
  });

  it('resolves a Medication by its bundle fullUrl (urn:uuid)', () => {
    const medication: Medication = { resourceType: 'Medication', code: { text: 'Methotrexate 2.5 mg tablet' } };
    rememberFullUrl(medication, 'urn:uuid:5f0c1b7e-0000-4000-8000-000000000001');
    const { fact } = run(
      request({ medicationReference: { reference: 'urn:uuid:5f0c1b7e-0000-4000-8000-000000000001' } }),
      [medication],
    );
    expect(fact.names).toEqual(['methotrexate 2.5 mg tablet']);
    expect(fact.strengthMg).toBe(2.5);
    expect(fact.unresolved).toBeUndefined();
  });

  it('falls back to the reference display when the Medication is not in the record', () => {
    const { fact, issues } = run(
      request({ medicationReference: { reference: 'Medication/elsewhere', display: 'Cibinqo 100 mg tablet' } }),
    );
    expect(fact.display).toBe('Cibinqo 100 mg tablet');
    expect(fact.names).toEqual(['cibinqo 100 mg tablet']);
    expect(fact.codes).toEqual([]);
    expect(fact.unresolved).toBeUndefined();
    expect(issues).toEqual([]);
  });

  it('marks an entry with neither code nor name as unresolved and says why', () => {
    const { fact, issues } = run(request({ medicationReference: { reference: 'Medication/gone' } }));
    expect(fact.unresolved).toBe(true);
    expect(fact.display).toBe('Unnamed medication');
    expect(issues[0]?.message).toMatch(/Medication\/gone is not in the record/);
  });
});

describe('toMedicationFact: strength and daily dose', () => {
  const named = (text: string, dosage?: MedicationRequest['dosageInstruction']) =>
    run(request({ medicationCodeableConcept: { text }, ...(dosage ? { dosageInstruction: dosage } : {}) })).fact;

  it.each<[string, number | undefined]>([
    ['aspirin 81 MG Oral Tablet', 81],
    ['Aspirin 325 mg', 325],
    ['ASPIRIN TBL 500MG', 500],
    ['Aspirin 1 g effervescent', 1000],
    ['Aspirin 81 MG / Dipyridamole 200 MG ER capsule', undefined], // combination: no single strength
    ['217 325+30MG', undefined],
    ['Amoxicillin 250 MG/5ML oral suspension', undefined], // a concentration, not a unit strength
    ['Albuterol 0.09 MG/ACTUAT inhaler', undefined],
    ['Aspirin', undefined],
  ])('%s -> strength %s mg', (name, strength) => {
    expect(named(name).strengthMg).toBe(strength);
  });

  it('computes the daily dose from tablets x strength x frequency', () => {
    const fact = named('Aspirin 325 mg oral tablet', [
      { timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd' } }, doseAndRate: [{ doseQuantity: { value: 1 } }] },
    ]);
    expect(fact.dailyDoseMg).toBe(650);
  });

  it('uses a dose given in mg directly, and timing codes', () => {
    const fact = named('Aspirin', [
      {
        timing: { code: { coding: [{ code: 'TID' }] } },
        doseAndRate: [{ doseQuantity: { value: 81, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' } }],
      },
    ]);
    expect(fact.dailyDoseMg).toBe(243);
  });

  it('leaves the daily dose unknown when the dosage does not say how often', () => {
    const fact = named('Aspirin 81 MG Oral Tablet', [{ text: 'Take as needed.', asNeededBoolean: true }]);
    expect(fact.dailyDoseMg).toBeUndefined();
    expect(fact.dosageText).toBe('Take as needed.');
  });

  it('reads route, dosage text and the validity end', () => {
    const fact = run(
      request({
        medicationCodeableConcept: { text: 'Tacrolimus 0.1% ointment' },
        dosageInstruction: [{ text: 'Apply thinly twice daily', route: { coding: [{ code: '6064005', display: 'Topical route' }] } }],
        dispenseRequest: { validityPeriod: { start: '2025-01-01', end: '2025-06-30T00:00:00Z' } },
      }),
    ).fact;
    expect(fact.route).toBe('Topical route');
    expect(fact.dosageText).toBe('Apply thinly twice daily');
    expect(fact.periodEnd).toBe('2025-06-30');
  });
});

describe('toMedicationFact: MedicationStatement', () => {
  it.each<[string, Partial<MedicationStatement>, string | undefined]>([
    ['effectiveDateTime', { effectiveDateTime: '2024-02-03T10:00:00+01:00' }, '2024-02-03'],
    ['effectivePeriod.start', { effectivePeriod: { start: '2024-01-01', end: '2024-03-01' } }, '2024-01-01'],
    ['dateAsserted', { dateAsserted: '2024-04-04' }, '2024-04-04'],
  ])('takes the date from %s', (_name, fields, date) => {
    const statement = {
      resourceType: 'MedicationStatement',
      id: 'ms1',
      status: 'active',
      subject,
      medicationCodeableConcept: { text: 'Dupixent 300 mg/2 mL' },
      dosage: [{ route: { text: 'Subcutaneous' } }],
      ...fields,
    } as MedicationStatement;
    const { fact } = run(statement);
    expect(fact.kind).toBe('MedicationStatement');
    expect(fact.date).toBe(date);
    expect(fact.route).toBe('Subcutaneous');
  });

  it('takes periodEnd from effectivePeriod.end', () => {
    const { fact } = run({
      resourceType: 'MedicationStatement',
      id: 'ms2',
      status: 'completed',
      subject,
      medicationCodeableConcept: { text: 'Prednisone 20 mg' },
      effectivePeriod: { start: '2024-01-01', end: '2024-01-10' },
    } as MedicationStatement);
    expect(fact.periodEnd).toBe('2024-01-10');
  });
});
