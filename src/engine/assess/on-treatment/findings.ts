/**
 * Cautions for a patient already on a JAK inhibitor (clinical/spec.md R3.2, R3.3):
 * - `already-on-jak-inhibitor`: a note for the drug being taken; for any other agent a switch,
 *   a warning "switching: stop <current> before the first dose of <planned>; do not combine",
 *   never do-not-start by itself. Draft orders and proposals are planned, not taken: no caution.
 * - `on-treatment-result`: a result after the start that the label acts on, saying what to do
 *   now ("interrupt abrocitinib; contact the prescriber today"), never "do not start".
 * - A low count measured after the start is not a "do not start" for the drug being taken (the
 *   label's dose-modification table applies): `cytopenia` no longer names that drug.
 */
import type { AgentId, Caution, MonitoringSchedule, OnTreatmentResult } from '../../../contract/report';
import { ACTION_RANK } from '../../../kb/on-treatment';
import type { Agent, SeverityByAgent } from '../../../kb/cautions';
import type { AssessContext } from '../context';
import type { Finding } from '../cautions/resolve';
import { medicationEvidence } from '../evidence';
import { courseOf, takenJakUses } from './course';
import { withLinks } from '../sources';

const OTHER_AGENTS: Agent[] = ['abrocitinib', 'upadacitinib', 'baricitinib', 'ruxolitinib-cream', 'delgocitinib-cream'];
const AGENT_WORDS: Record<Agent, string> = {
  abrocitinib: 'abrocitinib', upadacitinib: 'upadacitinib', baricitinib: 'baricitinib', 'ruxolitinib-cream': 'ruxolitinib cream', 'delgocitinib-cream': 'delgocitinib cream',
};

/** The JAK inhibitor(s) being taken: a note for the same agent, a switch warning for every other one. */
export function jakInhibitorFindings(ctx: AssessContext): Finding[] {
  const findings: Finding[] = [];
  for (const use of takenJakUses(ctx)) {
    const course = courseOf(ctx, use);
    const evidence = course.members.filter((m) => m === use.med || m.date !== undefined).slice(-3).map((m) => medicationEvidence(m, { name: use.drug }));
    const since = course.start ? ` since ${course.start}` : '';
    findings.push({ id: 'already-on-jak-inhibitor', short: `on ${use.drug}`, text: `On ${use.drug}${since}: see the monitoring after the start`, evidence, severityByAgent: use.agent ? { [use.agent]: 'info' } : {} });
    for (const agent of OTHER_AGENTS.filter((a) => a !== use.agent)) {
      const severityByAgent: SeverityByAgent = { [agent]: 'warning' };
      findings.push({
        id: 'already-on-jak-inhibitor', short: `switching from ${use.drug}`,
        text: `Switching: stop ${use.drug} before the first dose of ${AGENT_WORDS[agent]}; do not combine`,
        evidence, severityByAgent,
      });
    }
  }
  return findings;
}

/** `cytopenia` from a value after the start no longer blocks the drug being taken; its on-treatment result replaces it. */
export function adjustForTreatment(findings: Finding[], monitoring: MonitoringSchedule | null): Finding[] {
  const agent = monitoring?.therapy;
  const start = monitoring?.start;
  if (!agent || !start) return findings;
  const out: Finding[] = [];
  for (const f of findings) {
    const day = f.evidence[0]?.date?.slice(0, 10);
    if (f.id === 'cytopenia' && day !== undefined && day > start && f.severityByAgent?.[agent as Agent]) {
      const severityByAgent = { ...f.severityByAgent };
      delete severityByAgent[agent as Agent];
      if (Object.keys(severityByAgent).length) out.push({ ...f, severityByAgent });
      continue;
    }
    out.push(f);
  }
  for (const result of monitoring.abnormal ?? []) out.push(resultFinding(agent, result));
  return out;
}

function resultFinding(agent: AgentId, r: OnTreatmentResult): Finding {
  const short = r.action === 'review' ? `${r.analyte}: needs review` : `${r.analyte} ${r.value}: ${r.action === 'interrupt-if-dili' ? 'interrupt if liver injury suspected' : r.action === 'manage-lipids' ? 'manage lipids' : r.action}`;
  return { id: 'on-treatment-result', short, text: r.text, evidence: [r.evidence], severityByAgent: { [agent]: 'warning' } };
}

/** The label's action on each `on-treatment-result` caution (the most urgent of its results) and its source. */
export function withActions(cautions: Caution[], monitoring: MonitoringSchedule | null): Caution[] {
  const results = [...(monitoring?.abnormal ?? [])].sort((a, b) => ACTION_RANK[a.action] - ACTION_RANK[b.action]);
  if (!results.length) return cautions;
  // The links follow the new source (R3.8): the labels of the results, not the rule's generic source.
  const relink = (c: Caution): Caution => {
    const { links: _old, ...rest } = c;
    return withLinks({ ...rest, action: results[0]!.action, source: [...new Set(results.map((r) => r.source))].join('; ') });
  };
  return cautions.map((c) => (c.id === 'on-treatment-result' ? relink(c) : c));
}
