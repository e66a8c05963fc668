/**
 * From findings (a trigger with the severity each agent's label gives it) to the report's
 * cautions for the planned therapy. Generic therapies: a rule that not all of their agents carry
 * at the same severity is at most a `warning` and names the agents (clinical/spec.md). A
 * provisional diagnosis or an outdated value is at most a `warning`.
 */
import type { Caution, CautionId, Evidence, Severity } from '../../../contract/report';
import { CAUTION_RULES, type Agent, type SeverityByAgent } from '../../../kb/cautions';
import type { Therapy } from '../../../kb/therapies';

export interface Finding {
  id: CautionId;
  text: string;
  evidence: Evidence[];
  /** Overrides the rule's default severities for this trigger. */
  severityByAgent?: SeverityByAgent;
  unconfirmed?: boolean;
  outdated?: boolean;
}

const RANK: Record<Severity, number> = { 'do-not-start': 3, warning: 2, info: 1 };
const AGENT_NAMES: Record<Agent, string> = {
  abrocitinib: 'abrocitinib', upadacitinib: 'upadacitinib', baricitinib: 'baricitinib',
  'ruxolitinib-cream': 'ruxolitinib cream', 'delgocitinib-cream': 'delgocitinib cream',
};
const SEVERITY_WORDS: Record<Severity, string> = { 'do-not-start': 'do not start', warning: 'weigh and discuss', info: 'note' };

const maxSeverity = (a: Severity, b: Severity): Severity => (RANK[a] >= RANK[b] ? a : b);
const capAtWarning = (s: Severity): Severity => (s === 'do-not-start' ? 'warning' : s);

function resolveOne(finding: Finding, therapy: Therapy): Caution | undefined {
  const rule = CAUTION_RULES[finding.id];
  const byAgent = finding.severityByAgent ?? rule.severityByAgent;
  const agents = therapy.agents as Agent[];
  const carrying = agents.filter((a) => byAgent[a] !== undefined);
  if (carrying.length === 0) return undefined;
  const severities = carrying.map((a) => byAgent[a]!);
  let severity = severities.reduce(maxSeverity);
  let text = finding.text;
  const caution: Caution = { id: finding.id, severity, text, evidence: finding.evidence, source: rule.source };
  const uniform = carrying.length === agents.length && severities.every((s) => s === severities[0]);
  if (agents.length > 1 && !uniform) {
    severity = capAtWarning(severity);
    text += ` (${carrying.map((a) => `${AGENT_NAMES[a]}: ${SEVERITY_WORDS[byAgent[a]!]}`).join('; ')})`;
    caution.agents = carrying;
  }
  if (finding.unconfirmed) {
    severity = capAtWarning(severity);
    caution.unconfirmed = true;
    text += ' (unconfirmed diagnosis)';
  }
  if (finding.outdated) {
    severity = capAtWarning(severity);
    caution.outdated = true;
    text += ' (last known value, outdated)';
  }
  caution.severity = severity;
  caution.text = text;
  return caution;
}

/** One caution per id: the most severe finding leads, texts and evidence are merged. */
export function resolveCautions(findings: readonly Finding[], therapy: Therapy): Caution[] {
  const byId = new Map<CautionId, Caution>();
  for (const finding of findings) {
    const caution = resolveOne(finding, therapy);
    if (!caution) continue;
    const existing = byId.get(caution.id);
    if (!existing) {
      byId.set(caution.id, caution);
      continue;
    }
    const leader = RANK[caution.severity] > RANK[existing.severity] ? caution : existing;
    const other = leader === caution ? existing : caution;
    const refs = new Set(leader.evidence.map((e) => `${e.reference}|${e.display}`));
    const merged: Caution = {
      ...leader,
      text: leader.text === other.text ? leader.text : `${leader.text}; ${other.text}`,
      evidence: [...leader.evidence, ...other.evidence.filter((e) => !refs.has(`${e.reference}|${e.display}`))],
    };
    // A merged caution is unconfirmed/outdated only if every part of it is.
    if (!(leader.unconfirmed && other.unconfirmed)) delete merged.unconfirmed;
    if (!(leader.outdated && other.outdated)) delete merged.outdated;
    const agents = [...new Set([...(leader.agents ?? []), ...(other.agents ?? [])])];
    if (agents.length) merged.agents = agents;
    byId.set(caution.id, merged);
  }
  return [...byId.values()].sort((a, b) => RANK[b.severity] - RANK[a.severity]);
}
