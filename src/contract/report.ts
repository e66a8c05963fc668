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

/** The five specific agents (the generic `oral`/`topical` ids stand for groups of these). */
export const AGENT_IDS = ['abrocitinib', 'upadacitinib', 'baricitinib', 'ruxolitinib-cream', 'delgocitinib-cream'] as const;
export type AgentId = (typeof AGENT_IDS)[number];

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
  // Revision 2 (clinical/spec.md R2.2, R2.4): added, never renamed.
  'tuberculosis-history',
  'weight-eligibility',
  'label-indication',
  // Revision 3 (clinical/spec.md R3.2): a result during treatment that the label acts on.
  'on-treatment-result',
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
  /** The value exactly as the record gives it, when `value` was rounded or its unit rewritten for reading. */
  rawValue?: string;
  /** For a lab result: the test in clinic words ("Hemoglobin", "ANC", "HBsAg"), so a one-line row can name it. */
  test?: string;
}

/** A public page where a clinician can read the label a source names (DailyMed, EMA). */
export interface SourceLink {
  /** The label as the source names it ("Cibinqo label (US)"). */
  label: string;
  url: string;
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
  /** Revision 3 (R3.5): an abnormal result in a few words ("ALT 165 U/L, 4× upper limit"), for the verdict line. */
  short?: string;
  /** Revision 3 (R3.8): public label pages for the labels the source names. */
  links?: SourceLink[];
  /** Revision 3 (R3.8): how the rule's facts were verified (for reviewers; never shown on screen). */
  provenance?: string;
  /**
   * Revision 3 (R3.4): results that were done but whose value or unit cannot be read, each as
   * the test and the lab's verbatim text (`ANC "see comment"`); they make the item `abnormal`.
   */
  needsReview?: string[];
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
  /** The cause in a few words, for a one-line verdict ("clopidogrel", "ANC 800/µL", "pregnant"). */
  short?: string;
  /** For do-not-start cautions: the label's own verb ("avoid", "contraindicated", "not recommended", "do not initiate"). */
  labelWording?: string;
  /** Revision 3 (R3.2): for `on-treatment-result`, what the label says to do now. */
  action?: ResultAction;
  evidence: Evidence[];
  source: string;
  /** Revision 3 (R3.8): public label pages for the labels the source names. */
  links?: SourceLink[];
  /** Revision 3 (R3.8): how the rule's facts were verified (for reviewers; never shown on screen). */
  provenance?: string;
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

/** A pointer into the same report: the checklist item, caution, monitoring entry or data gap behind an entry. */
export interface ReportRef {
  kind: 'item' | 'caution' | 'monitoring' | 'data-gap';
  /** The item id, caution id, monitoring entry id, or the data gap's resource type. */
  id: string;
}

/**
 * One agent's verdict, in precedence order: `not-approved` (the label, in the site's label
 * region, does not cover this patient: R3.5), `do-not-start` (a do-not-start caution or a
 * blocking lab), `unknown` (data needed for it could not be loaded), `needs-work` (anything open:
 * checklist items, warnings, to-dos, things to confirm), `ready` (nothing open for that agent).
 */
export const VERDICTS = ['do-not-start', 'unknown', 'needs-work', 'ready', 'on-treatment', 'not-approved'] as const;
export type Verdict = (typeof VERDICTS)[number];

/**
 * Revision 3 (R3.3): for the agent the patient is taking (`current: true`, verdict `on-treatment`),
 * what to do with it: `continue`, `recheck` (monitoring open), `interrupt` or `discontinue`
 * (a result during treatment crosses the label's threshold, R3.2).
 */
export const ON_TREATMENT_ACTIONS = ['continue', 'recheck', 'interrupt', 'discontinue'] as const;
export type OnTreatmentAction = (typeof ON_TREATMENT_ACTIONS)[number];

export interface AgentVerdict {
  therapy: AgentId;
  /** The agent in clinic words ("Abrocitinib"). */
  label: string;
  verdict: Verdict;
  /** Short reasons, most important first ("clopidogrel", "ANC 800/µL", "3 labs to order"). */
  reasons: string[];
  /** The cautions, items and gaps behind the verdict. */
  causes: ReportRef[];
  /** Revision 3 (R3.3): true for the agent the patient is taking now (verdict `on-treatment`). */
  current?: boolean;
  /** Revision 3 (R3.3): with `current`, what to do with the drug being taken. */
  action?: OnTreatmentAction;
}

/** The label's dose advice that something in the record triggers (never a dose the label does not state). */
export interface DosingAdvice {
  therapy: AgentId;
  trigger: 'renal' | 'age' | 'cyp2c19-inhibitor' | 'cyp3a4-inhibitor' | 'oat3-inhibitor' | 'hepatic' | 'application-limits';
  /** What the label says ("15 mg once daily"). */
  advice: string;
  /** What in the record triggers it ("eGFR 25 mL/min/1.73 m², 2026-10-01"). */
  reason: string;
  evidence: Evidence[];
  source: string;
  /** Revision 3 (R3.8): public label pages for the labels the source names. */
  links?: SourceLink[];
  /** Revision 3 (R3.8): how the advice was verified (for reviewers; never shown on screen). */
  provenance?: string;
}

/**
 * In the order a nurse works them: an abnormal result first (R3.1: first in precedence), then
 * overdue; `incomplete` (R3.1) = some of the entry's analytes are there, not all.
 */
export const MONITORING_STATUSES = ['abnormal', 'overdue', 'due', 'incomplete', 'unknown', 'not-yet', 'done'] as const;
export type MonitoringStatus = (typeof MONITORING_STATUSES)[number];

/**
 * Revision 3 (R3.2, R3.4): what the label says about a result during treatment.
 * `discontinue` and `interrupt` are for the prescriber today; `interrupt-if-dili`: interrupt if
 * drug-induced liver injury is suspected; `manage-lipids`: manage per lipid guidelines;
 * `review`: the value or unit could not be read, a person must read it.
 */
export const RESULT_ACTIONS = ['discontinue', 'interrupt', 'interrupt-if-dili', 'manage-lipids', 'review'] as const;
export type ResultAction = (typeof RESULT_ACTIONS)[number];

/** Revision 3 (R3.2): a result after the start that crosses the label's on-treatment threshold. */
export interface OnTreatmentResult {
  /** The analyte in clinic words ("Platelets", "ANC", "ALT", "LDL"). */
  analyte: string;
  /** The value as read, with a comparator when the lab sent a bound ("45,000/µL", "<500/µL"), or the verbatim text. */
  value: string;
  /** The threshold crossed, in words ("below 50,000/µL", "above 3 × the upper limit (120 U/L)"); absent for `review`. */
  threshold?: string;
  action: ResultAction;
  /** One line for people ("Platelets 45,000/µL on abrocitinib (2026-11-20) — label: discontinue"). */
  text: string;
  /** The prescriber must hear it today (`discontinue`, `interrupt`, `interrupt-if-dili`). */
  urgent: boolean;
  /** The result is preliminary (R3.4): it counts, and says so. */
  preliminary?: boolean;
  evidence: Evidence;
  source: string;
  /** Revision 3 (R3.8): public label pages for the labels the source names. */
  links?: SourceLink[];
}

/** Revision 3 (R3.1): one analyte of an entry, its newest value after the start and its baseline. */
export interface AnalyteValues {
  /** In clinic words ("Platelets"). */
  name: string;
  /** The newest result after the start. */
  last?: Evidence;
  /** The baseline: the newest result before the start. */
  baseline?: Evidence;
}

/** Revision 3: a short trend of one monitored analyte, the last three values (oldest first). */
export interface AnalyteTrend {
  analyte: string;
  /** The unit the numbers are in ("/µL", "g/dL", "U/L", "mg/dL"). */
  unit: string;
  points: Array<{ date: string; value: string; number?: number; preliminary?: boolean }>;
  /** In words, for people and for screen readers ("Platelets falling: 210,000 (2026-08-01) → 120,000 (2026-10-01) → 45,000/µL (2026-11-20)"). */
  words: string;
}

export interface MonitoringEntry {
  /** Stable id ("cbc-week-4", "lipid-panel-week-12", "tb-screening-year-1"). */
  id: string;
  /** The checklist family the test belongs to. */
  test: ChecklistId | 'platelets';
  /** In clinic words ("CBC at week 4"). */
  label: string;
  /** Weeks after the start, when the schedule is in weeks. */
  week?: number;
  /** The day it is due (YYYY-MM-DD). */
  due: string;
  status: MonitoringStatus;
  /** The result that satisfied it (status `done`). */
  result?: Evidence;
  /** One line for the user ("due 2026-12-10, in 8 days"; "Could not check: HTTP 503"). */
  detail?: string;
  /** Revision 3 (R3.1): analytes still needed (status `incomplete`, or due/overdue), in clinic words ("ANC", "ALC"). */
  missing?: string[];
  /** Revision 3 (R3.1): each analyte's last value after the start and its baseline, so a change can be seen. */
  values?: AnalyteValues[];
  /** Revision 3 (R3.1, R3.2): with status `abnormal`, the result, the threshold and the label's action. */
  abnormal?: OnTreatmentResult;
  /** Revision 3 (R3.1): for an open entry whose due date has passed, how many days ago it was due. */
  daysLate?: number;
  /** Revision 3 (R3.4): a result counted here is preliminary. */
  preliminary?: boolean;
  source: string;
  /** Revision 3 (R3.8): public label pages for the labels the source names. */
  links?: SourceLink[];
}

export interface MonitoringSchedule {
  /** The agent the patient is on; a JAK inhibitor without an eczema schedule (e.g. tofacitinib) is named in `drug`. */
  therapy?: AgentId;
  drug: string;
  /**
   * The real start: the earliest current order's authoredOn or statement's effective start
   * (YYYY-MM-DD). Absent when the record gives no date: the entries are then `unknown`.
   */
  start?: string;
  startEvidence: Evidence[];
  entries: MonitoringEntry[];
  /** Reassessment visits (article: weeks 4, 8, 16) as dates from the real start. */
  visits: Array<{ week: number; date: string }>;
  source: string;
  /** Revision 3 (R3.8): public label pages for the labels the source names. */
  links?: SourceLink[];
  /**
   * Revision 3 (R3.2): every result after the start that crosses an on-treatment threshold (or
   * cannot be read), most urgent first. Empty: "No abnormal result since the start".
   */
  abnormal?: OnTreatmentResult[];
  /** Revision 3: the last three values of each monitored analyte. */
  trends?: AnalyteTrend[];
  /** Revision 3 (R3.3): a later order of the same ingredient at a higher daily strength. */
  doseIncrease?: { date: string; from?: string; to?: string; evidence: Evidence[] };
}

/** Revision 3 (R3.3): a draft order, or an order with intent proposal/plan: planned, not taken. */
export interface PlannedTherapy {
  therapy?: AgentId;
  drug: string;
  evidence: Evidence[];
}

/**
 * Revision 3 added `urgent` (R3.2: "Tell the prescriber today: …", always first) and `visit`
 * (the next reassessment visit within 14 days).
 */
export const TODO_KINDS = ['order-lab', 'vaccinate', 'confirm', 'ask', 'recheck', 'urgent', 'visit', 'awaiting'] as const;
export type TodoKind = (typeof TODO_KINDS)[number];

/** An orderable test: the LOINC of the orderable panel where one exists. */
export interface OrderableTest {
  system: 'http://loinc.org';
  code: string;
  display: string;
}

/**
 * Issue 18, orders in flight: `awaiting` — ordered (open order, or performed within the last
 * 30 days) and no result since; `no-result-yet` — performed more than 30 days ago and still no
 * result in the record.
 */
export const PLACED_ORDER_STATES = ['awaiting', 'no-result-yet'] as const;
export type PlacedOrderState = (typeof PLACED_ORDER_STATES)[number];

/** A lab order already placed (ServiceRequest) for a test the to-do list would otherwise offer. */
export interface PlacedOrder {
  /** "ServiceRequest/sr1". */
  reference: string;
  /** The orderable it matches (same LOINC as `todo[].orders`). */
  test: OrderableTest;
  /** ServiceRequest.status: draft | active | on-hold | completed. */
  status: string;
  /** When it was ordered (authoredOn), YYYY-MM-DD. */
  date?: string;
  state: PlacedOrderState;
}

/** One line of the to-do list a nurse works from; the sidebar, the note and integrations read only this. */
export interface TodoEntry {
  /** Stable id ("order-cbc", "vaccinate-zoster", "confirm-ltbi-treatment"). */
  id: string;
  kind: TodoKind;
  /** Plain words ("Order CBC with differential"). */
  text: string;
  /** For `order-lab`: what to order; for `awaiting`: what was ordered. */
  orders?: OrderableTest[];
  /** For `awaiting` (and an `order-lab` whose earlier order brought no result): the orders already placed. */
  placed?: PlacedOrder[];
  /** Worth considering, not required by the label (topical therapy's TB screening and zoster vaccine). */
  advisory?: boolean;
  /** The checklist items, cautions or monitoring entries it comes from. */
  from: ReportRef[];
  /** Revision 3 (R3.5): who acts on it, when that is not the nurse ("prescriber": confirm prior systemic therapy). */
  audience?: 'prescriber';
}

export interface ReadinessReport {
  asOf: string;
  therapy: TherapyId;
  patient: {
    id: string;
    age: number | null;
    sex: string;
    name?: string;
    /** Patient.deceased: true, or the date of death. A deceased patient leads the report. */
    deceased?: boolean | string;
    /** For identity on print-outs and worklists. */
    birthDate?: string;
    /** Medical record number (identifier type MR), else the first usable identifier. */
    mrn?: string;
  };
  dataGaps: DataGap[];
  checklist: ChecklistItem[];
  cautions: Caution[];
  factors: DecisionFactor[];
  /** Revision 2: the verdict for each of the five agents, from one assessment. */
  byAgent: AgentVerdict[];
  /** Revision 2: the label's dose advice the record triggers, for every agent. */
  dosing: DosingAdvice[];
  /** Revision 2: the schedule after the real start when the patient is on a JAK inhibitor, else null. */
  monitoring: MonitoringSchedule | null;
  /** Revision 2: the to-do list for the planned therapy. */
  todo: TodoEntry[];
  /**
   * Issue 18: lab orders already placed with no result since, for tests the checklist or
   * monitoring asks for. Empty when none (or when they could not be read: see `dataGaps`,
   * resourceType `ServiceRequest`).
   */
  orders?: PlacedOrder[];
  /** Revision 3 (R3.3): a JAK inhibitor ordered as a draft or proposal/plan: the planned therapy, not taken yet. */
  planned?: PlannedTherapy;
}
