/**
 * Decision factors: the article's decision tree ("From Clinic to Daily Life"), surfaced, not
 * decided: extent, prior therapies, itch, monitoring load and the reassessment plan.
 */
import { byNewest } from './evidence';
import type { ChecklistItem, DecisionFactor, Evidence } from '../../contract/report';
import type { LoadedResourceType } from '../record';
import { conditions } from '../../kb/conditions';
import { topicalCalcineurinInhibitors, topicalCorticosteroids } from '../../kb/drugs';
import { ITCH_SCORE_NAME } from '../../kb/labs';
import { addDays } from '../normalise/dates';
import { convertQuantity } from '../normalise/units';
import type { AssessContext } from './context';
import { conditionEvidence, medicationEvidence, observationEvidence } from './evidence';
import { conditionsIn, priorSystemicTherapy, therapyHistory, type TherapyUse } from './facts';

const ARTICLE_TREE = 'Article, "From Clinic to Daily Life" (decision tree)';

/** "could not be checked (...)" when a source of the factor did not load fully: absence is then unknown. */
function unreadable(ctx: AssessContext, types: LoadedResourceType[]): string | undefined {
  const problems = types.filter((t) => !ctx.loadedFully(t)).map((t) => `${t}: ${ctx.loadProblem(t) ?? 'incomplete'}`);
  return problems.length ? `could not be checked fully (${problems.join('; ')})` : undefined;
}

/** The value, or what is known plus why it may be incomplete. */
function qualified(value: string, nothing: string, caveat: string | undefined): string {
  if (!caveat) return value;
  return value === nothing ? caveat : `${value}; ${caveat}`;
}

function extent(ctx: AssessContext): DecisionFactor {
  const eczema = conditionsIn(ctx, conditions.atopicDermatitis);
  const evidence: Evidence[] = [];
  const parts: string[] = [];
  const area = ctx.observationsOf('eczemaAreaPercent');
  const newestDate = area.find((o) => o.date)?.date;
  if (newestDate) {
    const sameVisit = area.filter((o) => o.date === newestDate);
    const total = sameVisit.reduce((sum, o) => sum + (o.quantity ? convertQuantity(o.quantity, '%') ?? 0 : 0), 0);
    parts.push(`${Math.round(total)}% body area affected (${newestDate})`);
    evidence.push(...sameVisit.map((o) => observationEvidence(o)));
  }
  for (const m of eczema) {
    const details = [m.condition.severity, ...m.condition.bodySites].filter(Boolean);
    if (details.length) {
      parts.push(`${m.condition.display}: ${details.join(', ')}`);
      evidence.push(conditionEvidence(m.condition, m.matched));
    }
  }
  const value = qualified(parts.length ? parts.join('; ') : 'not documented', 'not documented', unreadable(ctx, ['Condition', 'Observation']));
  return { id: 'extent', label: 'Extent (localized vs widespread)', value, evidence, source: ARTICLE_TREE };
}

function eczemaDiagnosis(ctx: AssessContext): DecisionFactor {
  const eczema = conditionsIn(ctx, conditions.atopicDermatitis);
  const value = eczema.length
    ? eczema.map((m) => `${m.condition.display} (${m.active ? 'active' : m.condition.clinicalStatus ?? 'status not recorded'}${m.condition.onset ? `, since ${m.condition.onset}` : ''})`).join('; ')
    : 'no eczema diagnosis in the record';
  return { id: 'eczema-diagnosis', label: 'Eczema diagnosis', value: qualified(value, 'no eczema diagnosis in the record', unreadable(ctx, ['Condition'])), evidence: eczema.map((m) => conditionEvidence(m.condition, m.matched)), source: 'Record' };
}

function priorTherapy(ctx: AssessContext, id: string, label: string, uses: TherapyUse[], source: string): DecisionFactor {
  const value = uses.length ? uses.map((u) => `${u.ingredient}${u.med.date ? ` (${u.med.date})` : ''}`).join(', ') : 'none documented';
  const caveat = unreadable(ctx, ['MedicationRequest', 'MedicationStatement']);
  return { id, label, value: qualified(value, 'none documented', caveat), evidence: uses.map((u) => medicationEvidence(u.med, u.match)), source };
}

function itch(ctx: AssessContext): DecisionFactor {
  const scores = ctx.record.observations
    .filter((o) => o.date && ITCH_SCORE_NAME.test(o.display) && o.quantity && o.quantity.value >= 0 && o.quantity.value <= 10)
    .sort(byNewest);
  const newest = scores[0];
  return {
    id: 'itch-score', label: 'Itch (0–10) and sleep',
    value: qualified(newest ? `${newest.quantity!.value}/10 (${newest.date})` : 'not documented', 'not documented', unreadable(ctx, ['Observation'])),
    evidence: newest ? [{ ...observationEvidence(newest), match: 'name', note: 'matched by name (no standard code for itch scores)' }] : [],
    source: 'Article (track daily itch 0–10 and sleep)',
  };
}

export function decisionFactors(ctx: AssessContext, checklist: readonly ChecklistItem[]): DecisionFactor[] {
  const open = checklist.filter((i) => !i.advisory && ['missing', 'outdated', 'incomplete', 'unknown', 'abnormal'].includes(i.status));
  const start = ctx.now;
  const factors: DecisionFactor[] = [
    eczemaDiagnosis(ctx),
    extent(ctx),
    priorTherapy(ctx, 'prior-topical-therapy', 'Prior topical therapy', therapyHistory(ctx, [
      { drugClass: topicalCorticosteroids, form: 'skin' },
      { drugClass: topicalCalcineurinInhibitors, form: 'skin' },
    ]), `${ARTICLE_TREE}: steroid-refractory plaques (skin forms only)`),
    priorTherapy(ctx, 'prior-systemic-therapy', 'Prior systemic therapy', priorSystemicTherapy(ctx), 'Oral US labels: inadequate response to other systemic therapy, incl. biologics'),
    { id: 'phototherapy', label: 'Phototherapy', value: 'not checked: procedures are not read by this app', source: ARTICLE_TREE },
    itch(ctx),
    {
      id: 'monitoring-load', label: 'Monitoring load',
      value: `${open.length} baseline item${open.length === 1 ? '' : 's'} open for the ${ctx.therapy.route} route${open.length ? ` (${open.map((i) => i.id).join(', ')})` : ''}`,
      source: ARTICLE_TREE,
    },
    {
      id: 'reassessment-plan', label: 'Reassessment plan',
      value: ctx.config.reassessmentWeeks.map((w) => `week ${w}: ${addDays(start, w * 7)}`).join(' · '),
      source: 'Article ("commonly 4, 8, and 16 weeks"), from a start date of today',
    },
  ];
  if (ctx.record.patient.deceased) {
    factors.unshift({ id: 'patient-deceased', label: 'Patient status', value: `recorded as deceased${typeof ctx.record.patient.deceased === 'string' ? ` (${ctx.record.patient.deceased.slice(0, 10)})` : ''}`, source: 'Patient.deceased' });
  }
  return factors;
}
