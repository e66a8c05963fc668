/**
 * The report as plain text: what `--format text` prints and what "Copy as note" puts on the
 * clipboard, so the terminal and the chart say the same thing. Order (clinical revision 2): the
 * verdict per agent, the to-do list, cautions with their source, dose advice, monitoring, the
 * checklist, then data gaps and decision factors. Pure, so the exact text is tested.
 */
import { SEVERITIES, type AgentVerdict, type ChecklistItem, type Evidence, type ReadinessReport, type SourceLink } from '../contract/report';
import { glossaryLine } from './glossary';
import { ACTION_WORDING, cautionLabel, resourceTypeName, SEVERITY_HEADINGS, statusWording, VERDICT_WORDING } from './labels';
import { monitoringLines } from './monitoring-text';
import { summaryLine } from './summary';
import { cautionsNotFullyChecked } from './caution-coverage';
import { affectsWording, checklistRowText, sourceWording } from './format';
import { THERAPIES } from '../kb/therapies';
import { plainLine } from './plain-text';
import { shortTestName } from '../kb/short-test-names';
import { markLine, type TodoMarks } from '../contract/todo-marks';
import type { TodoEntry } from '../contract/report';

function clean(text: string): string {
  // Record strings may carry line breaks and control or direction characters; one entry per line,
  // as written, keeps the note readable and true (src/ui/plain-text.ts).
  return plainLine(text);
}

const SNOMED_TAG = /\s+\((disorder|finding|procedure|situation|observable entity|regime\/therapy|morphologic abnormality)\)$/;

/** Ends a sentence once: "Positive hCG." stays as it is. */
const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/** Plain URLs for the labels a source names (R3.8): a note or a print has no links to click. */
function sourceWithLinks(source: string, links: readonly SourceLink[] | undefined): string {
  const urls = (links ?? []).map((l) => l.url);
  return `${sourceText(source)}${urls.length ? ` (${urls.join(' ; ')})` : ''}`;
}

function evidenceSummary(evidence: Evidence): string {
  // The test in clinic words ("Hemoglobin") rather than the record's long code name; a SNOMED
  // semantic tag ("(disorder)") is the terminology's, not the clinic's.
  const parts = [clean(evidence.test ?? evidence.display).replace(SNOMED_TAG, '')];
  if (evidence.value) parts.push(clean(evidence.value));
  if (evidence.date) parts.push(evidence.date);
  return parts.join(' ');
}

function itemLine(item: ChecklistItem, asOf: string): string {
  const parts = [`${clean(item.label)}: ${statusWording(item.status).text}`];
  if (item.advisory) parts.push('worth considering (not required by the label)');
  const { result, detail } = checklistRowText(item, asOf);
  if (detail) parts.push(clean(detail));
  if (result) parts.push(clean(result));
  if (item.missing && item.missing.length > 0) parts.push(`still needed: ${item.missing.map(clean).join(', ')}`);
  for (const note of item.notes ?? []) parts.push(clean(note));
  return `- ${parts.join('; ')}`;
}

function verdictLine(verdict: AgentVerdict, planned: boolean): string {
  const wording = VERDICT_WORDING[verdict.verdict] ?? { text: verdict.verdict, icon: '?' };
  const reasons = verdict.reasons.length ? ` (${verdict.reasons.map(clean).join('; ')})` : '';
  // R3.3: the drug being taken reads as taken, with what to do with it; never "Needs work" or "Do not start".
  const action = verdict.current && verdict.action ? ` — ${ACTION_WORDING[verdict.action]?.text ?? verdict.action}` : '';
  return `- ${wording.icon} ${verdict.label}: ${wording.text}${action}${reasons}${verdict.current ? ' [taking now]' : planned ? ' [planned]' : ''}`;
}

/** "Rivera, Ana · born 1992-01-15 · MRN 12345": who the page is about, on paper and in the chart. */
export function identityLine(report: ReadinessReport): string | undefined {
  const p = report.patient;
  const parts = [p.name ? clean(p.name) : undefined, p.birthDate ? `born ${p.birthDate}` : undefined, p.mrn ? `MRN ${clean(p.mrn)}` : undefined].filter(Boolean);
  return parts.length ? `Patient: ${parts.join(' · ')}` : undefined;
}

export function deceasedLine(report: ReadinessReport): string | undefined {
  const deceased = report.patient.deceased;
  if (!deceased) return undefined;
  return `Recorded as deceased${typeof deceased === 'string' ? ` (${deceased})` : ''}: check the chart before acting on anything below.`;
}

/** A source in words: "the patient's record" rather than the knowledge base's own note on it. */
const sourceText = (source: string) => clean(sourceWording(source) ?? source);

const inSentence = (display: string) => (/^[A-Z][a-z]/.test(display) ? display[0]!.toLowerCase() + display.slice(1) : display);

