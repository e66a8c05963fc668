/**
 * Laboratory and observation concepts (LOINC), from the official value sets where they exist
 * and otherwise hand-curated with the source named in clinical/label-facts-and-codes.md.
 * Only codes marked verified (✔) or partial (◐) there are used; ◐ ones are noted.
 */
import { codeSet, LOINC, SNOMED } from './code-sets';

const FACTS = 'label-facts-and-codes.md §B LOINC';
const RESEARCH = 'Research notes 2026-12 (LOINC long names from the Swiss CH-ELM value set ahdis/ch-elm, the eHealth Connector LOINC list, LOINC mirrors and lab catalogues)';

export const labs = {
  hemoglobin: codeSet({
    id: 'hemoglobin', label: 'Hemoglobin', valueSets: ['hemoglobin-lab-test'],
    // 24360-0 is the Hgb/Hct panel code the value set includes: a panel has no value of its own.
    excludeCodes: { [LOINC]: ['24360-0'] },
    codes: { [LOINC]: ['718-7'] }, source: FACTS,
  }),
  platelets: codeSet({ id: 'platelets', label: 'Platelets', valueSets: ['platelet-count-lab-test'], codes: { [LOINC]: ['777-3', '26515-7'] }, source: FACTS }),
  wbc: codeSet({ id: 'wbc', label: 'White blood cells', valueSets: ['wbc-count-lab-test', 'leukocyte-count-lab-test'], codes: { [LOINC]: ['6690-2', '26464-8'] }, source: FACTS }),
  // Absolute counts: 751-8 / 731-0 automated (✔ Synthea modules); 753-4 / 732-8 manual and
  // 26499-4 / 26474-7 method-less (seen in the IPS samples).
  neutrophilsAbsolute: codeSet({ id: 'anc', label: 'ANC', codes: { [LOINC]: ['751-8', '753-4', '26499-4'] }, source: `${FACTS} (751-8 ✔); 753-4, 26499-4 LOINC method variants` }),
  lymphocytesAbsolute: codeSet({ id: 'alc', label: 'ALC', codes: { [LOINC]: ['731-0', '732-8', '26474-7'] }, source: `${FACTS} (731-0 ✔); 732-8, 26474-7 LOINC method variants` }),
  // Differential percentages, for a derived ANC/ALC (WBC × %), per spec "Derived values".
  neutrophilsPercent: codeSet({ id: 'neutrophils-percent', label: 'Neutrophils %', codes: { [LOINC]: ['770-8', '26511-6', '23761-0'] }, source: 'LOINC neutrophils/100 leukocytes (automated, method-less, manual)' }),
  lymphocytesPercent: codeSet({ id: 'lymphocytes-percent', label: 'Lymphocytes %', codes: { [LOINC]: ['736-9', '26478-8', '737-7'] }, source: 'LOINC lymphocytes/100 leukocytes (automated, method-less, manual)' }),
  alt: codeSet({ id: 'alt', label: 'ALT', codes: { [LOINC]: ['1742-6', '1743-4', '1744-2', '76625-3', '77144-4'] }, source: `${FACTS} (1742-6 ✔); LOINC ALT method variants` }),
  ast: codeSet({ id: 'ast', label: 'AST', valueSets: ['ast-lab-test'], codes: { [LOINC]: ['1920-8'] }, source: FACTS }),
  totalCholesterol: codeSet({ id: 'total-cholesterol', label: 'Total cholesterol', codes: { [LOINC]: ['2093-3'] }, source: FACTS }),
  ldl: codeSet({ id: 'ldl', label: 'LDL cholesterol', valueSets: ['ldl-cholesterol'], codes: { [LOINC]: ['13457-7', '18262-6', '2089-1', '96259-7'] }, source: FACTS }),
  hdl: codeSet({ id: 'hdl', label: 'HDL cholesterol', codes: { [LOINC]: ['2085-9'] }, source: FACTS }),
  triglycerides: codeSet({ id: 'triglycerides', label: 'Triglycerides', codes: { [LOINC]: ['2571-8'] }, source: FACTS }),
  // IGRA: interpretation codes. 71774-4/71776-9 are ◐ (ARUP QFT-Plus order): used alongside ✔ codes.
  igra: codeSet({ id: 'igra', label: 'IGRA (QuantiFERON)', codes: { [LOINC]: ['71773-6', '46217-6', '71774-4', '71776-9'] }, source: `${FACTS} IGRA (71773-6, 46217-6 ✔; 71774-4, 71776-9 ◐)` }),
  tspot: codeSet({ id: 't-spot', label: 'T-SPOT.TB', codes: { [LOINC]: ['74281-7'] }, source: `${FACTS} T-SPOT.TB panel` }),
  tuberculinSkinTest: codeSet({ id: 'tst', label: 'Tuberculin skin test', codes: { [LOINC]: ['1648-5'] }, source: `${FACTS} TST induration` }),
  hbsag: codeSet({ id: 'hbsag', label: 'HBsAg', codes: { [LOINC]: ['5196-1', '5195-3'] }, source: FACTS }),
  antiHbc: codeSet({ id: 'anti-hbc', label: 'Anti-HBc (total)', codes: { [LOINC]: ['16933-4', '13952-7'] }, source: `${FACTS} (16933-4 ✔; 13952-7 ◐ ARUP)` }),
  antiHbs: codeSet({ id: 'anti-hbs', label: 'Anti-HBs', valueSets: ['hepatitis-b-surface-antibody-test'], codes: { [LOINC]: ['22322-2', '10900-9', '16935-9', '5193-8'] }, source: `${FACTS}; quantitative anti-HBs 16935-9, 5193-8 (not in the VSAC set) ✔ ${RESEARCH}` }),
  // HBV DNA and HCV RNA: quantitative (IU/mL), log10 and qualitative forms; read by numbers, not flags (R2.1).
  hbvDna: codeSet({ id: 'hbv-dna', label: 'HBV DNA', codes: { [LOINC]: ['42595-9', '29615-2', '45161-7', '48398-2', '40459-0', '29610-3', '5007-0', '5009-6', '20442-0', '11258-1', '48650-6', '47216-7'] }, source: `HBV DNA quantitative 42595-9 (IU/mL), 29615-2 (copies/mL), 40459-0 (log), qualitative 29610-3, 5007-0, 5009-6 ✔; log forms 45161-7, 48398-2 and older quantitative 20442-0, 11258-1, 48650-6, 47216-7 ◐ (lab usage). ${RESEARCH}` }),
  antiHbcIgm: codeSet({ id: 'anti-hbc-igm', label: 'IgM anti-HBc', codes: { [LOINC]: ['24113-3', '31204-1', '5185-4', '22319-8'] }, source: `IgM anti-HBc 24113-3, 31204-1, 5185-4 ✔; 22319-8 ◐ (acute hepatitis B). ${RESEARCH}` }),
  hcvAntibody: codeSet({ id: 'hcv-ab', label: 'HCV antibody', codes: { [LOINC]: ['13955-0', '16128-1'] }, source: `${FACTS} (◐ lab usage)` }),
  hcvRna: codeSet({ id: 'hcv-rna', label: 'HCV RNA', codes: { [LOINC]: ['11011-4', '20416-4', '38180-6', '42003-4', '104714-1', '11259-9', '5010-4', '5012-0', '10676-5', '20571-6', '49758-6'] }, source: `HCV RNA quantitative 11011-4 (IU/mL), 20416-4 (copies/mL), log 38180-6, 42003-4, 104714-1, qualitative 11259-9, 5010-4, 5012-0 ✔; older quantitative 10676-5, 20571-6, 49758-6 ◐. ${RESEARCH}` }),
  hcg: codeSet({ id: 'hcg', label: 'hCG (pregnancy test)', valueSets: ['pregnancy-test'], codes: { [LOINC]: ['2106-3', '80384-1', '2118-8', '19080-1', '21198-7'] }, source: FACTS }),
  pregnancyStatus: codeSet({ id: 'pregnancy-status', label: 'Pregnancy status', codes: { [LOINC]: ['82810-3'] }, source: 'LOINC 82810-3 Pregnancy status (US Core / IPS)' }),
  egfr: codeSet({ id: 'egfr', label: 'eGFR', valueSets: ['egfr'], codes: { [LOINC]: ['98979-8', '62238-1', '33914-3'] }, source: FACTS }),
  bodyWeight: codeSet({ id: 'body-weight', label: 'Body weight', codes: { [LOINC]: ['29463-7', '3141-9', '3142-7', '8335-2', '8350-1', '8351-9'] }, source: 'FHIR Vital Signs – Body Weight value set (LOINC 29463-7, 3141-9, 3142-7, 8335-2, 8350-1, 8351-9); US Core body weight profile 29463-7' }),
  smokingStatus: codeSet({ id: 'smoking-status', label: 'Smoking status', valueSets: ['tobacco-use-screening'], codes: { [LOINC]: ['72166-2', '81229-7'] }, source: FACTS }),
  // No LOINC exists for EASI/itch NRS (label-facts §B); Synthea's PhenX "% area affected by eczema".
  eczemaAreaPercent: codeSet({ id: 'eczema-area', label: 'Body area affected by eczema', codes: { [LOINC]: ['66519-0', '66524-0', '66529-9', '66534-9'] }, source: `${FACTS} (Synthea dermatitis module)` }),
} as const;

