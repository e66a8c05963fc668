/**
 * Values for people (clinical/spec.md R2.1): numbers rounded to the precision a clinician reads
 * and UCUM units written as people write them. The one place that does it, so the report, the
 * text format and the sidebar never show "37.1966219173" or "10*3/uL". The raw value stays in
 * the evidence (`rawValue`).
 */
import type { Quantity } from '../record';

const SUPERSCRIPT: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '-': '⁻' };
const superscript = (digits: string) => [...digits].map((d) => SUPERSCRIPT[d] ?? d).join('');

/** Whole units people write differently from UCUM's codes. */
const UNIT_WORDS: Readonly<Record<string, string>> = {
  'mL/min/{1.73_m2}': 'mL/min/1.73 m²',
  'mL/min/1.73m2': 'mL/min/1.73 m²',
  'mL/min/{1.73m2}': 'mL/min/1.73 m²',
  '{cells}/uL': 'cells/µL',
  '{cells}/mm3': 'cells/mm³',
  Cel: '°C',
  '[degF]': '°F',
  '[in_i]': 'in',
  '[lb_av]': 'lb',
  '[oz_av]': 'oz',
  '{s_co_ratio}': 's/co',
  '{index_val}': 'index',
  '{ratio}': 'ratio',
  '{score}': '',
  '1': '',
};

/** "10*3/uL" → "×10³/µL", "[IU]/L" → "IU/L", "m[IU]/mL" → "mIU/mL", "ug/L" → "µg/L". */
export function unitForPeople(unit: string | undefined): string {
  if (typeof unit !== 'string') return '';
  const trimmed = unit.trim();
  if (Object.hasOwn(UNIT_WORDS, trimmed)) return UNIT_WORDS[trimmed]!;
  return trimmed
    .replace(/10\*(-?\d+)/g, (_m, exp: string) => `×10${superscript(exp)}`)
    .replace(/10\^(-?\d+)/g, (_m, exp: string) => `×10${superscript(exp)}`)
    .replace(/\[IU\]/g, 'IU')
    .replace(/(^|[^A-Za-z])u(?=(L|l|g|mol|kat|IU|m\b|m3))/g, '$1µ')
    .replace(/\{([^}]*)\}/g, (_m, note: string) => note.replace(/_/g, ' '))
    .replace(/(m|mm|cm)3\b/g, '$1³')
    .replace(/(m|mm|cm)2\b/g, '$1²');
}

const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export interface RoundingOptions {
  /** Show whole numbers from this magnitude on (eGFR from 1, ALT from 10); default 100. */
  wholeFrom?: number;
}

/**
 * A number as a clinician reads it: three significant figures (at most three decimals), whole
 * numbers from 100 (with thousands separators), and earlier for results read in whole units
 * (eGFR 37, ALT 25).
 */
export function roundForPeople(value: number, options: RoundingOptions = {}): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= Math.min(100, options.wholeFrom ?? 100)) return GROUPED.format(Math.round(value));
  if (magnitude === 0) return '0';
  const decimals = Math.min(3, Math.max(0, 2 - Math.floor(Math.log10(magnitude))));
  return String(Number(value.toFixed(decimals)));
}

/** Unit text joins a number with a space, except a bare "per" unit: "800/µL", "12.6 g/dL". */
export function withUnit(number: string, unit: string): string {
  if (!unit) return number;
  return unit.startsWith('/') ? `${number}${unit}` : `${number} ${unit}`;
}

/** "12.6 g/dL", "<15 IU/mL", "248 ×10³/µL". */
export function quantityForPeople(q: Quantity, options: RoundingOptions = {}): string {
  const number = typeof q.value === 'number' && Number.isFinite(q.value) ? roundForPeople(q.value, options) : '?';
  return withUnit(`${q.comparator ?? ''}${number}`, unitForPeople(q.unit));
}