/** "Order CBC, lipid panel (LDL cholesterol)": the to-do's words with each test's short name. */
export function todoNoteText(entry: TodoEntry): string {
  let text = clean(entry.text);
  for (const order of entry.orders ?? []) {
    const short = shortTestName(order);
    for (const long of [order.display, inSentence(order.display)]) {
      if (text.includes(long)) {
        text = text.replace(long, short);
        break;
      }
    }
  }
  return text;
}

/** Marks (done elsewhere / declined / deferred) are the nurse's, kept beside the report: see src/contract/todo-marks.ts. */
export function reportAsNote(report: ReadinessReport, therapyLabel: string, marks: TodoMarks = {}): string {
  const lines: string[] = [];
  lines.push(`JAK inhibitor readiness: ${clean(therapyLabel)}`);
  const deceased = deceasedLine(report);
  if (deceased) lines.push(deceased);
  const identity = identityLine(report);
  if (identity) lines.push(identity);
  lines.push(`As of ${report.asOf}. Decision support from the EHR record; verify before acting.`);
  lines.push(`Summary: ${summaryLine(report)}`);

  if (report.byAgent.length > 0) {
    lines.push('', 'Verdict per agent:');
    for (const verdict of report.byAgent) lines.push(verdictLine(verdict, verdict.therapy === report.therapy));
  }

  lines.push('', 'To do:');
  if (report.todo.length === 0) lines.push('- Nothing to order or confirm from the record');
  for (const entry of report.todo) {
    const mark = Object.hasOwn(marks, entry.id) ? marks[entry.id] : undefined;
    lines.push(`- ${todoNoteText(entry)}${entry.advisory ? ' (advisory)' : ''}${entry.audience === 'prescriber' ? ' [prescriber]' : ''}${mark ? ` — ${markLine(mark)}` : ''}`);
  }

  lines.push('', 'Cautions:');
  // With part of the record unread, an empty list is not an all-clear: say so in the note too.
  const unchecked = cautionsNotFullyChecked(report.dataGaps);
  if (unchecked) lines.push(`- ${unchecked}`);
  else if (report.cautions.length === 0) lines.push('- None raised by the record');
  for (const severity of SEVERITIES) {
    const group = report.cautions.filter((caution) => caution.severity === severity);
    if (group.length === 0) continue;
    lines.push(`${SEVERITY_HEADINGS[severity]}:`);
    for (const caution of group) {
      const flags: string[] = [];
      if (caution.unconfirmed) flags.push('unconfirmed');
      if (caution.outdated) flags.push('last known value, outdated');
      const flagText = flags.length > 0 ? ` [${flags.join('; ')}]` : '';
      const basis = caution.evidence.map(evidenceSummary).join('; ');
      const wording = caution.labelWording ? ` Label: ${caution.labelWording}.` : '';
      lines.push(`- ${cautionLabel(caution.id)}: ${sentence(`${clean(caution.text)}${flagText}${basis ? ` (${basis})` : ''}`)}${wording} Source: ${sourceWithLinks(caution.source, caution.links)}`);
    }
  }

  const planned: readonly string[] = THERAPIES[report.therapy]?.agents ?? [];
  const dosing = report.dosing.filter((d) => planned.includes(d.therapy));
  if (dosing.length > 0) {
    lines.push('', 'Dose advice from the labels:');
    const label = (id: string) => report.byAgent.find((v) => v.therapy === id)?.label ?? id;
    for (const d of dosing) lines.push(`- ${label(d.therapy)}: ${clean(d.advice)} (${clean(d.reason)}). Source: ${sourceWithLinks(d.source, d.links)}`);
  }

  if (report.monitoring) lines.push('', ...monitoringLines(report.monitoring, report.dataGaps));
  else if (report.planned) lines.push('', `Planned, not yet taken: ${clean(report.planned.drug)} (${report.planned.evidence.map((e) => [e.value, e.date].filter(Boolean).join(' ')).join('; ')})`);

  lines.push('', 'Baseline checklist:');
  if (report.checklist.length === 0) lines.push('- Checklist not available');
  for (const item of report.checklist) lines.push(itemLine(item, report.asOf));

  if (report.dataGaps.length > 0) {
    lines.push('', 'Data gaps (items depending on these could not be checked):');
    for (const gap of report.dataGaps) {
      const words = affectsWording(gap, report);
      const affects = words.length > 0 ? ` (affects: ${words.map(clean).join(', ')})` : '';
      lines.push(`- ${resourceTypeName(gap.resourceType)}: ${clean(gap.reason)}${affects}`);
    }
  }

  if (report.factors.length > 0) {
    lines.push('', 'Decision factors:');
    for (const factor of report.factors) lines.push(`- ${clean(factor.label)}: ${clean(factor.value)}`);
  }
  const glossary = glossaryLine(lines.join('\n'));
  if (glossary) lines.push('', glossary);
  // Every line once more, for the strings that reach it without `clean` (labels, dates, wording).
  return lines.map((line) => (line === '' ? line : plainLine(line))).join('\n');
}
