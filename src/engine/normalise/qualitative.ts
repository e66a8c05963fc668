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

function fromWords(text: string | undefined): QualitativeResult | undefined {
  if (typeof text !== 'string') return undefined;
  const key = text.trim().toLowerCase().replace(/\s+/g, ' ').replace(/\.$/, '');
  return Object.hasOwn(VALUE_WORDS, key) ? VALUE_WORDS[key] : undefined;
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

export function interpretQualitative(obs: ObservationFact): QualitativeResult | undefined {
  return (
    fromValueCodes(obs.valueCodes ?? []) ??
    fromWords(obs.valueString) ??
    (typeof obs.valueBoolean === 'boolean' ? (obs.valueBoolean ? 'positive' : 'negative') : undefined) ??
    fromInterpretation(obs.interpretation ?? [])
  );
}
