/**
 * Code systems: every coding leaves here with a canonical system URL, so that a rule written
 * against `http://loinc.org` also matches a record that says `urn:oid:2.16.840.1.113883.6.1`
 * (spec, "Codes"). Unknown systems pass through unchanged (an unknown `urn:oid:` only has its
 * prefix lower-cased) so nothing is lost for display.
 */
import type { CodeableConcept } from 'fhir/r4';
import type { Coding } from '../../contract/codes';

import { CVX, ICD10, ICD10CM, LOINC, NDC, RXNORM, SNOMED } from '../../contract/codes';
import { str } from './json';

export { CVX, ICD10, ICD10CM, LOINC, NDC, RXNORM, SNOMED };

/**
 * Aliases, keyed by the lower-cased system with any trailing slash and the scheme removed
 * (`http://` and `https://` name the same system for these). OIDs are from the HL7 OID
 * registry, as listed in the FHIR R4 terminology page (terminologies-systems.html).
 */
const ALIASES: Readonly<Record<string, string>> = {
  'loinc.org': LOINC,
  'urn:oid:2.16.840.1.113883.6.1': LOINC,
  'snomed.info/sct': SNOMED,
  'urn:oid:2.16.840.1.113883.6.96': SNOMED,
  'www.nlm.nih.gov/research/umls/rxnorm': RXNORM,
  'nlm.nih.gov/research/umls/rxnorm': RXNORM,
  'urn:oid:2.16.840.1.113883.6.88': RXNORM,
  'hl7.org/fhir/sid/icd-10-cm': ICD10CM,
  'urn:oid:2.16.840.1.113883.6.90': ICD10CM,
  'hl7.org/fhir/sid/icd-10': ICD10,
  'urn:oid:2.16.840.1.113883.6.3': ICD10,
  // eHDSI/epSOS ICD-10 (WHO), as European IPS documents code problems.
  'urn:oid:1.3.6.1.4.1.12559.11.10.1.3.1.44.2': ICD10,
  'hl7.org/fhir/sid/cvx': CVX,
  'urn:oid:2.16.840.1.113883.12.292': CVX,
  'hl7.org/fhir/sid/ndc': NDC,
  'urn:oid:2.16.840.1.113883.6.69': NDC,
  // Informal names seen in hand-written and converted records; each is unambiguous.
  loinc: LOINC,
  snomed: SNOMED,
  'snomed ct': SNOMED,
  'snomed-ct': SNOMED,
  snomedct: SNOMED,
  rxnorm: RXNORM,
  'icd-10-cm': ICD10CM,
  icd10cm: ICD10CM,
  cvx: CVX,
  ndc: NDC,
};

function aliasKey(system: string): string {
  return system
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '');
}

/** A record repeats the same few systems thousands of times: remember the answers (bounded). */
const CANONICAL_CACHE = new Map<string, string>();
const CACHE_LIMIT = 1_000;

export function canonicalSystem(system: string | undefined): string {
  if (typeof system !== 'string') return '';
  const cached = CANONICAL_CACHE.get(system);
  if (cached !== undefined) return cached;
  const trimmed = system.trim();
  const canonical =
    ALIASES[aliasKey(trimmed)] ??
    (/^urn:oid:/i.test(trimmed) ? 'urn:oid:' + trimmed.slice('urn:oid:'.length) : trimmed);
  if (CANONICAL_CACHE.size < CACHE_LIMIT) CANONICAL_CACHE.set(system, canonical);
  return canonical;
}

/**
 * ICD-10 codes are sent both dotted (`E10.22`) and undotted (`E1022`); rules match the dotted
 * form, by prefix, so undotted codes get their dot after the category (3 characters).
 */
function normaliseIcd10(code: string): string {
  const upper = code.toUpperCase();
  if (/^[A-Z][0-9][0-9A-Z][0-9A-Z]{1,4}$/.test(upper)) return `${upper.slice(0, 3)}.${upper.slice(3)}`;
  return upper;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return str(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** One coding in canonical form, or undefined when it has no usable code. */
export function canonicalCoding(raw: unknown): Coding | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const c = raw as Record<string, unknown>;
  let code = text(c.code);
  if (code === undefined) return undefined;
  const system = canonicalSystem(typeof c.system === 'string' ? c.system : undefined);
  if (system === ICD10CM || system === ICD10) code = normaliseIcd10(code);
  const display = text(c.display);
  return display === undefined ? { system, code } : { system, code, display };
}

export function codingsOf(cc: CodeableConcept | undefined): Coding[] {
  if (!cc || typeof cc !== 'object') return [];
  const list: unknown = (cc as { coding?: unknown }).coding;
  if (!Array.isArray(list)) return [];
  const out: Coding[] = [];
  for (const raw of list) {
    const coding = canonicalCoding(raw);
    if (coding) out.push(coding);
  }
  return out;
}

/** What a clinician would call it: the text, else the first display, else the first code. */
export function displayOf(cc: CodeableConcept | undefined, fallback: string): string {
  if (!cc || typeof cc !== 'object') return fallback;
  const own = text((cc as { text?: unknown }).text);
  if (own) return own;
  const codings = codingsOf(cc);
  const withDisplay = codings.find((c) => c.display);
  if (withDisplay?.display) return withDisplay.display;
  return codings[0]?.code ?? fallback;
}

/** True when `codings` holds (system, code); the system is canonicalised first. */
export function hasCode(codings: readonly Coding[], system: string, code: string): boolean {
  const wanted = canonicalSystem(system);
  return codings.some((c) => c.system === wanted && c.code === code);
}
