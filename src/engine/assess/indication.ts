/**
 * Indication before readiness (clinical/spec.md R3.5): whether this agent's label, in the site's
 * label region, covers this patient at all. An agent that does not is `not-approved` with its
 * reason, and nothing else is asked of it.
 */
import type { Evidence } from '../../contract/report';
import { HAND_ECZEMA_CODES, HAND_ECZEMA_NAME, HAND_SITE, INDICATIONS, type RegionalIndication } from '../../kb/indications';
import type { Agent } from '../../kb/cautions';
import type { AssessContext } from './context';
import { conditionEvidence } from './evidence';

export function indicationFor(ctx: AssessContext, agent: Agent): RegionalIndication {
  return INDICATIONS[agent].byRegion[ctx.config.labelRegion];
}

/** Chronic hand eczema in the record: a hand-eczema name, or an eczema code on the hands. */
export function handEczema(ctx: AssessContext): Evidence[] {
  return ctx.once('hand-eczema', () =>
    ctx.record.conditions.flatMap((c) => {
      if (c.verificationStatus === 'refuted' || c.verificationStatus === 'entered-in-error') return [];
      const text = [c.display, ...c.codes.map((x) => x.display ?? '')].join(' ');
      if (HAND_ECZEMA_NAME.test(text)) return [conditionEvidence(c, undefined, 'hand eczema by name')];
      const coded = HAND_ECZEMA_CODES.match(c.codes);
      if (coded && (c.bodySites.some((s) => HAND_SITE.test(s)) || HAND_SITE.test(text))) return [conditionEvidence(c, coded, 'on the hands')];
      return [];
    }),
  );
}

export interface NotApproved {
  reason: string;
  source: string;
}

/**
 * The reason an agent is not approved for this patient under the site's labels, or undefined.
 * A diagnosis that could not be checked (conditions did not load) is not "not approved": the
 * verdict is `unknown` then, from the data gap.
 */
export function notApproved(ctx: AssessContext, agent: Agent): NotApproved | undefined {
  const rule = indicationFor(ctx, agent);
  if (rule.notApprovedReason) return { reason: rule.notApprovedReason, source: rule.source };
  if (rule.requires === 'chronic-hand-eczema' && ctx.loadedFully('Condition') && handEczema(ctx).length === 0) {
    return { reason: rule.missingDiagnosisReason ?? 'not approved for this diagnosis', source: rule.source };
  }
  return undefined;
}
