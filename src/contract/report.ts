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
export const VERDICTS = ['do-not-start', 'unknown', 'needs-work', 'ready', 'not-approved'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface AgentVerdict {
  therapy: AgentId;
  /** The agent in clinic words ("Abrocitinib"). */
  label: string;
  verdict: Verdict;
  /** Short reasons, most important first ("clopidogrel", "ANC 800/µL", "3 labs to order"). */
  reasons: string[];
  /** The cautions, items and gaps behind the verdict. */
  causes: ReportRef[];
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

/** In the order a nurse works them: overdue first. */
export const MONITORING_STATUSES = ['overdue', 'due', 'unknown', 'not-yet', 'done'] as const;
export type MonitoringStatus = (typeof MONITORING_STATUSES)[number];

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
  source: string;
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
}

export const TODO_KINDS = ['order-lab', 'vaccinate', 'confirm', 'ask', 'recheck'] as const;
export type TodoKind = (typeof TODO_KINDS)[number];

/** An orderable test: the LOINC of the orderable panel where one exists. */
export interface OrderableTest {
  system: 'http://loinc.org';
  code: string;
  display: string;
}

/** One line of the to-do list a nurse works from; the sidebar, the note and integrations read only this. */
export interface TodoEntry {
  /** Stable id ("order-cbc", "vaccinate-zoster", "confirm-ltbi-treatment"). */
  id: string;
  kind: TodoKind;
  /** Plain words ("Order CBC with differential"). */
  text: string;
  /** For `order-lab`: what to order. */
  orders?: OrderableTest[];
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
}
