import { describe, expect, it } from 'vitest';
import type { CautionId, Severity, TherapyId } from '../../../src/contract/report';
import { NEGATIVE, POSITIVE, INDETERMINATE, cautionOf, condition, daysAgo, flagged, lab, medication, observation, patient, qty, readyBaseline, reportFor, resultText, vaccine } from './builders';

type Json = Record<string, unknown>;
interface Row {
  scenario: string;
  caution: CautionId;
  resources: Json[];
  /** Expected severity, or null when the caution must NOT be raised. */
  severity: Severity | null;
  therapy?: TherapyId;
  text?: RegExp;
  flags?: { unconfirmed?: boolean; outdated?: boolean };
  /** The site's label region (default US). */
  region?: 'US' | 'EU';
}

const woman = (age: number) => patient({ sex: 'female', age });
const man = (age: number) => patient({ sex: 'male', age });

const rows: Row[] = [
  // cytopenia
  { scenario: 'low neutrophils (ANC 800)', caution: 'cytopenia', resources: [lab.anc(0.8)], severity: 'do-not-start', text: /ANC 800/ },
  { scenario: 'normal counts', caution: 'cytopenia', resources: readyBaseline(), severity: null },
  { scenario: 'platelets 120,000 under oral: warning naming abrocitinib', caution: 'cytopenia', resources: [lab.platelets(120)], severity: 'warning', text: /abrocitinib/ },
  { scenario: 'platelets 120,000 under abrocitinib', caution: 'cytopenia', therapy: 'abrocitinib', resources: [lab.platelets(120)], severity: 'do-not-start' },
  { scenario: 'platelets 120,000 under baricitinib', caution: 'cytopenia', therapy: 'baricitinib', resources: [lab.platelets(120)], severity: null },
  { scenario: 'low ANC 200 days ago: last known value, outdated', caution: 'cytopenia', resources: [lab.anc(0.8, '10*3/uL', 200)], severity: 'warning', flags: { outdated: true } },
  { scenario: 'low ANC superseded by a normal one', caution: 'cytopenia', resources: [lab.anc(0.8, '10*3/uL', 200), lab.anc(3, '10*3/uL', 10)], severity: null },
  { scenario: 'topical therapy: no cytopenia rule', caution: 'cytopenia', therapy: 'topical', resources: [lab.anc(0.8)], severity: null },

  // tuberculosis
  { scenario: 'active TB (SNOMED 56717001)', caution: 'active-tuberculosis', resources: [condition('snomed', '56717001', 'Tuberculosis')], severity: 'do-not-start' },
  { scenario: 'active TB under topical: warning', caution: 'active-tuberculosis', therapy: 'topical', resources: [condition('icd10', 'A15.0', 'Tuberculosis of lung')], severity: 'warning' },
  { scenario: 'resolved TB is not active TB', caution: 'active-tuberculosis', resources: [condition('icd10', 'A15.0', 'Tuberculosis of lung', { clinical: 'resolved' })], severity: null },
  { scenario: 'refuted TB is ignored', caution: 'active-tuberculosis', resources: [condition('snomed', '56717001', 'Tuberculosis', { verification: 'refuted' })], severity: null },
  { scenario: 'provisional active TB: at most a warning, unconfirmed', caution: 'active-tuberculosis', resources: [condition('snomed', '56717001', 'Tuberculosis', { verification: 'provisional' })], severity: 'warning', flags: { unconfirmed: true } },
  { scenario: 'positive IGRA', caution: 'latent-tuberculosis', resources: [lab.igra(POSITIVE)], severity: 'warning' },
  { scenario: 'indeterminate IGRA is not latent TB', caution: 'latent-tuberculosis', resources: [lab.igra(INDETERMINATE)], severity: null },
  { scenario: 'latent TB Z22.7', caution: 'latent-tuberculosis', resources: [condition('icd10', 'Z22.7', 'Latent tuberculosis')], severity: 'warning' },
  { scenario: 'negative IGRA', caution: 'latent-tuberculosis', resources: [lab.igra(NEGATIVE)], severity: null },

  // hepatitis
  { scenario: 'chronic hepatitis B (B18.1)', caution: 'viral-hepatitis', resources: [condition('icd10', 'B18.1', 'Chronic viral hepatitis B')], severity: 'do-not-start' },
  { scenario: 'HBsAg positive', caution: 'viral-hepatitis', resources: [lab.hbsag(POSITIVE)], severity: 'do-not-start' },
  { scenario: 'HCV RNA detected', caution: 'viral-hepatitis', resources: [lab.hcvRna(POSITIVE)], severity: 'do-not-start' },
  { scenario: 'negative serology', caution: 'viral-hepatitis', resources: [lab.hbsag(), lab.hcvAb()], severity: null },
  { scenario: 'anti-HBc positive with HBsAg negative', caution: 'hepatitis-b-exposure', resources: [lab.hbsag(NEGATIVE), lab.antiHbc(POSITIVE)], severity: 'warning', text: /HBV DNA/ },
  { scenario: 'anti-HBc negative', caution: 'hepatitis-b-exposure', resources: [lab.hbsag(NEGATIVE), lab.antiHbc(NEGATIVE)], severity: null },

  // infections
  { scenario: 'HIV', caution: 'serious-infection', resources: [condition('snomed', '86406008', 'HIV infection')], severity: 'warning' },
  { scenario: 'sepsis 6 months ago', caution: 'serious-infection', resources: [condition('icd10', 'A41.9', 'Sepsis', { clinical: 'resolved', onsetDays: 180, abatementDays: 170 })], severity: 'warning', text: /Sepsis/ },
  { scenario: 'sepsis 3 years ago', caution: 'serious-infection', resources: [condition('icd10', 'A41.9', 'Sepsis', { clinical: 'resolved', onsetDays: 1100, abatementDays: 1090 })], severity: null },
  { scenario: 'pneumonia 30 days ago: an active infection is do-not-start (R2.2)', caution: 'serious-infection', resources: [condition('icd10', 'J18.9', 'Pneumonia', { clinical: 'resolved', onsetDays: 30, abatementDays: 20 })], severity: 'do-not-start' },
  { scenario: 'cellulitis a year ago, resolved', caution: 'serious-infection', resources: [condition('snomed', '128045006', 'Cellulitis', { clinical: 'resolved', onsetDays: 365, abatementDays: 350 })], severity: null },
  { scenario: 'recurrent UTI (197927001)', caution: 'serious-infection', resources: [condition('snomed', '197927001', 'Recurrent urinary tract infection')], severity: 'warning' },
  { scenario: 'infection risk applies to ruxolitinib cream too', caution: 'serious-infection', therapy: 'ruxolitinib-cream', resources: [condition('snomed', '86406008', 'HIV infection')], severity: 'warning' },
  { scenario: 'herpes zoster history (B02.9)', caution: 'herpes-zoster-history', resources: [condition('icd10', 'B02.9', 'Zoster without complications', { clinical: 'resolved' })], severity: 'warning' },
  { scenario: 'chickenpox (B01.9) is not zoster', caution: 'herpes-zoster-history', resources: [condition('icd10', 'B01.9', 'Varicella', { clinical: 'resolved' })], severity: null },

  // cardiovascular
  { scenario: 'history of DVT (resolved): avoid (R2.5)', caution: 'thrombosis-history', resources: [condition('snomed', '128053003', 'Deep venous thrombosis', { clinical: 'resolved' })], severity: 'do-not-start', text: /avoid/ },
  { scenario: 'personal history of DVT Z86.718', caution: 'thrombosis-history', resources: [condition('icd10', 'Z86.718', 'Personal history of other venous thrombosis')], severity: 'do-not-start' },
  { scenario: 'varicose veins are not a clot history', caution: 'thrombosis-history', resources: [condition('icd10', 'I83.90', 'Asymptomatic varicose veins')], severity: null },
  { scenario: 'DVT under topical therapy: info', caution: 'thrombosis-history', therapy: 'topical', resources: [condition('snomed', '128053003', 'Deep venous thrombosis')], severity: 'info' },
  { scenario: 'old MI I25.2', caution: 'cardiovascular-history', resources: [condition('icd10', 'I25.2', 'Old myocardial infarction')], severity: 'warning' },
  { scenario: 'history of MI 399211009', caution: 'cardiovascular-history', resources: [condition('snomed', '399211009', 'History of myocardial infarction')], severity: 'warning' },
  { scenario: 'heart failure alone is not an MI/stroke/CAD history', caution: 'cardiovascular-history', resources: [condition('snomed', '88805009', 'Chronic congestive heart failure')], severity: null },
  { scenario: 'smoker over 50 with hypertension', caution: 'cardiovascular-risk', resources: [man(58), lab.smoking('449868002', 'Smokes tobacco daily'), condition('snomed', '38341003', 'Hypertension')], severity: 'warning', text: /Age 58 with hypertension, current smoking/ },
  { scenario: 'hypertension at 45', caution: 'cardiovascular-risk', resources: [man(45), condition('snomed', '38341003', 'Hypertension')], severity: null },
  { scenario: 'age 55, no risk factor', caution: 'cardiovascular-risk', resources: [man(55)], severity: null },

  // smoking
  { scenario: 'current smoker 449868002', caution: 'smoking', resources: [lab.smoking('449868002', 'Smokes tobacco daily')], severity: 'warning', text: /Current smoker/ },
  { scenario: 'former smoker 8517006 (in the eCQM "non-user" set)', caution: 'smoking', resources: [lab.smoking('8517006', 'Ex-smoker')], severity: 'warning', text: /Former smoker/ },
  { scenario: 'never smoker', caution: 'smoking', resources: [lab.smoking('266919005', 'Never smoked tobacco')], severity: null },
  { scenario: 'unknown smoking status', caution: 'smoking', resources: [lab.smoking('266927001', 'Tobacco smoking consumption unknown')], severity: null },
  { scenario: '"never" after an earlier smoker record counts as former', caution: 'smoking', resources: [lab.smoking('449868002', 'Smokes daily', 400), lab.smoking('266919005', 'Never smoked', 30)], severity: 'warning', text: /counted as former/ },
  { scenario: 'tobacco use disorder F17.210', caution: 'smoking', resources: [condition('icd10', 'F17.210', 'Nicotine dependence, cigarettes')], severity: 'warning' },
  { scenario: 'smoking under topical: not raised', caution: 'smoking', therapy: 'topical', resources: [lab.smoking('449868002', 'Smokes tobacco daily')], severity: null },

  // age
  { scenario: 'an 80-year-old', caution: 'older-adult', resources: [woman(80)], severity: 'warning' },
  { scenario: 'a 64-year-old', caution: 'older-adult', resources: [woman(64)], severity: null },
  { scenario: 'a 14-year-old under delgocitinib cream (adults only)', caution: 'age-eligibility', therapy: 'delgocitinib-cream', resources: [woman(14)], severity: 'do-not-start' },
  { scenario: 'a 14-year-old under abrocitinib (≥ 12)', caution: 'age-eligibility', therapy: 'abrocitinib', resources: [woman(14)], severity: null },
  { scenario: 'a 10-year-old under upadacitinib', caution: 'age-eligibility', therapy: 'upadacitinib', resources: [woman(10)], severity: 'do-not-start' },
  { scenario: 'a 1-year-old under ruxolitinib cream (≥ 2)', caution: 'age-eligibility', therapy: 'ruxolitinib-cream', resources: [woman(1)], severity: 'do-not-start' },

  // malignancy
  { scenario: 'colon cancer (resolved)', caution: 'malignancy-history', resources: [condition('snomed', '363406005', 'Malignant tumor of colon', { clinical: 'resolved' })], severity: 'warning' },
  { scenario: 'basal cell carcinoma is not a malignancy here', caution: 'malignancy-history', resources: [condition('snomed', '254701007', 'Basal cell carcinoma of skin')], severity: null },
  { scenario: 'C44.91 (BCC of skin) is not', caution: 'malignancy-history', resources: [condition('icd10', 'C44.91', 'Basal cell carcinoma of skin, unspecified')], severity: null },
  { scenario: 'neoplasm of uncertain behaviour D48.5 is not', caution: 'malignancy-history', resources: [condition('icd10', 'D48.5', 'Neoplasm of uncertain behavior of skin')], severity: null },
  { scenario: 'personal history of breast cancer Z85.3', caution: 'malignancy-history', resources: [condition('icd10', 'Z85.3', 'Personal history of malignant neoplasm of breast')], severity: 'warning' },
  { scenario: 'history of other skin cancer Z85.828 is not', caution: 'malignancy-history', resources: [condition('icd10', 'Z85.828', 'Personal history of other malignant neoplasm of skin')], severity: null },
  { scenario: 'melanoma C43.9', caution: 'malignancy-history', resources: [condition('icd10', 'C43.9', 'Malignant melanoma of skin')], severity: 'warning' },
  { scenario: 'malignancy under topical therapy: info', caution: 'malignancy-history', therapy: 'topical', resources: [condition('icd10', 'C43.9', 'Malignant melanoma of skin')], severity: 'info' },

  // pregnancy and breastfeeding
  { scenario: 'pregnant: condition 10 weeks ago', caution: 'pregnancy', resources: [condition('snomed', '77386006', 'Pregnant', { onsetDays: 70 })], severity: 'do-not-start' },
  { scenario: 'pregnancy under topical therapy: warning', caution: 'pregnancy', therapy: 'topical', resources: [condition('snomed', '77386006', 'Pregnant', { onsetDays: 70 })], severity: 'warning' },
  { scenario: 'positive hCG 10 days ago', caution: 'pregnancy', resources: [lab.hcg(POSITIVE, 10)], severity: 'do-not-start' },
  { scenario: 'pregnancy 2 years ago', caution: 'pregnancy', resources: [condition('snomed', '77386006', 'Pregnant', { onsetDays: 730 })], severity: null },
  { scenario: 'pregnancy cleared by a later negative hCG', caution: 'pregnancy', resources: [condition('snomed', '77386006', 'Pregnant', { onsetDays: 70 }), lab.hcg(NEGATIVE, 5)], severity: null },
  { scenario: 'resolved pregnancy', caution: 'pregnancy', resources: [condition('snomed', '72892002', 'Normal pregnancy', { clinical: 'resolved', onsetDays: 200, abatementDays: 10 })], severity: null },
  { scenario: 'breastfeeding (169750002)', caution: 'breastfeeding', resources: [condition('snomed', '169750002', 'Lactating')], severity: 'do-not-start' },
  { scenario: 'breastfeeding under ruxolitinib cream', caution: 'breastfeeding', therapy: 'ruxolitinib-cream', resources: [condition('snomed', '169750002', 'Lactating')], severity: 'do-not-start' },
  { scenario: 'breastfeeding under delgocitinib cream (allowed)', caution: 'breastfeeding', therapy: 'delgocitinib-cream', resources: [condition('snomed', '169750002', 'Lactating')], severity: null },

  // antiplatelets
  { scenario: 'on clopidogrel (RxNorm 309362)', caution: 'antiplatelet', therapy: 'abrocitinib', resources: [medication('clopidogrel 75 MG Oral Tablet', { rxnorm: '309362' })], severity: 'do-not-start' },
  { scenario: 'on clopidogrel under oral: warning naming abrocitinib', caution: 'antiplatelet', resources: [medication('clopidogrel 75 MG Oral Tablet', { rxnorm: '309362' })], severity: 'warning', text: /abrocitinib/ },
  { scenario: 'Brilinta by brand name only', caution: 'antiplatelet', therapy: 'abrocitinib', resources: [medication('Brilinta 90 mg tablet')], severity: 'do-not-start' },
  { scenario: 'low-dose aspirin 81 mg is never an antiplatelet here', caution: 'antiplatelet', therapy: 'abrocitinib', resources: [medication('aspirin 81 MG Oral Tablet', { rxnorm: '243670' })], severity: null },
  { scenario: 'aspirin 325 mg', caution: 'antiplatelet', therapy: 'abrocitinib', resources: [medication('Aspirin 325 MG Oral Tablet')], severity: 'do-not-start' },
  { scenario: 'aspirin of unknown strength: verify the dose', caution: 'antiplatelet', therapy: 'abrocitinib', resources: [medication('Aspirin')], severity: 'warning', text: /verify the dose/ },
  { scenario: 'stopped clopidogrel is not current', caution: 'antiplatelet', therapy: 'abrocitinib', resources: [medication('clopidogrel 75 MG Oral Tablet', { rxnorm: '309362', status: 'stopped' })], severity: null },
  { scenario: 'warfarin is an anticoagulant, not an antiplatelet', caution: 'antiplatelet', therapy: 'abrocitinib', resources: [medication('warfarin 5 MG Oral Tablet')], severity: null },
  { scenario: 'clopidogrel under upadacitinib', caution: 'antiplatelet', therapy: 'upadacitinib', resources: [medication('clopidogrel 75 MG Oral Tablet')], severity: null },

  // immunosuppressants
  { scenario: 'on dupilumab (text only, no code): switching is a warning (R2.5)', caution: 'immunosuppressant', resources: [medication('Dupixent 300 MG/2ML Prefilled Syringe')], severity: 'warning', text: /Switching: stop dupilumab before the first dose; do not combine/ },
  { scenario: 'dupilumab under delgocitinib cream: biologics allowed', caution: 'immunosuppressant', therapy: 'delgocitinib-cream', resources: [medication('dupilumab 300 mg injection')], severity: null },
  { scenario: 'methotrexate under delgocitinib cream: switching', caution: 'immunosuppressant', therapy: 'delgocitinib-cream', resources: [medication('methotrexate 2.5 MG Oral Tablet')], severity: 'warning' },
  { scenario: 'tacrolimus ointment is not systemic', caution: 'immunosuppressant', resources: [medication('tacrolimus 0.1 % Topical Ointment')], severity: null },
  { scenario: 'cyclosporine eye drops are not systemic', caution: 'immunosuppressant', resources: [medication('Restasis 0.05% ophthalmic emulsion')], severity: null },
  { scenario: 'oral cyclosporine is (switching)', caution: 'immunosuppressant', resources: [medication('cycloSPORINE, modified 100 MG Oral Capsule', { rxnorm: '241834' })], severity: 'warning', text: /stop cyclosporine/ },
  { scenario: 'prednisone is not in this rule', caution: 'immunosuppressant', resources: [medication('predniSONE 20 MG Oral Tablet')], severity: null },
  // R3.3: a current JAK inhibitor other than the planned one is a switch (warning), never a block by itself.
  { scenario: 'R3.3 switch: on Rinvoq, abrocitinib planned: stop upadacitinib first (warning)', caution: 'already-on-jak-inhibitor', therapy: 'abrocitinib', resources: [medication('Rinvoq 15 mg extended-release tablet')], severity: 'warning' },
  { scenario: 'R3.3 switch: on Rinvoq, abrocitinib planned: no do-not-start "another JAK inhibitor"', caution: 'immunosuppressant', therapy: 'abrocitinib', resources: [medication('Rinvoq 15 mg extended-release tablet')], severity: null },
  { scenario: 'the planned agent itself is not "another" JAK inhibitor', caution: 'immunosuppressant', therapy: 'upadacitinib', resources: [medication('Rinvoq 15 mg extended-release tablet')], severity: null },
  { scenario: 'already on a JAK inhibitor, the same one planned: a note', caution: 'already-on-jak-inhibitor', therapy: 'upadacitinib', resources: [medication('upadacitinib 15 MG ER tablet')], severity: 'info' },
  { scenario: 'R3.3 a draft upadacitinib order only: planned, not "already on"', caution: 'already-on-jak-inhibitor', therapy: 'upadacitinib', resources: [medication('upadacitinib 15 MG ER tablet', { status: 'draft' })], severity: null },
  // R3.2: results during treatment get the label's action, never "do not start".
  { scenario: 'R3.2 on abrocitinib, platelets 45,000 after the start: discontinue (warning, not do-not-start)', caution: 'on-treatment-result', therapy: 'abrocitinib', resources: [medication('abrocitinib 100 MG Oral Tablet', { authoredDays: 40 }), lab.platelets(45, '10*3/uL', 5)], severity: 'warning' },
  { scenario: 'R3.2 on abrocitinib, platelets 45,000 after the start: cytopenia no longer says do not start', caution: 'cytopenia', therapy: 'abrocitinib', resources: [medication('abrocitinib 100 MG Oral Tablet', { authoredDays: 40 }), lab.platelets(45, '10*3/uL', 5)], severity: null },
  { scenario: 'R3.2 on abrocitinib, platelets 120,000 after the start: no on-treatment result', caution: 'on-treatment-result', therapy: 'abrocitinib', resources: [medication('abrocitinib 100 MG Oral Tablet', { authoredDays: 40 }), lab.platelets(120, '10*3/uL', 5)], severity: null },
  { scenario: 'no JAK inhibitor', caution: 'already-on-jak-inhibitor', resources: [medication('cetirizine 10 MG Oral Tablet')], severity: null },

  // drug interactions
  { scenario: 'rifampin with abrocitinib: avoid', caution: 'drug-interaction', therapy: 'abrocitinib', resources: [medication('rifAMPin 300 MG Oral Capsule')], severity: 'do-not-start' },
  { scenario: 'fluconazole with abrocitinib: avoid', caution: 'drug-interaction', therapy: 'abrocitinib', resources: [medication('Diflucan 150 mg tablet')], severity: 'do-not-start' },
  { scenario: 'fluvoxamine with abrocitinib: dose reduction', caution: 'drug-interaction', therapy: 'abrocitinib', resources: [medication('fluvoxamine 50 MG Oral Tablet')], severity: 'warning' },
  { scenario: 'clarithromycin with upadacitinib: 15 mg', caution: 'drug-interaction', therapy: 'upadacitinib', resources: [medication('clarithromycin 500 MG Oral Tablet')], severity: 'warning' },
  { scenario: 'ketoconazole shampoo is not systemic', caution: 'drug-interaction', therapy: 'upadacitinib', resources: [medication('ketoconazole 2 % Medicated Shampoo')], severity: null },
  { scenario: 'probenecid with baricitinib', caution: 'drug-interaction', therapy: 'baricitinib', resources: [medication('probenecid 500 MG Oral Tablet')], severity: 'warning' },
  { scenario: 'rifampin under oral: at most warning naming abrocitinib and upadacitinib', caution: 'drug-interaction', resources: [medication('rifampin 300 MG Oral Capsule')], severity: 'warning', text: /abrocitinib.*upadacitinib/ },
  { scenario: 'probenecid with abrocitinib: not clinically significant', caution: 'drug-interaction', therapy: 'abrocitinib', resources: [medication('probenecid 500 MG Oral Tablet')], severity: null },

  // vaccines
  { scenario: 'live vaccine (MMR) 2 weeks ago: avoid (R2.5)', caution: 'recent-live-vaccine', resources: [vaccine('03', 'MMR', 14)], severity: 'do-not-start', text: new RegExp(`start no earlier than ${daysAgo(14 - 28)}`) },
  { scenario: 'MMR written as CVX "3"', caution: 'recent-live-vaccine', resources: [vaccine('3', 'MMR', 14)], severity: 'do-not-start' },
  { scenario: 'live vaccine 6 weeks ago', caution: 'recent-live-vaccine', resources: [vaccine('03', 'MMR', 42)], severity: null },
  { scenario: 'inactivated influenza 2 weeks ago', caution: 'recent-live-vaccine', resources: [vaccine('140', 'Influenza, injectable', 14)], severity: null },
  { scenario: 'recombinant zoster 2 weeks ago is not live', caution: 'recent-live-vaccine', resources: [vaccine('187', 'Shingrix', 14)], severity: null },
  { scenario: 'live vaccine not given (not-done)', caution: 'recent-live-vaccine', resources: [vaccine('21', 'Varicella', 14, 'not-done')], severity: null },

  // kidney and liver
  { scenario: 'eGFR 25 under baricitinib', caution: 'renal-impairment', therapy: 'baricitinib', resources: [lab.egfr(25)], severity: 'do-not-start' },
  { scenario: 'eGFR 45 under baricitinib', caution: 'renal-impairment', therapy: 'baricitinib', resources: [lab.egfr(45)], severity: 'warning' },
  { scenario: 'eGFR 45 under abrocitinib', caution: 'renal-impairment', therapy: 'abrocitinib', resources: [lab.egfr(45)], severity: 'warning' },
  { scenario: 'eGFR 45 under upadacitinib', caution: 'renal-impairment', therapy: 'upadacitinib', resources: [lab.egfr(45)], severity: null },
  { scenario: 'eGFR 90', caution: 'renal-impairment', resources: [lab.egfr(90)], severity: null },
  { scenario: 'ESRD on dialysis under upadacitinib', caution: 'renal-impairment', therapy: 'upadacitinib', resources: [condition('icd10', 'N18.6', 'End stage renal disease'), condition('icd10', 'Z99.2', 'Dependence on renal dialysis')], severity: 'do-not-start' },
  { scenario: 'eGFR 25 two years ago is not used', caution: 'renal-impairment', therapy: 'baricitinib', resources: [lab.egfr(25, 730)], severity: null },
  { scenario: 'cirrhosis: verify Child-Pugh', caution: 'hepatic-impairment', therapy: 'upadacitinib', resources: [condition('icd10', 'K74.60', 'Unspecified cirrhosis of liver')], severity: 'warning', text: /Child-Pugh/ },
  { scenario: 'hepatic failure (moderate-to-severe set)', caution: 'hepatic-impairment', therapy: 'upadacitinib', resources: [condition('icd10', 'K72.10', 'Chronic hepatic failure without coma')], severity: 'do-not-start' },
  { scenario: 'cirrhosis under ruxolitinib cream', caution: 'hepatic-impairment', therapy: 'ruxolitinib-cream', resources: [condition('icd10', 'K74.60', 'Unspecified cirrhosis of liver')], severity: null },

  // ---- Revision 2 (clinical/spec.md R2.1–R2.5): each rule raised and not raised ----
  // R2.1/R2.2 viral loads: numbers decide, flags do not
  { scenario: 'HCV antibody reactive, HCV RNA 25 IU/mL flagged N', caution: 'viral-hepatitis', resources: [lab.hcvAb(resultText('Reactive')), lab.hcvRna(flagged(qty(25, '[IU]/mL'), 'N'))], severity: 'do-not-start', text: /HCV RNA detected/ },
  { scenario: 'HCV RNA 850,000 IU/mL', caution: 'viral-hepatitis', resources: [lab.hcvRna(qty(850000, '[IU]/mL'))], severity: 'do-not-start', text: /active hepatitis C/ },
  { scenario: 'HCV RNA "500 to 10,000 IU/mL" (a range is detected)', caution: 'viral-hepatitis', resources: [lab.hcvRna(resultText('500 to 10,000 IU/mL'))], severity: 'do-not-start' },
  { scenario: 'HCV RNA "< 10 Detected" (detected below quantitation)', caution: 'viral-hepatitis', resources: [lab.hcvRna(resultText('< 10 Detected'))], severity: 'do-not-start' },
  { scenario: 'HCV RNA < 15 IU/mL is not detected', caution: 'viral-hepatitis', resources: [lab.hcvAb(POSITIVE), lab.hcvRna(qty(15, '[IU]/mL', '<'))], severity: null },
  { scenario: 'HCV RNA "Target not detected"', caution: 'viral-hepatitis', resources: [lab.hcvAb(POSITIVE), lab.hcvRna(resultText('Target not detected'))], severity: null },
  { scenario: 'HCV RNA detected, then not detected later (treated)', caution: 'viral-hepatitis', resources: [lab.hcvRna(qty(5000, '[IU]/mL'), 400), lab.hcvRna(resultText('Not detected'), 20)], severity: null },
  { scenario: 'HBV DNA 1,200 IU/mL', caution: 'viral-hepatitis', resources: [lab.hbvDna(qty(1200, '[IU]/mL'))], severity: 'do-not-start', text: /HBV DNA detected/ },
  { scenario: 'HBV DNA < 10 IU/mL', caution: 'viral-hepatitis', resources: [lab.hbvDna(qty(10, '[IU]/mL', '<'))], severity: null },
  { scenario: 'IgM anti-HBc positive: acute hepatitis B', caution: 'viral-hepatitis', resources: [lab.antiHbcIgm(POSITIVE)], severity: 'do-not-start', text: /acute hepatitis B/ },
  { scenario: 'IgM anti-HBc negative', caution: 'viral-hepatitis', resources: [lab.antiHbcIgm(NEGATIVE)], severity: null },
  { scenario: 'IgM anti-HBc positive 2 years ago (IgM fades)', caution: 'viral-hepatitis', resources: [lab.antiHbcIgm(POSITIVE, 730)], severity: null },
  { scenario: 'anti-HBc positive, HBsAg negative, HBV DNA not detected: monitor HBV DNA', caution: 'hepatitis-b-exposure', resources: [lab.hbsag(NEGATIVE), lab.antiHbc(POSITIVE), lab.hbvDna(resultText('Not detected'))], severity: 'warning', text: /monitor HBV DNA/ },
  { scenario: 'anti-HBc and anti-HBs positive, HBsAg negative: resolved infection', caution: 'hepatitis-b-exposure', resources: [lab.hbsag(NEGATIVE), lab.antiHbc(POSITIVE), lab.antiHbs(POSITIVE)], severity: 'warning', text: /resolved hepatitis B infection/ },
  { scenario: 'HBsAg "Reactive, non-confirmed" is never read as negative', caution: 'hepatitis-b-exposure', resources: [lab.hbsag(flagged(resultText('Reactive, non-confirmed'), 'N')), lab.antiHbc(POSITIVE)], severity: null },
  // R2.2 TB history never expires
  { scenario: 'IGRA positive 14 months ago, negative now', caution: 'tuberculosis-history', resources: [lab.igra(POSITIVE, 425), lab.igra(NEGATIVE, 20)], severity: 'warning', text: /a negative repeat.*does not exclude latent TB/ },
  { scenario: 'IGRA positive 14 months ago, negative now: not a current latent TB', caution: 'latent-tuberculosis', resources: [lab.igra(POSITIVE, 425), lab.igra(NEGATIVE, 20)], severity: null },
  { scenario: 'resolved past active TB', caution: 'tuberculosis-history', resources: [condition('icd10', 'A15.0', 'Tuberculosis of lung', { clinical: 'resolved', onsetDays: 3000, abatementDays: 2800 })], severity: 'warning', text: /confirm latent-TB treatment was completed/ },
  { scenario: 'latent TB on the problem list, active', caution: 'tuberculosis-history', resources: [condition('icd10', 'Z22.7', 'Latent tuberculosis')], severity: 'warning' },
  { scenario: 'positive skin test then a completed isoniazid course: treated latent TB', caution: 'tuberculosis-history', resources: [lab.tst(12, 400), medication('isoniazid 300 MG Oral Tablet', { status: 'completed', authoredDays: 380 })], severity: 'info', text: /Treated latent TB \(isoniazid/ },
  { scenario: 'resolved latent TB diagnosis: treated', caution: 'tuberculosis-history', resources: [condition('icd10', 'Z22.7', 'Latent tuberculosis', { clinical: 'resolved', onsetDays: 900, abatementDays: 700 })], severity: 'info' },
  { scenario: 'TB history under topical therapy: info', caution: 'tuberculosis-history', therapy: 'topical', resources: [lab.igra(POSITIVE, 425), lab.igra(NEGATIVE, 20)], severity: 'info' },
  { scenario: 'only negative TB tests: no TB history', caution: 'tuberculosis-history', resources: [lab.igra(NEGATIVE, 425), lab.igra(NEGATIVE, 20)], severity: null },
  { scenario: 'an active infection under ruxolitinib cream: warning', caution: 'serious-infection', therapy: 'ruxolitinib-cream', resources: [condition('icd10', 'L03.115', 'Cellulitis of right lower limb', { onsetDays: 10 })], severity: 'warning' },
  // R2.3 pregnancy, delivery
  { scenario: 'positive urine hCG 35 days ago (pregnant until 42 weeks, a negative test or an end)', caution: 'pregnancy', resources: [lab.hcg(POSITIVE, 35)], severity: 'do-not-start' },
  { scenario: 'positive hCG 35 days ago, negative 5 days ago', caution: 'pregnancy', resources: [lab.hcg(POSITIVE, 35), lab.hcg(NEGATIVE, 5)], severity: null },
  { scenario: 'positive hCG 45 weeks ago', caution: 'pregnancy', resources: [lab.hcg(POSITIVE, 315)], severity: null },
  { scenario: 'quantitative hCG 30 mIU/mL', caution: 'pregnancy', resources: [lab.hcgQuantitative(30)], severity: 'do-not-start' },
  { scenario: 'quantitative hCG 3 IU/L', caution: 'pregnancy', resources: [lab.hcgQuantitative(3, '[IU]/L')], severity: null },
  { scenario: 'quantitative hCG 12 mIU/mL (equivocal) is not a pregnancy', caution: 'pregnancy', resources: [lab.hcgQuantitative(12)], severity: null },
  { scenario: 'full-term delivery (O80) 3 weeks ago never raises pregnancy', caution: 'pregnancy', resources: [condition('icd10', 'O80', 'Encounter for full-term uncomplicated delivery', { onsetDays: 21 })], severity: null },
  { scenario: 'pregnancy 30 weeks ago ended by a live birth (Z37.0) 3 weeks ago', caution: 'pregnancy', resources: [condition('snomed', '77386006', 'Pregnant', { onsetDays: 210 }), condition('icd10', 'Z37.0', 'Single live birth', { onsetDays: 21 })], severity: null },
  { scenario: 'delivery 3 weeks ago: ask about breastfeeding', caution: 'breastfeeding', resources: [condition('icd10', 'O80', 'Encounter for full-term uncomplicated delivery', { onsetDays: 21 })], severity: 'info', text: /ask about breastfeeding/ },
  { scenario: 'caesarean delivery (SNOMED 11466000) 2 months ago', caution: 'breastfeeding', resources: [condition('snomed', '11466000', 'Cesarean section', { onsetDays: 60 })], severity: 'info' },
  { scenario: 'delivery 14 months ago', caution: 'breastfeeding', resources: [condition('icd10', 'O80', 'Encounter for full-term uncomplicated delivery', { onsetDays: 425 })], severity: null },
  { scenario: 'delivery with a breastfeeding record: the record decides', caution: 'breastfeeding', resources: [condition('icd10', 'O80', 'Encounter for full-term uncomplicated delivery', { onsetDays: 21 }), condition('snomed', '169750002', 'Lactating')], severity: 'do-not-start' },
  // R2.4 kidneys, weight, age, indication
  { scenario: 'eGFR 12 without an ESRD code, upadacitinib', caution: 'renal-impairment', therapy: 'upadacitinib', resources: [lab.egfr(12)], severity: 'do-not-start' },
  { scenario: 'eGFR 25, upadacitinib: 15 mg', caution: 'renal-impairment', therapy: 'upadacitinib', resources: [lab.egfr(25)], severity: 'warning', text: /15 mg/ },
  { scenario: 'eGFR 25, abrocitinib (EU): start 50 mg, maximum 100 mg', caution: 'renal-impairment', therapy: 'abrocitinib', resources: [lab.egfr(25)], severity: 'warning', text: /start 50 mg, maximum 100 mg/, region: 'EU' },
  { scenario: 'eGFR 25, abrocitinib (US): not recommended', caution: 'renal-impairment', therapy: 'abrocitinib', resources: [lab.egfr(25)], severity: 'do-not-start' },
  { scenario: 'eGFR 12, abrocitinib', caution: 'renal-impairment', therapy: 'abrocitinib', resources: [lab.egfr(12)], severity: 'do-not-start' },
  { scenario: 'eGFR 45, abrocitinib (EU): halve the dose', caution: 'renal-impairment', therapy: 'abrocitinib', resources: [lab.egfr(45)], severity: 'warning', text: /halve the dose/, region: 'EU' },
  { scenario: 'eGFR 45, abrocitinib (US): 50 mg', caution: 'renal-impairment', therapy: 'abrocitinib', resources: [lab.egfr(45)], severity: 'warning', text: /50 mg once daily \(maximum 100 mg\)/ },
  { scenario: 'CKD stage 5 (N18.5) under upadacitinib', caution: 'renal-impairment', therapy: 'upadacitinib', resources: [condition('icd10', 'N18.5', 'Chronic kidney disease, stage 5')], severity: 'do-not-start' },
  { scenario: 'CKD stage 4 (N18.4) under upadacitinib', caution: 'renal-impairment', therapy: 'upadacitinib', resources: [condition('icd10', 'N18.4', 'Chronic kidney disease, stage 4')], severity: 'warning' },
  { scenario: 'eGFR 25 under ruxolitinib cream', caution: 'renal-impairment', therapy: 'ruxolitinib-cream', resources: [lab.egfr(25)], severity: null },
  { scenario: 'a 13-year-old of 32 kg on upadacitinib', caution: 'weight-eligibility', therapy: 'upadacitinib', resources: [woman(13), lab.weight(32)], severity: 'do-not-start', text: /32 kg.*below 40 kg/ },
  { scenario: 'a 13-year-old of 45 kg on upadacitinib', caution: 'weight-eligibility', therapy: 'upadacitinib', resources: [woman(13), lab.weight(45)], severity: null },
  { scenario: 'a 13-year-old with no weight in 6 months on upadacitinib', caution: 'weight-eligibility', therapy: 'upadacitinib', resources: [woman(13), lab.weight(50, 400)], severity: 'warning', text: /Weight not recorded/ },
  { scenario: 'a 13-year-old of 32 kg on abrocitinib (no weight rule)', caution: 'weight-eligibility', therapy: 'abrocitinib', resources: [woman(13), lab.weight(32)], severity: null },
  { scenario: 'an adult of 38 kg on upadacitinib', caution: 'weight-eligibility', therapy: 'upadacitinib', resources: [woman(20), lab.weight(38)], severity: null },
  { scenario: 'a 10-year-old under baricitinib (US): approved for children in the EU only', caution: 'age-eligibility', therapy: 'baricitinib', resources: [woman(10)], severity: 'warning', text: /approved in the EU only/ },
  { scenario: 'a 1-year-old under baricitinib', caution: 'age-eligibility', therapy: 'baricitinib', resources: [woman(1)], severity: 'do-not-start' },
  { scenario: 'an adult under baricitinib', caution: 'age-eligibility', therapy: 'baricitinib', resources: [woman(30)], severity: null },
  { scenario: 'a 70-year-old under upadacitinib: 15 mg', caution: 'older-adult', therapy: 'upadacitinib', resources: [woman(70)], severity: 'warning', text: /15 mg/ },
  { scenario: 'a 70-year-old under baricitinib (EU): 2 mg', caution: 'older-adult', therapy: 'baricitinib', resources: [woman(70)], severity: 'warning', text: /2 mg/, region: 'EU' },
  { scenario: 'baricitinib: not approved for atopic dermatitis (US)', caution: 'label-indication', therapy: 'baricitinib', resources: [], severity: 'info', text: /Not approved for atopic dermatitis \(US\)/ },
  { scenario: 'abrocitinib with no prior systemic therapy: US label', caution: 'label-indication', therapy: 'abrocitinib', resources: [], severity: 'info', text: /not adequately controlled with other systemic drugs/ },
  { scenario: 'abrocitinib after dupilumab (stopped): no indication note', caution: 'label-indication', therapy: 'abrocitinib', resources: [medication('dupilumab 300 mg injection', { status: 'stopped' })], severity: null },
  { scenario: 'delgocitinib cream without a hand eczema diagnosis: chronic hand eczema only', caution: 'label-indication', therapy: 'delgocitinib-cream', resources: [], severity: 'info', text: /approved for chronic hand eczema only/ },
  { scenario: 'ruxolitinib cream: no indication note', caution: 'label-indication', therapy: 'ruxolitinib-cream', resources: [], severity: null },
  // R2.5 thrombosis and oestrogen, switching, live vaccines
  { scenario: 'combined pill (ethinyl estradiol / levonorgestrel), no clot history', caution: 'thrombosis-history', resources: [medication('levonorgestrel 0.15 MG / ethinyl estradiol 0.03 MG Oral Tablet')], severity: 'warning', text: /Oestrogen-containing.*additional clot risk/ },
  { scenario: 'DVT history and oestrogen HRT: avoid', caution: 'thrombosis-history', resources: [condition('snomed', '128053003', 'Deep venous thrombosis', { clinical: 'resolved' }), medication('Premarin 0.625 MG Oral Tablet')], severity: 'do-not-start', text: /additional clot risk/ },
  { scenario: 'progestin-only pill is not oestrogen', caution: 'thrombosis-history', resources: [medication('norethindrone 0.35 MG Oral Tablet')], severity: null },
  { scenario: 'vaginal oestrogen cream is local', caution: 'thrombosis-history', resources: [medication('estradiol 0.1 MG/GM Vaginal Cream')], severity: null },
  { scenario: 'live vaccine 2 weeks ago under topical therapy: systemic agents only', caution: 'recent-live-vaccine', therapy: 'topical', resources: [vaccine('03', 'MMR', 14)], severity: null },
];

describe('cautions by named patient scenario', () => {
  it.each(rows)('$scenario → $caution: $severity', (row) => {
    const report = reportFor(row.resources, { ...(row.therapy ? { therapy: row.therapy } : {}), ...(row.region ? { region: row.region } : {}) });
    const caution = cautionOf(report, row.caution);
    if (row.severity === null) {
      expect(caution, JSON.stringify(caution)).toBeUndefined();
      return;
    }
    expect(caution, JSON.stringify(report.cautions.map((c) => c.id))).toBeDefined();
    expect(caution!.severity, caution!.text).toBe(row.severity);
    expect(caution!.evidence.length).toBeGreaterThan(0);
    expect(caution!.source.length).toBeGreaterThan(10);
    if (row.text) expect(caution!.text).toMatch(row.text);
    if (row.flags?.unconfirmed) expect(caution!.unconfirmed).toBe(true);
    if (row.flags?.outdated) expect(caution!.outdated).toBe(true);
  });

  it('every caution id the spec lists is raised by at least one scenario above', async () => {
    const { CAUTION_IDS } = await import('../../../src/contract/report');
    const raised = new Set(rows.filter((r) => r.severity !== null).map((r) => r.caution));
    const notRaised = new Set(rows.filter((r) => r.severity === null).map((r) => r.caution));
    expect(CAUTION_IDS.filter((id) => !raised.has(id))).toEqual([]);
    expect(CAUTION_IDS.filter((id) => !notRaised.has(id))).toEqual([]);
  });

  it('lists every triggering resource with its date and display', () => {
    const report = reportFor([condition('snomed', '128053003', 'Deep venous thrombosis', { clinical: 'resolved', onsetDays: 2000 }), condition('icd10', 'I26.99', 'Pulmonary embolism', { onsetDays: 1000 })]);
    const caution = cautionOf(report, 'thrombosis-history')!;
    expect(caution.evidence.map((e) => [e.display, e.date])).toEqual([
      ['Deep venous thrombosis', daysAgo(2000)],
      ['Pulmonary embolism', daysAgo(1000)],
    ]);
  });

  it('says a medication matched by name was matched by name', () => {
    const caution = cautionOf(reportFor([medication('Dupixent 300 MG/2ML Prefilled Syringe')]), 'immunosuppressant')!;
    expect(caution.evidence[0]).toMatchObject({ match: 'name' });
    expect(caution.evidence[0]!.note).toMatch(/matched by name "Dupixent"/);
  });

  it('raises no caution for a healthy 34-year-old with a complete baseline (only the US label note on prior systemic therapy)', () => {
    expect(reportFor(readyBaseline()).cautions.map((c) => [c.id, c.severity])).toEqual([['label-indication', 'info']]);
  });

  it('reads a contained Medication', () => {
    const request = {
      resourceType: 'MedicationRequest', id: 'mr1', status: 'active', intent: 'order', subject: { reference: 'Patient/p1' },
      contained: [{ resourceType: 'Medication', id: 'med1', code: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '309362', display: 'clopidogrel 75 MG Oral Tablet' }] } }],
      medicationReference: { reference: '#med1' },
    };
    expect(cautionOf(reportFor([request], { therapy: 'abrocitinib' }), 'antiplatelet')?.severity).toBe('do-not-start');
  });

  it('keeps an observation-only infection out of serious-infection', () => {
    expect(cautionOf(reportFor([observation('6690-2', 'WBC', { valueQuantity: { value: 15, unit: '10*3/uL' } })]), 'serious-infection')).toBeUndefined();
  });
});
