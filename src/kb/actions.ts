/**
 * What to do about each do-not-start caution (clinical/spec.md R3.5): exactly one action in the
 * to-do list, in plain words, naming the checklist items it settles; and the follow-up for an
 * abnormal result that no caution already acts on.
 */
import type { CautionId, ChecklistId, TodoKind } from '../contract/report';

export interface Action {
  kind: TodoKind;
  /** The words, given the caution's cause in a few words ("ANC 800/µL"). */
  text: (short: string) => string;
  /** Checklist items the action settles: no second "recheck" line for them. */
  items?: ChecklistId[];
}

const discuss = (short: string) => `Discuss with the prescriber before any start: ${short}`;

export const DO_NOT_START_ACTIONS: Partial<Record<CautionId, Action>> = {
  cytopenia: { kind: 'recheck', text: (s) => `Repeat CBC with differential; discuss with the prescriber (${s})`, items: ['cbc'] },
  'active-tuberculosis': { kind: 'confirm', text: () => 'Do not start while TB is active: refer to the TB service and discuss with the prescriber', items: ['tb-screening'] },
  'viral-hepatitis': { kind: 'confirm', text: (s) => `Refer for hepatitis evaluation and treatment; discuss with the prescriber (${s})`, items: ['hepatitis-b', 'hepatitis-c'] },
  pregnancy: { kind: 'confirm', text: (s) => `Discuss with the prescriber: ${s} (oral JAK inhibitors are avoided in pregnancy)`, items: ['pregnancy-test'] },
  breastfeeding: { kind: 'confirm', text: (s) => `Discuss with the prescriber: ${s} (no breastfeeding during treatment)` },
  'serious-infection': { kind: 'confirm', text: (s) => `Treat the infection first; discuss with the prescriber (${s})` },
  'thrombosis-history': { kind: 'confirm', text: (s) => `Discuss clot risk and alternatives with the prescriber (${s})` },
  antiplatelet: { kind: 'confirm', text: (s) => `Discuss ${s} with the prescriber (abrocitinib: no antiplatelets in the first 3 months)` },
  immunosuppressant: { kind: 'confirm', text: (s) => `Discuss with the prescriber: ${s} (stop before starting; do not combine)` },
  'drug-interaction': { kind: 'confirm', text: (s) => `Review ${s} with the prescriber (the label says avoid the combination)` },
  'recent-live-vaccine': { kind: 'confirm', text: (s) => `Wait 4 weeks after the live vaccine before starting (${s})` },
  'renal-impairment': { kind: 'confirm', text: discuss },
  'hepatic-impairment': { kind: 'confirm', text: discuss },
  'age-eligibility': { kind: 'confirm', text: discuss },
  'weight-eligibility': { kind: 'confirm', text: discuss },
};

/** Fallback for a do-not-start caution without its own action (a rule added later). */
export const DEFAULT_ACTION: Action = { kind: 'confirm', text: discuss };

/** The follow-up for an abnormal result no caution acts on (ALT above 3× the upper limit). */
export const ABNORMAL_FOLLOW_UP: Record<ChecklistId, string> = {
  cbc: 'repeat CBC with differential; discuss with the prescriber',
  'liver-enzymes': 'repeat liver enzymes; discuss with the prescriber',
  'lipid-panel': 'discuss with the prescriber',
  'tb-screening': 'refer for latent-TB evaluation and treatment',
  'hepatitis-b': 'refer for hepatitis B evaluation; discuss with the prescriber',
  'hepatitis-c': 'refer for hepatitis C evaluation; discuss with the prescriber',
  'pregnancy-test': 'discuss with the prescriber',
  'zoster-vaccine': 'discuss with the prescriber',
};

/** R3.4: a result done but not readable (value or unit) is read by a person, never ordered again. */
export const REVIEW_FOLLOW_UP = 'Review the result in the chart (value or unit could not be read)';
