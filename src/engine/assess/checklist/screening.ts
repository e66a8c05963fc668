/**
 * Screening tests read as positive / negative / indeterminate: tuberculosis, hepatitis B and C,
 * pregnancy. A result none of the known shapes explains is shown with the reason ("result not
 * interpretable", "contradictory result text: needs review") and never makes an item `done`.
 */
import { byNewest } from '../evidence';
import type { ObservationFact } from '../../record';
import type { ChecklistItem } from '../../../contract/report';
import { NOT_INTERPRETABLE, type QualitativeResult } from '../../normalise/qualitative';
import type { AssessContext, LabConcept } from '../context';
import { conditionEvidence, observationEvidence } from '../evidence';
import { conditions } from '../../../kb/conditions';
import { conditionsIn } from '../facts';
import { treatedLatentTb } from '../tb-treatment';
import { pregnancyState } from '../pregnancy';
import { pregnancyReading, serologyReading, tbReading, viralLoadReading, type ResultReading } from '../results';
import { appliesToRoute, foldComponents, itemFrame, needsReview, newestReadings, notApplicable, windowOf, type ComponentReading } from './item';

type Reader = (o: ObservationFact) => ResultReading;

/** Problems that mean the value or unit cannot be read (not contradictory or equivocal text, which a reader can). */
const UNREADABLE = new Set([NOT_INTERPRETABLE, 'unit not recognised']);
type Reading = ComponentReading & { result?: QualitativeResult };

function qualitativeReading(ctx: AssessContext, name: string, results: readonly ObservationFact[], days: number, read: Reader, abnormalWhen: QualitativeResult[]): Reading {
  const { current, newest } = newestReadings(results, ctx, days);
  const r: Reading = { name };
  if (current) r.current = current;
  if (newest) r.newest = newest;
  if (!current) return r;
  const reading = read(current);
  if (reading.result === undefined) {
    r.unjudged = reading.problem ?? NOT_INTERPRETABLE;
    // R3.4: a value or unit nobody can read is the test done, for a person to read, never "still needed".
    if (UNREADABLE.has(r.unjudged)) needsReview(r, current);
  } else {
    r.result = reading.result;
    if (abnormalWhen.includes(reading.result)) r.abnormal = `${name} ${reading.result}${reading.result === 'indeterminate' ? ' (repeat the test)' : ''}`;
  }
  return r;
}

const merged = (ctx: AssessContext, concepts: LabConcept[]): ObservationFact[] =>
  [...new Set(concepts.flatMap((c) => ctx.observationsOf(c)))].sort(byNewest);

/** The newest dated result of a concept and how it reads (any age: viral loads and TB history do not expire). */
export function newestReading(ctx: AssessContext, concept: LabConcept, read: Reader, after?: string): { obs: ObservationFact; reading: ResultReading } | undefined {
  const obs = ctx.observationsOf(concept).find((o) => o.date !== undefined && (after === undefined || o.date >= after));
  return obs ? { obs, reading: read(obs) } : undefined;
}

const observationsLoaded = (ctx: AssessContext) => ({ dataLoaded: ctx.loadedFully('Observation'), unknownReason: ctx.loadProblem('Observation') });

