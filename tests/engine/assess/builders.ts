/**
 * Builders for named patient scenarios: FHIR R4 resources as an EHR would send them, run through
 * the real normalisation (buildRecord) and the real rules (assess).
 */
import type { FhirResource } from 'fhir/r4';
import { buildRecord } from '../../../src/engine/normalise';
import { assess } from '../../../src/engine/assess';
import type { LoadedResourceType, LoadStatus, PatientRecord } from '../../../src/engine/record';
import type { ReadinessReport, TherapyId } from '../../../src/contract/report';

export const NOW = '2026-11-27';
const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const CVX = 'http://hl7.org/fhir/sid/cvx';
const UCUM = 'http://unitsofmeasure.org';

type Json = Record<string, unknown>;
let seq = 0;
const id = (prefix: string) => `${prefix}${++seq}`;
const subject = { reference: 'Patient/p1' };

export function daysAgo(days: number): string {
  const d = new Date(`${NOW}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

export function patient(options: { sex?: string; age?: number; birthSex?: string } = {}): Json {
  const age = options.age ?? 34;
  const p: Json = { resourceType: 'Patient', id: 'p1', gender: options.sex ?? 'female', birthDate: `${Number(NOW.slice(0, 4)) - age}-01-15`, name: [{ given: ['Test'], family: 'Patient' }] };
  if (options.birthSex) p.extension = [{ url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex', valueCode: options.birthSex }];
  return p;
}

export function observation(code: string, display: string, value: Json, days: number | null = 10, extra: Json = {}): Json {
  const o: Json = { resourceType: 'Observation', id: id('o'), status: 'final', subject, code: { coding: [{ system: LOINC, code, display }] }, ...value, ...extra };
  if (days !== null) o.effectiveDateTime = `${daysAgo(days)}T09:00:00Z`;
  return o;
}

export const qty = (value: number, unit: string, comparator?: string) => ({ valueQuantity: { value, unit, system: UCUM, code: unit, ...(comparator ? { comparator } : {}) } });
export const answer = (code: string, display: string, system = SNOMED) => ({ valueCodeableConcept: { coding: [{ system, code, display }] } });
export const resultText = (valueString: string) => ({ valueString });
const V3 = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
/** A value with an interpretation flag (labs flag a detected viral load "N": their normal is "any"). */
export const flagged = (value: Json, flag: string): Json => ({ ...value, interpretation: [{ coding: [{ system: V3, code: flag }] }] });
export const POSITIVE = answer('10828004', 'Positive');
export const NEGATIVE = answer('260385009', 'Negative');
export const INDETERMINATE = answer('82334004', 'Indeterminate');

/** Lab results; `days` is how long ago the sample was taken. */
export const lab = {
  hemoglobin: (v = 13.5, unit = 'g/dL', days = 10) => observation('718-7', 'Hemoglobin', qty(v, unit), days),
  platelets: (v = 250, unit = '10*3/uL', days = 10) => observation('777-3', 'Platelets', qty(v, unit), days),
  anc: (v = 4.0, unit = '10*3/uL', days = 10) => observation('751-8', 'Neutrophils', qty(v, unit), days),
  alc: (v = 2.0, unit = '10*3/uL', days = 10) => observation('731-0', 'Lymphocytes', qty(v, unit), days),
  wbc: (v = 7.0, unit = '10*3/uL', days = 10) => observation('6690-2', 'Leukocytes', qty(v, unit), days),
  neutrophilPercent: (v = 60, days = 10) => observation('770-8', 'Neutrophils/100 leukocytes', qty(v, '%'), days),
  alt: (v = 25, days = 10, extra: Json = {}) => observation('1742-6', 'ALT', qty(v, 'U/L'), days, extra),
  ast: (v = 22, days = 10) => observation('1920-8', 'AST', qty(v, 'U/L'), days),
  ldl: (v = 110, days = 30) => observation('18262-6', 'LDL', qty(v, 'mg/dL'), days),
  hdl: (v = 55, days = 30) => observation('2085-9', 'HDL', qty(v, 'mg/dL'), days),
  totalCholesterol: (v = 190, days = 30) => observation('2093-3', 'Cholesterol', qty(v, 'mg/dL'), days),
  triglycerides: (v = 120, days = 30) => observation('2571-8', 'Triglycerides', qty(v, 'mg/dL'), days),
  igra: (result: Json = NEGATIVE, days = 30) => observation('71773-6', 'QuantiFERON', result, days),
  tst: (mm: number, days = 30) => observation('1648-5', 'Tuberculin skin test', qty(mm, 'mm'), days),
  hbsag: (result: Json = NEGATIVE, days = 30) => observation('5196-1', 'HBsAg', result, days),
  antiHbc: (result: Json = NEGATIVE, days = 30) => observation('16933-4', 'Anti-HBc', result, days),
  hcvAb: (result: Json = NEGATIVE, days = 30) => observation('13955-0', 'HCV Ab', result, days),
  hcvRna: (result: Json = NEGATIVE, days = 20) => observation('11011-4', 'HCV RNA', result, days),
  hbvDna: (result: Json, days = 20) => observation('42595-9', 'HBV DNA', result, days),
  antiHbcIgm: (result: Json, days = 30) => observation('24113-3', 'IgM anti-HBc', result, days),
  antiHbs: (result: Json = POSITIVE, days = 30) => observation('22322-2', 'Anti-HBs', result, days),
  hcgQuantitative: (value: number, unit = 'm[IU]/mL', days = 5, comparator?: string) => observation('19080-1', 'hCG, serum, quantitative', qty(value, unit, comparator), days),
  weight: (kg: number, days = 30) => observation('29463-7', 'Body weight', qty(kg, 'kg'), days, { category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }] }),
  hcg: (result: Json = NEGATIVE, days = 5) => observation('2106-3', 'hCG urine', result, days),
  egfr: (v: number, days = 30) => observation('98979-8', 'eGFR', qty(v, 'mL/min/{1.73_m2}'), days),
  smoking: (code: string, display: string, days = 30) => observation('72166-2', 'Tobacco smoking status', answer(code, display), days),
};

/** A complete, normal, recent baseline for a 34-year-old woman. */
export function readyBaseline(): Json[] {
  return [
    lab.hemoglobin(), lab.platelets(), lab.anc(), lab.alc(), lab.alt(), lab.ast(), lab.ldl(), lab.hdl(), lab.totalCholesterol(), lab.triglycerides(),
    lab.igra(), lab.hbsag(), lab.antiHbc(), lab.hcvAb(), lab.hcg(), vaccine('187', 'Zoster recombinant', 200), vaccine('187', 'Zoster recombinant', 120),
  ];
}

/** Prior systemic therapy (a completed dupilumab course): the US oral labels' condition is met. */
export function priorSystemicTherapy(): Json {
  return medication('Dupixent 300 MG/2ML Prefilled Syringe', { status: 'completed', authoredDays: 400 });
}

/** Chronic hand eczema on the problem list (delgocitinib cream's indication). */
export function handEczema(): Json {
  return { ...condition('icd10', 'L30.9', 'Dermatitis, unspecified'), bodySite: [{ text: 'Both hands' }] };
}

/** Nothing open for any agent approved in the region: the baseline, prior systemic therapy and a hand eczema diagnosis. */
export function readyForEveryAgent(): Json[] {
  return [...readyBaseline(), priorSystemicTherapy(), handEczema()];
}

export function condition(system: 'snomed' | 'icd10', code: string, display: string, extra: { clinical?: string; verification?: string; onsetDays?: number; abatementDays?: number } = {}): Json {
  const c: Json = { resourceType: 'Condition', id: id('c'), subject, code: { coding: [{ system: system === 'snomed' ? SNOMED : ICD10CM, code, display }], text: display } };
  c.clinicalStatus = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: extra.clinical ?? 'active' }] };
  if (extra.verification) c.verificationStatus = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: extra.verification }] };
  c.onsetDateTime = daysAgo(extra.onsetDays ?? 700);
  if (extra.abatementDays !== undefined) c.abatementDateTime = daysAgo(extra.abatementDays);
  return c;
}

export function medication(text: string, extra: { rxnorm?: string; status?: string; kind?: 'MedicationRequest' | 'MedicationStatement'; route?: string; dosage?: Json; authoredDays?: number } = {}): Json {
  const kind = extra.kind ?? 'MedicationRequest';
  const m: Json = {
    resourceType: kind, id: id('m'), status: extra.status ?? 'active', subject,
    medicationCodeableConcept: { coding: extra.rxnorm ? [{ system: RXNORM, code: extra.rxnorm, display: text }] : [], text },
  };
  if (kind === 'MedicationRequest') { m.intent = 'order'; m.authoredOn = daysAgo(extra.authoredDays ?? 60); }
  else if (extra.authoredDays !== undefined) m.effectivePeriod = { start: daysAgo(extra.authoredDays) };
  const dosage: Json = { ...(extra.route ? { route: { text: extra.route } } : {}), ...(extra.dosage ?? {}) };
  if (Object.keys(dosage).length) m[kind === 'MedicationRequest' ? 'dosageInstruction' : 'dosage'] = [dosage];
  return m;
}

export function vaccine(cvx: string, display: string, days: number, status = 'completed'): Json {
  return { resourceType: 'Immunization', id: id('i'), status, patient: subject, vaccineCode: { coding: [{ system: CVX, code: cvx, display }] }, occurrenceDateTime: daysAgo(days) };
}

export function record(resources: Json[], loads: Partial<Record<LoadedResourceType, LoadStatus>> = {}): PatientRecord {
  const all = resources.some((r) => r.resourceType === 'Patient') ? resources : [patient(), ...resources];
  return buildRecord({ resources: all as unknown as FhirResource[], patientId: 'p1', loads });
}

export function reportFor(resources: Json[], options: { therapy?: TherapyId; loads?: Partial<Record<LoadedResourceType, LoadStatus>>; now?: string; region?: 'US' | 'EU' } = {}): ReadinessReport {
  return assess(record(resources, options.loads), { now: options.now ?? NOW, ...(options.therapy ? { therapy: options.therapy } : {}), ...(options.region ? { config: { labelRegion: options.region } } : {}) });
}

export const itemOf = (report: ReadinessReport, id: string) => report.checklist.find((i) => i.id === id)!;
export const cautionOf = (report: ReadinessReport, id: string) => report.cautions.find((c) => c.id === id);
