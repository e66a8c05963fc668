/**
 * Latent TB already treated (clinical/spec.md R3.6): a completed course of isoniazid, rifampin or
 * rifapentine, or a resolved latent-TB diagnosis, with no positive test dated after the course.
 * A treated patient's IGRA stays positive for life: it is neither a new latent TB nor a reason to
 * order another IGRA; what is left to do is a TB symptom review.
 */
import type { Evidence } from '../../contract/report';
import { conditions } from '../../kb/conditions';
import { latentTbTreatment } from '../../kb/drugs';
import type { ObservationFact } from '../record';
import type { AssessContext } from './context';
import { byNewest, conditionEvidence, medicationEvidence } from './evidence';
import { conditionsIn, matchClass } from './facts';
import { tbReading } from './results';

export interface LatentTbCourse {
  evidence: Evidence[];
  /** "isoniazid 2024-01-10 to 2024-07-10; latent TB resolved 2024-07-12". */
  dates: string[];
  /** The end of the last course (or resolution): a positive test after it is a new infection. */
  end: string;
}

/** Every dated TB test (IGRA, T-SPOT, skin test), newest first. */
export function tbTests(ctx: AssessContext): ObservationFact[] {
  return ctx.once('tb-tests', () => [...new Set([...ctx.observationsOf('igra'), ...ctx.observationsOf('tspot'), ...ctx.observationsOf('tuberculinSkinTest')])].filter((o) => o.date !== undefined).sort(byNewest));
}

export function positiveTbTests(ctx: AssessContext): ObservationFact[] {
  return ctx.once('tb-positive-tests', () => tbTests(ctx).filter((o) => tbReading(o, ctx).result === 'positive'));
}

/** A completed LTBI course or a resolved latent-TB diagnosis, at any date. */
export function latentTbCourse(ctx: AssessContext): LatentTbCourse | undefined {
  return ctx.once('ltbi-course', () => {
    const evidence: Evidence[] = [];
    const dates: string[] = [];
    const ends: string[] = [];
    for (const med of ctx.record.medications) {
      if (med.status !== 'completed') continue;
      const match = matchClass(med, latentTbTreatment);
      if (!match) continue;
      evidence.push(medicationEvidence(med, match, 'completed course'));
      if (med.date) dates.push(`${match.drug.ingredient} ${med.date}${med.periodEnd ? ` to ${med.periodEnd}` : ''}`);
      const end = med.periodEnd ?? med.date;
      if (end) ends.push(end);
    }
    for (const m of conditionsIn(ctx, conditions.latentTuberculosis)) {
      if (m.active) continue;
      evidence.push(conditionEvidence(m.condition, m.matched, 'resolved'));
      dates.push(`latent TB resolved${m.condition.abatement ? ` ${m.condition.abatement}` : ''}`);
      const end = m.condition.abatement ?? m.condition.onset;
      if (end) ends.push(end);
    }
    if (evidence.length === 0) return undefined;
    return { evidence, dates, end: ends.sort().pop() ?? '' };
  });
}

/** The course, when it covers every positive test in the record (none dated after it). */
export function treatedLatentTb(ctx: AssessContext): LatentTbCourse | undefined {
  const course = latentTbCourse(ctx);
  if (!course) return undefined;
  return positiveTbTests(ctx).some((o) => o.date! > course.end) ? undefined : course;
}
