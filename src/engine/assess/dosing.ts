/**
 * The dose advice the record triggers (clinical/spec.md R2.6 `dosing`, R3.7), for every agent:
 * kidney function tier, age, interacting drugs, and the creams' application limits. Only the
 * doses the labels of the site's region state (src/kb/dosing.ts), never an agent not approved here.
 */
import type { AgentId, DosingAdvice } from '../../contract/report';
import { APPLICATION_LIMITS, INTERACTION_DOSE, OLDER_ADULT_DOSE, RENAL_DOSE, type DoseAdvice } from '../../kb/dosing';
import type { Agent } from '../../kb/cautions';
import type { AssessContext } from './context';
import { medicationEvidence } from './evidence';
import { currentMedications, isLocalForm, matchClass } from './facts';
import { kidneyFunction } from './cautions/organ-function';
import { indicationFor } from './indication';
import { withLinks } from './sources';

export function dosingAdvice(ctx: AssessContext): DosingAdvice[] {
  return ctx.once('dosing', () => {
    const region = ctx.config.labelRegion;
    const out: DosingAdvice[] = [];
    const push = (agent: string, trigger: DosingAdvice['trigger'], dose: DoseAdvice, reason: string, evidence: DosingAdvice['evidence']) => {
      // An agent not approved for atopic dermatitis in this region gets no dose for it.
      if (indicationFor(ctx, agent as Agent).notApprovedReason) return;
      out.push(withLinks({ therapy: agent as AgentId, trigger, advice: dose.advice, reason, evidence, source: dose.source, ...(dose.provenance ? { provenance: dose.provenance } : {}) }));
    };
    const kidney = kidneyFunction(ctx);
    if (kidney.tier === 'moderate' || kidney.tier === 'severe') {
      for (const [agent, dose] of Object.entries(RENAL_DOSE[region][kidney.tier])) push(agent, 'renal', dose!, kidney.why.join('; '), kidney.evidence);
    }
    const age = ctx.age;
    if (age !== null) {
      for (const [agent, dose] of Object.entries(OLDER_ADULT_DOSE[region])) {
        if (age >= dose!.fromAge) push(agent, 'age', dose!, `age ${age}`, [{ display: 'Age', value: `${age} years`, match: 'age' }]);
      }
    }
    const current = currentMedications(ctx).filter((m) => !isLocalForm(m));
    for (const [trigger, rule] of Object.entries(INTERACTION_DOSE[region])) {
      const hits = current.flatMap((med) => {
        const match = matchClass(med, rule!.drugClass);
        return match ? [{ med, match }] : [];
      });
      if (hits.length === 0) continue;
      push(rule!.agent, trigger as DosingAdvice['trigger'], rule!, `${[...new Set(hits.map((h) => h.match.drug.ingredient))].join(', ')} (${rule!.drugClass.label.toLowerCase()})`, hits.map((h) => medicationEvidence(h.med, h.match)));
    }
    // The creams' limits apply to every patient (R3.7): how much, and where.
    for (const [agent, dose] of Object.entries(APPLICATION_LIMITS[region])) push(agent, 'application-limits', dose!, 'every patient', [{ display: 'Label application limits', value: dose!.advice, match: 'absence' }]);
    return out;
  });
}
