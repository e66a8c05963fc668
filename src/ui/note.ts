/**
 * "Copy as note": plain text a nurse can paste into a progress note. Pure, so the exact text
 * is tested. It leaves out the patient's name on purpose: the note lands in that patient's own
 * chart, and the clipboard is shared with other programs.
 */
import { SEVERITIES, type ChecklistItem, type Evidence, type ReadinessReport } from '../contract/report';
import { cautionLabel, resourceTypeName, SEVERITY_HEADINGS, statusWording, windowWording } from './labels';
import { summaryLine } from './summary';
import { cautionsNotFullyChecked } from './caution-coverage';
import { newestEvidence } from './evidence';

function clean(text: string): string {
  // Record strings may carry line breaks; one entry per line keeps the note readable.
  return text.replace(/\s+/g, ' ').trim();
}

function evidenceSummary(evidence: Evidence): string {
  const parts = [clean(evidence.display)];
  if (evidence.value) parts.push(clean(evidence.value));
  if (evidence.date) parts.push(evidence.date);
  return parts.join(' ');
}

function itemLine(item: ChecklistItem): string {
  const parts = [`${clean(item.label)}: ${statusWording(item.status).text}`];
  if (item.status !== 'not-applicable') parts.push(windowWording(item.window));
  if (item.advisory) parts.push('advisory (not required by the label)');
  if (item.detail) parts.push(clean(item.detail));
  const newest = newestEvidence(item.evidence);
  if (newest && newest.date) parts.push(`latest ${evidenceSummary(newest)}`);
  if (item.missing && item.missing.length > 0) parts.push(`still needed: ${item.missing.map(clean).join(', ')}`);
  for (const note of item.notes ?? []) parts.push(clean(note));
  return `- ${parts.join('; ')}`;
}

export function reportAsNote(report: ReadinessReport, therapyLabel: string): string {
  const lines: string[] = [];
  lines.push(`JAK inhibitor readiness: ${clean(therapyLabel)}`);
  lines.push(`As of ${report.asOf}. Decision support from the EHR record; verify before acting.`);
  lines.push(`Summary: ${summaryLine(report)}`);

  if (report.dataGaps.length > 0) {
    lines.push('', 'Data gaps (items depending on these could not be checked):');
    for (const gap of report.dataGaps) {
      const affects = gap.affects && gap.affects.length > 0 ? ` (affects: ${gap.affects.map(clean).join(', ')})` : '';
      lines.push(`- ${resourceTypeName(gap.resourceType)}: ${clean(gap.reason)}${affects}`);
    }
  }

  lines.push('', 'Baseline checklist:');
  if (report.checklist.length === 0) lines.push('- Checklist not available');
  for (const item of report.checklist) lines.push(itemLine(item));

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
      lines.push(`- ${cautionLabel(caution.id)}: ${clean(caution.text)}${flagText}${basis ? ` (${basis})` : ''}`);
    }
  }

  if (report.factors.length > 0) {
    lines.push('', 'Decision factors:');
    for (const factor of report.factors) lines.push(`- ${clean(factor.label)}: ${clean(factor.value)}`);
  }
  return lines.join('\n');
}
