/** The worklist as CSV (one row per patient, for a spreadsheet) or JSON (an array of row objects). */
import { AGENT_IDS } from '../contract/report';
import type { WorklistRow } from './row';
import { clean, monitoringWords, sexWords, stageWords, verdictWords } from './wording';

export const CSV_COLUMNS = [
  'patient', 'mrn', 'birth date', 'age', 'sex', 'status',
  ...AGENT_IDS,
  'to do', 'monitoring due', 'could not check', 'patient id',
] as const;

/**
 * RFC 4180 quoting, and a leading apostrophe on text that a spreadsheet would run as a formula
 * (a patient name such as "=HYPERLINK(…)" must stay text).
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function verdictCell(row: WorklistRow, agent: string): string {
  const v = row.verdicts.find((x) => x.therapy === agent);
  if (!v) return '';
  const words = verdictWords(v.verdict, v.action).text;
  return v.reasons.length ? `${words}: ${v.reasons.map(clean).join('; ')}` : words;
}

export function worklistCsv(rows: readonly WorklistRow[]): string {
  const lines = [CSV_COLUMNS.map(csvCell).join(',')];
  for (const row of rows) {
    const cells: Array<string | number | null> = [
      row.name ? clean(row.name) : null,
      row.mrn ? clean(row.mrn) : null,
      row.birthDate,
      row.age,
      sexWords(row.sex),
      stageWords(row),
      ...AGENT_IDS.map((agent) => verdictCell(row, agent)),
      row.todo.map((t) => `${clean(t.text)}${t.advisory ? ' (advisory)' : ''}`).join('; '),
      [...row.abnormal.map((a) => `Abnormal: ${clean(a)}`), ...row.monitoring.filter((m) => m.status !== 'abnormal').map((m) => clean(monitoringWords(m)))].join('; '),
      row.couldNotCheck.map(clean).join('; '),
      row.patientId,
    ];
    lines.push(cells.map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function worklistJson(rows: readonly WorklistRow[]): string {
  return `${JSON.stringify(rows, null, 2)}\n`;
}
