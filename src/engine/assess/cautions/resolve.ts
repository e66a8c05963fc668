/**
 * From findings (a trigger with the severity each agent's label gives it) to the report's
 * cautions for the planned therapy. Generic therapies: a rule that not all of their agents carry
 * at the same severity is at most a `warning` and names the agents (clinical/spec.md). A
 * provisional diagnosis or an outdated value is at most a `warning`.
 */
import type { Caution, CautionId, ChecklistId, Evidence, Severity, TodoKind } from '../../../contract/report';
import { CAUTION_RULES, type Agent, type SeverityByAgent } from '../../../kb/cautions';
import type { Therapy } from '../../../kb/therapies';
import { sourceLinks, withLinks } from '../sources';

export interface Finding {
  id: CautionId;
  text: string;
  /** The cause in a few words, for the verdict line ("clopidogrel", "ANC 800/µL"). */
  short?: string;
  /** Agent-specific advice appended to the text ("upadacitinib: 15 mg"). */
  adviceByAgent?: Partial<Record<Agent, string>>;
  evidence: Evidence[];
  /** Overrides the rule's default severities for this trigger. */
  severityByAgent?: SeverityByAgent;
  /** Overrides the rule's label verb for this trigger. */
  labelWording?: string;
  unconfirmed?: boolean;
  outdated?: boolean;
  /** What the nurse does about it, when there is something to do (R2.6 `todo`). */
  todo?: {
    kind: TodoKind;
    text: string;
    /** A stable id when the default `<kind>-<caution>` is not specific enough. */
    id?: string;
    /** Who acts on it when that is not the nurse (R3.5: the prescriber confirms prior systemic therapy). */
    audience?: 'prescriber';
    /** Checklist items the same action settles (an abnormal result's follow-up, R3.5). */
    items?: ChecklistId[];
  };
  /** The source for this trigger when it is not the rule's (a region's label, R3.7). */
  source?: string;
}

/** Whether a finding concerns the planned therapy at all (some agent of it carries the rule). */
export function concerns(finding: Finding, therapy: Therapy): boolean {
  const byAgent = finding.severityByAgent ?? CAUTION_RULES[finding.id].severityByAgent;
  return (therapy.agents as Agent[]).some((a) => byAgent[a] !== undefined);
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
  const caution: Caution = { id: finding.id, severity, text, short: finding.short ?? rule.label.toLowerCase(), evidence: finding.evidence, source: finding.source ?? rule.source };
  const uniform = carrying.length === agents.length && severities.every((s) => s === severities[0]);
  const advice = carrying.filter((a) => finding.adviceByAgent?.[a]);
  if (agents.length === 1 && advice.length) text += ` (${AGENT_NAMES[advice[0]!]}: ${finding.adviceByAgent![advice[0]!]})`;
  // Notes for information only name their agents in their own text.
  const allInfo = severities.every((x) => x === 'info');
  if (agents.length > 1 && !uniform && allInfo) caution.agents = carrying;
  else if (agents.length > 1 && !uniform) {
    severity = capAtWarning(severity);
    text += ` (${carrying.map((a) => `${AGENT_NAMES[a]}: ${finding.adviceByAgent?.[a] ?? SEVERITY_WORDS[byAgent[a]!]}`).join('; ')})`;
    caution.agents = carrying;
  } else if (agents.length > 1 && advice.length) {
    text += ` (${advice.map((a) => `${AGENT_NAMES[a]}: ${finding.adviceByAgent![a]}`).join('; ')})`;
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
  const wording = finding.labelWording ?? rule.labelWording;
  if (severity === 'do-not-start' && wording) caution.labelWording = wording;
  // Sources as clinicians read them, with the labels' public pages; provenance in JSON only (R3.8).
  if (rule.provenance) caution.provenance = rule.provenance;
  return withLinks(caution);
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
    const shorts = [...new Set([leader.short, other.short].filter((x): x is string => !!x))];
    const merged: Caution = {
      ...leader,
      text: leader.text === other.text ? leader.text : `${leader.text}; ${other.text}`,
      ...(shorts.length ? { short: shorts.join(', ') } : {}),
      evidence: [...leader.evidence, ...other.evidence.filter((e) => !refs.has(`${e.reference}|${e.display}`))],
    };
    // A merged caution is unconfirmed/outdated only if every part of it is.
    if (!(leader.unconfirmed && other.unconfirmed)) delete merged.unconfirmed;
    if (!(leader.outdated && other.outdated)) delete merged.outdated;
    const agents = [...new Set([...(leader.agents ?? []), ...(other.agents ?? [])])];
    if (agents.length) merged.agents = agents;
    // Findings of one caution may cite different labels (a region's rule): the source names both.
    if (other.source !== leader.source && !leader.source.includes(other.source)) merged.source = `${leader.source}; ${other.source}`;
    const links = sourceLinks(merged.source);
    if (links.length) merged.links = links;
    byId.set(caution.id, merged);
  }
  return [...byId.values()].sort((a, b) => RANK[b.severity] - RANK[a.severity]);
}
