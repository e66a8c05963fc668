/** The normalisation layer: FHIR R4 resources in, PatientRecord out. */
export { buildRecord, type BuildRecordInput } from './build-record';
export {
  BundleError,
  readBundle,
  resourcesFromBundle,
  selectPatient,
  type BundleContents,
  type BundleErrorKind,
} from './bundle';
export {
  canonicalCoding,
  canonicalSystem,
  codingsOf,
  displayOf,
  hasCode,
  CVX,
  ICD10,
  ICD10CM,
  LOINC,
  NDC,
  RXNORM,
  SNOMED,
} from './codes';
export { addDays, ageOn, daysBetween, observationDate, toDay } from './dates';
export { toMedicationFact, type MedicationResult } from './medications';
export { interpretQualitative, type QualitativeResult } from './qualitative';
export { fullUrlOf, relativeReference, rememberFullUrl, ResourceIndex } from './references';
export {
  conversionFactor,
  convertQuantity,
  formatQuantity,
  normaliseUnitText,
  TARGET_UCUM,
  UNIT_TABLE,
  type TargetUnit,
  type UnitRow,
} from './units';
