/**
 * The monitoring after the start as plain text (the note, the text format, the print view read
 * the same words): first whether anything is abnormal, then each entry by work order with its
 * last value beside the baseline and how late it is, the short trends, the reassessment visits
 * from the real start. Pure.
 */
import type { AnalyteValues, DataGap, Evidence, MonitoringEntry, MonitoringSchedule, SourceLink } from '../contract/report';
import { MONITORING_WORDING } from './labels';
import { entriesInWorkOrder } from './monitoring-order';

const clean = (text: string) => text.replace(/\s+/g, ' ').trim();

/** A source with the labels' public pages as plain URLs (R3.8): a note has no links to click. */
const sourceWithUrls = (source: string, links: readonly SourceLink[] | undefined) => {
  const urls = (links ?? []).map((l) => l.url);
  return `${clean(source)}${urls.length ? ` (${urls.join(' ; ')})` : ''}`;
};

/**
 * "No abnormal result since the start" (R3.2 first-screen question), or how many there are. When
 * the results did not load completely (`labsProblem`), never an all-clear: "could not check".
 */
export function abnormalHeadline(schedule: MonitoringSchedule, labsProblem?: string): string {
  const n = schedule.abnormal?.length ?? 0;
  if (n === 0 && labsProblem) return `Could not check for abnormal results since the start: the lab results did not load completely (${labsProblem})`;
  if (n === 0) return schedule.start ? `No abnormal result since the start (${schedule.start})` : 'No abnormal result found (start date not recorded)';
  return `${n} abnormal result${n === 1 ? '' : 's'} since the start: tell the prescriber`;
}

/** "ALT 64 U/L (baseline 22 U/L)"; "ANC not yet (baseline 3,000/µL)". */
export function valueWithBaseline(v: AnalyteValues): string {
  const last = v.last?.value ? `${clean(v.last.value)}${v.last.note?.includes('preliminary') ? ' (preliminary)' : ''}` : 'none since the start';
  const baseline = v.baseline?.value ? ` (baseline ${clean(v.baseline.value)})` : ' (no baseline)';
  return `${v.name} ${last}${baseline}`;
}

function evidenceShort(e: Evidence): string {
  return [clean(e.display), e.value ? clean(e.value) : undefined, e.date?.slice(0, 10)].filter(Boolean).join(' ');
}

export function entryText(entry: MonitoringEntry): string {
  const parts = [`${MONITORING_WORDING[entry.status]?.text ?? entry.status}: ${clean(entry.label)} (due ${entry.due})`];
  // With the values listed, a done entry needs only its date; without them, the result that counted.
  if (entry.status === 'done' && entry.result && !entry.values?.length) parts.push(evidenceShort(entry.result));
  else if (entry.detail) parts.push(clean(entry.detail));
  if (entry.values?.length) parts.push(entry.values.map(valueWithBaseline).join(', '));
  return parts.join(': ');
}

/** The load problem of the lab results, from the report's data gaps, if any. */
export function labsProblem(dataGaps: readonly DataGap[]): string | undefined {
  return dataGaps.find((g) => g.resourceType === 'Observation')?.reason;
}

export function monitoringLines(schedule: MonitoringSchedule, dataGaps: readonly DataGap[] = []): string[] {
  const lines: string[] = [];
  const increase = schedule.doseIncrease ? `; dose increased ${schedule.doseIncrease.date}${schedule.doseIncrease.from ? ` from ${schedule.doseIncrease.from}` : ''}${schedule.doseIncrease.to ? ` to ${schedule.doseIncrease.to}` : ''}` : '';
  lines.push(`Monitoring after the start (${schedule.drug}${schedule.start ? `, started ${schedule.start}` : ', start date not recorded'}${increase}):`);
  lines.push(`- ${abnormalHeadline(schedule, labsProblem(dataGaps))}`);
  for (const r of schedule.abnormal ?? []) lines.push(`- ! ${clean(r.text)}${r.threshold ? ` (threshold: ${r.threshold})` : ''}. Source: ${sourceWithUrls(r.source, r.links)}`);
  if (schedule.entries.length === 0) lines.push("- No laboratory checks in the label's schedule");
  for (const entry of entriesInWorkOrder(schedule.entries)) lines.push(`- ${entryText(entry)}`);
  if (schedule.trends?.length) {
    lines.push('- Trends (last three values):');
    for (const t of schedule.trends) lines.push(`  - ${clean(t.words)}`);
  }
  if (schedule.visits.length) lines.push(`- Reassessment visits (from the start): ${schedule.visits.map((v) => `week ${v.week} ${v.date}`).join(' · ')}`);
  if (schedule.entries.length) lines.push(`- Schedule source: ${sourceWithUrls(schedule.source, schedule.links)}`);
  return lines;
}