export function tbScreeningItem(ctx: AssessContext): ChecklistItem {
  if (!appliesToRoute('tb-screening', ctx)) return notApplicable('tb-screening', ctx, 'Not required for this therapy');
  const days = windowOf('tb-screening', ctx).days ?? 0;
  const tests = merged(ctx, ['igra', 'tspot', 'tuberculinSkinTest']);
  const loaded = ctx.loadedFully('Observation') && ctx.loadedFully('Condition');
  // Active TB (R3.6): the question is treatment, not screening; never "order an IGRA".
  const active = conditionsIn(ctx, conditions.activeTuberculosis).filter((m) => m.active && !m.unconfirmed);
  if (active.length && loaded) {
    return { ...itemFrame('tb-screening', ctx), status: 'abnormal', detail: `Active tuberculosis (${active.map((m) => m.condition.display).join(', ')}): no screening test needed`, short: 'active TB', evidence: active.map((m) => conditionEvidence(m.condition, m.matched)) };
  }
  // Latent TB treated, no positive test after the course (R3.6): done, no new IGRA.
  const treated = treatedLatentTb(ctx);
  if (treated && loaded && (tests.length === 0 || tbReading(tests[0]!, ctx).result !== 'indeterminate')) {
    return { ...itemFrame('tb-screening', ctx), status: 'done', detail: `Prior positive, treated (${treated.dates.join('; ')})`, evidence: [...treated.evidence, ...tests.slice(0, 1).map((o) => observationEvidence(o))] };
  }
  const r = qualitativeReading(ctx, 'TB test', tests, days, (o) => tbReading(o, ctx), ['positive', 'indeterminate']);
  const notes = r.result === 'indeterminate' ? ['Indeterminate: repeat the test'] : [];
  // A negative repeat does not erase an earlier positive (R2.2): say so on the item too.
  const earlierPositive = tests.find((o) => o !== r.current && o.date !== undefined && tbReading(o, ctx).result === 'positive');
  if (r.result === 'negative' && earlierPositive) notes.push(`Earlier positive TB test (${earlierPositive.date}): a negative repeat does not exclude latent TB`);
  return foldComponents('tb-screening', ctx, [r], { ...observationsLoaded(ctx), notes });
}

export function hepatitisBItem(ctx: AssessContext): ChecklistItem {
  if (!appliesToRoute('hepatitis-b', ctx)) return notApplicable('hepatitis-b', ctx, 'Labs are not required by the label for topical therapy');
  const days = windowOf('hepatitis-b', ctx).days ?? 0;
  const abnormal: QualitativeResult[] = ['positive', 'indeterminate'];
  const hbsag = qualitativeReading(ctx, 'HBsAg', ctx.observationsOf('hbsag'), days, serologyReading, abnormal);
  const antiHbc = qualitativeReading(ctx, 'Anti-HBc', ctx.observationsOf('antiHbc'), days, serologyReading, abnormal);
  const antiHbs = qualitativeReading(ctx, 'Anti-HBs', ctx.observationsOf('antiHbs'), days, serologyReading, []);
  antiHbs.optional = true;
  // Optional: a non-interpretable anti-HBs does not hold the item back, nor makes it abnormal.
  delete antiHbs.unjudged;
  delete antiHbs.review;
  delete antiHbs.abnormal;
  const readings: ComponentReading[] = [hbsag, antiHbc, antiHbs];
  // Acute hepatitis B (IgM anti-HBc) and replicating virus (HBV DNA) make the item abnormal whenever they are current.
  const igm = qualitativeReading(ctx, 'IgM anti-HBc', ctx.observationsOf('antiHbcIgm'), days, serologyReading, ['positive']);
  if (igm.current) readings.push({ ...igm, optional: true });
  const exposure = antiHbc.result === 'positive' && hbsag.result === 'negative';
  const dna = newestReading(ctx, 'hbvDna', viralLoadReading);
  if (dna?.reading.result === 'positive') {
    // Detected at any date (unless a later DNA is not detected): active hepatitis B.
    readings.push({ name: 'HBV DNA', optional: true, current: dna.obs, abnormal: `HBV DNA detected (${dna.obs.date}): active hepatitis B` });
  } else if (exposure) {
    // Past exposure: HBV DNA is still needed before starting (R2.2), within the window.
    const dnaReading = qualitativeReading(ctx, 'HBV DNA', ctx.observationsOf('hbvDna'), days, viralLoadReading, []);
    readings.push(dnaReading);
  }
  return foldComponents('hepatitis-b', ctx, readings, observationsLoaded(ctx));
}

/**
 * HCV antibody, then HCV RNA (R2.1, R2.2): a detected RNA is active hepatitis C whatever the
 * antibody says; a positive antibody with no RNA after it still needs the RNA; a positive
 * antibody with an RNA not detected after it is a past infection.
 */
