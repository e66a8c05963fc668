/**
 * The Observation codes the rules read, as "system|code" tokens for server-side search filters,
 * so the loader asks the EHR only for what matters instead of every Observation of the patient.
 * - labs: baseline labs; searched with a date floor (older results cannot satisfy a window).
 * - status: facts whose newest value matters however old (smoking, pregnancy status, eczema area).
 */
import { LOINC } from './code-sets';
import { labs } from './labs';

const LAB_CONCEPTS = [
  labs.hemoglobin, labs.platelets, labs.wbc, labs.neutrophilsAbsolute, labs.lymphocytesAbsolute,
  labs.neutrophilsPercent, labs.lymphocytesPercent, labs.alt, labs.ast, labs.totalCholesterol, labs.ldl,
  labs.hdl, labs.triglycerides, labs.igra, labs.tspot, labs.tuberculinSkinTest, labs.hbsag, labs.antiHbc,
  labs.antiHbs, labs.hbvDna, labs.hcvAntibody, labs.hcvRna, labs.hcg, labs.egfr,
];
const STATUS_CONCEPTS = [labs.smokingStatus, labs.pregnancyStatus, labs.eczemaAreaPercent];

const tokens = (concepts: typeof LAB_CONCEPTS): string[] =>
  [...new Set(concepts.flatMap((c) => c.codesOf(LOINC)))].sort().map((code) => `${LOINC}|${code}`);

export const OBSERVATION_SEARCH_CODES: { labs: string[]; status: string[] } = {
  labs: tokens(LAB_CONCEPTS),
  status: tokens(STATUS_CONCEPTS),
};
