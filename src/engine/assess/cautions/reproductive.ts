/** Pregnancy (the newest evidence wins; R2.3) and breastfeeding (including a recent delivery). */
import type { Evidence } from '../../../contract/report';
import { conditions } from '../../../kb/conditions';
import { ORAL_AGENTS } from '../../../kb/cautions';
import type { AssessContext } from '../context';
import { conditionEvidence, observationEvidence } from '../evidence';
import { conditionsIn } from '../facts';
import { pregnancyState } from '../pregnancy';
import type { Finding } from './resolve';

export function pregnancyFindings(ctx: AssessContext): Finding[] {
  const state = pregnancyState(ctx);
  if (!state.pregnant || !state.decisive) return [];
  const decisive = state.decisive;
  const finding: Finding = {
    id: 'pregnancy', short: 'pregnant',
    text: `Pregnant: ${decisive.why} (${decisive.date})`,
    evidence: state.pregnantEvents.map((e) => e.evidence),
  };
  if (state.pregnantEvents.every((e) => e.unconfirmed)) finding.unconfirmed = true;
  return [finding];
}

/** A breastfeeding record decides; without one, a delivery in the last 12 months asks the question (R2.3). */
export function breastfeedingFindings(ctx: AssessContext): Finding[] {
  const evidence: Evidence[] = conditionsIn(ctx, conditions.breastfeeding)
    .filter((m) => m.active)
    .map((m) => conditionEvidence(m.condition, m.matched));
  for (const obs of ctx.record.observations) {
    const matched = conditions.breastfeeding.match(obs.valueCodes) ?? conditions.breastfeeding.match(obs.codes);
    if (matched && obs.date && ctx.withinDays(obs.date, 365)) evidence.push(observationEvidence(obs, { matched }));
  }
  if (evidence.length) return [{ id: 'breastfeeding', short: 'breastfeeding', text: 'Breastfeeding recorded: not during treatment (ruxolitinib cream: and 4 weeks after)', evidence }];
  const delivery = pregnancyState(ctx).lastDelivery;
  if (!delivery) return [];
  return [{
    id: 'breastfeeding', short: 'recent delivery',
    text: `Recent delivery (${delivery.date}): ask about breastfeeding`,
    todo: { kind: 'ask', text: 'Ask about breastfeeding' },
    evidence: [delivery.evidence],
    severityByAgent: { ...Object.fromEntries(ORAL_AGENTS.map((a) => [a, 'info'])), 'ruxolitinib-cream': 'info' },
  }];
}
