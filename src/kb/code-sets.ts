/**
 * Code sets: the unit of terminology the rules match against. A set unites official value-set
 * expansions (src/kb/generated/value-sets.json) with hand-curated codes, ICD-10-CM prefixes
 * (the spec allows prefix matching, e.g. C00–C96 except C44) and exclusions. Each carries its
 * source so the report can show why something matched.
 */
import type { Coding } from '../contract/codes';
import generated from './generated/value-sets.json';

import { CVX, ICD10, ICD10CM, LOINC, RXNORM, SNOMED } from '../contract/codes';

export { CVX, ICD10CM, LOINC, RXNORM, SNOMED };
/** WHO ICD-10. The categories these rules use (A–C, E, I, N, O, Z...) are shared with ICD-10-CM, so
 * WHO codes are matched with the ICD-10-CM lists and prefixes. */
export const ICD10_WHO = ICD10;

interface GeneratedList { oid: string | null; title: string; version: string | null; source: string; codes: Record<string, string> }
const GENERATED_LISTS = (generated as unknown as { lists: Record<string, GeneratedList> }).lists;
export const SMOKING_STATUS_CLASS = (generated as unknown as { smokingStatus: Record<string, 'current' | 'former' | 'never' | 'unknown'> }).smokingStatus;

export type ValueSetName = keyof typeof generated.lists;

export interface CodeSetSpec {
  id: string;
  /** Clinic words for the concept ("Hemoglobin"). */
  label: string;
  /** Official value sets (by short name) whose expansion is included. */
  valueSets?: ValueSetName[];
  /** Hand-curated codes by system, each list with its source in `source`. */
  codes?: Partial<Record<string, string[]>>;
  /** ICD-10-CM code prefixes, written with or without the dot ("C00", "Z86.71"). */
  icd10Prefixes?: string[];
  /** ICD-10-CM prefixes to exclude even when included above (e.g. C44 under malignancy). */
  excludeIcd10Prefixes?: string[];
  /** Codes to exclude even when a value set includes them. */
  excludeCodes?: Partial<Record<string, string[]>>;
  /** Exclude everything in these sets (e.g. non-melanoma skin cancer). */
  excludeValueSets?: ValueSetName[];
  source: string;
}

const normaliseIcd = (code: string): string => code.replace(/\./g, '').toUpperCase();

export class CodeSet {
  readonly id: string;
  readonly label: string;
  readonly source: string;
  private readonly spec: CodeSetSpec;
  // Built on first use: a command-line report reads only the sets its record touches.
  private built?: { bySystem: Map<string, Set<string>>; excluded: Map<string, Set<string>>; prefixes: string[]; excludedPrefixes: string[] };

  constructor(spec: CodeSetSpec) {
    this.id = spec.id;
    this.label = spec.label;
    this.spec = spec;
    const sources = [spec.source];
    for (const name of [...(spec.valueSets ?? []), ...(spec.excludeValueSets ?? [])]) {
      if (!GENERATED_LISTS[name]) throw new Error(`unknown value set ${name}`);
    }
    for (const name of spec.valueSets ?? []) {
      const list = GENERATED_LISTS[name]!;
      sources.push(`${list.title}${list.oid ? ` (VSAC ${list.oid}, ${list.version})` : ''}`);
    }
    this.source = sources.filter(Boolean).join('; ');
  }

  private get sets() {
    if (this.built) return this.built;
    const spec = this.spec;
    const bySystem = new Map<string, Set<string>>();
    const excluded = new Map<string, Set<string>>();
    for (const name of spec.valueSets ?? []) for (const [system, codes] of Object.entries(GENERATED_LISTS[name]!.codes)) add(bySystem, system, codes.split(' '));
    for (const [system, codes] of Object.entries(spec.codes ?? {})) add(bySystem, system, codes ?? []);
    for (const [system, codes] of Object.entries(spec.excludeCodes ?? {})) add(excluded, system, codes ?? []);
    for (const name of spec.excludeValueSets ?? []) for (const [system, codes] of Object.entries(GENERATED_LISTS[name]!.codes)) add(excluded, system, codes.split(' '));
    this.built = { bySystem, excluded, prefixes: (spec.icd10Prefixes ?? []).map(normaliseIcd), excludedPrefixes: (spec.excludeIcd10Prefixes ?? []).map(normaliseIcd) };
    return this.built;
  }

  /** Whether one coding belongs to the set. */
  has(coding: Coding): boolean {
    if (coding.system === ICD10_WHO) return this.has({ ...coding, system: ICD10CM });
    const { bySystem, excluded, prefixes, excludedPrefixes } = this.sets;
    const code = coding.system === ICD10CM ? normaliseIcd(coding.code) : coding.code;
    if (excluded.get(coding.system)?.has(code)) return false;
    if (coding.system === ICD10CM && excludedPrefixes.some((p) => code.startsWith(p))) return false;
    if (bySystem.get(coding.system)?.has(code)) return true;
    return coding.system === ICD10CM && prefixes.some((p) => code.startsWith(p));
  }

  /** The first coding that belongs to the set, if any; a resource is in the set when any of its codings is. */
  match(codings: readonly Coding[]): Coding | undefined {
    for (const coding of codings) if (this.has(coding)) return coding;
    return undefined;
  }

  /** Every explicit (system, code) pair of the set, exclusions applied; prefix rules are not listed. */
  explicitCodings(): Coding[] {
    const out: Coding[] = [];
    for (const [system, codes] of this.sets.bySystem) for (const code of codes) if (this.has({ system, code })) out.push({ system, code });
    return out;
  }

  /** The set's explicit codes for one system (for building server-side search filters). */
  codesOf(system: string): string[] {
    return [...(this.sets.bySystem.get(system) ?? [])];
  }
}

function add(target: Map<string, Set<string>>, system: string, codes: string[]): void {
  let set = target.get(system);
  if (!set) target.set(system, (set = new Set()));
  for (const code of codes) set.add(system === ICD10CM ? normaliseIcd(code) : code);
}

export function codeSet(spec: CodeSetSpec): CodeSet {
  return new CodeSet(spec);
}

/** "system|code" for evidence. */
export function codingKey(coding: Coding): string {
  return `${coding.system}|${coding.code}`;
}
