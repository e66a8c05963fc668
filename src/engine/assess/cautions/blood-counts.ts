/** `cytopenia`: a baseline count below a label threshold; the newest value counts even when outdated. */
import type { AssessContext } from '../context';
import { bloodCounts, comparatorOf, countEvidence, countThresholds } from '../checklist/cbc';
import type { Finding } from './resolve';
import { roundForPeople, withUnit } from '../../present/values';
import type { SeverityByAgent } from '../../../kb/cautions';

const fmt = (n: number) => roundForPeople(n);

export function cytopeniaFindings(ctx: AssessContext): Finding[] {
  const counts = bloodCounts(ctx);
  const findings: Finding[] = [];
  for (const threshold of countThresholds(ctx)) {
    const newest = counts[threshold.name].find((v) => v.observation.date !== undefined && v.value !== undefined);
    if (!newest || newest.value === undefined || newest.value >= threshold.below) continue;
    const severityByAgent: SeverityByAgent = Object.fromEntries(threshold.agents.map((a) => [a, 'do-not-start']));
    const shown = withUnit(`${threshold.name} ${comparatorOf(newest.observation)}${fmt(newest.value)}`, threshold.unit);
    const finding: Finding = {
      id: 'cytopenia',
      short: shown,
      text: `${shown}: do not start below ${withUnit(fmt(threshold.below), threshold.unit)}`,
      evidence: countEvidence(newest),
      severityByAgent,
    };
    if (!ctx.withinDays(newest.observation.date, ctx.config.windows.cbc)) finding.outdated = true;
    findings.push(finding);
  }
  return findings;
}
