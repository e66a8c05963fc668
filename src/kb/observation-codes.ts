/**
 * The Observation codes for server-side search filters (see src/kb/observation-search.ts for how
 * they are derived). Read from a generated file so that the loader, which runs before the
 * engine's chunk arrives, does not pull the value sets into the app's first JavaScript.
 */
import codes from './generated/observation-search-codes.json';

export const OBSERVATION_SEARCH_CODES: { labs: string[]; status: string[]; vitals: string[] } = codes;

/** The lab codes of each checklist item ("cbc" → its LOINC tokens), for the newest-results searches. */
export const LAB_FAMILY_CODES: Readonly<Record<string, readonly string[]>> = codes.families;
