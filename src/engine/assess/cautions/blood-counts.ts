/** `cytopenia`: a baseline count below a label threshold; the newest value counts even when outdated. */
import type { AssessContext } from '../context';
import { bloodCounts, countEvidence, countThresholds } from '../checklist/cbc';
import type { Finding } from './resolve';
import { belowThreshold } from '../bounds';
import { roundForPeople, withUnit } from '../../present/values';
import type { SeverityByAgent } from '../../../kb/cautions';

const fmt = (n: number) => roundForPeople(n);

export function cytopeniaFindings(ctx: AssessContext): Finding[] {
  const counts = bloodCounts(ctx);
  const findings: Finding[] = [];
  for (const threshold of countThresholds(ctx)) {
    const newest = counts[threshold.name].find((v) => v.observation.date !== undefined && v.value !== undefined);
    // A bound counts only when it is itself below the threshold (R3.4).
    if (!newest || newest.value === undefined || belowThreshold(newest.value, newest.comparator, threshold.below) !== 'yes') continue;
    const severityByAgent: SeverityByAgent = Object.fromEntries(threshold.agents.map((a) => [a, 'do-not-start']));
    const finding: Finding = {
      id: 'cytopenia',
      short: withUnit(`${threshold.name} ${newest.comparator ?? ''}${fmt(newest.value)}`, threshold.unit),
      text: `${withUnit(`${threshold.name} ${newest.comparator ?? ''}${fmt(newest.value)}`, threshold.unit)}: do not start below ${withUnit(fmt(threshold.below), threshold.unit)}`,
      evidence: countEvidence(newest),
      severityByAgent,
    };
    if (!ctx.withinDays(newest.observation.date, ctx.config.windows.cbc)) finding.outdated = true;
    findings.push(finding);
  }
  return findings;
}
