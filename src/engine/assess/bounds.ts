/**
 * Results as laboratories send them (clinical/spec.md R3.4): a comparator in
 * `valueQuantity.comparator` or at the start of a `valueString` ("<0.5 x10^9/L") is a bound. A
 * bound crosses a "below" threshold only when the bound itself is at or below it (`<500/µL` is
 * below 1,000; `<1,500/µL` may or may not be: a person reads it).
 */
import type { ObservationFact } from '../record';
import { convertQuantity, formatQuantity, type TargetUnit } from '../normalise/units';

const COMPARATORS: Readonly<Record<string, string>> = { '<': '<', '<=': '<=', '≤': '<=', '>': '>', '>=': '>=', '≥': '>=' };
const LEADING_BOUND = /^\s*(<=|>=|≤|≥|<|>)?\s*(\d+(?:\.\d+)?)\s*(\S.*)?$/;

/** "<0.5 x10^9/L" → 500 (cells/µL) with "<"; undefined when the text is not a number with a known unit. */
export function readValueString(text: string, to: TargetUnit): { value: number; comparator?: string } | undefined {
  const m = LEADING_BOUND.exec(text.replace(/,(?=\d{3}\b)/g, ''));
  if (!m || !m[3]) return undefined;
  const value = convertQuantity({ value: Number(m[2]), unit: m[3] }, to);
  if (value === undefined) return undefined;
  return m[1] ? { value, comparator: COMPARATORS[m[1]]! } : { value };
}

/** The value of a result in `unit`: its quantity, else a number with a unit written as text. */
export function readNumber(obs: ObservationFact | undefined, unit: TargetUnit): number | undefined {
  if (!obs) return undefined;
  if (obs.quantity) return convertQuantity(obs.quantity, unit);
  return obs.valueString !== undefined ? readValueString(obs.valueString, unit)?.value : undefined;
}

/** The result's comparator ("<", "<=", ">", ">="), from its quantity or the start of its text. */
export function comparatorOf(obs: ObservationFact, unit: TargetUnit): string | undefined {
  if (obs.quantity) return obs.quantity.comparator ? COMPARATORS[obs.quantity.comparator] : undefined;
  return obs.valueString !== undefined ? readValueString(obs.valueString, unit)?.comparator : undefined;
}

/** Whether a value (or a bound) is below a threshold: `unclear` for an upper bound above it. */
export function belowThreshold(value: number, comparator: string | undefined, below: number): 'yes' | 'no' | 'unclear' {
  if (comparator === '>' || comparator === '>=') return value >= below ? 'no' : 'unclear';
  if (comparator === '<') return value <= below ? 'yes' : 'unclear';
  if (comparator === '<=') return value < below ? 'yes' : 'unclear';
  return value < below ? 'yes' : 'no';
}

/** Whether a value (or a bound) is above a threshold: `unclear` for a lower bound below it. */
export function aboveThreshold(value: number, comparator: string | undefined, above: number): 'yes' | 'no' | 'unclear' {
  if (comparator === '<' || comparator === '<=') return value <= above ? 'no' : 'unclear';
  if (comparator === '>') return value >= above ? 'yes' : 'unclear';
  if (comparator === '>=') return value > above ? 'yes' : 'unclear';
  return value > above ? 'yes' : 'no';
}

/** Longest lab text repeated on screen: enough to read, never a page of free text. */
const VERBATIM_MAX = 60;

/** The lab's own words for a result that cannot be read (R3.4: "needs review: <verbatim text>"), bounded. */
export function verbatimValue(obs: ObservationFact): string {
  const coded = obs.valueCodes[0];
  const text = obs.valueString ?? (obs.quantity ? formatQuantity(obs.quantity) : coded ? (coded.display ?? coded.code) : 'no value recorded');
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > VERBATIM_MAX ? `${flat.slice(0, VERBATIM_MAX - 1)}…` : flat;
}
