/**
 * Condition concepts behind the cautions: official value sets plus the ICD-10-CM prefixes and
 * SNOMED codes the spec names (clinical/spec.md, "Cautions"), each with its source.
 */
import { codeSet, ICD10CM, SNOMED } from './code-sets';

const SPEC = 'clinical/spec.md "Cautions"';
const FACTS = 'label-facts-and-codes.md §B';
/** SNOMED delivery concepts from VSAC Delivery Procedures (2.16.840.1.113762.1.4.1045.59) and Delivery of Singleton (…1045.99). */
const DELIVERY_SNOMED = ['236973005', '11466000', '177184002', '302383004', '61586001', '700000006', '274130007', '169826009'];
const DELIVERY_SOURCE = 'VSAC Delivery Procedures 2.16.840.1.113762.1.4.1045.59 and Delivery of Singleton 2.16.840.1.113762.1.4.1045.99 (cqframework/ecqm-content-qicore-2025): delivery procedure 236973005, caesarean 11466000, normal delivery 177184002, forceps 302383004, vacuum 61586001, vaginal delivery 700000006, emergency caesarean 274130007, single live birth 169826009';

export const conditions = {
  activeTuberculosis: codeSet({ id: 'active-tb', label: 'Active tuberculosis', valueSets: ['tuberculosis-active'], codes: { [SNOMED]: ['56717001'] }, icd10Prefixes: ['A15', 'A17', 'A18', 'A19'], source: `${FACTS} (active TB)` }),
  latentTuberculosis: codeSet({ id: 'latent-tb', label: 'Latent tuberculosis', codes: { [ICD10CM]: ['Z22.7'], [SNOMED]: ['11999007'] }, source: `${SPEC}: latent TB Z22.7 (SNOMED 11999007 "Inactive tuberculosis")` }),
  positiveTbTestFinding: codeSet({ id: 'tb-test-positive', label: 'Positive TB test (finding)', codes: { [ICD10CM]: ['R76.11', 'R76.12'] }, source: `${SPEC}: R76.11/R76.12 as positive-test evidence` }),
  hepatitisB: codeSet({ id: 'hepatitis-b', label: 'Hepatitis B infection', valueSets: ['hepatitis-b-infection'], codes: { [SNOMED]: ['61977001'] }, icd10Prefixes: ['B16', 'B18.0', 'B18.1', 'B19.1'], source: FACTS }),
  hepatitisC: codeSet({ id: 'hepatitis-c', label: 'Hepatitis C infection', codes: { [SNOMED]: ['128302006', '50711007', '235866006'] }, icd10Prefixes: ['B17.1', 'B18.2', 'B19.2'], source: `${FACTS} (chronic HCV 128302006, B18.2)` }),
  hiv: codeSet({ id: 'hiv', label: 'HIV infection', valueSets: ['hiv'], icd10Prefixes: ['B20', 'Z21'], source: FACTS }),
  immunocompromised: codeSet({ id: 'immunocompromised', label: 'Immunocompromising condition', valueSets: ['immunocompromised-conditions'], source: 'VSAC Immunocompromised Conditions' }),
  sepsis: codeSet({ id: 'sepsis', label: 'Sepsis', codes: { [SNOMED]: ['91302008', '10001005', '76571007'] }, icd10Prefixes: ['A40', 'A41', 'R65.2'], source: `${SPEC}: sepsis A40–A41` }),
  activeInfection: codeSet({
    id: 'infection', label: 'Infection',
    icd10Prefixes: ['A', 'B', 'J12', 'J13', 'J14', 'J15', 'J16', 'J17', 'J18', 'L03', 'N39.0'],
    // Covered by their own cautions (TB, viral hepatitis, HIV, zoster) or not an infection rule here.
    excludeIcd10Prefixes: ['A15', 'A16', 'A17', 'A18', 'A19', 'B15', 'B16', 'B17', 'B18', 'B19', 'B20', 'B02', 'B01', 'B90', 'B91', 'B92', 'B93', 'B94', 'B95', 'B96', 'B97', 'B99'],
    codes: { [SNOMED]: ['233604007', '385093006', '128045006', '68566005', '40733004', '312342009', '53084003'] },
    source: `${SPEC}: A00–B99 (except those covered by other cautions), J12–J18, L03, N39.0 and SNOMED pneumonia 233604007/385093006, cellulitis 128045006, UTI 68566005, infectious disease 40733004, infective pneumonia 312342009, bacterial pneumonia 53084003`,
  }),
  recurrentInfection: codeSet({ id: 'recurrent-infection', label: 'Recurrent infection', codes: { [SNOMED]: ['197927001', '451481000124100'] }, source: `${SPEC}: recurrent infection concepts (SNOMED 197927001 recurrent UTI)` }),
  herpesZoster: codeSet({ id: 'herpes-zoster', label: 'Herpes zoster', valueSets: ['herpes-zoster'], codes: { [SNOMED]: ['4740000', '681221000119108'] }, icd10Prefixes: ['B02'], source: `${FACTS} (4740000, B02.9)` }),
  venousThromboembolism: codeSet({ id: 'vte', label: 'Venous thromboembolism', valueSets: ['venous-thromboembolism'], codes: { [SNOMED]: ['128053003', '59282003'], [ICD10CM]: ['Z86.718', 'Z86.711'] }, icd10Prefixes: ['I82.5', 'I26', 'I82.4'], source: `${SPEC}: VTE value set plus Z86.718, Z86.711, I82.5x` }),
  cardiovascularEvent: codeSet({
    id: 'cardiovascular-history', label: 'MI, stroke/TIA or coronary artery disease',
    valueSets: ['myocardial-infarction', 'acute-myocardial-infarction', 'cerebrovascular-disease-stroke-tia', 'stroke', 'coronary-artery-disease-no-mi', 'ischemic-heart-disease-or-related'],
    codes: { [SNOMED]: ['1755008', '399211009', '22298006', '230690007', '53741008', '414545008'] },
    icd10Prefixes: ['I21', 'I22', 'I25.2', 'I63', 'Z86.73'],
    source: `${SPEC}: value sets plus I21–I22, I25.2, I63, Z86.73; SNOMED 1755008, 399211009`,
  }),
  coronaryArteryDisease: codeSet({ id: 'cad', label: 'Coronary artery disease', valueSets: ['coronary-artery-disease-no-mi', 'ischemic-heart-disease-or-related'], codes: { [SNOMED]: ['53741008', '414545008'] }, icd10Prefixes: ['I25'], source: FACTS }),
  hypertension: codeSet({ id: 'hypertension', label: 'Hypertension', valueSets: ['hypertension-diagnosis', 'essential-hypertension'], codes: { [SNOMED]: ['59621000', '38341003'] }, icd10Prefixes: ['I10', 'I11', 'I12', 'I13', 'I15', 'I16'], source: FACTS }),
  diabetes: codeSet({ id: 'diabetes', label: 'Diabetes', valueSets: ['diabetes'], codes: { [SNOMED]: ['44054006', '46635009', '73211009'] }, icd10Prefixes: ['E10', 'E11', 'E13'], source: FACTS }),
  hyperlipidemia: codeSet({ id: 'hyperlipidemia', label: 'Hyperlipidemia', valueSets: ['familial-hypercholesterolemia'], codes: { [SNOMED]: ['55822004', '13644009', '398036000', '267432004'] }, icd10Prefixes: ['E78.0', 'E78.1', 'E78.2', 'E78.4', 'E78.5'], source: `${FACTS} (55822004 ✔; E78.5 ✖ used with SNOMED)` }),
  tobaccoUse: codeSet({ id: 'tobacco-use', label: 'Tobacco use', codes: { [ICD10CM]: ['Z72.0'] }, icd10Prefixes: ['F17.2'], source: `${SPEC}: F17.21x, Z72.0` }),
  formerTobaccoUse: codeSet({ id: 'former-tobacco-use', label: 'History of tobacco use', codes: { [ICD10CM]: ['Z87.891'] }, source: `${SPEC}: Z87.891` }),
  malignancy: codeSet({
    id: 'malignancy', label: 'Malignancy (other than non-melanoma skin cancer)',
    valueSets: ['cancer', 'cancer-all-primary-secondary', 'malignant-neoplasm-lymphatic-hematopoietic', 'leukemia-or-lymphoma'],
    codes: { [SNOMED]: ['363346000', '118600007'] },
    icd10Prefixes: ['C', 'Z85'],
    excludeIcd10Prefixes: ['C44', 'Z85.828', 'D37', 'D38', 'D39', 'D40', 'D41', 'D42', 'D43', 'D44', 'D45', 'D46', 'D47', 'D48', 'D49', 'C97', 'C98', 'C99'],
    excludeCodes: { [SNOMED]: ['254701007', '254651007'] },
    excludeValueSets: ['non-melanoma-skin-cancer'],
    source: `${SPEC}: any malignancy except NMSC (C44.*, SNOMED 254701007, 254651007), incl. Z85.* except Z85.828; not D37–D49`,
  }),
  pregnancy: codeSet({
    id: 'pregnancy', label: 'Pregnancy',
    valueSets: ['pregnant-state', 'pregnancy-broad'],
    codes: { [SNOMED]: ['77386006', '72892002'] },
    icd10Prefixes: ['Z33.1', 'Z34', 'Z3A', 'O'],
    // The puerperium (O85–O92) and "supervision of normal pregnancy" history codes are not a current
    // pregnancy; delivery (O80–O84) and abortive outcomes (O00–O08) end one (R2.3: see pregnancyEnded).
    excludeIcd10Prefixes: ['O85', 'O86', 'O87', 'O88', 'O89', 'O90', 'O91', 'O92', 'O94', 'O09.A', 'O80', 'O81', 'O82', 'O83', 'O84', 'O00', 'O01', 'O02', 'O03', 'O04', 'O05', 'O06', 'O07', 'O08'],
    source: `${FACTS} (77386006, Z33.1, Z34.x); VSAC Pregnant State and Pregnancy (puerperium O85–O92 excluded)`,
  }),
  /** Delivery and pregnancy-outcome codes: they end a pregnancy and never raise `pregnancy` (R2.3). */
  pregnancyEnded: codeSet({
    id: 'pregnancy-ended', label: 'Delivery or end of pregnancy',
    icd10Prefixes: ['O80', 'O81', 'O82', 'O83', 'O84', 'Z37', 'Z39', 'O00', 'O01', 'O02', 'O03', 'O04', 'O05', 'O06', 'O07', 'O08'],
    codes: { [SNOMED]: DELIVERY_SNOMED },
    source: `clinical/spec.md R2.3: delivery and outcome codes end a pregnancy (ICD-10-CM O80, O82 and WHO ICD-10 O81, O83, O84; Z37.*, Z39.*); abortive outcomes O00–O08; ${DELIVERY_SOURCE}`,
  }),
  /** Deliveries only (not miscarriage): a recent one raises "ask about breastfeeding". */
  delivery: codeSet({
    id: 'delivery', label: 'Delivery',
    icd10Prefixes: ['O80', 'O81', 'O82', 'O83', 'O84', 'Z37', 'Z39'],
    codes: { [SNOMED]: DELIVERY_SNOMED },
    source: `clinical/spec.md R2.3: a delivery within 12 months (O80–O84, Z37.*, Z39.*); ${DELIVERY_SOURCE}`,
  }),
  breastfeeding: codeSet({ id: 'breastfeeding', label: 'Breastfeeding', valueSets: ['breastfeeding'], codes: { [SNOMED]: ['169750002', '1260078007'], [ICD10CM]: ['Z39.1'] }, source: FACTS }),
  ckdStage4: codeSet({ id: 'ckd-4', label: 'Chronic kidney disease stage 4', codes: { [SNOMED]: ['431857002'] }, icd10Prefixes: ['N18.4'], source: `${SPEC}: N18.4 (eGFR 15–29)` }),
  ckdStage5: codeSet({ id: 'ckd-5', label: 'Chronic kidney disease stage 5', valueSets: ['ckd-stage-5'], codes: { [SNOMED]: ['433146000'] }, icd10Prefixes: ['N18.5'], source: `${SPEC}: N18.5 (eGFR < 15: end-stage kidney disease, R2.4)` }),
  endStageRenalDisease: codeSet({ id: 'esrd', label: 'End-stage renal disease or dialysis', valueSets: ['end-stage-renal-disease'], codes: { [SNOMED]: ['46177005'] }, icd10Prefixes: ['N18.6', 'Z99.2', 'Z49'], source: `${SPEC}: N18.6, Z99.2, dialysis` }),
  decompensatedLiverDisease: codeSet({ id: 'liver-disease-severe', label: 'Moderate-to-severe liver disease', valueSets: ['liver-disease-moderate-to-severe'], source: 'VSAC Liver Disease Moderate to Severe' }),
  chronicLiverDisease: codeSet({ id: 'liver-disease-chronic', label: 'Cirrhosis or chronic liver disease', valueSets: ['chronic-liver-disease', 'liver-disease'], icd10Prefixes: ['K70', 'K71', 'K72', 'K73', 'K74', 'K75', 'K76'], source: 'VSAC Chronic Liver Disease; Liver Disease' }),
  atopicDermatitis: codeSet({ id: 'atopic-dermatitis', label: 'Atopic dermatitis / eczema', codes: { [SNOMED]: ['24079001', '43116000', '135841008'] }, icd10Prefixes: ['L20', 'L30.9'], source: `${FACTS} (24079001, L20.x)` }),
} as const;
