/**
 * What every rule needs for one assessment: the record, the date, the site configuration, the
 * planned therapy, and indexes built once (observations per lab concept, newest first) so that
 * a record of 20,000 Observations is read once, not once per rule.
 */
import type { SiteConfig } from '../config';
import type { LoadedResourceType, ObservationFact, PatientRecord } from '../record';
import type { TherapyId } from '../report';
import { ageOn, daysBetween } from '../normalise/dates';
import { labs } from '../../kb/labs';
import { THERAPIES, type Therapy } from '../../kb/therapies';
import type { CodeSet } from '../../kb/code-sets';

export type LabConcept = keyof typeof labs;

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
}

const byDateDesc = (a: ObservationFact, b: ObservationFact): number => {
  if (a.date === b.date) return 0;
  if (!a.date) return 1;
  if (!b.date) return -1;
  return a.date < b.date ? 1 : -1;
};

function indexObservations(observations: readonly ObservationFact[]): Map<LabConcept, ObservationFact[]> {
  const concepts = Object.entries(labs) as Array<[LabConcept, CodeSet]>;
  const index = new Map<LabConcept, ObservationFact[]>(concepts.map(([name]) => [name, []]));
  for (const obs of observations) {
    if (obs.codes.length === 0) continue;
    for (const [name, set] of concepts) if (set.match(obs.codes)) index.get(name)!.push(obs);
  }
  for (const list of index.values()) list.sort(byDateDesc);
  return index;
}

export function createContext(record: PatientRecord, now: string, config: SiteConfig, therapyId: TherapyId): AssessContext {
  const index = indexObservations(record.observations);
  const daysAgo = (date: string): number => daysBetween(date, now);
  return {
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
