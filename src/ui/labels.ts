/**
 * Words the sidebar and the note use for the report's fixed ids. Kept in one place so the
 * screen, the printed page and the pasted note always say the same thing.
 */
import type { CautionId, ChecklistId, ItemStatus, MatchKind, MonitoringStatus, Severity, Verdict } from '../contract/report';

export interface StatusWording {
  /** Shown next to the icon; the status must never rely on colour or the icon alone. */
  text: string;
  /** A text glyph (no icon font, no emoji presentation) for quick scanning. */
  icon: string;
}

export const STATUS_WORDING: Record<ItemStatus, StatusWording> = {
  done: { text: 'Done', icon: '✓' },
  abnormal: { text: 'Abnormal', icon: '!' },
  incomplete: { text: 'Incomplete', icon: '◔' },
  outdated: { text: 'Outdated', icon: '↻' },
  missing: { text: 'Missing', icon: '✗' },
  unknown: { text: 'Could not check', icon: '?' },
  'not-applicable': { text: 'Not applicable', icon: '–' },
};

export function statusWording(status: string): StatusWording {
  return STATUS_WORDING[status as ItemStatus] ?? { text: `Status “${status}”`, icon: '?' };
}

/** One symbol and one word per verdict: never colour alone. */
export const VERDICT_WORDING: Record<Verdict, StatusWording> = {
  'do-not-start': { text: 'Do not start', icon: '✗' },
  unknown: { text: 'Could not check', icon: '?' },
  'needs-work': { text: 'Needs work', icon: '⚠' },
  ready: { text: 'Ready', icon: '✓' },
  'not-approved': { text: 'Not approved', icon: '⊘' },
  // Revision 3 (R3.3): the drug being taken; its action says what to do with it.
  'on-treatment': { text: 'Taking it', icon: '●' },
};

/** Revision 3 (R3.3): the action for the drug being taken, in words. */
export const ACTION_WORDING: Record<string, StatusWording> = {
  continue: { text: 'Continue', icon: '✓' },
  recheck: { text: 'Continue, monitoring open', icon: '●' },
  interrupt: { text: 'Interrupt: tell the prescriber today', icon: '!' },
  discontinue: { text: 'Discontinue: tell the prescriber today', icon: '!' },
};

export const MONITORING_WORDING: Record<MonitoringStatus, StatusWording> = {
  abnormal: { text: 'Abnormal', icon: '!' },
  incomplete: { text: 'Incomplete', icon: '◔' },
  overdue: { text: 'Overdue', icon: '!' },
  due: { text: 'Due', icon: '●' },
  unknown: { text: 'Could not check', icon: '?' },
  'not-yet': { text: 'Not yet due', icon: '○' },
  done: { text: 'Done', icon: '✓' },
};

export const SEVERITY_HEADINGS: Record<Severity, string> = {
  'do-not-start': 'Do not start',
  warning: 'Warnings',
  info: 'For information',
};

export const SEVERITY_ICONS: Record<Severity, string> = {
  'do-not-start': '⊘',
  warning: '!',
  info: 'i',
};

export const CAUTION_LABELS: Record<CautionId, string> = {
  cytopenia: 'Low blood counts',
  'active-tuberculosis': 'Active tuberculosis',
  'latent-tuberculosis': 'Latent tuberculosis',
  'viral-hepatitis': 'Viral hepatitis',
  'hepatitis-b-exposure': 'Past hepatitis B exposure',
  'serious-infection': 'Serious infection or immunocompromise',
  'herpes-zoster-history': 'History of shingles',
  'thrombosis-history': 'History of blood clots',
  'cardiovascular-history': 'History of heart attack or stroke',
  'cardiovascular-risk': 'Cardiovascular risk factors',
  smoking: 'Smoking',
  'older-adult': 'Age 65 or older',
  'malignancy-history': 'History of cancer',
  pregnancy: 'Pregnancy',
  breastfeeding: 'Breastfeeding',
  antiplatelet: 'Antiplatelet medicine',
  immunosuppressant: 'Other immunosuppressant',
  'drug-interaction': 'Drug interaction',
  'recent-live-vaccine': 'Recent live vaccine',
  'renal-impairment': 'Kidney impairment',
  'hepatic-impairment': 'Liver impairment',
  'age-eligibility': 'Below approved age',
  'already-on-jak-inhibitor': 'Already on a JAK inhibitor',
  'tuberculosis-history': 'Past tuberculosis or positive TB test',
  'weight-eligibility': 'Body weight',
  'label-indication': 'Approved use',
  'on-treatment-result': 'Result during treatment',
};

