/**
 * Code systems and the coded value every layer shares: the knowledge base writes its code lists
 * against these, the normaliser maps a record's aliases (OIDs) onto them, the report cites them.
 */

export const LOINC = 'http://loinc.org';
export const SNOMED = 'http://snomed.info/sct';
export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
/** WHO ICD-10: a different code system from ICD-10-CM (the codes mostly agree, not always). */
export const ICD10 = 'http://hl7.org/fhir/sid/icd-10';
export const CVX = 'http://hl7.org/fhir/sid/cvx';
export const NDC = 'http://hl7.org/fhir/sid/ndc';

export interface Coding {
  /** Canonical system URL (OID aliases already mapped), or the raw system when unknown. */
  system: string;
  code: string;
  display?: string;
}
