/** Which lab concepts (src/kb/labs.ts) a coding or an observation belongs to: one lookup per coding. */
import type { ObservationFact } from '../record';
import { labs } from '../../kb/labs';
import type { CodeSet } from '../../kb/code-sets';

export type LabConcept = keyof typeof labs;

/** "system|code" → the lab concepts it belongs to; lab sets are explicit codes only, so one lookup per coding. */
let conceptsByCode: Map<string, LabConcept[]> | undefined;
export function labConceptsByCode(): Map<string, LabConcept[]> {
  if (conceptsByCode) return conceptsByCode;
  conceptsByCode = new Map();
  for (const [name, set] of Object.entries(labs) as Array<[LabConcept, CodeSet]>) {
    for (const coding of set.explicitCodings()) {
      const key = `${coding.system}|${coding.code}`;
      const list = conceptsByCode.get(key) ?? [];
      if (!list.includes(name)) list.push(name);
      conceptsByCode.set(key, list);
    }
  }
  return conceptsByCode;
}

/** The lab concepts an observation belongs to (by any of its codings). */
export function conceptsOf(obs: ObservationFact): LabConcept[] {
  const byCode = labConceptsByCode();
  const out: LabConcept[] = [];
  for (const coding of obs.codes) for (const name of byCode.get(`${coding.system}|${coding.code}`) ?? []) if (!out.includes(name)) out.push(name);
  return out;
}
