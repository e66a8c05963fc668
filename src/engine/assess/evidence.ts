/** Turning record facts into report evidence: what a clinician sees behind every statement. */
import type { Coding, ConditionFact, ImmunizationFact, MedicationFact, ObservationFact } from '../record';
import type { Evidence, MatchKind } from '../../contract/report';
import { formatQuantity } from '../normalise/units';
import { interpretQualitative } from '../normalise/qualitative';
import { quantityForPeople } from '../present/values';
import { labs, WHOLE_UNITS_FROM } from '../../kb/labs';
import { conceptsOf } from './lab-concepts';

const QUALITATIVE_LABEL = { positive: 'Positive', negative: 'Negative', indeterminate: 'Indeterminate' } as const;

/** A quantity as a clinician reads it, with the precision of its lab concept ("eGFR 37", "Hb 12.6 g/dL"). */
export function observationQuantityForPeople(obs: ObservationFact): string | undefined {
  if (!obs.quantity) return undefined;
  const from = conceptsOf(obs).map((c) => WHOLE_UNITS_FROM[c]).find((n) => n !== undefined);
  return quantityForPeople(obs.quantity, from === undefined ? {} : { wholeFrom: from });
}

/** Formatting is pure per observation; an assessment formats the same results for several agents. */
const quantityText = new WeakMap<ObservationFact, string | undefined>();

/** The value as a clinician reads it: rounded quantity with its unit, coded answer, or text. */
export function observationValue(obs: ObservationFact): string | undefined {
  if (obs.quantity) {
    if (!quantityText.has(obs)) quantityText.set(obs, observationQuantityForPeople(obs));
    return quantityText.get(obs);
  }
  const coded = obs.valueCodes[0];
  if (coded) return coded.display ?? coded.code;
  if (obs.valueString !== undefined) return obs.valueString;
  if (obs.valueBoolean !== undefined) return obs.valueBoolean ? 'Yes' : 'No';
  const qualitative = interpretQualitative(obs);
  return qualitative ? QUALITATIVE_LABEL[qualitative] : undefined;
}

function withMatch(evidence: Evidence, match: MatchKind | undefined, matched: Coding | undefined): Evidence {
  if (match) evidence.match = match;
  if (matched) evidence.matchedCode = `${matched.system}|${matched.code}`;
  return evidence;
}

export function observationEvidence(obs: ObservationFact, options: { matched?: Coding; note?: string; value?: string } = {}): Evidence {
  const evidence: Evidence = { reference: obs.reference, display: obs.display };
  if (obs.date) evidence.date = obs.date;
  const concept = conceptsOf(obs)[0];
  if (concept) evidence.test = labs[concept].label;
  const value = options.value ?? observationValue(obs);
  if (value !== undefined) evidence.value = value;
  const raw = obs.quantity ? formatQuantity(obs.quantity) : undefined;
  if (raw !== undefined && raw !== value) evidence.rawValue = raw;
  // A preliminary result counts and says so (R3.4).
  const notes = [options.note, obs.status === 'preliminary' ? 'preliminary' : undefined, obs.date ? undefined : 'no date recorded', obs.dateFromIssued ? 'date is when the result was issued' : undefined].filter(Boolean);
  if (notes.length) evidence.note = notes.join('; ');
  return withMatch(evidence, 'code', options.matched ?? obs.codes[0]);
}

export function conditionEvidence(condition: ConditionFact, matched?: Coding, note?: string): Evidence {
  const evidence: Evidence = { reference: condition.reference, display: condition.display };
  const date = condition.onset ?? condition.recordedDate;
  if (date) evidence.date = date;
  const status = [condition.clinicalStatus, condition.verificationStatus && condition.verificationStatus !== 'confirmed' ? condition.verificationStatus : undefined]
    .filter(Boolean)
    .join(', ');
  if (status) evidence.value = status;
  if (note) evidence.note = note;
  return withMatch(evidence, 'code', matched);
}

export function medicationEvidence(med: MedicationFact, matchedBy: { code?: Coding; name?: string }, note?: string): Evidence {
  const evidence: Evidence = { reference: med.reference, display: med.display };
  if (med.date) evidence.date = med.date;
  const value = [med.status, med.dosageText].filter(Boolean).join(' · ');
  if (value) evidence.value = value;
  const notes = [matchedBy.code ? undefined : `matched by name "${matchedBy.name ?? ''}"`, note].filter(Boolean);
  if (notes.length) evidence.note = notes.join('; ');
  return withMatch(evidence, matchedBy.code ? 'code' : 'name', matchedBy.code);
}

export function immunizationEvidence(immunization: ImmunizationFact, matched?: Coding, note?: string): Evidence {
  const evidence: Evidence = { reference: immunization.reference, display: immunization.display };
  if (immunization.date) evidence.date = immunization.date;
  if (immunization.status) evidence.value = immunization.status;
  if (note) evidence.note = note;
  return withMatch(evidence, matched ? 'code' : 'name', matched);
}

/** Newest first by ISO date string; undated last. Plain comparison: ISO dates sort as strings. */
export function byNewest(a: { date?: string }, b: { date?: string }): number {
  const x = a.date ?? '';
  const y = b.date ?? '';
  return x === y ? 0 : x < y ? 1 : -1;
}