/** An id the app does not know is still shown as words ("new-rule" → "new rule"), never as an id. */
export function cautionLabel(id: string): string {
  return CAUTION_LABELS[id as CautionId] ?? id.replace(/-/g, ' ');
}

/** Checklist items in clinic words, for places that name an item without the item at hand (data gaps). */
export const ITEM_LABELS: Record<ChecklistId, string> = {
  cbc: 'Complete blood count',
  'liver-enzymes': 'Liver enzymes',
  'lipid-panel': 'Lipid panel',
  'tb-screening': 'Tuberculosis screening',
  'hepatitis-b': 'Hepatitis B',
  'hepatitis-c': 'Hepatitis C',
  'pregnancy-test': 'Pregnancy test',
  'zoster-vaccine': 'Shingles vaccine',
};

export function itemLabel(id: string): string | undefined {
  return ITEM_LABELS[id as ChecklistId];
}

const CODE_SYSTEMS: Record<string, string> = {
  'http://loinc.org': 'LOINC',
  'http://snomed.info/sct': 'SNOMED CT',
  'http://www.nlm.nih.gov/research/umls/rxnorm': 'RxNorm',
  'http://hl7.org/fhir/sid/icd-10-cm': 'ICD-10-CM',
  'http://hl7.org/fhir/sid/icd-10': 'ICD-10',
  'http://hl7.org/fhir/sid/cvx': 'CVX',
};

/** "http://loinc.org|751-8" → "LOINC 751-8": the code a clinician can look up, without the system's web address. */
export function codeWording(matchedCode: string): string {
  const bar = matchedCode.lastIndexOf('|');
  if (bar < 0) return matchedCode;
  const system = matchedCode.slice(0, bar);
  const code = matchedCode.slice(bar + 1);
  const name = CODE_SYSTEMS[system] ?? (system.startsWith('urn:oid:') ? `code system ${system.slice(8)}` : system);
  return `${name} ${code}`;
}

export function matchWording(match: MatchKind | undefined, matchedCode?: string): string | undefined {
  switch (match) {
    case 'code':
      return matchedCode ? `Matched by code (${codeWording(matchedCode)})` : 'Matched by code';
    case 'name':
      // A name match is weaker than a code match: the clinician should know to look.
      return 'Matched by name, not by code: verify';
    case 'derived':
      return 'Derived from other results';
    case 'age':
      return 'Derived from the birth date';
    case 'absence':
      return 'Nothing qualifying found in the loaded record';
    default:
      return undefined;
  }
}

const RESOURCE_NAMES: Record<string, string> = {
  Patient: 'Patient details',
  Condition: 'Conditions (problems and diagnoses)',
  Observation: 'Observations (lab results, vital signs)',
  MedicationRequest: 'Medication orders',
  MedicationStatement: 'Medication statements',
  Medication: 'Medications',
  Immunization: 'Immunizations',
  ServiceRequest: 'Lab orders already placed',
};

export function resourceTypeName(resourceType: string): string {
  return RESOURCE_NAMES[resourceType] ?? resourceType;
}

const UNIT_WORDS: Record<string, [string, string]> = {
  Y: ['year', 'years'],
  M: ['month', 'months'],
  W: ['week', 'weeks'],
  D: ['day', 'days'],
};

/** "P90D" → "within 90 days"; null → "any time". Unparseable input is shown as given. */
export function windowWording(window: string | null | undefined): string {
  if (window === null || window === undefined || window === '') return 'any time';
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(window);
  if (!match || match.slice(1).every((part) => part === undefined)) return `window ${window}`;
  const parts: string[] = [];
  (['Y', 'M', 'W', 'D'] as const).forEach((unit, index) => {
    const raw = match[index + 1];
    if (raw === undefined) return;
    const count = Number(raw);
    const [one, many] = UNIT_WORDS[unit]!;
    parts.push(`${count} ${count === 1 ? one : many}`);
  });
  return `within ${parts.join(' ')}`;
}

export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function sexWording(sex: string | undefined): string {
  switch (sex) {
    case 'female':
      return 'Female';
    case 'male':
      return 'Male';
    case 'other':
      return 'Other';
    case 'unknown':
    case undefined:
    case '':
      return 'Sex unknown';
    default:
      return sex;
  }
}

export function ageWording(age: number | null | undefined): string {
  if (age === null || age === undefined || !Number.isFinite(age)) return 'Age unknown';
  return `${age} y`;
}
