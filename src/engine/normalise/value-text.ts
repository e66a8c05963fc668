/**
 * A number sent as text ("<0.5 x10^9/L", "0.8 10*3/uL"), read as a quantity with its comparator
 * (clinical/spec.md R3.4). Minimal reader for the blood counts: a severe neutropenia sent as a
 * string must raise `cytopenia`, never read "unit not recognised, still needed". A text that is
 * not one number with a unit gives nothing, and the caller shows it as it is.
 */
import type { ObservationFact, Quantity } from '../record';

const NUMBER_WITH_UNIT = /^\s*(<=|>=|<|>|≤|≥)?\s*(\d+(?:[.,]\d+)?)\s*([^\d\s<>=≤≥].*)?$/;
const COMPARATORS: Record<string, string> = { '≤': '<=', '≥': '>=' };

export function quantityFromText(text: string | undefined): Quantity | undefined {
  if (!text) return undefined;
  const match = NUMBER_WITH_UNIT.exec(text);
  if (!match) return undefined;
  const value = Number(match[2]!.replace(',', '.'));
  if (!Number.isFinite(value)) return undefined;
  const comparator = match[1] ? COMPARATORS[match[1]] ?? match[1] : undefined;
  return { value, unit: (match[3] ?? '').trim(), ...(comparator ? { comparator } : {}) };
}

/** The result's quantity: the coded one, else one read from its text. */
export function quantityOf(obs: ObservationFact): Quantity | undefined {
  return obs.quantity ?? quantityFromText(obs.valueString);
}
