/**
 * The normalised patient record: what `assess` reads.
 *
 * Built from FHIR R4 resources by `buildRecord` (src/engine/normalise). Every fact keeps the
 * reference of the resource it came from so the report can cite it. Code systems are already
 * canonicalised (OIDs mapped to their URLs), dates are ISO strings, and each resource type
 * carries how completely it loaded so that a rule can answer `unknown` instead of `missing`.
 */
import type { Coding } from '../contract/codes';

export type { Coding };

/** The resource types the app reads; each has its own load status. */
export type LoadedResourceType =
  | 'Patient'
  | 'Condition'
  | 'Observation'
  | 'MedicationRequest'
  | 'MedicationStatement'
  | 'Immunization'
  /** Lab orders already placed (issue 18: orders in flight). */
  | 'ServiceRequest';

export const LOADED_RESOURCE_TYPES: readonly LoadedResourceType[] = [
  'Patient',
  'Condition',
  'Observation',
  'MedicationRequest',
  'MedicationStatement',
  'Immunization',
  'ServiceRequest',
];

/**
 * How completely one resource type loaded.
 * - complete: every matching resource is in the record (an empty list means "none exist").
 * - failed: the server answered with an error or not at all; `reason` is for the user
 *   (e.g. "HTTP 503", "timeout after 10 s", the OperationOutcome text).
 * - denied: the SMART scopes granted do not cover this type.
 * - truncated: paging stopped at the cap (or a page failed) before the end.
 */
export type LoadStatus =
  | { state: 'complete' }
  | { state: 'failed'; reason: string; httpStatus?: number }
  | { state: 'denied'; reason: string }
  | { state: 'truncated'; reason: string; loaded?: number; total?: number };


export interface Quantity {
  value: number;
  /** UCUM code when given (Quantity.code), else the human unit string (Quantity.unit). */
  unit: string;
  /** Comparator such as "<" or ">=" when the result was censored. */
  comparator?: string;
}

export type Sex = 'female' | 'male' | 'other' | 'unknown';

export interface PatientFacts {
  id: string;
  /** "Family, Given" or whatever text the record gives; for the banner only. */
  name?: string;
  birthDate?: string;
  /** Administrative gender. */
  sex: Sex;
  /** US Core birth sex extension, when recorded (F, M, UNK...). */
  birthSex?: 'female' | 'male' | 'unknown';
  deceased?: boolean | string;
  /** Medical record number (identifier of type MR), else the first usable identifier. */
  mrn?: string;
}

export interface ConditionFact {
  reference: string; // "Condition/123"
  codes: Coding[];
  /** What a clinician would call it: code.text, else first display, else the code. */
  display: string;
  /** Condition.clinicalStatus code: active | recurrence | relapse | inactive | remission | resolved. */
  clinicalStatus?: string;
  /** Condition.verificationStatus code: confirmed | unconfirmed | provisional | differential. */
  verificationStatus?: string;
  /** Onset date (onsetDateTime, onsetPeriod.start, or recordedDate as a fallback). */
  onset?: string;
  /** Abatement date, when the condition ended. */
  abatement?: string;
  recordedDate?: string;
  bodySites: string[];
  severity?: string;
  /** Condition.category codes (problem-list-item, encounter-diagnosis, health-concern...). */
  categories: string[];
}

export interface ObservationFact {
  /** "Observation/123"; a component keeps its parent's reference. */
  reference: string;
  codes: Coding[];
  display: string;
  status?: string;
  /** effectiveDateTime, else effectivePeriod.end/start, else effectiveInstant, else issued. */
  date?: string;
  /** Whether `date` came from `issued` rather than the effective time. */
  dateFromIssued?: boolean;
  quantity?: Quantity;
  valueCodes: Coding[];
  valueString?: string;
  valueBoolean?: boolean;
  interpretation: Coding[];
  /** referenceRange[0].high / low, when present (used for ULN). */
  referenceHigh?: Quantity;
  referenceLow?: Quantity;
  /** For components: the index inside the parent Observation. */
  componentOf?: string;
  /** Specimen reference, when given; derived values pair results from the same specimen. */
  specimen?: string;
  categories: string[];
}

export type MedicationKind = 'MedicationRequest' | 'MedicationStatement';

export interface MedicationFact {
  reference: string; // "MedicationRequest/1"
  kind: MedicationKind;
  /** Resource status: active | on-hold | draft | completed | stopped | intended | not-taken ... */
  status?: string;
  intent?: string;
  /** Codings from medicationCodeableConcept or the resolved Medication.code. */
  codes: Coding[];
  /** Every name we have for the drug (code.text, displays, Medication.code.text); matched by whole word. */
  names: string[];
  /** The best human-readable name. */
  display: string;
  /** Dose form text/codes joined (Medication.form), route text, dosage text: used to tell topical from systemic. */
  doseForm?: string;
  route?: string;
  dosageText?: string;
  /** Ingredient strength in mg per unit when it can be read (e.g. 81 for "aspirin 81 MG Oral Tablet"). */
  strengthMg?: number;
  /** Daily dose in mg when dosage gives it (dose × frequency), else undefined. */
  dailyDoseMg?: number;
  /** authoredOn (request) / dateAsserted or effective start (statement). */
  date?: string;
  /** When the medication period ends (dispenseRequest.validityPeriod.end / effectivePeriod.end). */
  periodEnd?: string;
  /** True when the medication was referenced but could not be resolved (no code, no name). */
  unresolved?: boolean;
}

export interface ImmunizationFact {
  reference: string;
  codes: Coding[];
  display: string;
  status?: string;
  /** occurrenceDateTime, else occurrenceString parsed when it is a date, else recorded. */
  date?: string;
}

/**
 * A lab order already placed (ServiceRequest), so that a to-do whose test is ordered says
 * "awaiting result" instead of offering the order again.
 */
export interface LabOrderFact {
  reference: string; // "ServiceRequest/sr1"
  codes: Coding[];
  display: string;
  /** ServiceRequest.status: draft | active | on-hold | completed (others are not kept). */
  status: string;
  /** authoredOn as YYYY-MM-DD (else occurrence), when the record gives one. */
  date?: string;
}

/** A resource we could not use (malformed, unknown shape); shown in the report's dataGaps. */
export interface RecordIssue {
  reference?: string;
  resourceType?: string;
  message: string;
}

export interface PatientRecord {
  patient: PatientFacts;
  conditions: ConditionFact[];
  observations: ObservationFact[];
  medications: MedicationFact[];
  immunizations: ImmunizationFact[];
  /** Load status per resource type; a type absent here is treated as complete (e.g. a Bundle file). */
  loads: Partial<Record<LoadedResourceType, LoadStatus>>;
  issues: RecordIssue[];
  /** Lab orders already placed; absent means none were read (a Bundle without ServiceRequests). */
  labOrders?: LabOrderFact[];
  /** The date floor the loader used for lab searches, when it used one ("nothing since <date>"). */
  observationsSince?: string;
}
