/** Kidney and liver function, and the agents' approved minimum ages. */
import { conditions } from '../../../kb/conditions';
import type { SeverityByAgent } from '../../../kb/cautions';
import { THERAPIES } from '../../../kb/therapies';
import { convertQuantity } from '../../normalise/units';
import type { AssessContext } from '../context';
import { conditionEvidence, observationEvidence } from '../evidence';
import { conditionsIn } from '../facts';
import type { Finding } from './resolve';

/** Severity per agent for an eGFR value (labels: Olumiant < 30 not recommended, 30–59 dose change; Cibinqo < 60 dose change; Rinvoq < 30 caution). */
function egfrSeverity(egfr: number): SeverityByAgent {
  const s: SeverityByAgent = {};
  if (egfr < 30) s.baricitinib = 'do-not-start';
  else if (egfr < 60) s.baricitinib = 'warning';
  if (egfr < 60) s.abrocitinib = 'warning';
  if (egfr < 30) s.upadacitinib = 'warning';
  return s;
}

export function renalFindings(ctx: AssessContext): Finding[] {
  const findings: Finding[] = [];
  const egfr = ctx.observationsOf('egfr').find((o) => o.date && ctx.withinDays(o.date, ctx.config.egfrDays) && o.quantity && convertQuantity(o.quantity, 'mL/min/1.73m2') !== undefined);
  const value = egfr?.quantity ? convertQuantity(egfr.quantity, 'mL/min/1.73m2') : undefined;
  if (egfr && value !== undefined && value < 60) {
    findings.push({ id: 'renal-impairment', text: `eGFR ${value} mL/min/1.73m² (${egfr.date})`, evidence: [observationEvidence(egfr)], severityByAgent: egfrSeverity(value) });
  }
  const esrd = conditionsIn(ctx, conditions.endStageRenalDisease).filter((m) => m.active);
  if (esrd.length) {
    findings.push({
      id: 'renal-impairment', text: `End-stage renal disease or dialysis (${esrd[0]!.condition.display})`,
      evidence: esrd.map((m) => conditionEvidence(m.condition, m.matched)),
      severityByAgent: { upadacitinib: 'do-not-start', baricitinib: 'do-not-start', abrocitinib: 'warning' },
      ...(esrd.every((m) => m.unconfirmed) ? { unconfirmed: true } : {}),
    });
  }
  const ckd = conditionsIn(ctx, conditions.severeRenalDisease).filter((m) => m.active && !esrd.some((e) => e.condition === m.condition));
  if (ckd.length) {
    findings.push({
      id: 'renal-impairment', text: `Chronic kidney disease stage 4–5 (${ckd[0]!.condition.display})`,
      evidence: ckd.map((m) => conditionEvidence(m.condition, m.matched)),
      severityByAgent: { baricitinib: 'do-not-start', upadacitinib: 'warning', abrocitinib: 'warning' },
      ...(ckd.every((m) => m.unconfirmed) ? { unconfirmed: true } : {}),
    });
  }
  return findings;
}

export function hepaticFindings(ctx: AssessContext): Finding[] {
  const severe = conditionsIn(ctx, conditions.decompensatedLiverDisease).filter((m) => m.active);
  if (severe.length) {
    return [{
      id: 'hepatic-impairment', text: `Moderate-to-severe liver disease (${severe[0]!.condition.display}): not recommended`,
      evidence: severe.map((m) => conditionEvidence(m.condition, m.matched)),
      severityByAgent: { abrocitinib: 'do-not-start', upadacitinib: 'do-not-start', baricitinib: 'do-not-start' },
      ...(severe.every((m) => m.unconfirmed) ? { unconfirmed: true } : {}),
    }];
  }
  const chronic = conditionsIn(ctx, conditions.chronicLiverDisease).filter((m) => m.active);
  if (chronic.length) {
    return [{ id: 'hepatic-impairment', text: `Chronic liver disease (${chronic[0]!.condition.display}): verify the Child-Pugh class`, evidence: chronic.map((m) => conditionEvidence(m.condition, m.matched)) }];
  }
  return [];
}

export function ageEligibilityFindings(ctx: AssessContext): Finding[] {
  if (ctx.age === null) return [];
  const severityByAgent: SeverityByAgent = {};
  const limits: string[] = [];
  for (const therapy of Object.values(THERAPIES)) {
    if (therapy.minAge === undefined || ctx.age >= therapy.minAge) continue;
    severityByAgent[therapy.id as keyof SeverityByAgent] = 'do-not-start';
    if (ctx.therapy.agents.includes(therapy.id)) limits.push(`${therapy.label} from ${therapy.minAge}`);
  }
  if (Object.keys(severityByAgent).length === 0) return [];
  return [{ id: 'age-eligibility', text: `Age ${ctx.age}: below the approved age (${limits.join('; ')})`, evidence: [{ display: 'Age', value: `${ctx.age} years`, match: 'age' }], severityByAgent }];
}
