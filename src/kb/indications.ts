/**
 * Approved uses by label region (clinical/spec.md R3.5, R3.7): an agent whose label does not
 * cover this patient's eczema gets the verdict `not-approved` before any readiness question.
 * Each rule carries both regions' sources; provenance (how sure we are) stays in `provenance`.
 */
import type { LabelRegion } from '../contract/site-config';
import { ICD10CM, SNOMED } from '../contract/codes';
import type { Agent } from './cautions';
import { codeSet } from './code-sets';

export interface RegionalIndication {
  /** What the label requires of the patient's diagnosis: any atopic dermatitis, or chronic hand eczema. */
  requires?: 'chronic-hand-eczema';
  /** Not approved for atopic dermatitis at all in this region: the verdict's reason. */
  notApprovedReason?: string;
  /** The verdict reason when the required diagnosis is not in the record. */
  missingDiagnosisReason?: string;
  /** The label's requirement of prior systemic therapy (US oral labels): a prescriber confirms it. */
  priorSystemicTherapy?: boolean;
  source: string;
}

export interface IndicationRule {
  agent: Agent;
  byRegion: Record<LabelRegion, RegionalIndication>;
  provenance: string;
}

const PRIOR_SYSTEMIC_US = 'refractory atopic dermatitis not adequately controlled with other systemic drugs, including biologics, or when those are not advisable';

export const INDICATIONS: Record<Agent, IndicationRule> = {
  abrocitinib: {
    agent: 'abrocitinib',
    byRegion: {
      US: { priorSystemicTherapy: true, source: `Cibinqo label (US), section 1 (${PRIOR_SYSTEMIC_US}; from 12 years)` },
      EU: { source: 'Cibinqo product information (EU), section 4.1 (moderate-to-severe atopic dermatitis in candidates for systemic therapy, from 12 years)' },
    },
    provenance: 'label-facts §A abrocitinib ✔ (US age range); EU wording from the MIMS Thailand SmPC copy ✔',
  },
  upadacitinib: {
    agent: 'upadacitinib',
    byRegion: {
      US: { priorSystemicTherapy: true, source: `Rinvoq label (US), section 1 (${PRIOR_SYSTEMIC_US}; from 12 years)` },
      EU: { source: 'Rinvoq product information (EU), section 4.1 (moderate-to-severe atopic dermatitis in candidates for systemic therapy, from 12 years)' },
    },
    provenance: 'label-facts §A upadacitinib ✔ (RHCP, prescriberpoint); EU wording ◐ (not re-read)',
  },
  baricitinib: {
    agent: 'baricitinib',
    byRegion: {
      US: { notApprovedReason: 'Not approved for atopic dermatitis (US)', source: 'Olumiant label (US), section 1 (rheumatoid arthritis, alopecia areata, COVID-19: no atopic dermatitis indication)' },
      EU: { source: 'Olumiant product information (EU), section 4.1 (moderate-to-severe atopic dermatitis in candidates for systemic therapy, from 2 years)' },
    },
    provenance: 'label-facts §A baricitinib ✔ (EMC SmPC; Medscape US indications)',
  },
  'ruxolitinib-cream': {
    agent: 'ruxolitinib-cream',
    byRegion: {
      US: { source: 'Opzelura label (US), section 1 (mild-to-moderate atopic dermatitis, from 2 years, not immunocompromised)' },
      EU: { notApprovedReason: 'Not approved for atopic dermatitis (EU)', source: 'Opzelura product information (EU), section 4.1 (non-segmental vitiligo only; atopic dermatitis is a US indication)' },
    },
    provenance: 'label-facts §A ruxolitinib cream ✔ (US); EU indication (vitiligo only, EMA 2023) ◐ from the EMA product page as remembered, not re-read here',
  },
  'delgocitinib-cream': {
    agent: 'delgocitinib-cream',
    byRegion: {
      US: { requires: 'chronic-hand-eczema', missingDiagnosisReason: 'approved for chronic hand eczema only', source: 'Anzupgo label (US), section 1 (moderate-to-severe chronic hand eczema in adults)' },
      EU: { requires: 'chronic-hand-eczema', missingDiagnosisReason: 'approved for chronic hand eczema only', source: 'Anzupgo product information (EU), section 4.1 (moderate-to-severe chronic hand eczema in adults)' },
    },
    provenance: 'label-facts §A delgocitinib ✔ (drugs.com, EMC SmPC)',
  },
};

/**
 * Diagnoses that count as eczema of the hands (R3.5): ICD-10-CM L30.9 (dermatitis, unspecified),
 * L20.84 (intrinsic eczema), L24–L25 (contact dermatitis) when the condition is on the hands; a
 * condition named "hand eczema"/"hand dermatitis" by text. There is no dedicated code (label-facts
 * §B: "chronic hand eczema: not found"), so no unverified SNOMED code is the only way in.
 */
export const HAND_ECZEMA_CODES = codeSet({
  id: 'hand-eczema-candidates', label: 'Eczema or dermatitis (hand site needed)',
  codes: { [ICD10CM]: ['L30.9', 'L20.84'], [SNOMED]: ['43116000', '24079001'] },
  icd10Prefixes: ['L24', 'L25'],
  source: 'ICD-10-CM L30.9, L20.84, L24–L25 and SNOMED CT 43116000 (eczema), 24079001 (atopic dermatitis) when the condition is on the hands',
});

/** Body site or text that puts the eczema on the hands or wrists. */
export const HAND_SITE = /\b(hands?|wrists?|palms?|fingers?|palmar)\b/i;
/** A condition named as hand eczema whatever its code. */
export const HAND_ECZEMA_NAME = /\b(hand|palmar)\s+(eczema|dermatitis)\b|\b(eczema|dermatitis)\s+(of|on)\s+(the\s+)?(both\s+)?hands?\b|\bpompholyx\b|\bdyshidrotic\s+(eczema|dermatitis)\b/i;
