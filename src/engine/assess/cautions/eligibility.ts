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
import { indicationFor, notApproved } from '../indication';
import { INDICATIONS } from '../../../kb/indications';
import { UPADACITINIB_ADOLESCENT_WEIGHT } from '../../../kb/regions';

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const ORAL_AND_TOPICAL: Agent[] = ['abrocitinib', 'upadacitinib', 'baricitinib', 'ruxolitinib-cream', 'delgocitinib-cream'];
const AGENT_WORDS: Record<Agent, string> = { abrocitinib: 'abrocitinib', upadacitinib: 'upadacitinib', baricitinib: 'baricitinib', 'ruxolitinib-cream': 'ruxolitinib cream', 'delgocitinib-cream': 'delgocitinib cream' };
import type { Finding } from './resolve';

const AGENTS = Object.values(THERAPIES).filter((t) => t.agents.length === 1 && t.agents[0] === t.id);

export function ageEligibilityFindings(ctx: AssessContext): Finding[] {
  if (ctx.age === null) return [];
  const age = ctx.age;
  const severityByAgent: SeverityByAgent = {};
  const adviceByAgent: Partial<Record<Agent, string>> = {};
  for (const therapy of AGENTS) {
    const limit = therapy.ageLimits?.find((l) => age < l.below && (!l.regions || l.regions.includes(ctx.config.labelRegion)));
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
  // EU labels allow adolescents from 30 kg, US from 40 kg (the site setting) (R3.7).
  const minKg = UPADACITINIB_ADOLESCENT_WEIGHT.byRegion[ctx.config.labelRegion].minKg ?? ctx.config.thresholds.adolescentMinWeightKg;
  const source = UPADACITINIB_ADOLESCENT_WEIGHT.byRegion[ctx.config.labelRegion].source;
  const weights = ctx.observationsOf('bodyWeight').filter((o) => o.date && o.quantity && convertQuantity(o.quantity, 'kg') !== undefined);
  const newest = weights.find((o) => ctx.withinDays(o.date, ctx.config.weightDays));
  if (!newest) {
    const why = ctx.loadedFully('Observation') ? `no body weight in the last ${Math.round(ctx.config.weightDays / 30.4)} months` : `body weight could not be checked (${ctx.loadProblem('Observation') ?? 'observations did not load'})`;
    return [{
      id: 'weight-eligibility', short: 'weight not recorded', text: `Weight not recorded (≥ ${minKg} kg required for adolescents): ${why}`,
      evidence: weights[0] ? [observationEvidence(weights[0], { note: 'older than the weight window' })] : [{ display: 'Body weight', value: 'not recorded', match: 'absence' }],
      severityByAgent: { upadacitinib: 'warning' }, source,
      todo: { kind: 'confirm', text: `Record body weight (upadacitinib at 12–17 needs ≥ ${minKg} kg)` },
    }];
  }
  const kg = convertQuantity(newest.quantity!, 'kg')!;
  if (kg >= minKg) return [];
  return [{
    id: 'weight-eligibility', short: `weight ${roundForPeople(kg)} kg`, text: `Weight ${roundForPeople(kg)} kg (${newest.date}): below ${minKg} kg, the approved minimum for adolescents`,
    evidence: [observationEvidence(newest)], severityByAgent: { upadacitinib: 'do-not-start' }, labelWording: 'not approved', source,
  }];
}

/**
 * Approved use (R3.5, R3.7), in the site's label region: an agent the label does not cover is
 * named here (its verdict is `not-approved`); the US oral labels' "not adequately controlled with
 * other systemic drugs" is, for every oral agent alike, the prescriber's to confirm.
 */
export function labelIndicationFindings(ctx: AssessContext): Finding[] {
  const findings: Finding[] = [];
  const region = ctx.config.labelRegion;
  for (const agent of ORAL_AND_TOPICAL) {
    const rule = indicationFor(ctx, agent);
    const unapproved = notApproved(ctx, agent);
    if (unapproved) {
      const other = region === 'US' ? 'EU' : 'US';
      const otherRule = INDICATIONS[agent].byRegion[other];
      const elsewhere = otherRule.notApprovedReason ? '' : agent === 'baricitinib' ? ` (${other}: approved for moderate-to-severe atopic dermatitis from 2 years)` : agent === 'ruxolitinib-cream' ? ` (${other}: approved for mild-to-moderate atopic dermatitis from 2 years)` : '';
      const text = rule.requires === 'chronic-hand-eczema' ? `${capitalise(AGENT_WORDS[agent])} is ${unapproved.reason}: no hand eczema diagnosis in the record` : `${capitalise(AGENT_WORDS[agent])}: ${unapproved.reason}${elsewhere}`;
      findings.push({
        id: 'label-indication', short: unapproved.reason, text, source: unapproved.source,
        evidence: rule.requires === 'chronic-hand-eczema' ? [{ display: 'Chronic hand eczema diagnosis', value: 'none in the record', match: 'absence' }] : [{ display: `${capitalise(AGENT_WORDS[agent])} indications (${region})`, value: 'no atopic dermatitis indication', match: 'absence' }],
        severityByAgent: { [agent]: 'info' },
      });
    }
  }
  const priorNeeded = (['abrocitinib', 'upadacitinib', 'baricitinib'] as const).filter((a) => indicationFor(ctx, a).priorSystemicTherapy);
  const prior = priorSystemicTherapy(ctx);
  if (priorNeeded.length && prior.length === 0) {
    const caveat = ctx.loadedFully('MedicationRequest') && ctx.loadedFully('MedicationStatement') ? 'none in the record' : 'medications could not be fully checked';
    findings.push({
      id: 'label-indication', short: 'prior systemic therapy to confirm',
      text: `For atopic dermatitis not adequately controlled with other systemic drugs, including biologics (prior systemic therapy: ${caveat}): the prescriber confirms prior systemic therapy or why not`,
      evidence: [{ display: 'Prior systemic therapy', value: caveat, match: 'absence' }],
      severityByAgent: Object.fromEntries(priorNeeded.map((a) => [a, 'info'])),
      source: priorNeeded.map((a) => indicationFor(ctx, a).source.replace(/(section \d+(?:\.\d+)?) \(.*\)$/, '$1')).join('; '),
      todo: { kind: 'confirm', id: 'confirm-prior-systemic-therapy', text: 'Prescriber: confirm prior systemic therapy or why not', audience: 'prescriber' },
    });
  }
  return findings;
}
