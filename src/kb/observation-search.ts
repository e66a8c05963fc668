/**
 * The Observation codes the rules read, as "system|code" tokens for server-side search filters,
 * so the loader asks the EHR only for what matters instead of every Observation of the patient.
 * - labs: baseline labs; searched with a date floor (older results cannot satisfy a window).
 * - status: facts whose newest value matters however old (smoking, pregnancy status, eczema area, weight).
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
const STATUS_CONCEPTS: Concept[] = [labs.smokingStatus, labs.pregnancyStatus, labs.eczemaAreaPercent, labs.bodyWeight];

const tokens = (concepts: Concept[]): string[] =>
  [...new Set(concepts.flatMap((c) => c.explicitCodings().filter((x) => x.system === LOINC).map((x) => x.code)))].sort().map((code) => `${LOINC}|${code}`);

export function observationSearchCodes(): { labs: string[]; status: string[] } {
  return { labs: tokens(LAB_CONCEPTS), status: tokens(STATUS_CONCEPTS) };
}
