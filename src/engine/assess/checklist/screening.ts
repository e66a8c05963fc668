/**
 * Screening tests read as positive / negative / indeterminate: tuberculosis, hepatitis B and C,
 * pregnancy. A result none of the known shapes explains is shown with "result not
 * interpretable" and never makes an item `done`.
 */
import { byNewest } from '../evidence';
import type { ObservationFact } from '../../record';
import type { ChecklistItem } from '../../../contract/report';
import { convertQuantity } from '../../normalise/units';
import { interpretQualitative, type QualitativeResult } from '../../normalise/qualitative';
import { pregnancyStatusAnswers } from '../../../kb/labs';
import type { AssessContext, LabConcept } from '../context';
import { observationEvidence } from '../evidence';
import { appliesToRoute, foldComponents, newestReadings, notApplicable, windowOf, type ComponentReading } from './item';

const NOT_INTERPRETABLE = 'result not interpretable';

/** A TB skin test is read by induration (mm) against the configured cut-off, else qualitatively. */
export function tbResult(obs: ObservationFact, ctx: AssessContext): QualitativeResult | undefined {
  if (ctx.observationsOf('tuberculinSkinTest').includes(obs) && obs.quantity) {
    const mm = convertQuantity(obs.quantity, 'mm');
    if (mm !== undefined) return mm >= ctx.config.thresholds.tstPositiveMm ? 'positive' : 'negative';
  }
  return interpretQualitative(obs);
}

/** Pregnancy-status observations answer pregnant / not pregnant rather than positive / negative. */
export function pregnancyResult(obs: ObservationFact): QualitativeResult | undefined {
  if (pregnancyStatusAnswers.pregnant.match(obs.valueCodes)) return 'positive';
  if (pregnancyStatusAnswers.notPregnant.match(obs.valueCodes)) return 'negative';
  return interpretQualitative(obs);
}

function qualitativeReading(
  ctx: AssessContext,
  name: string,
  results: readonly ObservationFact[],
  days: number,
  interpret: (o: ObservationFact) => QualitativeResult | undefined,
  abnormalWhen: QualitativeResult[],
): ComponentReading & { result?: QualitativeResult } {
  const { current, newest } = newestReadings(results, ctx, days);
  const r: ComponentReading & { result?: QualitativeResult } = { name };
  if (current) r.current = current;
  if (newest) r.newest = newest;
  if (!current) return r;
  const result = interpret(current);
  if (result === undefined) r.unjudged = NOT_INTERPRETABLE;
  else {
    r.result = result;
    if (abnormalWhen.includes(result)) r.abnormal = `${name} ${result}${result === 'indeterminate' ? ' (repeat the test)' : ''}`;
  }
  return r;
}

const merged = (ctx: AssessContext, concepts: LabConcept[]): ObservationFact[] =>
  [...new Set(concepts.flatMap((c) => ctx.observationsOf(c)))].sort(byNewest);

export function tbScreeningItem(ctx: AssessContext): ChecklistItem {
  if (!appliesToRoute('tb-screening', ctx)) return notApplicable('tb-screening', ctx, 'Not required for this therapy');
  const days = windowOf('tb-screening', ctx).days ?? 0;
  const tests = merged(ctx, ['igra', 'tspot', 'tuberculinSkinTest']);
  const r = qualitativeReading(ctx, 'TB test', tests, days, (o) => tbResult(o, ctx), ['positive', 'indeterminate']);
  const notes = r.result === 'indeterminate' ? ['Indeterminate: repeat the test'] : [];
  return foldComponents('tb-screening', ctx, [r], { dataLoaded: ctx.loadedFully('Observation'), unknownReason: ctx.loadProblem('Observation'), notes });
}

