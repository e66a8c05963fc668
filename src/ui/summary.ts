/**
 * The one-line summary at the top of the sidebar (and of the pasted note). It must never sound
 * reassuring when anything could not be checked: unknown items and data gaps always show.
 */
import type { ReadinessReport } from '../contract/report';
import { plural } from './labels';

const OPEN_STATUSES = new Set(['missing', 'outdated', 'incomplete']);

export interface SummaryCounts {
  labsToOrder: number;
  /** Tests already ordered, result awaited (issue 18). */
  labsAwaited: number;
  vaccinesDue: number;
  abnormal: number;
  unknown: number;
  advisoryOpen: number;
  doNotStart: number;
  warnings: number;
  info: number;
  dataGaps: number;
}

export function summaryCounts(report: ReadinessReport): SummaryCounts {
  const counts: SummaryCounts = {
    labsToOrder: 0,
    labsAwaited: 0,
    vaccinesDue: 0,
    abnormal: 0,
    unknown: 0,
    advisoryOpen: 0,
    doNotStart: 0,
    warnings: 0,
    info: 0,
    dataGaps: report.dataGaps.length,
  };
  for (const item of report.checklist) {
    if (item.status === 'unknown') counts.unknown += 1;
    else if (item.status === 'abnormal') counts.abnormal += 1;
    else if (OPEN_STATUSES.has(item.status) && item.advisory) counts.advisoryOpen += 1;
  }
  // What to order and give comes from the report's to-do list, never recomputed here.
  const orders = new Set<string>();
  const awaited = new Set<string>();
  for (const entry of report.todo ?? []) {
    if (entry.advisory) continue;
    if (entry.kind === 'awaiting') for (const order of entry.orders ?? [{ code: entry.id }]) awaited.add(order.code);
    if (entry.kind === 'order-lab') for (const order of entry.orders ?? [{ code: entry.id }]) orders.add(order.code);
    if (entry.kind === 'vaccinate') counts.vaccinesDue += 1;
  }
  counts.labsToOrder = orders.size;
  counts.labsAwaited = awaited.size;
  for (const caution of report.cautions) {
    if (caution.severity === 'do-not-start') counts.doNotStart += 1;
    else if (caution.severity === 'warning') counts.warnings += 1;
    else counts.info += 1;
  }
  return counts;
}

/** Summary segments, most urgent first; joined with " · " on screen and in the note. */
export function summarySegments(report: ReadinessReport): string[] {
  const c = summaryCounts(report);
  const segments: string[] = [];
  // R3.2: a result during treatment that the label acts on leads.
  const duringTreatment = report.monitoring?.abnormal?.length ?? 0;
  if (duringTreatment) segments.push(plural(duringTreatment, 'abnormal result during treatment', 'abnormal results during treatment'));
  if (c.doNotStart) segments.push(plural(c.doNotStart, 'reason not to start', 'reasons not to start'));
  if (c.warnings) segments.push(plural(c.warnings, 'caution', 'cautions'));
  if (c.abnormal) segments.push(plural(c.abnormal, 'abnormal result', 'abnormal results'));
  if (c.labsToOrder) segments.push(plural(c.labsToOrder, 'lab to order', 'labs to order'));
  if (c.labsAwaited) segments.push(plural(c.labsAwaited, 'lab awaiting result', 'labs awaiting results'));
  if (c.vaccinesDue) segments.push(plural(c.vaccinesDue, 'vaccine due', 'vaccines due'));
  if (c.unknown) segments.push(`could not check ${plural(c.unknown, 'item', 'items')}`);
  if (c.dataGaps) segments.push(plural(c.dataGaps, 'data gap', 'data gaps'));
  if (c.advisoryOpen) segments.push(`${c.advisoryOpen} advisory to consider`);
  // Notes for information (the label's approved use, a treated latent TB) are read in the
  // cautions list; counting them here would put "1 note" on almost every patient.
  if (report.checklist.length === 0) segments.push('checklist not available');
  if (segments.length === 0) {
    // Only reachable when every item was checked against completely loaded data.
    segments.push('No open baseline items or cautions found in the record');
  }
  return segments;
}

export function summaryLine(report: ReadinessReport): string {
  const line = summarySegments(report).join(' · ');
  // A deceased patient leads the report (R2.4).
  return report.patient.deceased ? `Recorded as deceased · ${line}` : line;
}
