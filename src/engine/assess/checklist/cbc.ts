/**
 * Complete blood count: hemoglobin, platelets, ANC and ALC. ANC/ALC may be derived as
 * WBC × differential % when both come from the same specimen time (spec "Derived values").
 */
import { byNewest } from '../evidence';
import type { ObservationFact } from '../../record';
import type { ChecklistItem, Evidence } from '../../../contract/report';
import type { TargetUnit } from '../../normalise/units';
import { belowThreshold, comparatorOf, readNumber } from '../bounds';
import { ABROCITINIB_START_THRESHOLDS } from '../../../kb/regions';
import { quantityForPeople, roundForPeople, withUnit } from '../../present/values';
import type { AssessContext, LabConcept } from '../context';
import { observationEvidence } from '../evidence';
import { appliesToRoute, foldComponents, needsReview, REVIEW_NOTE, newestReadings, notApplicable, windowOf, type ComponentReading } from './item';

export interface BloodCountValue {
  name: 'Hemoglobin' | 'Platelets' | 'ANC' | 'ALC';
  /** In the threshold's unit (g/dL or cells/µL), undefined when the unit is not recognised. */
  value?: number;
  /** A bound the lab sent ("<", "<=", ">", ">="), R3.4. */
  comparator?: string;
  observation: ObservationFact;
  derivedFrom?: ObservationFact[];
}

const fmt = (n: number): string => roundForPeople(n);

/** A quantity, or a number with its unit written as text ("<0.5 x10^9/L", R3.4). */
function read(obs: ObservationFact | undefined, unit: TargetUnit): number | undefined {
  return readNumber(obs, unit);
}

/** The same specimen: the same specimen reference, else the same effective date-time. */
function sameSpecimen(a: ObservationFact, b: ObservationFact): boolean {
  if (a.specimen && b.specimen) return a.specimen === b.specimen;
  return a.date !== undefined && a.date === b.date;
}

/** Absolute count, measured or derived from WBC × %, newest first. */
function absoluteCounts(ctx: AssessContext, absolute: LabConcept, percent: LabConcept): Array<{ obs: ObservationFact; value?: number; derivedFrom?: ObservationFact[] }> {
  const measured = ctx.observationsOf(absolute).map((obs) => ({ obs, value: read(obs, 'cells/uL') }));
  const wbcs = ctx.observationsOf('wbc');
  const derived = ctx.observationsOf(percent).flatMap((pct) => {
    const wbc = wbcs.find((w) => sameSpecimen(w, pct));
    const fraction = read(pct, '%');
    const count = read(wbc, 'cells/uL');
    if (!wbc || fraction === undefined || count === undefined) return [];
    return [{ obs: pct, value: Math.round((count * fraction) / 100), derivedFrom: [wbc, pct] }];
  });
  // A measured count wins over a derived one of the same date.
  return [...measured, ...derived.filter((d) => !measured.some((m) => m.obs.date === d.obs.date))].sort((a, b) =>
    byNewest(a.obs, b.obs),
  );
}

/** Newest value of each blood count, for the checklist and for `cytopenia`. */
export function bloodCounts(ctx: AssessContext): Record<BloodCountValue['name'], BloodCountValue[]> {
  return ctx.once('blood-counts', () => computeBloodCounts(ctx));
}

function computeBloodCounts(ctx: AssessContext): Record<BloodCountValue['name'], BloodCountValue[]> {
  const plain = (concept: LabConcept, unit: TargetUnit) => ctx.observationsOf(concept).map((obs) => ({ obs, value: read(obs, unit) }));
  const toValues = (name: BloodCountValue['name'], list: Array<{ obs: ObservationFact; value?: number; derivedFrom?: ObservationFact[] }>): BloodCountValue[] =>
    list.map((x) => {
      const comparator = x.derivedFrom ? undefined : comparatorOf(x.obs, name === 'Hemoglobin' ? 'g/dL' : 'cells/uL');
      return { name, observation: x.obs, ...(x.value !== undefined ? { value: x.value } : {}), ...(comparator ? { comparator } : {}), ...(x.derivedFrom ? { derivedFrom: x.derivedFrom } : {}) };
    });
  return {
    Hemoglobin: toValues('Hemoglobin', plain('hemoglobin', 'g/dL')),
    Platelets: toValues('Platelets', plain('platelets', 'cells/uL')),
    ANC: toValues('ANC', absoluteCounts(ctx, 'neutrophilsAbsolute', 'neutrophilsPercent')),
    ALC: toValues('ALC', absoluteCounts(ctx, 'lymphocytesAbsolute', 'lymphocytesPercent')),
  };
}

export interface CountThreshold {
  name: BloodCountValue['name'];
  below: number;
  unit: string;
  /** Agents whose label sets this threshold. */
  agents: string[];
}

