/**
 * The Observation codes the rules read, as "system|code" tokens for server-side search filters,
 * so the loader asks the EHR only for what matters instead of every Observation of the patient.
 * - labs: baseline labs; searched with a date floor (older results cannot satisfy a window).
 * - status: facts whose newest value matters however old (smoking, pregnancy status, eczema area).
 * - vitals: vital signs read only within a window (body weight, 6 months): searched with the lab
 *   date floor but in any category (they are filed under vital-signs, not laboratory). Weight is
 *   measured at most visits, so without the floor it was the largest search of a long record.
 * - families: the lab codes of each checklist item, for one "newest results before the floor"
 *   search per item (src/fhir/newest-results.ts): an item with nothing recent is then "outdated"
 *   as the command line says, not "missing", and an old positive TB test is still seen.
 */
import { LOINC } from './code-sets';
import { labs } from './labs';

type Concept = (typeof labs)[keyof typeof labs];

const LAB_CONCEPTS: Concept[] = [
  labs.hemoglobin, labs.platelets, labs.wbc, labs.neutrophilsAbsolute, labs.lymphocytesAbsolute,
  labs.neutrophilsPercent, labs.lymphocytesPercent, labs.alt, labs.ast, labs.totalCholesterol, labs.ldl,
  labs.hdl, labs.triglycerides, labs.igra, labs.tspot, labs.tuberculinSkinTest, labs.hbsag, labs.antiHbc,
  labs.antiHbs, labs.hbvDna, labs.antiHbcIgm, labs.hcvAntibody, labs.hcvRna, labs.hcg, labs.egfr,
];
const STATUS_CONCEPTS: Concept[] = [labs.smokingStatus, labs.pregnancyStatus, labs.eczemaAreaPercent];
const VITAL_SIGN_CONCEPTS: Concept[] = [labs.bodyWeight];

/** Per checklist item with lab results (the zoster vaccine is an Immunization, loaded whole). */
const FAMILY_CONCEPTS: Record<string, Concept[]> = {
  cbc: [labs.hemoglobin, labs.platelets, labs.wbc, labs.neutrophilsAbsolute, labs.lymphocytesAbsolute, labs.neutrophilsPercent, labs.lymphocytesPercent],
  'liver-enzymes': [labs.alt, labs.ast],
  'lipid-panel': [labs.totalCholesterol, labs.ldl, labs.hdl, labs.triglycerides],
  'tb-screening': [labs.igra, labs.tspot, labs.tuberculinSkinTest],
  'hepatitis-b': [labs.hbsag, labs.antiHbc, labs.antiHbs, labs.hbvDna, labs.antiHbcIgm],
  'hepatitis-c': [labs.hcvAntibody, labs.hcvRna],
  'pregnancy-test': [labs.hcg],
};

const tokens = (concepts: Concept[]): string[] =>
  [...new Set(concepts.flatMap((c) => c.explicitCodings().filter((x) => x.system === LOINC).map((x) => x.code)))].sort().map((code) => `${LOINC}|${code}`);

export function observationSearchCodes(): { labs: string[]; status: string[]; vitals: string[]; families: Record<string, string[]> } {
  const families = Object.fromEntries(Object.entries(FAMILY_CONCEPTS).map(([item, concepts]) => [item, tokens(concepts)]));
  return { labs: tokens(LAB_CONCEPTS), status: tokens(STATUS_CONCEPTS), vitals: tokens(VITAL_SIGN_CONCEPTS), families };
}