/**
 * Results a clinician reads in whole units (eGFR 37, ALT 25, LDL 110): the value from which they
 * are shown without decimals. Everything else is shown to three significant figures
 * (src/engine/present/values.ts).
 */
export const WHOLE_UNITS_FROM: Readonly<Partial<Record<keyof typeof labs, number>>> = {
  egfr: 1, alt: 10, ast: 10, totalCholesterol: 10, ldl: 10, hdl: 10, triglycerides: 10, hcvRna: 10, hbvDna: 10, hcg: 10, tuberculinSkinTest: 1, bodyWeight: 100,
};

/** Qualitative "pregnant"/"not pregnant" answers of a pregnancy-status observation. */
export const pregnancyStatusAnswers = {
  pregnant: codeSet({ id: 'pregnant', label: 'Pregnant', codes: { [LOINC]: ['LA15173-0'], [SNOMED]: ['77386006'] }, source: 'LOINC answer list LL4129-4; SNOMED 77386006' }),
  notPregnant: codeSet({ id: 'not-pregnant', label: 'Not pregnant', codes: { [LOINC]: ['LA26683-5'], [SNOMED]: ['60001007'] }, source: 'LOINC answer list LL4129-4; SNOMED 60001007' }),
};

/** Itch scores have no standard code: matched by name, which the evidence says. */
export const ITCH_SCORE_NAME = /\b(itch|itching|pruritus|pruritis)\b/i;
