/**
 * Results during treatment (clinical/spec.md R3.2), as data: for a patient already on an oral
 * JAK inhibitor, the label's dose-modification table, not its "do not start" one. Each row
 * names the agent, the analyte, the threshold, what the label says to do, and its source.
 */
import type { ResultAction } from '../contract/report';
import type { Agent } from './cautions';

/** The analytes monitored after the start, in clinic words (R3.1). */
export type AnalyteName = 'Hemoglobin' | 'Platelets' | 'ANC' | 'ALC' | 'ALT' | 'AST' | 'LDL' | 'Total cholesterol' | 'HDL' | 'Triglycerides';

export interface OnTreatmentThreshold {
  agents: Agent[];
  analyte: AnalyteName;
  /** Crossed below this value (in the analyte's unit). */
  below?: number;
  /** Crossed above this many times the upper limit of normal (liver enzymes). */
  aboveUlnMultiple?: number;
  /** Crossed at or above this value (LDL). */
  atOrAbove?: number;
  action: ResultAction;
  /** The label's words for the action, as the prescriber reads them. */
  actionWords: string;
  source: string;
}

const CIBINQO = 'Cibinqo label (US), section 2 (dose changes for laboratory abnormalities); Cibinqo product information (EU), section 4.2 (platelets below 50,000/µL: discontinue; ALC below 500/µL, ANC below 1,000/µL or hemoglobin below 8 g/dL: interrupt until recovered)';
const RINVOQ = 'Rinvoq label (US), section 2 (treatment interruption: ANC < 1,000, ALC < 500 cells/mm³, Hb < 8 g/dL until recovered; ALT/AST increase: interrupt if drug-induced liver injury is suspected)';
const OLUMIANT = 'Olumiant label (US), section 2 (treatment interruption: ANC < 1,000, ALC < 500 cells/mm³, Hb < 8 g/dL; liver enzymes: interrupt if drug-induced liver injury is suspected)';
const LIPIDS = 'Cibinqo label (US), section 5.6; Rinvoq label (US), section 5.8; Olumiant label (US), section 5 (lipid elevations: manage per clinical guidelines for hyperlipidemia); LDL ≥ 190 mg/dL is severe hypercholesterolaemia';

const interrupt = 'interrupt until recovered';

export const ON_TREATMENT_THRESHOLDS: readonly OnTreatmentThreshold[] = [
  { agents: ['abrocitinib'], analyte: 'Platelets', below: 50_000, action: 'discontinue', actionWords: 'discontinue', source: CIBINQO },
  { agents: ['abrocitinib'], analyte: 'ANC', below: 1_000, action: 'interrupt', actionWords: interrupt, source: CIBINQO },
  { agents: ['abrocitinib'], analyte: 'ALC', below: 500, action: 'interrupt', actionWords: interrupt, source: CIBINQO },
  { agents: ['abrocitinib'], analyte: 'Hemoglobin', below: 8, action: 'interrupt', actionWords: interrupt, source: CIBINQO },
  { agents: ['upadacitinib'], analyte: 'ANC', below: 1_000, action: 'interrupt', actionWords: interrupt, source: RINVOQ },
  { agents: ['upadacitinib'], analyte: 'ALC', below: 500, action: 'interrupt', actionWords: interrupt, source: RINVOQ },
  { agents: ['upadacitinib'], analyte: 'Hemoglobin', below: 8, action: 'interrupt', actionWords: interrupt, source: RINVOQ },
  { agents: ['upadacitinib'], analyte: 'ALT', aboveUlnMultiple: 3, action: 'interrupt-if-dili', actionWords: 'interrupt if drug-induced liver injury is suspected', source: RINVOQ },
  { agents: ['upadacitinib'], analyte: 'AST', aboveUlnMultiple: 3, action: 'interrupt-if-dili', actionWords: 'interrupt if drug-induced liver injury is suspected', source: RINVOQ },
  { agents: ['baricitinib'], analyte: 'ANC', below: 1_000, action: 'interrupt', actionWords: interrupt, source: OLUMIANT },
  { agents: ['baricitinib'], analyte: 'ALC', below: 500, action: 'interrupt', actionWords: interrupt, source: OLUMIANT },
  { agents: ['baricitinib'], analyte: 'Hemoglobin', below: 8, action: 'interrupt', actionWords: interrupt, source: OLUMIANT },
  { agents: ['baricitinib'], analyte: 'ALT', aboveUlnMultiple: 3, action: 'interrupt-if-dili', actionWords: 'interrupt if drug-induced liver injury is suspected', source: OLUMIANT },
  { agents: ['baricitinib'], analyte: 'AST', aboveUlnMultiple: 3, action: 'interrupt-if-dili', actionWords: 'interrupt if drug-induced liver injury is suspected', source: OLUMIANT },
  { agents: ['abrocitinib', 'upadacitinib', 'baricitinib'], analyte: 'LDL', atOrAbove: 190, action: 'manage-lipids', actionWords: 'manage per lipid guidelines', source: LIPIDS },
];

/**
 * "LDL rise" (R3.2) where the label gives no number: an LDL after the start at least this many
 * percent above the baseline. A clinic choice, written down here (spec: "where this page is
 * silent, do what a careful clinician-informaticist would").
 */
export const LDL_RISE_PERCENT = 30;
export const LDL_RISE_SOURCE = `${LIPIDS}; a rise of ${LDL_RISE_PERCENT} % or more over the baseline LDL counts as a rise (clinic choice)`;

/** Actions the prescriber must hear about today (to-do kind `urgent`). */
export const URGENT_ACTIONS: ReadonlySet<ResultAction> = new Set<ResultAction>(['discontinue', 'interrupt', 'interrupt-if-dili']);

/** The order of urgency: what ends treatment first. */
export const ACTION_RANK: Readonly<Record<ResultAction, number>> = { discontinue: 0, interrupt: 1, 'interrupt-if-dili': 2, review: 3, 'manage-lipids': 4 };

/** Orders or statements of the same ingredient with gaps up to this long form one course (R3.3). */
export const COURSE_GAP_DAYS = 30;

/**
 * An order with no end date and no longer active is taken to have covered this many days (a
 * usual 90-day supply), so a completed 100 mg order followed by a 200 mg one stays one course.
 */
export const ORDER_COVERS_DAYS = 90;

/** The next reassessment visit becomes a to-do this many days ahead. */
export const VISIT_TODO_DAYS = 14;

/** How many values a trend shows. */
export const TREND_POINTS = 3;

/** A change smaller than this (percent of the first value) reads as "stable". */
export const TREND_STABLE_PERCENT = 10;

export const COURSE_SOURCE = 'Record: orders of the same drug with gaps of 30 days or less are one course, counted from the first; draft orders and proposals are planned, not taken';
