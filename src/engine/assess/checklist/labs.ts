/** Liver enzymes and lipid panel: component items with numeric results. */
import type { ChecklistItem } from '../../../contract/report';
import { convertQuantity } from '../../normalise/units';
import { roundForPeople } from '../../present/values';
import type { AssessContext, LabConcept } from '../context';
import { appliesToRoute, foldComponents, needsReview, newestReadings, notApplicable, windowOf, type ComponentReading } from './item';
import { aboveThreshold, comparatorOf, readNumber } from '../bounds';

function reading(ctx: AssessContext, concept: LabConcept, name: string, days: number): ComponentReading {
  const { current, newest } = newestReadings(ctx.observationsOf(concept), ctx, days);
  const r: ComponentReading = { name };
  if (current) r.current = current;
  if (newest) r.newest = newest;
  return r;
}

const TOPICAL = 'Labs are not required by the label for topical therapy';

export function liverEnzymesItem(ctx: AssessContext): ChecklistItem {
  if (!appliesToRoute('liver-enzymes', ctx)) return notApplicable('liver-enzymes', ctx, TOPICAL);
  const days = windowOf('liver-enzymes', ctx).days ?? 0;
  const { liverEnzymeUlnMultiple: multiple, liverEnzymeDefaultUln: defaultUln } = ctx.config.thresholds;
  const readings = (['alt', 'ast'] as const).map((concept) => {
    const r = reading(ctx, concept, concept.toUpperCase(), days);
    const obs = r.current;
    if (!obs) return r;
    // A number with its unit, as a quantity or written as text ("<10 U/L"); else a person reads it (R3.4).
    const value = readNumber(obs, 'U/L');
    if (value === undefined) {
      needsReview(r, obs);
      return r;
    }
    const comparator = comparatorOf(obs, 'U/L');
    const rangeUln = obs.referenceHigh ? convertQuantity(obs.referenceHigh, 'U/L') : undefined;
    const uln = rangeUln ?? defaultUln;
    const above = aboveThreshold(value, comparator, multiple * uln);
    const shown = `${comparator ?? ''}${roundForPeople(value, { wholeFrom: 10 })}`;
    if (above === 'unclear') r.unjudged = `bound ${shown} U/L: needs review`;
    if (above === 'yes') {
      r.abnormal = `${r.name} ${shown} U/L, above ${multiple} × the upper limit of normal (${roundForPeople(uln, { wholeFrom: 10 })} U/L${rangeUln === undefined ? ', default' : ', from the reference range'})`;
      r.abnormalShort = `${r.name} ${shown} U/L, ${Math.round(value / uln)}× upper limit`;
    }
    return r;
  });
  return foldComponents('liver-enzymes', ctx, readings, { dataLoaded: ctx.loadedFully('Observation'), unknownReason: ctx.loadProblem('Observation') });
}

export function lipidPanelItem(ctx: AssessContext): ChecklistItem {
  if (!appliesToRoute('lipid-panel', ctx)) return notApplicable('lipid-panel', ctx, TOPICAL);
  const days = windowOf('lipid-panel', ctx).days ?? 0;
  const ldl = reading(ctx, 'ldl', 'LDL', days);
  const hdl = reading(ctx, 'hdl', 'HDL', days);
  const total = reading(ctx, 'totalCholesterol', 'Total cholesterol', days);
  const triglycerides = reading(ctx, 'triglycerides', 'Triglycerides', days);
  // LDL plus HDL is enough (spec): total cholesterol and triglycerides become optional then.
  const ldlAndHdl = ldl.current !== undefined && hdl.current !== undefined;
  if (ldlAndHdl) {
    total.optional = true;
    triglycerides.optional = true;
  }
  return foldComponents('lipid-panel', ctx, [ldl, hdl, total, triglycerides], {
    dataLoaded: ctx.loadedFully('Observation'),
    unknownReason: ctx.loadProblem('Observation'),
    detailWhenDone: 'Baseline for comparison 4–12 weeks after starting (not thresholded)',
  });
}
