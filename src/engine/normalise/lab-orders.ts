/**
 * ServiceRequest → LabOrderFact: the lab orders already placed for the patient (issue 18,
 * orders in flight). Only orders that can still bring a result are kept: draft, active, on-hold
 * (open) and completed (performed; the result may still be on its way or filed elsewhere).
 * Revoked, entered-in-error and "do not perform" orders say nothing about a result to wait for.
 */
import type { CodeableConcept } from 'fhir/r4';
import type { LabOrderFact } from '../record';
import { codingsOf, displayOf } from './codes';
import { obj, str, type Json } from './json';
import { toDay } from './dates';

const KEPT_STATUSES: ReadonlySet<string> = new Set(['draft', 'active', 'on-hold', 'completed']);

export function labOrderFact(request: Json, reference: string): LabOrderFact | undefined {
  const status = str(request.status)?.toLowerCase();
  if (!status || !KEPT_STATUSES.has(status)) return undefined;
  if (request.doNotPerform === true) return undefined;
  const code = obj(request.code) as CodeableConcept | undefined;
  const codes = codingsOf(code);
  if (codes.length === 0) return undefined;
  const occurrence = str(request.occurrenceDateTime) ?? str(obj(request.occurrencePeriod)?.start);
  const date = toDay(str(request.authoredOn)) ?? toDay(occurrence);
  const fact: LabOrderFact = { reference, codes, display: displayOf(code, codes[0]!.code), status };
  if (date) fact.date = date;
  return fact;
}
