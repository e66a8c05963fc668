/**
 * The worklist as one self-contained, printable HTML page a nurse opens in a browser: no script
 * (the page's own Content-Security-Policy forbids any), no outside resources, every record
 * string escaped. Grouped by what needs doing; status in words and icons, never colour alone.
 */
import { THERAPIES } from '../kb/therapies';
import type { WorklistRow } from './row';
import type { WorklistSummary } from './run';
import { clean, monitoringWords, PRIORITY_HEADINGS, sexWords, stageWords, verdictWords } from './wording';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const e = (text: string | number | null | undefined) => (text === null || text === undefined ? '' : escapeHtml(clean(String(text))));

const STYLE = `
  :root { color: #1a1a1a; background: #fff; font: 13px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  body { margin: 16px; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  h2 { font-size: 16px; margin: 20px 0 6px; border-bottom: 2px solid #1a1a1a; }
  .meta { margin: 0 0 8px; color: #333; }
  .warnings { border: 2px solid #8a4b00; padding: 6px 10px; margin: 8px 0; }
  .warnings h2 { border: 0; margin: 0 0 4px; font-size: 14px; }
  table { width: 100%; border-collapse: collapse; }
  th, td { text-align: left; vertical-align: top; border: 1px solid #888; padding: 4px 6px; }
  th { background: #eee; }
  ul { margin: 0; padding-left: 16px; }
  .verdict { white-space: nowrap; font-weight: 600; }
  .do-not-start { color: #a00000; } .unknown { color: #6a4a00; } .needs-work { color: #1a1a1a; } .ready { color: #0a5a20; }
  .overdue { font-weight: 600; }
  .muted { color: #444; }
  .nowrap { white-space: nowrap; }
  @media print {
    @page { size: landscape; margin: 10mm; }
    body { margin: 0; font-size: 11px; }
    thead { display: table-header-group; }
    tr { break-inside: avoid; }
    h2 { break-after: avoid; }
  }
`;

function patientCell(row: WorklistRow): string {
  const parts = [`<strong>${row.name ? e(row.name) : '<span class="muted">(no name)</span>'}</strong>`];
  if (row.mrn) parts.push(`<span class="nowrap">MRN ${e(row.mrn)}</span>`);
  const details = [row.birthDate ? `born ${row.birthDate}` : '', row.age !== null ? `${row.age} y` : 'age unknown', sexWords(row.sex)].filter(Boolean).join(', ');
  parts.push(e(details));
  if (row.deceased !== undefined && row.deceased !== false) parts.push('<strong>Deceased</strong>');
  return parts.join('<br>');
}

function verdictsCell(row: WorklistRow): string {
  const agents = new Set<string>(row.relevantAgents);
  const shown = row.verdicts.filter((v) => agents.has(v.therapy));
  if (shown.length === 0) return '<span class="muted">No verdict</span>';
  return `<ul>${shown
    .map((v) => {
      const words = verdictWords(v.verdict, v.action);
      const reasons = v.reasons.length ? `: ${v.reasons.map(e).join('; ')}` : '';
      return `<li>${e(v.label)}: <span class="verdict ${e(v.verdict)}">${e(words.icon)} ${e(words.text)}</span>${reasons}</li>`;
    })
    .join('')}</ul>`;
}

function list(items: string[], empty = ''): string {
  return items.length ? `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>` : empty;
}

function rowHtml(row: WorklistRow): string {
  return `<tr>
<td>${patientCell(row)}</td>
<td>${e(stageWords(row))}</td>
<td>${verdictsCell(row)}</td>
<td>${list(row.todo.map((t) => `${e(t.text)}${t.advisory ? ' <span class="muted">(advisory)</span>' : ''}`))}</td>
<td>${list([...row.abnormal.map((a) => `<span class="overdue">Abnormal: ${e(a)}</span>`), ...row.monitoring.filter((m) => m.status !== 'abnormal').map((m) => `<span class="${m.status === 'overdue' ? 'overdue' : ''}">${e(monitoringWords(m))}</span>`)])}</td>
<td>${list(row.couldNotCheck.slice(0, 4).map(e).concat(row.couldNotCheck.length > 4 ? [`and ${row.couldNotCheck.length - 4} more`] : []))}</td>
</tr>`;
}

/** A summary note (written for standard error, in lower case) as a sentence on the page. */
const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function warnings(summary: WorklistSummary): string[] {
  const out: string[] = [];
  if (summary.incomplete.length) out.push('The export is incomplete: the rows it may touch say "could not check".');
  for (const fault of summary.wholeExportFaults) out.push(`Every patient: ${fault}.`);
  for (const note of summary.typeNotes.filter((n) => n.includes('not on the list'))) out.push(`${sentence(note)}.`);
  for (const error of summary.exportErrors.slice(0, 5)) out.push(`The server reported an error during the export: ${error}`);
  for (const note of summary.typeNotes.filter((n) => n.includes('could not check'))) out.push(`${sentence(note)}.`);
  if (summary.skippedLines) out.push(`${summary.skippedLines} line${summary.skippedLines === 1 ? '' : 's'} of the export could not be read and ${summary.skippedLines === 1 ? 'was' : 'were'} skipped (details on the command's standard error).`);
  if (summary.patientsLost) out.push(`${summary.patientsLost} Patient line${summary.patientsLost === 1 ? '' : 's'} could not be read: ${summary.patientsLost === 1 ? 'that patient is' : 'those patients are'} not on this list.`);
  if (summary.orphans.patients) out.push(`${summary.orphans.resources} resources name ${summary.orphans.patients} patient${summary.orphans.patients === 1 ? '' : 's'} who ${summary.orphans.patients === 1 ? 'is' : 'are'} not in the export's Patient file: not on this list.`);
  if (summary.failures.length) out.push(`${summary.failures.length} patient${summary.failures.length === 1 ? '' : 's'} could not be assessed (their rows say so).`);
  return out;
}

export function worklistHtml(rows: readonly WorklistRow[], summary: WorklistSummary, meta: { now: string; therapy: WorklistRow['therapy'] }): string {
  const therapy = THERAPIES[meta.therapy].label;
  const groups = ([0, 1, 2, 3] as const)
    .map((priority) => ({ priority, rows: rows.filter((r) => r.priority === priority) }))
    .filter((g) => g.rows.length > 0);
  const problems = warnings(summary);
  const title = `JAK inhibitor readiness worklist, ${meta.now}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${e(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${e(title)}</h1>
<p class="meta">Planned therapy: ${e(therapy)}. ${rows.length} patient${rows.length === 1 ? '' : 's'}: ${groups.map((g) => `${g.rows.length} ${e(PRIORITY_HEADINGS[g.priority].toLowerCase())}`).join(', ') || 'none'}. Decision support: it lists facts and gaps; it does not decide.</p>
${problems.length ? `<section class="warnings" aria-label="Problems with the export"><h2>⚠ Problems with the export</h2>${list(problems.map(e))}</section>` : ''}
</header>
<main>
${groups
  .map(
    (g) => `<section>
<h2>${e(PRIORITY_HEADINGS[g.priority])} (${g.rows.length})</h2>
<table>
<thead><tr><th scope="col">Patient</th><th scope="col">Status</th><th scope="col">Verdict</th><th scope="col">To do</th><th scope="col">Monitoring due</th><th scope="col">Could not check</th></tr></thead>
<tbody>
${g.rows.map(rowHtml).join('\n')}
</tbody>
</table>
</section>`,
  )
  .join('\n')}
</main>
</body>
</html>
`;
}
