/**
 * Codes and displays used by the scenario charts. LOINC, SNOMED CT, RxNorm and CVX codes as
 * listed in the project's clinical KB (label-facts-and-codes.md, section B, with its sources);
 * displays are the code systems' names. UCUM units: http://unitsofmeasure.org.
 */
import { CVX, ICD10CM, LOINC, RXNORM, SNOMED } from '../../engine/normalise/codes';

export { CVX, ICD10CM, LOINC, RXNORM, SNOMED };
export const UCUM = 'http://unitsofmeasure.org';
export const OBS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

/** A quantitative lab: its LOINC, UCUM unit and reference interval in that unit. */
export interface LabDef {
  loinc: string;
  display: string;
  /** UCUM code. */
  unit: string;
  /** Human unit text when it differs from the UCUM code. */
  unitText?: string;
  low?: number;
  high?: number;
  category?: 'laboratory' | 'vital-signs';
}

const lab = (loinc: string, display: string, unit: string, low?: number, high?: number, unitText?: string): LabDef => ({
  loinc,
  display,
  unit,
  ...(low !== undefined ? { low } : {}),
  ...(high !== undefined ? { high } : {}),
  ...(unitText ? { unitText } : {}),
});

/** Conventional (US) units. */
export const LABS_US = {
  wbc: lab('6690-2', 'Leukocytes [#/volume] in Blood by Automated count', '10*3/uL', 4.5, 11.0, '10^3/uL'),
  hemoglobin: lab('718-7', 'Hemoglobin [Mass/volume] in Blood', 'g/dL', 12.0, 17.5),
  platelets: lab('777-3', 'Platelets [#/volume] in Blood by Automated count', '10*3/uL', 150, 400, '10^3/uL'),
  anc: lab('751-8', 'Neutrophils [#/volume] in Blood by Automated count', '10*3/uL', 1.8, 7.7, '10^3/uL'),
  alc: lab('731-0', 'Lymphocytes [#/volume] in Blood by Automated count', '10*3/uL', 1.0, 4.8, '10^3/uL'),
  neutrophilsPct: lab('770-8', 'Neutrophils/100 leukocytes in Blood by Automated count', '%', 40, 70),
  lymphocytesPct: lab('736-9', 'Lymphocytes/100 leukocytes in Blood by Automated count', '%', 20, 40),
  alt: lab('1742-6', 'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma', 'U/L', 7, 40),
  ast: lab('1920-8', 'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma', 'U/L', 8, 40),
  cholesterol: lab('2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma', 'mg/dL', undefined, 200),
  ldlCalculated: lab('13457-7', 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation', 'mg/dL', undefined, 130),
  hdl: lab('2085-9', 'Cholesterol in HDL [Mass/volume] in Serum or Plasma', 'mg/dL', 40),
  triglycerides: lab('2571-8', 'Triglyceride [Mass/volume] in Serum or Plasma', 'mg/dL', undefined, 150),
  creatinine: lab('2160-0', 'Creatinine [Mass/volume] in Serum or Plasma', 'mg/dL', 0.6, 1.3),
  glucose: lab('2345-7', 'Glucose [Mass/volume] in Serum or Plasma', 'mg/dL', 70, 99),
  sodium: lab('2951-2', 'Sodium [Moles/volume] in Serum or Plasma', 'mmol/L', 135, 145),
  potassium: lab('2823-3', 'Potassium [Moles/volume] in Serum or Plasma', 'mmol/L', 3.5, 5.1),
} as const;

/** SI units, for the scenarios that exercise unit conversion. */
export const LABS_SI = {
  ...LABS_US,
  wbc: lab('6690-2', 'Leukocytes [#/volume] in Blood by Automated count', '10*9/L', 4.5, 11.0, '10^9/L'),
  hemoglobin: lab('718-7', 'Hemoglobin [Mass/volume] in Blood', 'g/L', 120, 175),
  platelets: lab('777-3', 'Platelets [#/volume] in Blood by Automated count', '10*9/L', 150, 400, '10^9/L'),
  anc: lab('751-8', 'Neutrophils [#/volume] in Blood by Automated count', '10*9/L', 1.8, 7.7, '10^9/L'),
  alc: lab('731-0', 'Lymphocytes [#/volume] in Blood by Automated count', '10*9/L', 1.0, 4.8, '10^9/L'),
  cholesterol: lab('2093-3', 'Cholesterol [Moles/volume] in Serum or Plasma', 'mmol/L', undefined, 5.2),
  ldlCalculated: lab('13457-7', 'Cholesterol in LDL [Moles/volume] in Serum or Plasma by calculation', 'mmol/L', undefined, 3.4),
  hdl: lab('2085-9', 'Cholesterol in HDL [Moles/volume] in Serum or Plasma', 'mmol/L', 1.0),
  triglycerides: lab('2571-8', 'Triglyceride [Moles/volume] in Serum or Plasma', 'mmol/L', undefined, 1.7),
} as const;

export type LabSet = typeof LABS_US;

export const VITALS = {
  heartRate: { ...lab('8867-4', 'Heart rate', '/min', 60, 100), category: 'vital-signs' },
  bodyWeight: { ...lab('29463-7', 'Body weight', 'kg'), category: 'vital-signs' },
  bmi: { ...lab('39156-5', 'Body mass index (BMI) [Ratio]', 'kg/m2'), category: 'vital-signs' },
} satisfies Record<string, LabDef>;

/** Qualitative tests answered with a SNOMED finding. */
export const CODED_TESTS = {
  igra: { loinc: '71773-6', display: 'Mycobacterium tuberculosis stimulated gamma interferon [Interpretation] in Blood' },
  hbsag: { loinc: '5196-1', display: 'Hepatitis B virus surface Ag [Presence] in Serum or Plasma by Immunoassay' },
  antiHbc: { loinc: '16933-4', display: 'Hepatitis B virus core Ab [Presence] in Serum' },
  hcvAb: { loinc: '13955-0', display: 'Hepatitis C virus Ab [Presence] in Serum or Plasma by Immunoassay' },
  urineHcg: { loinc: '2106-3', display: 'Choriogonadotropin (pregnancy test) [Presence] in Urine' },
  serumHcg: { loinc: '2118-8', display: 'Choriogonadotropin (pregnancy test) [Presence] in Serum or Plasma' },
} as const;

export const RESULT = {
  negative: { system: SNOMED, code: '260385009', display: 'Negative' },
  positive: { system: SNOMED, code: '10828004', display: 'Positive' },
  indeterminate: { system: SNOMED, code: '82334004', display: 'Indeterminate' },
} as const;

export const SMOKING_STATUS = { loinc: '72166-2', display: 'Tobacco smoking status' } as const;
export const SMOKING = {
  daily: { system: SNOMED, code: '449868002', display: 'Smokes tobacco daily (finding)' },
  never: { system: SNOMED, code: '266919005', display: 'Never smoked tobacco (finding)' },
} as const;

export interface ConditionDef {
  snomed: string;
  display: string;
  icd10?: string;
  icd10Display?: string;
}

export const CONDITIONS = {
  atopicDermatitis: { snomed: '24079001', display: 'Atopic dermatitis', icd10: 'L20.9', icd10Display: 'Atopic dermatitis, unspecified' },
  // No dedicated code exists (label-facts §B): the eczema concept, named for the hands, with ICD-10-CM L30.9.
  chronicHandEczema: { snomed: '43116000', display: 'Chronic hand eczema', icd10: 'L30.9', icd10Display: 'Dermatitis, unspecified' },
  pregnancy: { snomed: '77386006', display: 'Pregnancy', icd10: 'Z33.1', icd10Display: 'Pregnant state, incidental' },
  dvt: { snomed: '128053003', display: 'Deep venous thrombosis', icd10: 'I82.409', icd10Display: 'Acute embolism and thrombosis of unspecified deep veins of unspecified lower extremity' },
  hypertension: { snomed: '38341003', display: 'Hypertensive disorder, systemic arterial', icd10: 'I10', icd10Display: 'Essential (primary) hypertension' },
  allergicRhinitis: { snomed: '61582004', display: 'Allergic rhinitis' },
  asthma: { snomed: '195967001', display: 'Asthma' },
} satisfies Record<string, ConditionDef>;

/** Self-limiting episodes for long histories (all resolved long ago: they must not raise cautions). */
export const MINOR_EPISODES: ConditionDef[] = [
  { snomed: '195662009', display: 'Acute viral pharyngitis' },
  { snomed: '10509002', display: 'Acute bronchitis' },
  { snomed: '444814009', display: 'Viral sinusitis' },
  { snomed: '44465007', display: 'Sprain of ankle' },
  { snomed: '65363002', display: 'Otitis media' },
  { snomed: '40275004', display: 'Contact dermatitis' },
  { snomed: '9826008', display: 'Conjunctivitis' },
  { snomed: '279039007', display: 'Low back pain' },
  { snomed: '25064002', display: 'Headache' },
  { snomed: '271807003', display: 'Eruption of skin' },
];

export interface MedicationDef {
  rxnorm?: string;
  display: string;
  dosage: string;
  route?: string;
}

export const MEDICATIONS = {
  clopidogrel: { rxnorm: '309362', display: 'clopidogrel 75 MG Oral Tablet', dosage: 'Take 1 tablet (75 mg) by mouth once daily', route: 'Oral' },
  dupilumab: { display: 'Dupixent 300 MG/2ML Prefilled Syringe', dosage: 'Inject 300 mg under the skin every 2 weeks', route: 'Subcutaneous' },
  upadacitinib: { display: 'Rinvoq (upadacitinib) 15 MG Extended Release Oral Tablet', dosage: 'Take 1 tablet by mouth once daily', route: 'Oral' },
  abrocitinib100: { display: 'Cibinqo (abrocitinib) 100 MG Oral Tablet', dosage: 'Take 1 tablet (100 mg) by mouth once daily', route: 'Oral' },
  abrocitinib200: { display: 'Cibinqo (abrocitinib) 200 MG Oral Tablet', dosage: 'Take 1 tablet (200 mg) by mouth once daily', route: 'Oral' },
  cetirizine: { rxnorm: '1014678', display: 'cetirizine hydrochloride 10 MG Oral Tablet', dosage: 'Take 1 tablet by mouth once daily', route: 'Oral' },
  hydrocortisoneCream: { rxnorm: '106258', display: 'hydrocortisone 10 MG/ML Topical Cream', dosage: 'Apply a thin layer to affected skin twice daily', route: 'Topical' },
  amoxicillin: { rxnorm: '308191', display: 'amoxicillin 500 MG Oral Capsule', dosage: 'Take 1 capsule by mouth three times daily for 7 days', route: 'Oral' },
  ibuprofen: { rxnorm: '197805', display: 'ibuprofen 400 MG Oral Tablet', dosage: 'Take 1 tablet by mouth every 6 hours as needed for pain', route: 'Oral' },
  emollient: { display: 'Emollient cream (white soft paraffin 15% / liquid paraffin 6%)', dosage: 'Apply to whole body at least twice daily', route: 'Topical' },
} satisfies Record<string, MedicationDef>;

export const VACCINES = {
  zosterRecombinant: { code: '187', display: 'zoster vaccine recombinant' },
  mmr: { code: '03', display: 'measles, mumps and rubella virus vaccine' },
  influenza: { code: '158', display: 'influenza, injectable, quadrivalent, contains preservative' },
} as const;
