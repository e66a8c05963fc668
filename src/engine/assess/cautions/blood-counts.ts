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
  const thresholds = countThresholds(ctx);
  for (const name of [...new Set(thresholds.map((t) => t.name))]) {
    const newest = counts[name].find((v) => v.observation.date !== undefined && v.value !== undefined);
    if (!newest || newest.value === undefined) continue;
    // Some labels start higher than others (EU abrocitinib, R3.7): each agent by its own threshold;
    // a bound counts only when it is itself below the threshold (R3.4).
    const crossed = thresholds.filter((t) => t.name === name && belowThreshold(newest.value!, newest.comparator, t.below) === 'yes').sort((a, b) => a.below - b.below);
    if (crossed.length === 0) continue;
    const [first, ...stricter] = crossed;
    const severityByAgent: SeverityByAgent = Object.fromEntries(crossed.flatMap((t) => t.agents).map((a) => [a, 'do-not-start']));
    const shown = withUnit(`${name} ${newest.comparator ?? ''}${fmt(newest.value)}`, first!.unit);
    const also = stricter.map((t) => `${t.agents.join(', ')}: below ${withUnit(fmt(t.below), t.unit)}`).join('; ');
    const finding: Finding = {
      id: 'cytopenia',
      short: shown,
      text: `${shown}: do not start below ${withUnit(fmt(first!.below), first!.unit)}${also ? ` (${also})` : ''}`,
      evidence: countEvidence(newest),
      severityByAgent,
    };
    if (!ctx.withinDays(newest.observation.date, ctx.config.windows.cbc)) finding.outdated = true;
    findings.push(finding);
  }
  return findings;
}
