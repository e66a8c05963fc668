/**
 * What every rule needs for one assessment: the record, the date, the site configuration, the
 * planned therapy, and indexes built once (observations per lab concept, newest first) so that
 * a record of 20,000 Observations is read once, not once per rule.
 */
import { byNewest } from './evidence';
import type { SiteConfig } from '../config';
import type { LoadedResourceType, ObservationFact, PatientRecord } from '../record';
import type { TherapyId } from '../../contract/report';
import { ageOn, daysBetween } from '../normalise/dates';
import { labs } from '../../kb/labs';
import { THERAPIES, type Therapy } from '../../kb/therapies';
import { labConceptsByCode, type LabConcept } from './lab-concepts';

export type { LabConcept };

export interface AssessContext {
  record: PatientRecord;
  now: string;
  config: SiteConfig;
  therapy: Therapy;
  age: number | null;
  /** Observations of each lab concept, dated ones newest first, undated ones last. */
  observationsOf(concept: LabConcept): readonly ObservationFact[];
  /** Days from `date` to now (negative for future dates). */
  daysAgo(date: string): number;
  withinDays(date: string | undefined, days: number): boolean;
  /** Whether a resource type loaded completely (a type with no status, e.g. from a Bundle file, did). */
  loadedFully(type: LoadedResourceType): boolean;
  /** The load problem of a type, for the user ("HTTP 503"), if any. */
  loadProblem(type: LoadedResourceType): string | undefined;
  /**
   * Computes once per assessment what several rules (or the same rule for several agents) read,
   * e.g. blood counts derived from WBC × differential. Agent contexts share it.
   */
  once<T>(key: string, compute: () => T): T;
}

/** The same assessment for another planned therapy: indexes and computed facts are shared. */
export function forTherapy(ctx: AssessContext, therapyId: TherapyId): AssessContext {
  return ctx.therapy.id === therapyId ? ctx : { ...ctx, therapy: THERAPIES[therapyId] };
}


function indexObservations(observations: readonly ObservationFact[]): Map<LabConcept, ObservationFact[]> {
  const byCode = labConceptsByCode();
  const index = new Map<LabConcept, ObservationFact[]>((Object.keys(labs) as LabConcept[]).map((name) => [name, []]));
  for (const obs of observations) {
    let seen: Set<LabConcept> | undefined;
    for (const coding of obs.codes) {
      const concepts = byCode.get(`${coding.system}|${coding.code}`);
      if (!concepts) continue;
      for (const name of concepts) {
        if (seen?.has(name)) continue;
        (seen ??= new Set()).add(name);
        index.get(name)!.push(obs);
      }
    }
  }
  for (const list of index.values()) list.sort(byNewest);
  return index;
}

export function createContext(record: PatientRecord, now: string, config: SiteConfig, therapyId: TherapyId): AssessContext {
  const index = indexObservations(record.observations);
  const daysAgo = (date: string): number => daysBetween(date, now);
  const computed = new Map<string, unknown>();
  return {
    once: <T>(key: string, compute: () => T): T => {
      if (!computed.has(key)) computed.set(key, compute());
      return computed.get(key) as T;
    },
    record,
    now,
    config,
    therapy: THERAPIES[therapyId],
    age: ageOn(record.patient.birthDate, now),
    observationsOf: (concept) => index.get(concept) ?? [],
    daysAgo,
    withinDays: (date, days) => date !== undefined && daysAgo(date) <= days && daysAgo(date) >= -1,
    loadedFully: (type) => (record.loads[type]?.state ?? 'complete') === 'complete',
    loadProblem: (type) => {
      const status = record.loads[type];
      return status && status.state !== 'complete' ? status.reason : undefined;
    },
  };
}
