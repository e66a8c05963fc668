/**
 * The newest lab results older than the look-back, one search per checklist item family, sent in
 * the same first round trip as every other search.
 *
 * Why: the lab search stops at a date floor (the longest window plus five weeks). Without these
 * searches an item whose newest result is older than the floor shows "missing" in the sidebar
 * while the command line, which reads the whole record, says "outdated"; and a positive TB test
 * from years ago (TB history never expires) would go unseen. Each family asks for its newest few
 * results before the floor (`date=lt<floor>&_sort=-date&_count=10`): enough for the newest panel
 * of every component, a few kilobytes at most.
 *
 * What the loader does with them (src/fhir/loader.ts): the results join the record; when every
 * family search answered and the lab search itself was complete back to its floor, the record no
 * longer says "nothing since <floor>" (there is nothing at any date). When one of them fails, the
 * record keeps the floor, so "missing" still reads "no result since <floor>": never a claim
 * the app could not check, and never a data gap that would hide the rest of the answer. One
 * exception: when all of them came back empty while their system-less count finds results
 * (src/fhir/cross-check.ts: a proxy mangled the codes), the lab results are a data gap.
 */
import type { Resource } from 'fhir/r4';
import type { LoadedResourceType } from '../engine/record';
import type { SearchLevel, SearchParam, SearchPlan } from './search-plan';
import type { SearchCaps, SearchOutcome } from './search-runner';

/** Results per family: the newest panel of each family has at most 7 components (CBC). */
export const NEWEST_PER_FAMILY = 10;

/** One page per family: these searches only look for the newest results. */
export const NEWEST_CAPS: SearchCaps = { maxPages: 1, maxResources: NEWEST_PER_FAMILY };

export interface NewestResultsInput {
  patientId: string;
  /** Checklist item id → its lab codes as `system|code` tokens (src/kb/generated/observation-search-codes.json). */
  families: Readonly<Record<string, readonly string[]>>;
  /** Same category as the lab search; null sends none. */
  labCategory: string | null;
  /** YYYY-MM-DD floor of the lab search: these searches ask for what lies before it. */
  before: string;
}

/** The label names the family in reasons and notes ("newest cbc results before 2025-10-23"). */
export function newestResultPlans(input: NewestResultsInput): SearchPlan[] {
  return Object.entries(input.families)
    .filter(([, codes]) => codes.length > 0)
    .map(([family, codes]) => {
      const params: SearchParam[] = [
        ['patient', input.patientId],
        // A list: the codes are alternatives (FHIR "OR"), not one value with commas in it.
        ['code', codes],
        ...(input.labCategory ? [['category', input.labCategory] as const] : []),
        ['date', `lt${input.before}`],
        ['_sort', '-date'],
        ['_count', String(NEWEST_PER_FAMILY)],
      ];
      // One level, no fallback: a server that cannot sort or filter by date cannot say which
      // results are the newest, and an arbitrary page of old results would be misleading.
      const level: SearchLevel = { params, dropped: [], includesMedications: false };
      const type: LoadedResourceType = 'Observation';
      return { name: `newest-${family}`, type, label: `newest ${family} results before ${input.before}`, checkGroup: 'older lab results searches', levels: [level] };
    });
}

export interface NewestResultsOutcome {
  resources: Resource[];
  /** Whether every family search answered: only then does "nothing found" mean "nothing at any date". */
  complete: boolean;
  notes: string[];
}

/** Folds the family searches: results from any that answered, and whether all of them did. */
export function foldNewestResults(outcomes: readonly SearchOutcome[]): NewestResultsOutcome {
  const resources: Resource[] = [];
  const notes: string[] = [];
  let complete = true;
  for (const outcome of outcomes) {
    // A full page of newest-first results comes back "complete" (src/fhir/search-runner.ts checks
    // the order). "truncated" means the server did not sort them: the results are real and kept,
    // but they may not be the newest, so the floor stays.
    if (outcome.status.state === 'complete' || outcome.status.state === 'truncated') resources.push(...outcome.resources);
    if (outcome.status.state !== 'complete') {
      complete = false;
      const reason = 'reason' in outcome.status ? outcome.status.reason : 'not answered';
      notes.push(`${reason} (older results of this test may be missing; the item says "no result since" the look-back date)`);
    }
    notes.push(...outcome.notes);
  }
  return { resources, complete, notes };
}
