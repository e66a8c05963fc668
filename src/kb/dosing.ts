/**
 * The labels' dose advice, as data (clinical/spec.md R2.4, R2.6 `dosing`, R3.7): only doses a
 * label states, each with the label and section it comes from, per label region: a US site never
 * sees an EU-only dose as if it applied (and the reverse).
 */
import type { DosingAdvice } from '../contract/report';
import type { Agent } from './cautions';
import { oat3Inhibitors, strongCyp2c19Inhibitors, strongCyp3a4Inhibitors, type DrugClass } from './drugs';
import type { LabelRegion } from '../contract/site-config';
import { ABROCITINIB_RENAL, type RenalTier } from './regions';

export interface DoseAdvice {
  advice: string;
  source: string;
  /** How the advice was verified (never shown on screen). */
  provenance?: string;
}

type Trigger = DosingAdvice['trigger'];

const RINVOQ_US = 'Rinvoq label (US), section 2';
const RINVOQ_EU = 'Rinvoq product information (EU), section 4.2';
const CIBINQO_US = 'Cibinqo label (US), section 2';
const CIBINQO_EU = 'Cibinqo product information (EU), section 4.2';
const OLUMIANT_EU = 'Olumiant product information (EU), section 4.2';

/** Upadacitinib where a label caps the dose (R3.7): the 30 mg step is not for these patients. */
export const UPADACITINIB_CAPPED = '15 mg once daily; do not increase to 30 mg';

export type { RenalTier };

type ByRegion<T> = Record<LabelRegion, T>;

/** Dose per kidney tier, per region (the other region's dose never shows as if it applied). */
export const RENAL_DOSE: ByRegion<Record<Exclude<RenalTier, 'end-stage'>, Partial<Record<Agent, DoseAdvice>>>> = {
  US: {
    moderate: { abrocitinib: { advice: ABROCITINIB_RENAL.byRegion.US.moderate.advice, source: `${ABROCITINIB_RENAL.byRegion.US.source} (eGFR 30–59)` } },
    severe: { upadacitinib: { advice: UPADACITINIB_CAPPED, source: `${RINVOQ_US} (severe kidney impairment, eGFR 15–29: 15 mg once daily)`, provenance: 'clinical/spec.md R2.4; label text not re-read here' } },
  },
  EU: {
    moderate: {
      abrocitinib: { advice: ABROCITINIB_RENAL.byRegion.EU.moderate.advice, source: `${CIBINQO_EU} (eGFR 30–59: halve the recommended dose)` },
      baricitinib: { advice: '2 mg once daily', source: `${OLUMIANT_EU} (creatinine clearance 30–60 mL/min: 2 mg once daily)` },
    },
    severe: {
      upadacitinib: { advice: UPADACITINIB_CAPPED, source: `${RINVOQ_EU} (severe kidney impairment: 15 mg once daily)`, provenance: '◐ not re-read' },
      abrocitinib: { advice: ABROCITINIB_RENAL.byRegion.EU.severe.advice!, source: `${CIBINQO_EU} (eGFR below 30: 50 mg once daily, maximum 100 mg)` },
    },
  },
};

/** Age from which each agent's label gives older-adult dose advice, per region. */
export const OLDER_ADULT_DOSE: ByRegion<Partial<Record<Agent, DoseAdvice & { fromAge: number }>>> = {
  US: {
    upadacitinib: { fromAge: 65, advice: UPADACITINIB_CAPPED, source: `${RINVOQ_US} (patients 65 years and older: 15 mg once daily)` },
  },
  EU: {
    upadacitinib: { fromAge: 65, advice: UPADACITINIB_CAPPED, source: `${RINVOQ_EU} (patients 65 years and older: 15 mg once daily)` },
    abrocitinib: { fromAge: 65, advice: '100 mg once daily', source: `${CIBINQO_EU} (patients 65 years and older: 100 mg once daily)` },
    // The 2023 EU safety review moved the 2 mg advice from 75 to 65 years (Olumiant SmPC as reproduced by MIMS Thailand).
    baricitinib: { fromAge: 65, advice: '2 mg once daily', source: `${OLUMIANT_EU} (patients 65 years and older: 2 mg once daily)`, provenance: 'MIMS Thailand SmPC copy; earlier SmPCs: 75 and older' },
  },
};

/** Interacting drug classes (src/kb/drugs.ts) and the dose change each agent's label gives, per region. */
export const INTERACTION_DOSE: ByRegion<Partial<Record<Trigger, { drugClass: DrugClass; agent: Agent } & DoseAdvice>>> = {
  US: {
    'cyp2c19-inhibitor': { drugClass: strongCyp2c19Inhibitors, agent: 'abrocitinib', advice: 'halve the dose (200 mg → 100 mg, 100 mg → 50 mg once daily)', source: `${CIBINQO_US}.5 and section 7 (strong CYP2C19 inhibitors: reduce the dose by half)` },
    'cyp3a4-inhibitor': { drugClass: strongCyp3a4Inhibitors, agent: 'upadacitinib', advice: UPADACITINIB_CAPPED, source: `${RINVOQ_US} and section 7 (strong CYP3A4 inhibitors: 15 mg once daily)`, provenance: 'label-facts ◐ (AbbVie patent WO2023137440A2, cancertherapyadvisor)' },
  },
  EU: {
    'cyp2c19-inhibitor': { drugClass: strongCyp2c19Inhibitors, agent: 'abrocitinib', advice: 'halve the dose (200 mg → 100 mg, 100 mg → 50 mg once daily)', source: `${CIBINQO_EU} (strong CYP2C19 inhibitors: reduce the dose by half)` },
    'cyp3a4-inhibitor': { drugClass: strongCyp3a4Inhibitors, agent: 'upadacitinib', advice: UPADACITINIB_CAPPED, source: `${RINVOQ_EU} and section 4.5 (strong CYP3A4 inhibitors: 15 mg once daily)`, provenance: '◐ not re-read' },
    'oat3-inhibitor': { drugClass: oat3Inhibitors, agent: 'baricitinib', advice: '2 mg once daily', source: `${OLUMIANT_EU} and section 4.5 (strong OAT3 inhibitors such as probenecid: 2 mg once daily)` },
  },
};

/** How much and where a cream may be applied (R3.7): dosing advice for every patient, per region. */
export const APPLICATION_LIMITS: ByRegion<Partial<Record<Agent, DoseAdvice>>> = {
  US: {
    'ruxolitinib-cream': { advice: 'no more than 20% of the body surface; no more than 60 g a week (100 g per 2 weeks); no occlusion', source: 'Opzelura label (US), section 2' },
    'delgocitinib-cream': { advice: 'hands and wrists only, twice daily; no more than 30 g per 2 weeks (60 g a month)', source: 'Anzupgo label (US), section 2' },
  },
  EU: {
    // Opzelura is not approved for atopic dermatitis in the EU: no application advice for it.
    'delgocitinib-cream': { advice: 'hands and wrists only, twice daily', source: 'Anzupgo product information (EU), section 4.2' },
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
