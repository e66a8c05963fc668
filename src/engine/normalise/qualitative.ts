/**
 * Reading a qualitative result (IGRA, HBsAg, anti-HBc, HCV antibody, hCG) as positive,
 * negative or indeterminate, from whichever shape the lab used (spec "Qualitative results").
 * An explicit value beats the interpretation flag; a result none of these tables explains is
 * `undefined`, which the report shows as "result not interpretable" (never as negative).
 */
import type { Coding, ObservationFact } from '../record';
import { LOINC, SNOMED } from './codes';

export type QualitativeResult = 'positive' | 'negative' | 'indeterminate';

/** Answer codes, by canonical system. Displays as published by SNOMED CT / LOINC. */
const VALUE_CODES: Readonly<Record<string, Readonly<Record<string, QualitativeResult>>>> = {
  [SNOMED]: {
    '10828004': 'positive', // Positive (qualifier value)
    '260385009': 'negative', // Negative (qualifier value)
    '260373001': 'positive', // Detected (qualifier value)
    '260415000': 'negative', // Not detected (qualifier value)
    '11214006': 'positive', // Reactive (qualifier value)
    '131194007': 'negative', // Non-reactive (qualifier value)
    '52101004': 'positive', // Present (qualifier value)
    '2667000': 'negative', // Absent (qualifier value)
    '82334004': 'indeterminate', // Indeterminate (qualifier value)
    '419984006': 'indeterminate', // Inconclusive (qualifier value)
    '42425007': 'indeterminate', // Equivocal (qualifier value)
  },
  [LOINC]: {
    'LA6576-8': 'positive', // Positive
    'LA6577-6': 'negative', // Negative
    'LA11882-0': 'positive', // Detected
    'LA11883-8': 'negative', // Not detected
    'LA15255-5': 'positive', // Reactive
    'LA15256-3': 'negative', // Nonreactive
    'LA9633-4': 'positive', // Present
    'LA9634-2': 'negative', // Absent
    'LA11884-6': 'indeterminate', // Indeterminate
    'LA4259-3': 'indeterminate', // Borderline (answer list LL2206-2: Neg/Borderline/Pos/Strong pos)
    'LA18996-1': 'positive', // Strong positive
  },
};

/**
 * Result words, compared after trimming, lower-casing, collapsing spaces and dropping a final
 * full stop. Whole-string lookup only, so "Non-reactive" can never read as "reactive".
 */
const VALUE_WORDS: Readonly<Record<string, QualitativeResult>> = {
  positive: 'positive',
  pos: 'positive',
  '+': 'positive',
  reactive: 'positive',
  detected: 'positive',
  present: 'positive',
  'strong positive': 'positive',
  negative: 'negative',
  neg: 'negative',
  '-': 'negative',
  'non-reactive': 'negative',
  nonreactive: 'negative',
  'non reactive': 'negative',
  'not reactive': 'negative',
  'not detected': 'negative',
  'none detected': 'negative',
  undetected: 'negative',
  absent: 'negative',
  indeterminate: 'indeterminate',
  equivocal: 'indeterminate',
  borderline: 'indeterminate',
  inconclusive: 'indeterminate',
};

const INTERPRETATION_SYSTEMS = new Set([
  'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  'http://hl7.org/fhir/v3/ObservationInterpretation',
  'http://terminology.hl7.org/CodeSystem/v2-0078',
  'http://hl7.org/fhir/v2/0078',
  '',
]);

/**
 * v3 ObservationInterpretation codes that carry a qualitative meaning. For a qualitative test
 * "abnormal" (A, AA) is the positive finding and "normal" (N) the negative one. H/L and the
 * other range flags say nothing about presence and are left out on purpose.
 */
const INTERPRETATION_CODES: Readonly<Record<string, QualitativeResult>> = {
  POS: 'positive',
  DET: 'positive',
  A: 'positive',
  AA: 'positive',
  NEG: 'negative',
  ND: 'negative',
  N: 'negative',
  IND: 'indeterminate',
  E: 'indeterminate', // Equivocal
};

function wordKey(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ').replace(/\.$/, '');
}

function fromWords(text: string | undefined): QualitativeResult | undefined {
  if (typeof text !== 'string') return undefined;
  const key = wordKey(text);
  return Object.hasOwn(VALUE_WORDS, key) ? VALUE_WORDS[key] : undefined;
}

/** Words that deny or doubt a finding; matched first and removed, so "non-reactive" never reads as "reactive". */
const NEGATIVE_PHRASES = /\b(?:non[- ]?reactive|not reactive|negative|neg|not detected|none detected|target not detected|undetected|undetectable|absent|non[- ]?confirm\w*|unconfirm\w*|not confirm\w*|false[- ]positive)\b/g;
const POSITIVE_PHRASES = /\b(?:reactive|positive|pos|detected|present)\b|(?:^|\s)\+(?:\s|$)/;
const INDETERMINATE_PHRASES = /\b(?:indeterminate|equivocal|borderline|inconclusive)\b/;

/**
 * Free text that is not one of the exact result words. Text holding both a positive and a
 * negative word ("Reactive, non-confirmed", "POS/NEG") is contradictory: it needs a person.
 * A positive word with nothing against it reads as positive (the safe direction); nothing but
 * an exact negative word ever reads as negative.
 */