export function hepatitisCItem(ctx: AssessContext): ChecklistItem {
  if (!appliesToRoute('hepatitis-c', ctx)) return notApplicable('hepatitis-c', ctx, 'Labs are not required by the label for topical therapy');
  const days = windowOf('hepatitis-c', ctx).days ?? 0;
  const antibody = qualitativeReading(ctx, 'HCV antibody', ctx.observationsOf('hcvAntibody'), days, serologyReading, ['positive', 'indeterminate']);
  const readings: ComponentReading[] = [antibody];
  const notes: string[] = [];
  const rna = newestReading(ctx, 'hcvRna', viralLoadReading);
  if (rna?.reading.result === 'positive') {
    readings.push({ name: 'HCV RNA', optional: true, current: rna.obs, abnormal: `Active HCV (RNA detected, ${rna.obs.date})` });
    delete antibody.abnormal;
  } else if (antibody.result === 'positive' && antibody.current?.date) {
    const rnaAfter = newestReading(ctx, 'hcvRna', viralLoadReading, antibody.current.date);
    if (!rnaAfter) {
      readings.push({ name: 'HCV RNA' });
      antibody.abnormal = 'HCV antibody positive: HCV RNA needed to tell active from past infection';
    } else if (rnaAfter.reading.result === 'negative') {
      delete antibody.abnormal;
      antibody.evidence = [observationEvidence(antibody.current), observationEvidence(rnaAfter.obs)];
      notes.push('HCV antibody positive with HCV RNA not detected after it: past infection');
    } else {
      readings.push({ name: 'HCV RNA', current: rnaAfter.obs, unjudged: rnaAfter.reading.problem ?? 'result not interpretable' });
    }
  }
  return foldComponents('hepatitis-c', ctx, readings, { ...observationsLoaded(ctx), notes });
}

/**
 * Who needs a pregnancy test (R2.3): birth sex decides when recorded, else administrative
 * gender; unknown applies. Ages 12–50 by default (configurable).
 */
export function needsPregnancyTest(ctx: AssessContext): { applies: boolean; why: string } {
  const { sex, birthSex } = ctx.record.patient;
  const { testAgeMin, testAgeMax } = ctx.config.pregnancy;
  const decidingSex = birthSex === 'female' || birthSex === 'male' ? birthSex : sex;
  if (decidingSex === 'male') return { applies: false, why: `Not applicable: ${birthSex === 'male' ? 'birth sex male' : 'male'}` };
  if (ctx.age === null) return { applies: true, why: 'Age unknown: applies' };
  if (ctx.age < testAgeMin || ctx.age > testAgeMax) return { applies: false, why: `Not applicable at age ${ctx.age} (applies ${testAgeMin}–${testAgeMax})` };
  return { applies: true, why: decidingSex === 'female' ? '' : 'Sex not recorded as female or male: applies' };
}

export function pregnancyTestItem(ctx: AssessContext): ChecklistItem {
  if (!appliesToRoute('pregnancy-test', ctx)) return notApplicable('pregnancy-test', ctx, 'Not required by the label for topical therapy');
  const eligibility = needsPregnancyTest(ctx);
  if (!eligibility.applies) return notApplicable('pregnancy-test', ctx, eligibility.why);
  const notes = eligibility.why ? [eligibility.why] : [];
  // Pregnant now (a positive test within 42 weeks, a current diagnosis): abnormal, never "still needed: pregnancy test".
  const state = pregnancyState(ctx);
  if (state.pregnant && state.decisive && ctx.loadedFully('Observation')) {
    const decisive = state.decisive;
    const because = decisive.kind === 'test' ? `positive test ${decisive.date}` : `${decisive.why}, ${decisive.date}`;
    return { ...itemFrame('pregnancy-test', ctx), status: 'abnormal', detail: `Pregnant (${because})`, evidence: state.pregnantEvents.map((e) => e.evidence), ...(notes.length ? { notes } : {}) };
  }
  const days = windowOf('pregnancy-test', ctx).days ?? 0;
  const tests = merged(ctx, ['hcg', 'pregnancyStatus']);
  const r = qualitativeReading(ctx, 'Pregnancy test', tests, days, (o) => pregnancyReading(o, ctx), ['positive']);
  if (r.abnormal && r.review === undefined) r.abnormal = 'Pregnancy test positive / pregnant';
  return foldComponents('pregnancy-test', ctx, [r], { ...observationsLoaded(ctx), ...(notes.length ? { notes } : {}) });
}
