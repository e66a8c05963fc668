/**
 * The worklist's words for the report's fixed ids (clinic words; ids stay in JSON): the
 * sidebar's and the note's own wording, so a verdict reads the same everywhere.
 */
import type { MonitoringStatus, Verdict } from '../contract/report';
import { ACTION_WORDING, MONITORING_WORDING, VERDICT_WORDING } from '../ui/labels';
import type { WorklistRow } from './row';

export const PRIORITY_HEADINGS: Record<WorklistRow['priority'], string> = {
  0: 'Do not start, abnormal result during treatment, or monitoring overdue',
  1: 'Could not check',
  2: 'Work to do',
  3: 'Nothing to do',
};

export function verdictWords(verdict: string, action?: string): { text: string; icon: string } {
  const words = VERDICT_WORDING[verdict as Verdict] ?? { text: verdict, icon: '?' };
  // R3.3: the drug being taken reads with what to do with it ("Taking it — Discontinue: tell the prescriber today").
  const act = action ? ACTION_WORDING[action] : undefined;
  return act ? { text: `${words.text} — ${act.text}`, icon: act.icon } : words;
}

export function stageWords(row: WorklistRow): string {
  if (!row.onTherapy) return 'Not started';
  return `On ${row.onTherapy.drug} ${row.onTherapy.start ? `since ${row.onTherapy.start}` : '(start date not recorded)'}`;
}

export function monitoringWords(m: WorklistRow['monitoring'][number]): string {
  // The report's detail already says when ("overdue since 2026-09-23", "due 2026-12-07, in 10 days").
  if (m.detail) return `${m.label}: ${m.detail}`;
  const status = MONITORING_WORDING[m.status as MonitoringStatus]?.text ?? m.status;
  return `${m.label}: ${status.toLowerCase()}${m.due ? `, due ${m.due}` : ''}`;
}

export function sexWords(sex: string): string {
  return sex === 'female' ? 'F' : sex === 'male' ? 'M' : sex === 'other' ? 'other' : '';
}

/** Newlines and runs of spaces in record text would break a cell or a line. */
export function clean(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
