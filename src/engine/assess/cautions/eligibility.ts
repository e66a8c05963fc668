/**
 * Who the labels are for: the approved ages, the adolescent weight limit for upadacitinib, and
 * each agent's approved use (clinical/spec.md `age-eligibility`, R2.4 `weight-eligibility`,
 * `label-indication`).
 */
import type { SeverityByAgent } from '../../../kb/cautions';
import { THERAPIES } from '../../../kb/therapies';
import type { Agent } from '../../../kb/cautions';
import { convertQuantity } from '../../normalise/units';
import { roundForPeople } from '../../present/values';
import type { AssessContext } from '../context';
import { observationEvidence } from '../evidence';
import { priorSystemicTherapy } from '../facts';
import type { Finding } from './resolve';

const AGENTS = Object.values(THERAPIES).filter((t) => t.agents.length === 1 && t.agents[0] === t.id);

export function ageEligibilityFindings(ctx: AssessContext): Finding[] {
  if (ctx.age === null) return [];
  const age = ctx.age;
  const severityByAgent: SeverityByAgent = {};
  const adviceByAgent: Partial<Record<Agent, string>> = {};
  for (const therapy of AGENTS) {
    const limit = therapy.ageLimits?.find((l) => age < l.below);
    if (!limit) continue;
    severityByAgent[therapy.id as Agent] = limit.severity;
    adviceByAgent[therapy.id as Agent] = limit.text;
  }
  if (Object.keys(severityByAgent).length === 0) return [];
  return [{
    id: 'age-eligibility', short: `age ${age}`, text: `Age ${age}: outside the approved age`,
    evidence: [{ display: 'Age', value: `${age} years`, match: 'age' }], severityByAgent, adviceByAgent,
  }];
}

/** Upadacitinib for adolescents (12–17) needs at least 40 kg (Rinvoq US PI §1; newer EU SmPCs: 30 kg). */
export function weightEligibilityFindings(ctx: AssessContext): Finding[] {
  if (ctx.age === null || ctx.age < 12 || ctx.age > 17) return [];
  const minKg = ctx.config.thresholds.adolescentMinWeightKg;
  const weights = ctx.observationsOf('bodyWeight').filter((o) => o.date && o.quantity && convertQuantity(o.quantity, 'kg') !== undefined);
  const newest = weights.find((o) => ctx.withinDays(o.date, ctx.config.weightDays));
  if (!newest) {
    const why = ctx.loadedFully('Observation') ? `no body weight in the last ${Math.round(ctx.config.weightDays / 30.4)} months` : `body weight could not be checked (${ctx.loadProblem('Observation') ?? 'observations did not load'})`;
    return [{
      id: 'weight-eligibility', short: 'weight not recorded', text: `Weight not recorded (≥ ${minKg} kg required for adolescents): ${why}`,
      evidence: weights[0] ? [observationEvidence(weights[0], { note: 'older than the weight window' })] : [{ display: 'Body weight', value: 'not recorded', match: 'absence' }],
      severityByAgent: { upadacitinib: 'warning' },
      todo: { kind: 'confirm', text: `Record body weight (upadacitinib at 12–17 needs ≥ ${minKg} kg)` },
    }];
  }
  const kg = convertQuantity(newest.quantity!, 'kg')!;
  if (kg >= minKg) return [];
  return [{
    id: 'weight-eligibility', short: `weight ${roundForPeople(kg)} kg`, text: `Weight ${roundForPeople(kg)} kg (${newest.date}): below ${minKg} kg, the approved minimum for adolescents`,
    evidence: [observationEvidence(newest)], severityByAgent: { upadacitinib: 'do-not-start' }, labelWording: 'not approved',
  }];
}

export function labelIndicationFindings(ctx: AssessContext): Finding[] {
  const findings: Finding[] = [
    { id: 'label-indication', short: 'not US-approved for AD', text: 'Baricitinib is not FDA-approved for atopic dermatitis (EU/UK: moderate-to-severe AD, from 2 years)', evidence: [{ display: 'Olumiant indications', value: 'EU/UK atopic dermatitis only', match: 'absence' }], severityByAgent: { baricitinib: 'info' } },
    { id: 'label-indication', short: 'hands and wrists only', text: 'Delgocitinib cream is for chronic hand eczema: hands and wrists only', evidence: [{ display: 'Anzupgo indication', value: 'chronic hand eczema (adults)', match: 'absence' }], severityByAgent: { 'delgocitinib-cream': 'info' } },
  ];
  const prior = priorSystemicTherapy(ctx);
  if (prior.length === 0) {
    const caveat = ctx.loadedFully('MedicationRequest') && ctx.loadedFully('MedicationStatement') ? 'none in the record' : 'medications could not be fully checked';
    findings.push({
      id: 'label-indication', short: 'no prior systemic therapy recorded',
      text: `US label: for AD not adequately controlled with other systemic drugs, including biologics (prior systemic therapy: ${caveat})`,
      evidence: [{ display: 'Prior systemic therapy', value: caveat, match: 'absence' }],
      severityByAgent: { abrocitinib: 'info', upadacitinib: 'info' },
      todo: { kind: 'confirm', text: 'Document prior systemic therapy (US label)' },
    });
  }
  return findings;
}
