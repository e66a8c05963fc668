/**
 * The readiness report: the contract read by the sidebar, the command line and other tools
 * (clinical/spec.md, "Report contract"). Ids and statuses are stable: add, never rename.
 */

export const THERAPY_IDS = [
  'oral',
  'abrocitinib',
  'upadacitinib',
  'baricitinib',
  'topical',
  'ruxolitinib-cream',
  'delgocitinib-cream',
] as const;
export type TherapyId = (typeof THERAPY_IDS)[number];

export const CHECKLIST_IDS = [
  'cbc',
  'liver-enzymes',
  'lipid-panel',
  'tb-screening',
  'hepatitis-b',
  'hepatitis-c',
  'pregnancy-test',
  'zoster-vaccine',
] as const;
export type ChecklistId = (typeof CHECKLIST_IDS)[number];

/** In precedence order: when several apply, the first wins (spec "Item statuses"). */
export const ITEM_STATUSES = [
  'unknown',
  'abnormal',
  'incomplete',
  'outdated',
  'missing',
  'done',
  'not-applicable',
] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const CAUTION_IDS = [
  'cytopenia',
  'active-tuberculosis',
  'latent-tuberculosis',
  'viral-hepatitis',
  'hepatitis-b-exposure',
  'serious-infection',
  'herpes-zoster-history',
  'thrombosis-history',
  'cardiovascular-history',
  'cardiovascular-risk',
  'smoking',
  'older-adult',
  'malignancy-history',
  'pregnancy',
  'breastfeeding',
  'antiplatelet',
  'immunosuppressant',
  'drug-interaction',
  'recent-live-vaccine',
  'renal-impairment',
  'hepatic-impairment',
  'age-eligibility',
  'already-on-jak-inhibitor',
] as const;
export type CautionId = (typeof CAUTION_IDS)[number];

export const SEVERITIES = ['do-not-start', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** How a piece of evidence was matched to the rule, so a clinician can judge it. */
export type MatchKind = 'code' | 'name' | 'derived' | 'age' | 'absence';

export interface Evidence {
  /** "Observation/o1"; absent for derived facts such as age. */
  reference?: string;
  /** YYYY-MM-DD (or the record's own partial date). */
  date?: string;
  display: string;
  /** Value as shown to the user, with its unit ("13.1 g/dL", "Positive"). */
  value?: string;
  /** How it matched: by code (with the code), by name, derived from other results. */
  match?: MatchKind;
  /** The code that matched, "system|code", when matched by code. */
  matchedCode?: string;
  /** Anything the user must know about this piece ("unit not recognised", "result not interpretable", "derived"). */
  note?: string;
}

export interface ChecklistItem {
  id: ChecklistId;
  /** Short clinical label ("Complete blood count"). */
  label: string;
  status: ItemStatus;
  /** ISO 8601 duration of the window used ("P90D"), or null when any time counts. */
  window: string | null;
  /** Components still needed (for incomplete/missing), in clinic words ("ANC", "ALC"). */
  missing?: string[];
  /** For topical therapy: worth considering, not required by the label. */
  advisory?: boolean;
  /** One line for the user explaining the status ("ANC 0.8 × 10⁹/L below 1,000/µL"). */
  detail?: string;
  /** Extra notes ("repeat the test", "unit not recognised"). */
  notes?: string[];
  evidence: Evidence[];
  source: string;
}

export interface Caution {
  id: CautionId;
  severity: Severity;
  text: string;
  /** Set when the trigger is a provisional/differential condition (never do-not-start then). */
  unconfirmed?: boolean;
  /** Set when the trigger is the newest value but outside the item window ("last known value, outdated"). */
  outdated?: boolean;
  /** Agents this caution concerns when the therapy is generic (`oral`/`topical`). */
  agents?: string[];
  evidence: Evidence[];
  source: string;
}

export interface DecisionFactor {
  id: string;
  label: string;
  value: string;
  evidence?: Evidence[];
  source?: string;
}

export interface DataGap {
  resourceType: string;
  reason: string;
  /** What it affects, for the user: which checklist items and cautions could not be judged. */
  affects?: string[];
}

export interface ReadinessReport {
  asOf: string;
  therapy: TherapyId;
  patient: { id: string; age: number | null; sex: string; name?: string };
  dataGaps: DataGap[];
  checklist: ChecklistItem[];
  cautions: Caution[];
  factors: DecisionFactor[];
}