export function countThresholds(ctx: AssessContext): CountThreshold[] {
  const t = ctx.config.thresholds;
  const oral = ['abrocitinib', 'upadacitinib', 'baricitinib'];
  // The EU abrocitinib label starts stricter (ANC 1,200/µL, Hb 10 g/dL; R3.7): its own row then.
  const abro = ABROCITINIB_START_THRESHOLDS.byRegion[ctx.config.labelRegion];
  const split = (name: 'ANC' | 'Hemoglobin', site: number, label: number, unit: string): CountThreshold[] =>
    label > site ? [{ name, below: site, unit, agents: oral.filter((a) => a !== 'abrocitinib') }, { name, below: label, unit, agents: ['abrocitinib'] }] : [{ name, below: site, unit, agents: oral }];
  return [
    ...split('ANC', t.ancMinPerUl, abro.ancMinPerUl, '/µL'),
    { name: 'ALC', below: t.alcMinPerUl, unit: '/µL', agents: oral },
    ...split('Hemoglobin', t.hemoglobinMinGdl, abro.hemoglobinMinGdl, 'g/dL'),
    { name: 'Platelets', below: t.plateletsMinPerUl, unit: '/µL', agents: ['abrocitinib'] },
  ];
}

export function countEvidence(v: BloodCountValue, note?: string): Evidence[] {
  if (!v.derivedFrom) return [observationEvidence(v.observation, note ? { note } : {})];
  const [wbc, pct] = v.derivedFrom;
  const value = v.value !== undefined ? withUnit(fmt(v.value), '/µL') : undefined;
  const derived: Evidence = {
    display: `${v.name} (derived: WBC × ${v.name === 'ANC' ? 'neutrophil' : 'lymphocyte'} %)`,
    match: 'derived',
    note: [`derived from WBC ${wbc?.quantity ? quantityForPeople(wbc.quantity) : ''} × ${pct?.quantity ? quantityForPeople(pct.quantity) : ''}`, note].filter(Boolean).join('; '),
    ...(v.observation.date ? { date: v.observation.date } : {}),
    ...(value ? { value } : {}),
  };
  return [derived, ...v.derivedFrom.map((o) => observationEvidence(o))];
}

export function cbcItem(ctx: AssessContext): ChecklistItem {
  if (!appliesToRoute('cbc', ctx)) return notApplicable('cbc', ctx, 'Labs are not required by the label for topical therapy');
  const days = windowOf('cbc', ctx).days ?? 0;
  const counts = bloodCounts(ctx);
  const applicableThresholds = countThresholds(ctx).filter((t) => t.agents.some((a) => ctx.therapy.agents.includes(a as never)));
  const readings: ComponentReading[] = (['Hemoglobin', 'Platelets', 'ANC', 'ALC'] as const).map((name) => {
    const values = counts[name];
    const dated = values.find((v) => v.observation.date !== undefined);
    const { current, newest } = newestReadings(values.map((v) => v.observation), ctx, days);
    const currentValue = current ? dated : undefined;
    const shown = currentValue ?? dated ?? values[0];
    const reading: ComponentReading = { name };
    if (current) reading.current = current;
    if (newest) reading.newest = newest;
    if (currentValue && currentValue.value === undefined) needsReview(reading, currentValue.observation);
    // The strictest threshold any planned agent's label sets for this count (EU abrocitinib, R3.7).
    const threshold = applicableThresholds.filter((t) => t.name === name).sort((a, b) => b.below - a.below)[0];
    const below = currentValue?.value !== undefined && threshold ? belowThreshold(currentValue.value, currentValue.comparator, threshold.below) : 'no';
    if (below === 'yes') {
      const agents = ctx.therapy.agents.length > 1 && threshold!.agents.length === 1 ? ` (${threshold!.agents[0]})` : '';
      reading.abnormal = `${withUnit(`${name} ${currentValue!.comparator ?? ''}${fmt(currentValue!.value!)}`, threshold!.unit)}, below ${withUnit(fmt(threshold!.below), threshold!.unit)}${agents}`;
    } else if (below === 'unclear') {
      // A bound on the wrong side of the threshold does not say whether it is crossed (R3.4).
      reading.unjudged = `bound ${withUnit(`${currentValue!.comparator}${fmt(currentValue!.value!)}`, threshold!.unit)}: needs review`;
    }
    if (shown) reading.evidence = countEvidence(shown, reading.unjudged ?? (reading.review !== undefined ? REVIEW_NOTE : undefined));
    else reading.evidence = [];
    return reading;
  });
  return foldComponents('cbc', ctx, readings, {
    dataLoaded: ctx.loadedFully('Observation'),
    unknownReason: ctx.loadProblem('Observation'),
  });
}
