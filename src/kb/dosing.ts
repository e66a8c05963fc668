/**
 * The labels' dose advice, as data (clinical/spec.md R2.4, R2.6 `dosing`): only doses a label
 * states, each with the label and section it comes from. Where the US wording could not be read
 * (research notes, 2026-12), the EU SmPC is named and the text says "(EU)".
 */
import type { DosingAdvice } from '../contract/report';
import type { Agent } from './cautions';
import { oat3Inhibitors, strongCyp2c19Inhibitors, strongCyp3a4Inhibitors, type DrugClass } from './drugs';

export interface DoseAdvice {
  advice: string;
  source: string;
}

type Trigger = DosingAdvice['trigger'];

const RINVOQ_US = 'Rinvoq US prescribing information §2 (atopic dermatitis dosage)';
const CIBINQO_EU = 'Cibinqo SmPC §4.2 (EU; pfizer.no laboratory monitoring and dosing pages)';
const OLUMIANT_EU = 'Olumiant SmPC §4.2 (EU atopic dermatitis)';

/** Kidney function tiers by eGFR (mL/min/1.73 m²): moderate 30–59, severe 15–29, end-stage < 15 or dialysis. */
export type RenalTier = 'moderate' | 'severe' | 'end-stage';

export const RENAL_DOSE: Record<Exclude<RenalTier, 'end-stage'>, Partial<Record<Agent, DoseAdvice>>> = {
  moderate: {
    abrocitinib: { advice: 'halve the dose (100 mg or 50 mg once daily)', source: `${CIBINQO_EU}: eGFR 30–<60, halve the recommended dose` },
    baricitinib: { advice: '2 mg once daily (EU AD)', source: `${OLUMIANT_EU}: creatinine clearance 30–60 mL/min, 2 mg once daily` },
  },
  severe: {
    upadacitinib: { advice: '15 mg once daily', source: `${RINVOQ_US}: severe renal impairment (eGFR 15–<30), 15 mg once daily (clinical/spec.md R2.4; label text not re-read here)` },
    abrocitinib: { advice: 'start 50 mg, maximum 100 mg once daily (EU)', source: `${CIBINQO_EU}: eGFR < 30, 50 mg once daily, maximum 100 mg` },
  },
};

/** Age from which each agent's label gives older-adult dose advice. */
export const OLDER_ADULT_DOSE: Partial<Record<Agent, DoseAdvice & { fromAge: number }>> = {
  upadacitinib: { fromAge: 65, advice: '15 mg once daily', source: `${RINVOQ_US}: patients 65 years and older, 15 mg once daily` },
  abrocitinib: { fromAge: 65, advice: '100 mg once daily (EU)', source: `${CIBINQO_EU}: patients 65 years and older, 100 mg once daily` },
  // The 2023 EU safety review moved the 2 mg advice from ≥ 75 to ≥ 65 years; the spec's row
  // (R2.4, ≥ 75) predates it (research notes: Olumiant SmPC as reproduced by MIMS Thailand).
  baricitinib: { fromAge: 65, advice: '2 mg once daily (EU)', source: `${OLUMIANT_EU}: 2 mg once daily for patients aged 65 years and older (earlier SmPCs: 75 and older)` },
};

/** Interacting drug classes (src/kb/drugs.ts) and the dose change each agent's label gives. */
export const INTERACTION_DOSE: Partial<Record<Trigger, { drugClass: DrugClass; agent: Agent } & DoseAdvice>> = {
  'cyp2c19-inhibitor': {
    drugClass: strongCyp2c19Inhibitors, agent: 'abrocitinib',
    advice: 'halve the dose (200 mg → 100 mg, 100 mg → 50 mg once daily)',
    source: 'Cibinqo US prescribing information §2.5 and §7 (strong CYP2C19 inhibitors: reduce the dose by half)',
  },
  'cyp3a4-inhibitor': {
    drugClass: strongCyp3a4Inhibitors, agent: 'upadacitinib',
    advice: '15 mg once daily (not 30 mg)',
    source: `${RINVOQ_US} and §7 (strong CYP3A4 inhibitors: 15 mg; label-facts ◐)`,
  },
  'oat3-inhibitor': {
    drugClass: oat3Inhibitors, agent: 'baricitinib',
    advice: '2 mg once daily (EU)',
    source: 'Olumiant SmPC §4.2 and §4.5 (strong OAT3 inhibitors such as probenecid: 2 mg once daily; the US label, for other indications, gives 1 mg)',
  },
};

export const TRIGGER_WORDS: Record<Trigger, string> = {
  renal: 'kidney function',
  age: 'age',
  'cyp2c19-inhibitor': 'strong CYP2C19 inhibitor',
  'cyp3a4-inhibitor': 'strong CYP3A4 inhibitor',
  'oat3-inhibitor': 'OAT3 inhibitor',
  hepatic: 'liver function',
  'application-limits': 'how much and where to apply',
};
