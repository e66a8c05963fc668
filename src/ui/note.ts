/**
 * The report as plain text: what `--format text` prints and what "Copy as note" puts on the
 * clipboard, so the terminal and the chart say the same thing. Order (clinical revision 2): the
 * verdict per agent, the to-do list, cautions with their source, dose advice, monitoring, the
 * checklist, then data gaps and decision factors. Pure, so the exact text is tested.
 */
import { SEVERITIES, type AgentVerdict, type ChecklistItem, type Evidence, type ReadinessReport, type SourceLink } from '../contract/report';
import { glossaryLine } from './glossary';
import { cautionLabel, MONITORING_WORDING, resourceTypeName, SEVERITY_HEADINGS, statusWording, VERDICT_WORDING } from './labels';
import { summaryLine } from './summary';
import { cautionsNotFullyChecked } from './caution-coverage';
import { affectsWording, checklistRowText } from './format';
import { THERAPIES } from '../kb/therapies';

function clean(text: string): string {
  // Record strings may carry line breaks; one entry per line keeps the note readable.
  return text.replace(/\s+/g, ' ').trim();
}

/** Ends a sentence once: "Positive hCG." stays as it is. */
const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/** Plain URLs for the labels a source names (R3.8): a note or a print has no links to click. */
function sourceWithLinks(source: string, links: readonly SourceLink[] | undefined): string {
  const urls = (links ?? []).map((l) => l.url);
  return `${clean(source)}${urls.length ? ` (${urls.join(' ; ')})` : ''}`;
}

function evidenceSummary(evidence: Evidence): string {
  // The test's short name ("LDL cholesterol"), not the laboratory's full name for it.
  const parts = [clean(evidence.test ?? evidence.display)];
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
  const wording = VERDICT_WORDING[verdict.verdict];
  const reasons = verdict.reasons.length ? ` (${verdict.reasons.map(clean).join('; ')})` : '';
  return `- ${wording.icon} ${verdict.label}: ${wording.text}${reasons}${planned ? ' [planned]' : ''}`;
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

export function reportAsNote(report: ReadinessReport, therapyLabel: string): string {
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
  for (const entry of report.todo) lines.push(`- ${clean(entry.text)}${entry.advisory ? ' (advisory)' : ''}${entry.audience === 'prescriber' ? ' [prescriber]' : ''}`);

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

  const monitoring = report.monitoring;
  if (monitoring) {
    lines.push('', `Monitoring after the start (${monitoring.drug}${monitoring.start ? `, started ${monitoring.start}` : ', start date not recorded'}):`);
    if (monitoring.entries.length === 0) lines.push('- No laboratory checks in the label\'s schedule');
    for (const entry of monitoring.entries) {
      const result = entry.result ? `: ${evidenceSummary(entry.result)}` : entry.detail ? `: ${clean(entry.detail)}` : '';
      lines.push(`- ${MONITORING_WORDING[entry.status].text}: ${clean(entry.label)} (due ${entry.due})${result}`);
    }
    if (monitoring.visits.length) lines.push(`- Reassessment visits: ${monitoring.visits.map((v) => `week ${v.week} ${v.date}`).join(' · ')}`);
  }

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
  return lines.join('\n');
}
