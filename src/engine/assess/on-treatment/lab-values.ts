/**
 * Results as laboratories send them (clinical/spec.md R3.4), for the analytes monitored after
 * the start: a comparator in valueQuantity or at the start of a valueString ("<0.5 x10^9/L") is a
 * bound; a value or unit that cannot be read is kept verbatim for a person to read; preliminary
 * results count and say so; an amended or corrected result replaces the earlier one of the same
 * sample. (Cancelled and entered-in-error results never reach the record: src/engine/normalise.)
 */
import type { ObservationFact } from '../../record';
import type { Evidence } from '../../../contract/report';
import type { AnalyteName } from '../../../kb/on-treatment';
import { convertQuantity, formatQuantity, type TargetUnit } from '../../normalise/units';
import { comparatorOf, readNumber, verbatimValue as verbatim } from '../bounds';
import { roundForPeople, withUnit } from '../../present/values';
import type { AssessContext, LabConcept } from '../context';
import { bloodCounts, countEvidence } from '../checklist/cbc';
import { observationEvidence } from '../evidence';

export interface AnalyteReading {
  analyte: AnalyteName;
  obs: ObservationFact;
  /** YYYY-MM-DD. */
  day: string;
  /** In the analyte's unit; absent when the value or unit cannot be read. */
  value?: number;
  /** A bound: "<", "<=", ">", ">=". */
  comparator?: string;
  /** The upper limit of normal from the result's reference range (liver enzymes), in the analyte's unit. */
  uln?: number;
  /** The verbatim value when it cannot be read. */
  unreadable?: string;
  preliminary: boolean;
  /** The value for people ("45,000/µL", "<500/µL"), or the verbatim text. */
  shown: string;
  evidence: Evidence[];
}

interface AnalyteDef { concept: LabConcept; unit: TargetUnit; shownUnit: string; wholeFrom?: number }

export const ANALYTES: Readonly<Record<AnalyteName, AnalyteDef>> = {
  Hemoglobin: { concept: 'hemoglobin', unit: 'g/dL', shownUnit: 'g/dL' },
  Platelets: { concept: 'platelets', unit: 'cells/uL', shownUnit: '/µL' },
  ANC: { concept: 'neutrophilsAbsolute', unit: 'cells/uL', shownUnit: '/µL' },
  ALC: { concept: 'lymphocytesAbsolute', unit: 'cells/uL', shownUnit: '/µL' },
  ALT: { concept: 'alt', unit: 'U/L', shownUnit: 'U/L', wholeFrom: 10 },
  AST: { concept: 'ast', unit: 'U/L', shownUnit: 'U/L', wholeFrom: 10 },
  LDL: { concept: 'ldl', unit: 'mg/dL', shownUnit: 'mg/dL', wholeFrom: 10 },
  // Shown beside the LDL when present; never required (R3.1).
  'Total cholesterol': { concept: 'totalCholesterol', unit: 'mg/dL', shownUnit: 'mg/dL', wholeFrom: 10 },
  HDL: { concept: 'hdl', unit: 'mg/dL', shownUnit: 'mg/dL', wholeFrom: 10 },
  Triglycerides: { concept: 'triglycerides', unit: 'mg/dL', shownUnit: 'mg/dL', wholeFrom: 10 },
};

export function formatAnalyte(analyte: AnalyteName, value: number, comparator?: string): string {
  const def = ANALYTES[analyte];
  return withUnit(`${comparator ?? ''}${roundForPeople(value, def.wholeFrom === undefined ? {} : { wholeFrom: def.wholeFrom })}`, def.shownUnit);
}

function reading(analyte: AnalyteName, obs: ObservationFact, measured: number | undefined, evidence: Evidence[]): AnalyteReading | undefined {
  if (!obs.date) return undefined;
  const def = ANALYTES[analyte];
  const preliminary = obs.status === 'preliminary';
  const r: AnalyteReading = { analyte, obs, day: obs.date.slice(0, 10), preliminary, shown: '', evidence };
  const value = measured ?? readNumber(obs, def.unit);
  const comparator = comparatorOf(obs, def.unit);
  if (value === undefined) {
    r.unreadable = verbatim(obs);
    r.shown = r.unreadable;
    return r;
  }
  r.value = value;
  if (comparator) r.comparator = comparator;
  if (obs.referenceHigh && def.unit === 'U/L') {
    const uln = convertQuantity(obs.referenceHigh, 'U/L');
    if (uln !== undefined) r.uln = uln;
  }
  r.shown = formatAnalyte(analyte, value, comparator);
  // One way of writing each analyte everywhere ("45,000/µL", never "45 ×10³/µL" beside it); the
  // lab's own text stays in the evidence (R3.4: "the verbatim string is shown").
  const raw = obs.valueString ?? (obs.quantity ? formatQuantity(obs.quantity) : undefined);
  if (evidence[0]) evidence[0] = { ...evidence[0], value: r.shown, ...(raw !== undefined && raw !== r.shown ? { rawValue: raw } : {}) };
  return r;
}

/** An amended or corrected result replaces the others of the same sample time. */
function withoutReplaced(readings: AnalyteReading[]): AnalyteReading[] {
  const replaced = new Set(readings.filter((r) => r.obs.status === 'amended' || r.obs.status === 'corrected').map((r) => r.obs.date));
  return readings.filter((r) => !replaced.has(r.obs.date) || r.obs.status === 'amended' || r.obs.status === 'corrected');
}

const PRELIMINARY_NOTE = 'preliminary';

function withPreliminaryNote(evidence: Evidence[], obs: ObservationFact): Evidence[] {
  if (obs.status !== 'preliminary') return evidence;
  return evidence.map((e, i) => (i === 0 && !(e.note ?? '').includes(PRELIMINARY_NOTE) ? { ...e, note: [e.note, PRELIMINARY_NOTE].filter(Boolean).join('; ') } : e));
}

/** Dated readings of one analyte, newest first (blood counts include ANC/ALC derived from WBC × %). */
export function analyteReadings(ctx: AssessContext, analyte: AnalyteName): AnalyteReading[] {
  return ctx.once(`analyte:${analyte}`, () => {
    let list: AnalyteReading[];
    if (analyte === 'Hemoglobin' || analyte === 'Platelets' || analyte === 'ANC' || analyte === 'ALC') {
      list = bloodCounts(ctx)[analyte].flatMap((v) => reading(analyte, v.observation, v.value, withPreliminaryNote(countEvidence(v), v.observation)) ?? []);
    } else {
      list = ctx.observationsOf(ANALYTES[analyte].concept).flatMap((obs) => reading(analyte, obs, undefined, [observationEvidence(obs)]) ?? []);
    }
    return withoutReplaced(list).sort((a, b) => (a.obs.date! < b.obs.date! ? 1 : a.obs.date! > b.obs.date! ? -1 : 0));
  });
}
