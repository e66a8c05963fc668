/** The worklist's words for the report's fixed ids (clinic words; ids stay in JSON). */
import type { MonitoringStatus, Verdict } from '../contract/report';
import type { WorklistRow } from './row';

export const VERDICT_WORDS: Record<Verdict, { text: string; icon: string }> = {
  'do-not-start': { text: 'Do not start', icon: '⊘' },
  unknown: { text: 'Could not check', icon: '?' },
  'needs-work': { text: 'Needs work', icon: '!' },
  ready: { text: 'Ready', icon: '✓' },
};

export const MONITORING_WORDS: Record<MonitoringStatus, string> = {
  overdue: 'overdue',
  due: 'due',
  unknown: 'could not check',
  'not-yet': 'not yet due',
  done: 'done',
};

export const PRIORITY_HEADINGS: Record<WorklistRow['priority'], string> = {
  0: 'Do not start, or monitoring overdue',
  1: 'Could not check',
  2: 'Work to do',
  3: 'Nothing to do',
};

export function verdictWords(verdict: string): { text: string; icon: string } {
  return VERDICT_WORDS[verdict as Verdict] ?? { text: verdict, icon: '?' };
}

export function stageWords(row: WorklistRow): string {
  return row.onTherapy ? `On ${row.onTherapy.drug} since ${row.onTherapy.start}` : 'Not started';
}

export function monitoringWords(m: WorklistRow['monitoring'][number]): string {
  return `${m.label}: ${MONITORING_WORDS[m.status] ?? m.status}, due ${m.due}${m.detail ? ` (${m.detail})` : ''}`;
}

export function sexWords(sex: string): string {
  return sex === 'female' ? 'F' : sex === 'male' ? 'M' : sex === 'other' ? 'other' : '';
}

/** Newlines and runs of spaces in record text would break a cell or a line. */
export function clean(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
