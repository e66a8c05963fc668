/**
 * The dose advice the record triggers (clinical/spec.md R2.6 `dosing`), for every agent: kidney
 * function tier, age, and interacting drugs. Only the doses the labels state (src/kb/dosing.ts).
 */
import type { AgentId, DosingAdvice } from '../../contract/report';
import { INTERACTION_DOSE, OLDER_ADULT_DOSE, RENAL_DOSE } from '../../kb/dosing';
import type { AssessContext } from './context';
import { medicationEvidence } from './evidence';
import { currentMedications, isLocalForm, matchClass } from './facts';
import { kidneyFunction } from './cautions/organ-function';

export function dosingAdvice(ctx: AssessContext): DosingAdvice[] {
  return ctx.once('dosing', () => {
    const out: DosingAdvice[] = [];
    const kidney = kidneyFunction(ctx);
    if (kidney.tier === 'moderate' || kidney.tier === 'severe') {
      for (const [agent, dose] of Object.entries(RENAL_DOSE[kidney.tier])) {
        out.push({ therapy: agent as AgentId, trigger: 'renal', advice: dose!.advice, reason: kidney.why.join('; '), evidence: kidney.evidence, source: dose!.source });
      }
    }
    const age = ctx.age;
    if (age !== null) {
      for (const [agent, dose] of Object.entries(OLDER_ADULT_DOSE)) {
        if (age < dose!.fromAge) continue;
        out.push({ therapy: agent as AgentId, trigger: 'age', advice: dose!.advice, reason: `age ${age}`, evidence: [{ display: 'Age', value: `${age} years`, match: 'age' }], source: dose!.source });
      }
    }
    const current = currentMedications(ctx).filter((m) => !isLocalForm(m));
    for (const [trigger, rule] of Object.entries(INTERACTION_DOSE)) {
      const hits = current.flatMap((med) => {
        const match = matchClass(med, rule!.drugClass);
        return match ? [{ med, match }] : [];
      });
      if (hits.length === 0) continue;
      out.push({
        therapy: rule!.agent, trigger: trigger as DosingAdvice['trigger'], advice: rule!.advice,
        reason: `${[...new Set(hits.map((h) => h.match.drug.ingredient))].join(', ')} (${rule!.drugClass.label.toLowerCase()})`,
        evidence: hits.map((h) => medicationEvidence(h.med, h.match)), source: rule!.source,
      });
    }
    return out;
  });
}