export function hepatitisBItem(ctx: AssessContext): ChecklistItem {
  if (!appliesToRoute('hepatitis-b', ctx)) return notApplicable('hepatitis-b', ctx, 'Labs are not required by the label for topical therapy');
  const days = windowOf('hepatitis-b', ctx).days ?? 0;
  const abnormal: QualitativeResult[] = ['positive', 'indeterminate'];
  const hbsag = qualitativeReading(ctx, 'HBsAg', ctx.observationsOf('hbsag'), days, interpretQualitative, abnormal);
  const antiHbc = qualitativeReading(ctx, 'Anti-HBc', ctx.observationsOf('antiHbc'), days, interpretQualitative, abnormal);
  const antiHbs = qualitativeReading(ctx, 'Anti-HBs', ctx.observationsOf('antiHbs'), days, interpretQualitative, []);
  antiHbs.optional = true;
  delete antiHbs.unjudged; // optional: a non-interpretable anti-HBs does not hold the item back
  return foldComponents('hepatitis-b', ctx, [hbsag, antiHbc, antiHbs], { dataLoaded: ctx.loadedFully('Observation'), unknownReason: ctx.loadProblem('Observation') });
}

export function hepatitisCItem(ctx: AssessContext): ChecklistItem {
  if (!appliesToRoute('hepatitis-c', ctx)) return notApplicable('hepatitis-c', ctx, 'Labs are not required by the label for topical therapy');
  const days = windowOf('hepatitis-c', ctx).days ?? 0;
  const antibody = qualitativeReading(ctx, 'HCV antibody', ctx.observationsOf('hcvAntibody'), days, interpretQualitative, ['positive', 'indeterminate']);
  const notes: string[] = [];
  if (antibody.result === 'positive' && antibody.current?.date) {
    // A negative RNA on or after a positive antibody means a cleared (past) infection.
    const rnaAfter = ctx.observationsOf('hcvRna').find((o) => o.date !== undefined && o.date >= antibody.current!.date!);
    const rna = rnaAfter ? interpretQualitative(rnaAfter) ?? (rnaAfter.quantity && rnaAfter.quantity.comparator === '<' ? 'negative' : undefined) : undefined;
    if (rnaAfter) antibody.evidence = [observationEvidence(antibody.current), observationEvidence(rnaAfter)];
    if (rna === 'negative') {
      delete antibody.abnormal;
      notes.push('HCV antibody positive with a negative HCV RNA after it: past infection');
    }
  }
  return foldComponents('hepatitis-c', ctx, [antibody], { dataLoaded: ctx.loadedFully('Observation'), unknownReason: ctx.loadProblem('Observation'), notes });
}

/** Females 12–50 (configurable); sex other/unknown use birth sex when recorded, else apply. */
export function needsPregnancyTest(ctx: AssessContext): { applies: boolean; why: string } {
  const { sex, birthSex } = ctx.record.patient;
  const { testAgeMin, testAgeMax } = ctx.config.pregnancy;
  const female = sex === 'female' || ((sex === 'other' || sex === 'unknown') && birthSex !== 'male');
  if (!female) return { applies: false, why: `Not applicable: ${sex === 'male' ? 'male' : 'birth sex male'}` };
  if (ctx.age === null) return { applies: true, why: 'Age unknown: applies' };
  if (ctx.age < testAgeMin || ctx.age > testAgeMax) return { applies: false, why: `Not applicable at age ${ctx.age} (applies ${testAgeMin}–${testAgeMax})` };
  return { applies: true, why: '' };
}

export function pregnancyTestItem(ctx: AssessContext): ChecklistItem {
  if (!appliesToRoute('pregnancy-test', ctx)) return notApplicable('pregnancy-test', ctx, 'Not required by the label for topical therapy');
  const eligibility = needsPregnancyTest(ctx);
  if (!eligibility.applies) return notApplicable('pregnancy-test', ctx, eligibility.why);
  const days = windowOf('pregnancy-test', ctx).days ?? 0;
  const tests = merged(ctx, ['hcg', 'pregnancyStatus']);
  const r = qualitativeReading(ctx, 'Pregnancy test', tests, days, pregnancyResult, ['positive']);
  if (r.abnormal) r.abnormal = 'Pregnancy test positive / pregnant';
  return foldComponents('pregnancy-test', ctx, [r], { dataLoaded: ctx.loadedFully('Observation'), unknownReason: ctx.loadProblem('Observation'), ...(eligibility.why ? { notes: [eligibility.why] } : {}) });
}

