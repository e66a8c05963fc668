/**
 * A generated heavy patient: 20,000 Observations over 15 years, 500 Conditions and 300
 * medication entries, shaped like a long EHR record (mostly routine results, some that matter).
 * Used by `npm run bench:assess` and the sandbox's heavy patient.
 */
import type { FhirResource } from 'fhir/r4';

const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

/** Lab codes with a plausible value and unit; the first ones matter to the rules, the rest are noise. */
const LABS: Array<[string, string, number, string]> = [
  ['718-7', 'Hemoglobin', 13.5, 'g/dL'], ['777-3', 'Platelets', 250, '10*3/uL'], ['751-8', 'Neutrophils', 4.1, '10*3/uL'],
  ['731-0', 'Lymphocytes', 2.0, '10*3/uL'], ['6690-2', 'Leukocytes', 7.2, '10*3/uL'], ['1742-6', 'ALT', 24, 'U/L'],
  ['1920-8', 'AST', 21, 'U/L'], ['2093-3', 'Cholesterol', 190, 'mg/dL'], ['2085-9', 'HDL', 55, 'mg/dL'],
  ['18262-6', 'LDL', 110, 'mg/dL'], ['2571-8', 'Triglycerides', 130, 'mg/dL'], ['2345-7', 'Glucose', 95, 'mg/dL'],
  ['2160-0', 'Creatinine', 0.9, 'mg/dL'], ['2951-2', 'Sodium', 140, 'mmol/L'], ['2823-3', 'Potassium', 4.2, 'mmol/L'],
  ['8867-4', 'Heart rate', 72, '/min'], ['8480-6', 'Systolic blood pressure', 122, 'mm[Hg]'], ['29463-7', 'Body weight', 70, 'kg'],
  ['8302-2', 'Body height', 170, 'cm'], ['39156-5', 'BMI', 24, 'kg/m2'],
];

export interface HeavyRecordOptions { observations?: number; conditions?: number; medications?: number; years?: number; today?: Date; patientId?: string }

export function heavyRecordResources(options: HeavyRecordOptions = {}): FhirResource[] {
  const { observations = 20_000, conditions = 500, medications = 300, years = 15, today = new Date('2026-11-27T00:00:00Z'), patientId = 'heavy' } = options;
  const subject = { reference: `Patient/${patientId}` };
  const span = years * 365 * 86_400_000;
  const at = (i: number, n: number) => new Date(today.getTime() - span + Math.floor((span * (i + 1)) / (n + 1))).toISOString();
  const resources: FhirResource[] = [
    { resourceType: 'Patient', id: patientId, gender: 'female', birthDate: '1968-03-09', name: [{ given: ['Heavy'], family: 'Record' }] },
  ];
  for (let i = 0; i < observations; i++) {
    const [code, display, value, unit] = LABS[i % LABS.length]!;
    const lab = i % LABS.length < 15;
    resources.push({
      resourceType: 'Observation', id: `heavy-o${i}`, status: 'final', subject,
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: lab ? 'laboratory' : 'vital-signs' }] }],
      code: { coding: [{ system: LOINC, code, display }], text: display },
      effectiveDateTime: at(Math.floor(i / LABS.length) * LABS.length, observations),
      valueQuantity: { value: Math.round(value * (0.9 + ((i * 7919) % 21) / 100) * 100) / 100, unit, system: 'http://unitsofmeasure.org', code: unit },
    });
  }
  const conditionCodes: Array<[string, string]> = [['195662009', 'Acute viral pharyngitis'], ['444814009', 'Viral sinusitis'], ['10509002', 'Acute bronchitis'], ['24079001', 'Atopic dermatitis'], ['38341003', 'Hypertension'], ['55822004', 'Hyperlipidemia']];
  for (let i = 0; i < conditions; i++) {
    const [code, display] = conditionCodes[i % conditionCodes.length]!;
    const chronic = i % conditionCodes.length >= 3;
    resources.push({
      resourceType: 'Condition', id: `heavy-c${i}`, subject,
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: chronic ? 'active' : 'resolved' }] },
      verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
      code: { coding: [{ system: SNOMED, code, display }], text: display },
      onsetDateTime: at(i, conditions).slice(0, 10),
      ...(chronic ? {} : { abatementDateTime: at(i + 1, conditions).slice(0, 10) }),
    });
  }
  const meds: Array<[string, string]> = [['310965', 'Ibuprofen 200 MG Oral Tablet'], ['314076', 'lisinopril 10 MG Oral Tablet'], ['617312', 'atorvastatin 40 MG Oral Tablet'], ['106258', 'hydrocortisone 10 MG/ML Topical Cream'], ['1014676', 'cetirizine 10 MG Oral Tablet']];
  for (let i = 0; i < medications; i++) {
    const [code, display] = meds[i % meds.length]!;
    resources.push({
      resourceType: 'MedicationRequest', id: `heavy-m${i}`, subject, intent: 'order',
      status: i >= medications - meds.length ? 'active' : 'completed',
      medicationCodeableConcept: { coding: [{ system: RXNORM, code, display }], text: display },
      authoredOn: at(i, medications),
    });
  }
  return resources;
}
