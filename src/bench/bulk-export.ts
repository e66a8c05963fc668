/**
 * A generated FHIR Bulk Data export for benchmarks and tests: N patients with realistic shapes
 * (labs with LOINC and reference ranges, screening results, conditions in SNOMED, medication
 * requests by RxNorm code or by reference to a shared Medication, statements, immunizations by
 * CVX), about 100 resources per patient, written as NDJSON the way bulk servers split it:
 * numbered files for large types, one type gzipped. Deterministic for a given seed.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { seededRandom } from '../sandbox/scenarios/seeded-random';

const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const CVX = 'http://hl7.org/fhir/sid/cvx';
const UCUM = 'http://unitsofmeasure.org';
const OBS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

export interface BulkExportOptions {
  dir: string;
  patients: number;
  /** The day the export was made (results fall in the three years before it). */
  today?: string;
  seed?: number;
  /** Lines per numbered file for the large types (Observation). */
  linesPerFile?: number;
}

export interface BulkExportStats {
  patients: number;
  resources: number;
  bytes: number;
  files: string[];
  /** Patients with a current JAK inhibitor order (the ones with a monitoring schedule). */
  onTherapy: number;
}

type Lab = [code: string, display: string, mean: number, unit: string, low: number, high: number];
const CBC: Lab[] = [
  ['718-7', 'Hemoglobin [Mass/volume] in Blood', 13.8, 'g/dL', 12, 17.5],
  ['777-3', 'Platelets [#/volume] in Blood by Automated count', 260, '10*3/uL', 150, 400],
  ['6690-2', 'Leukocytes [#/volume] in Blood by Automated count', 7.1, '10*3/uL', 4, 11],
  ['751-8', 'Neutrophils [#/volume] in Blood by Automated count', 4.2, '10*3/uL', 1.8, 7.7],
  ['731-0', 'Lymphocytes [#/volume] in Blood by Automated count', 2.1, '10*3/uL', 1, 4.8],
];
const LIVER: Lab[] = [
  ['1742-6', 'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma', 24, 'U/L', 7, 56],
  ['1920-8', 'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma', 22, 'U/L', 10, 40],
];
const LIPIDS: Lab[] = [
  ['2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma', 190, 'mg/dL', 0, 200],
  ['2085-9', 'Cholesterol in HDL [Mass/volume] in Serum or Plasma', 55, 'mg/dL', 40, 200],
  ['18262-6', 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay', 110, 'mg/dL', 0, 130],
  ['2571-8', 'Triglyceride [Mass/volume] in Serum or Plasma', 130, 'mg/dL', 0, 150],
];
const CHEMISTRY: Lab[] = [
  ['2160-0', 'Creatinine [Mass/volume] in Serum or Plasma', 0.9, 'mg/dL', 0.6, 1.3],
  ['33914-3', 'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum or Plasma by Creatinine-based formula (MDRD)', 92, 'mL/min/{1.73_m2}', 60, 200],
  ['2345-7', 'Glucose [Mass/volume] in Serum or Plasma', 95, 'mg/dL', 70, 99],
  ['2951-2', 'Sodium [Moles/volume] in Serum or Plasma', 140, 'mmol/L', 135, 145],
  ['2823-3', 'Potassium [Moles/volume] in Serum or Plasma', 4.2, 'mmol/L', 3.5, 5.1],
];
const VITALS: Lab[] = [
  ['8480-6', 'Systolic blood pressure', 124, 'mm[Hg]', 90, 130],
  ['8462-4', 'Diastolic blood pressure', 78, 'mm[Hg]', 60, 85],
  ['29463-7', 'Body weight', 72, 'kg', 0, 500],
  ['39156-5', 'Body mass index (BMI) [Ratio]', 25, 'kg/m2', 18.5, 25],
];
const SCREENING: Array<[code: string, display: string]> = [
  ['71773-6', 'QuantiFERON-TB Gold Plus interpretation'],
  ['5196-1', 'Hepatitis B virus surface Ag [Presence] in Serum'],
  ['16933-4', 'Hepatitis B virus core Ab [Presence] in Serum'],
  ['13955-0', 'Hepatitis C virus Ab [Presence] in Serum'],
];
const CONDITIONS: Array<[code: string, display: string, chronic: boolean]> = [
  ['24079001', 'Atopic dermatitis', true], ['38341003', 'Hypertensive disorder', true], ['55822004', 'Hyperlipidemia', true],
  ['444814009', 'Viral sinusitis (disorder)', false], ['195662009', 'Acute viral pharyngitis (disorder)', false],
  ['10509002', 'Acute bronchitis (disorder)', false], ['44054006', 'Diabetes mellitus type 2', true], ['195967001', 'Asthma', true],
  ['128053003', 'Deep venous thrombosis (disorder)', false], ['56717001', 'Tuberculosis', false], ['363406005', 'Malignant neoplasm of colon', false],
];
const DRUGS: Array<[rxnorm: string, display: string]> = [
  ['310965', 'Ibuprofen 200 MG Oral Tablet'], ['314076', 'lisinopril 10 MG Oral Tablet'], ['617312', 'atorvastatin 40 MG Oral Tablet'],
  ['106258', 'Hydrocortisone 10 MG/ML Topical Cream'], ['1014676', 'cetirizine hydrochloride 10 MG Oral Tablet'], ['860975', 'metformin hydrochloride 500 MG Oral Tablet'],
  ['1719286', '10 ML Dupilumab 150 MG/ML Prefilled Syringe'], ['309362', 'clopidogrel 75 MG Oral Tablet'], ['197361', 'amlodipine 5 MG Oral Tablet'],
  ['2591487', 'abrocitinib 100 MG Oral Tablet'], ['2196900', 'upadacitinib 15 MG Extended Release Oral Tablet'], ['895994', 'fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler'],
];
const JAK_DRUGS = [9, 10];
const VACCINES: Array<[cvx: string, display: string]> = [
  ['140', 'Influenza, seasonal, injectable, preservative free'], ['115', 'Tdap'], ['187', 'zoster vaccine recombinant'],
  ['208', 'SARS-COV-2 (COVID-19) vaccine, mRNA'], ['133', 'Pneumococcal conjugate PCV 13'], ['03', 'MMR'],
];
const GIVEN = ['Ana', 'Ben', 'Chloe', 'David', 'Eva', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas', 'Kemi', 'Liam', 'Maya', 'Noor', 'Omar', 'Priya'];
const FAMILY = ['Adams', 'Baker', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jensen', 'Kowalski', 'Lopez', 'Müller', 'Nguyen', "O'Brien", 'Patel'];

class TypeWriter {
  private stream: NodeJS.WritableStream | undefined;
  private fileLines = 0;
  private fileNo = 0;
  bytes = 0;
  lines = 0;
  readonly files: string[] = [];
  private readonly pending: Promise<void>[] = [];

  constructor(private readonly dir: string, private readonly type: string, private readonly linesPerFile: number, private readonly gzip: boolean) {}

  private open(): NodeJS.WritableStream {
    this.fileNo += 1;
    const name = this.linesPerFile === Infinity ? `${this.type}.ndjson${this.gzip ? '.gz' : ''}` : `${this.type}.${this.fileNo}.ndjson${this.gzip ? '.gz' : ''}`;
    this.files.push(name);
    const file = createWriteStream(join(this.dir, name));
    this.pending.push(new Promise((resolve, reject) => file.on('finish', () => resolve()).on('error', reject)));
    if (!this.gzip) return file;
    const gz = createGzip({ level: 1 });
    gz.pipe(file);
    return gz;
  }

  async write(resource: object): Promise<void> {
    if (!this.stream || this.fileLines >= this.linesPerFile) {
      this.stream?.end();
      this.stream = this.open();
      this.fileLines = 0;
    }
    const line = `${JSON.stringify(resource)}\n`;
    this.bytes += line.length;
    this.lines += 1;
    this.fileLines += 1;
    if (!this.stream.write(line)) await new Promise((resolve) => this.stream!.once('drain', resolve));
  }

  async close(): Promise<void> {
    this.stream?.end();
    await Promise.all(this.pending);
  }
}

export async function writeBulkExport(options: BulkExportOptions): Promise<BulkExportStats> {
  const { dir, patients, today = '2026-11-27', seed = 7, linesPerFile = 250_000 } = options;
  mkdirSync(dir, { recursive: true });
  const rnd = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const end = Date.parse(`${today}T12:00:00Z`);
  const day = 86_400_000;
  const daysAgo = (d: number) => new Date(end - d * day).toISOString().slice(0, 10);
  const instant = (d: number) => new Date(end - d * day).toISOString();

  const writers = {
    Patient: new TypeWriter(dir, 'Patient', Infinity, false),
    Observation: new TypeWriter(dir, 'Observation', linesPerFile, false),
    Condition: new TypeWriter(dir, 'Condition', Infinity, false),
    MedicationRequest: new TypeWriter(dir, 'MedicationRequest', Infinity, false),
    MedicationStatement: new TypeWriter(dir, 'MedicationStatement', Infinity, false),
    Medication: new TypeWriter(dir, 'Medication', Infinity, false),
    Immunization: new TypeWriter(dir, 'Immunization', Infinity, true),
  };

  // A shared formulary: several Medication resources per drug, as EHRs create them per product/package.
  const medicationIds: string[][] = DRUGS.map(() => []);
  for (let i = 0; i < DRUGS.length * 12; i++) {
    const drug = i % DRUGS.length;
    const [code, display] = DRUGS[drug]!;
    const id = `med-${i}`;
    medicationIds[drug]!.push(id);
    await writers.Medication.write({
      resourceType: 'Medication', id, meta: { lastUpdated: instant(400) },
      code: { coding: [{ system: RXNORM, code, display }], text: display },
      status: 'active', form: { text: /Cream/.test(display) ? 'cream' : /Syringe/.test(display) ? 'injection' : 'tablet' },
    });
  }

  let onTherapy = 0;
  for (let p = 0; p < patients; p++) {
    const pid = `pt-${p.toString(36)}-${Math.floor(rnd() * 1e6).toString(36)}`;
    const subject = { reference: `Patient/${pid}` };
    const female = rnd() < 0.55;
    const age = 12 + Math.floor(rnd() * 74);
    const birth = `${Number(today.slice(0, 4)) - age - 1}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
    const meta = { versionId: '1', lastUpdated: instant(Math.floor(rnd() * 30)) };
    await writers.Patient.write({
      resourceType: 'Patient', id: pid, meta,
      identifier: [
        { use: 'usual', type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR', display: 'Medical Record Number' }], text: 'Medical Record Number' }, system: 'urn:oid:1.2.840.114350.1.13.0.1.7.5.737384.14', value: `MRN${(100000 + p).toString()}` },
        { use: 'official', type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'SS' }] }, system: 'http://hl7.org/fhir/sid/us-ssn', value: `999-${String(p % 100).padStart(2, '0')}-${String(p % 10000).padStart(4, '0')}` },
      ],
      name: [{ use: 'official', family: pick(FAMILY), given: [pick(GIVEN)] }],
      telecom: [{ system: 'phone', value: `555-${String(p % 10000).padStart(4, '0')}`, use: 'home' }],
      gender: female ? 'female' : 'male', birthDate: birth,
      address: [{ line: [`${1 + (p % 999)} Main St`], city: 'Springfield', state: 'MA', postalCode: '01101', country: 'US' }],
    });

    let obs = 0;
    const encounter = { reference: `Encounter/enc-${pid}` };
    const lab = async (l: Lab, d: number, category = 'laboratory') => {
      const [code, display, mean, unit, low, high] = l;
      const value = Math.round(mean * (0.75 + rnd() * 0.5) * 100) / 100;
      await writers.Observation.write({
        resourceType: 'Observation', id: `${pid}-o${obs++}`, meta, status: 'final',
        category: [{ coding: [{ system: OBS_CATEGORY, code: category, display: category === 'laboratory' ? 'Laboratory' : 'Vital Signs' }] }],
        code: { coding: [{ system: LOINC, code, display }], text: display },
        subject, encounter, effectiveDateTime: instant(d), issued: instant(d - 0.2),
        valueQuantity: { value, unit, system: UCUM, code: unit },
        ...(category === 'laboratory' ? { referenceRange: [{ low: { value: low, unit, system: UCUM, code: unit }, high: { value: high, unit, system: UCUM, code: unit } }] } : {}),
        ...(value > high || value < low ? { interpretation: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: value > high ? 'H' : 'L' }] }] } : {}),
      });
    };
    // Lab visits over three years: each a CBC, liver enzymes and chemistry; lipids at every other.
    const visits = 3 + Math.floor(rnd() * 3);
    for (let v = 0; v < visits; v++) {
      const d = Math.floor(((v + rnd()) * 1095) / visits);
      for (const l of CBC) await lab(l, d);
      for (const l of LIVER) await lab(l, d);
      for (const l of CHEMISTRY) await lab(l, d);
      if (v % 2 === 0) for (const l of LIPIDS) await lab(l, d);
      for (const l of VITALS) await lab(l, d, 'vital-signs');
    }
    for (const [code, display] of SCREENING) {
      if (rnd() < 0.3) continue;
      const positive = rnd() < 0.03;
      await writers.Observation.write({
        resourceType: 'Observation', id: `${pid}-o${obs++}`, meta, status: 'final',
        category: [{ coding: [{ system: OBS_CATEGORY, code: 'laboratory' }] }],
        code: { coding: [{ system: LOINC, code, display }], text: display }, subject, effectiveDateTime: instant(Math.floor(rnd() * 700)),
        valueCodeableConcept: { coding: [{ system: SNOMED, code: positive ? '10828004' : '260385009', display: positive ? 'Positive' : 'Negative' }], text: positive ? 'Positive' : 'Negative' },
      });
    }
    if (female && age >= 12 && age <= 50 && rnd() < 0.5) {
      await writers.Observation.write({
        resourceType: 'Observation', id: `${pid}-o${obs++}`, meta, status: 'final', category: [{ coding: [{ system: OBS_CATEGORY, code: 'laboratory' }] }],
        code: { coding: [{ system: LOINC, code: '2106-3', display: 'Choriogonadotropin (pregnancy test) [Presence] in Urine' }] }, subject,
        effectiveDateTime: instant(Math.floor(rnd() * 60)), valueCodeableConcept: { coding: [{ system: SNOMED, code: '260385009', display: 'Negative' }] },
      });
    }
    const smoking = pick([['266919005', 'Never smoked tobacco'], ['8517006', 'Ex-smoker'], ['77176002', 'Smoker']] as const);
    await writers.Observation.write({
      resourceType: 'Observation', id: `${pid}-o${obs++}`, meta, status: 'final', category: [{ coding: [{ system: OBS_CATEGORY, code: 'social-history' }] }],
      code: { coding: [{ system: LOINC, code: '72166-2', display: 'Tobacco smoking status' }] }, subject, effectiveDateTime: instant(Math.floor(rnd() * 365)),
      valueCodeableConcept: { coding: [{ system: SNOMED, code: smoking[0], display: smoking[1] }] },
    });

    const conditions = 5 + Math.floor(rnd() * 6);
    for (let c = 0; c < conditions; c++) {
      const [code, display, chronic] = c === 0 ? CONDITIONS[0]! : CONDITIONS[1 + Math.floor(rnd() * (rnd() < 0.9 ? 7 : CONDITIONS.length - 1))]!;
      const onset = Math.floor(rnd() * 3000);
      await writers.Condition.write({
        resourceType: 'Condition', id: `${pid}-c${c}`, meta,
        clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: chronic ? 'active' : 'resolved' }] },
        verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item' }] }],
        code: { coding: [{ system: SNOMED, code, display }], text: display }, subject, encounter,
        onsetDateTime: instant(onset), recordedDate: instant(onset),
        ...(chronic ? {} : { abatementDateTime: instant(Math.max(0, onset - 14)) }),
      });
    }

    const jak = rnd() < 0.08;
    if (jak) onTherapy += 1;
    const requests = 7 + Math.floor(rnd() * 6);
    for (let m = 0; m < requests; m++) {
      // Mostly everyday drugs; dupilumab and clopidogrel (which matter to the rules) now and then.
      const r = rnd();
      const drug = jak && m === 0 ? JAK_DRUGS[Math.floor(rnd() * JAK_DRUGS.length)]! : r < 0.03 ? 7 : r < 0.08 ? 6 : [0, 1, 2, 3, 4, 5, 8][Math.floor(rnd() * 7)]!;
      const [code, display] = DRUGS[drug]!;
      const current = m === 0 ? true : rnd() < 0.3;
      const byReference = rnd() < 0.4;
      await writers.MedicationRequest.write({
        resourceType: 'MedicationRequest', id: `${pid}-m${m}`, meta, status: current ? 'active' : 'completed', intent: 'order',
        ...(byReference ? { medicationReference: { reference: `Medication/${pick(medicationIds[drug]!)}` } } : { medicationCodeableConcept: { coding: [{ system: RXNORM, code, display }], text: display } }),
        subject, encounter, authoredOn: instant(jak && m === 0 ? 20 + Math.floor(rnd() * 200) : Math.floor(rnd() * 1500)),
        requester: { reference: 'Practitioner/dr-1', display: 'Dr. Example' },
        dosageInstruction: [{ text: 'Take as directed', timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } } }],
      });
    }
    for (let s = 0; s < 2; s++) {
      const [code, display] = DRUGS[Math.floor(rnd() * 6)]!;
      await writers.MedicationStatement.write({
        resourceType: 'MedicationStatement', id: `${pid}-s${s}`, meta, status: rnd() < 0.5 ? 'active' : 'completed',
        medicationCodeableConcept: { coding: [{ system: RXNORM, code, display }], text: display }, subject,
        effectivePeriod: { start: daysAgo(100 + Math.floor(rnd() * 900)) }, dateAsserted: daysAgo(Math.floor(rnd() * 90)),
      });
    }
    const immunizations = 6 + Math.floor(rnd() * 5);
    for (let i = 0; i < immunizations; i++) {
      const [code, display] = i < 3 ? VACCINES[0]! : pick(VACCINES);
      await writers.Immunization.write({
        resourceType: 'Immunization', id: `${pid}-i${i}`, meta, status: 'completed',
        vaccineCode: { coding: [{ system: CVX, code, display }], text: display }, patient: subject, encounter,
        occurrenceDateTime: instant(Math.floor(rnd() * 2000)), primarySource: true, lotNumber: `L${Math.floor(rnd() * 99999)}`,
      });
    }
  }

  const all = Object.values(writers);
  await Promise.all(all.map((w) => w.close()));
  return {
    patients,
    resources: all.reduce((n, w) => n + w.lines, 0),
    bytes: all.reduce((n, w) => n + w.bytes, 0),
    files: all.flatMap((w) => w.files),
    onTherapy,
  };
}
