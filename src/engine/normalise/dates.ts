/**
 * Dates as the report uses them: calendar days ('YYYY-MM-DD'). A dateTime keeps the day it was
 * recorded in its own time zone (the clinical day), not the UTC day. Partial FHIR dates
 * ('YYYY', 'YYYY-MM') stay partial so the UI can show them as given; arithmetic takes them at
 * their first day. Nothing here throws: an impossible date is `undefined`.
 */
import type { Observation } from 'fhir/r4';

const DATE_TIME =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?)?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function toDay(value: string | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = DATE_TIME.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, hh, mi, ss] = m;
  const year = Number(y);
  if (year < 1) return undefined;
  if (mo === undefined) return y;
  const month = Number(mo);
  if (month < 1 || month > 12) return undefined;
  if (d === undefined) return `${y}-${mo}`;
  const day = Number(d);
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hh !== undefined && (Number(hh) > 23 || Number(mi) > 59 || (ss !== undefined && Number(ss) > 60))) {
    return undefined;
  }
  return `${y}-${mo}-${d}`;
}

/** Milliseconds at UTC midnight of the (first) day, or NaN. */
function epochOf(value: string): number {
  const day = toDay(value);
  if (!day) return Number.NaN;
  const [y, m = '01', d = '01'] = day.split('-');
  return Date.UTC(Number(y), Number(m) - 1, Number(d));
}

const DAY_MS = 86_400_000;

/** Whole days from `earlier` to `later` (negative when `later` is before); NaN for invalid input. */
export function daysBetween(earlier: string, later: string): number {
  return Math.round((epochOf(later) - epochOf(earlier)) / DAY_MS);
}

/** Completed years on `asOf`; null when either date is missing or invalid, or asOf precedes birth. */
export function ageOn(birthDate: string | undefined, asOf: string): number | null {
  const birth = toDay(birthDate);
  const on = toDay(asOf);
  if (!birth || !on) return null;
  const [by, bm = '01', bd = '01'] = birth.split('-');
  const [ay, am = '01', ad = '01'] = on.split('-');
  let age = Number(ay) - Number(by);
  if (Number(am) < Number(bm) || (am === bm && Number(ad) < Number(bd))) age -= 1;
  return age < 0 ? null : age;
}

export function addDays(day: string, n: number): string {
  const start = epochOf(day);
  if (Number.isNaN(start) || !Number.isFinite(n)) return day;
  return new Date(start + Math.round(n) * DAY_MS).toISOString().slice(0, 10);
}

function field(obj: unknown, key: string): unknown {
  return obj && typeof obj === 'object' ? (obj as Record<string, unknown>)[key] : undefined;
}

/**
 * When the result was true for the patient (spec "Dates"): effectiveDateTime, else the period's
 * end, then its start, else effectiveInstant, else `issued` (when the lab released it, which is
 * later than the sample: `fromIssued` lets the report say so). Invalid candidates are skipped.
 */
export function observationDate(obs: Observation): { date?: string; fromIssued: boolean } {
  const effective = [
    field(obs, 'effectiveDateTime'),
    field(field(obs, 'effectivePeriod'), 'end'),
    field(field(obs, 'effectivePeriod'), 'start'),
    field(obs, 'effectiveInstant'),
  ];
  for (const candidate of effective) {
    const day = toDay(candidate as string | undefined);
    if (day) return { date: day, fromIssued: false };
  }
  const issued = toDay(field(obs, 'issued') as string | undefined);
  return issued ? { date: issued, fromIssued: true } : { fromIssued: false };
}