function fromSentence(text: string): ResultReading {
  const lower = wordKey(text);
  const negative = lower.match(NEGATIVE_PHRASES) !== null;
  const rest = lower.replace(NEGATIVE_PHRASES, ' ');
  const positive = POSITIVE_PHRASES.test(rest);
  if (positive && negative) return { problem: CONTRADICTORY };
  if (positive && !INDETERMINATE_PHRASES.test(rest)) return { result: 'positive' };
  return { problem: NOT_INTERPRETABLE };
}
function fromValueCodes(codings: readonly Coding[]): QualitativeResult | undefined {
  for (const c of codings) {
    const table = VALUE_CODES[c.system];
    const hit = table && Object.hasOwn(table, c.code) ? table[c.code] : undefined;
    if (hit) return hit;
  }
  for (const c of codings) {
    const hit = fromWords(c.display);
    if (hit) return hit;
  }
  return undefined;
}

function fromInterpretation(codings: readonly Coding[]): QualitativeResult | undefined {
  for (const c of codings) {
    if (!INTERPRETATION_SYSTEMS.has(c.system)) continue;
    const code = c.code.toUpperCase();
    if (Object.hasOwn(INTERPRETATION_CODES, code)) return INTERPRETATION_CODES[code];
  }
  for (const c of codings) {
    const hit = fromWords(c.display);
    if (hit) return hit;
  }
  return undefined;
}

export const NOT_INTERPRETABLE = 'result not interpretable';
export const CONTRADICTORY = 'contradictory result text: needs review';

/** A reading: the result, or why there is none (shown to the user; never read as negative). */
export interface ResultReading {
  result?: QualitativeResult;
  problem?: string;
}

/**
 * The value decides; the interpretation flag is read only when the record gives no value the
 * reader could have used. A value that is present but not understood stops there: falling back
 * to a flag would turn "Reactive, non-confirmed" with flag N into "negative".
 */
export function readQualitative(obs: ObservationFact): ResultReading {
  const coded = fromValueCodes(obs.valueCodes ?? []);
  if (coded) return { result: coded };
  if (typeof obs.valueString === 'string' && obs.valueString.trim() !== '') {
    const word = fromWords(obs.valueString);
    return word ? { result: word } : fromSentence(obs.valueString);
  }
  if ((obs.valueCodes ?? []).length > 0) return { problem: NOT_INTERPRETABLE };
  if (typeof obs.valueBoolean === 'boolean') return { result: obs.valueBoolean ? 'positive' : 'negative' };
  const flagged = fromInterpretation(obs.interpretation ?? []);
  return flagged ? { result: flagged } : { problem: NOT_INTERPRETABLE };
}

export function interpretQualitative(obs: ObservationFact): QualitativeResult | undefined {
  return readQualitative(obs).result;
}

/** "< 15 IU/mL", "less than 15", "below 1.18 log": a value under the assay's limit. */
const BELOW_LIMIT = /^\s*(?:<=?|≤|less than|below)\s*\d/i;
const HAS_NUMBER = /\d/;

/**
 * Viral loads (HCV RNA, HBV DNA): numbers decide, flags do not (R2.1). A quantity above 0
 * without a "<" comparator is detected whatever its flag ("N" is common: the lab's normal is
 * "any"); "< 15 IU/mL", 0, "not detected" and "target not detected" are not detected; a text
 * with a figure or a range ("500 to 10,000 IU/mL") is detected.
 * `positive` means detected here.
 */
export function readViralLoad(obs: ObservationFact): ResultReading {
  const q = obs.quantity;
  if (q && typeof q.value === 'number' && Number.isFinite(q.value)) {
    // "< 10, Detected" (detected below the limit of quantification) is detected.
    if (q.comparator === '<' || q.comparator === '<=') return { result: fromInterpretation(obs.interpretation ?? []) === 'positive' ? 'positive' : 'negative' };
    return { result: q.value > 0 ? 'positive' : 'negative' };
  }
  const coded = fromValueCodes(obs.valueCodes ?? []);
  if (coded) return { result: coded };
  const text = obs.valueString;
  if (typeof text === 'string' && text.trim() !== '') {
    const word = fromWords(text);
    if (word) return { result: word };
    const lower = wordKey(text);
    const denied = lower.match(NEGATIVE_PHRASES) !== null;
    const rest = lower.replace(NEGATIVE_PHRASES, ' ');
    // "Detected, < 15 IU/mL" (detected below the limit of quantification) is detected.
    if (POSITIVE_PHRASES.test(rest)) return denied ? { problem: CONTRADICTORY } : { result: 'positive' };
    if (denied) return HAS_NUMBER.test(rest) && !BELOW_LIMIT.test(rest) ? { problem: CONTRADICTORY } : { result: 'negative' };
    if (BELOW_LIMIT.test(lower)) return { result: 'negative' };
    if (HAS_NUMBER.test(lower)) return { result: 'positive' };
    return { problem: NOT_INTERPRETABLE };
  }
  return readQualitative(obs);
}
