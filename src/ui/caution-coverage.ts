/**
 * Whether the cautions could be checked against the whole record. Every loaded type feeds some
 * caution (diagnoses, lab values, medicines, vaccines, age), so any data gap means an empty
 * caution list is not an all-clear: the cautions panel says so instead of "none".
 */
import type { DataGap } from '../contract/report';
import { resourceTypeName } from './labels';

/** The unread parts of the record, in clinic words, each named once; empty when nothing is missing. */
export function uncheckedSources(gaps: readonly DataGap[]): string[] {
  return [...new Set(gaps.map((gap) => resourceTypeName(gap.resourceType)))];
}

/** Orders already placed feed the to-do list only, never a caution (issue 18). */
const NOT_CAUTION_SOURCES: ReadonlySet<string> = new Set(['ServiceRequest']);

/** Shown in place of (or above) the cautions when part of the record could not be read. */
export function cautionsNotFullyChecked(gaps: readonly DataGap[]): string | undefined {
  const sources = uncheckedSources(gaps.filter((gap) => !NOT_CAUTION_SOURCES.has(gap.resourceType)));
  if (sources.length === 0) return undefined;
  return `Not fully checked: ${sources.join('; ')} could not be read completely, so cautions that depend on them may be missing.`;
}
