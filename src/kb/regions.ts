/**
 * Every rule that differs between the US and the EU labels (clinical/spec.md R3.7), as data with
 * both regions' sources. The site's `labelRegion` chooses the row; the other region's difference
 * may appear as a note marked with its region, never as advice that applies. docs/clinical.md
 * lists these rules, and tests/engine/assess/regions.test.ts runs each one in both regions.
 */
import type { LabelRegion } from '../contract/site-config';
import type { Severity } from '../contract/report';

export interface Regional<T> {
  id: string;
  /** What the rule is about, in clinic words (for docs/clinical.md). */
  title: string;
  byRegion: Record<LabelRegion, T & { source: string }>;
  /** How each fact was verified (never shown on screen). */
  provenance: string;
}

export const ABROCITINIB_START_THRESHOLDS: Regional<{ ancMinPerUl: number; hemoglobinMinGdl: number }> = {
  id: 'abrocitinib-start-thresholds',
  title: 'Abrocitinib: do not start below ANC / hemoglobin',
  byRegion: {
    US: { ancMinPerUl: 1000, hemoglobinMinGdl: 8, source: 'Cibinqo label (US), section 2.1' },
    EU: { ancMinPerUl: 1200, hemoglobinMinGdl: 10, source: 'Cibinqo product information (EU), section 4.2' },
  },
  provenance: 'label-facts §A abrocitinib: US thresholds ✔ (pfizermedicalinformation.com §2.1, re-read 2026-12 via search); EU ANC < 1.2 × 10³, Hb < 10 g/dL ✔ (MIMS Thailand SmPC copy, re-read 2026-12 via search)',
};

export const UPADACITINIB_ADOLESCENT_WEIGHT: Regional<{ minKg?: number }> = {
  id: 'upadacitinib-adolescent-weight',
  title: 'Upadacitinib at 12–17 years: minimum body weight',
  byRegion: {
    // US: the site setting thresholds.adolescentMinWeightKg (default 40) applies.
    US: { source: 'Rinvoq label (US), section 1 (children 12 years and older weighing at least 40 kg)' },
    EU: { minKg: 30, source: 'Rinvoq product information (EU), section 4.2 (adolescents weighing at least 30 kg)' },
  },
  provenance: 'US 40 kg ✔ (label-facts §A, RHCP); EU 30 kg from clinical/spec.md R3.7 and the research notes (newer EU SmPCs), ◐ not re-read',
};

export const EMA_2023_RESTRICTION: Regional<{ advice?: string }> = {
  id: 'ema-2023-restriction',
  title: 'Age 65 or older, smokers, cardiovascular or cancer risk: use only if no suitable alternative',
  byRegion: {
    US: { source: 'Boxed warning (US labels): weigh benefits and risks; no "only if no alternative" restriction' },
    EU: { advice: 'EU: use only if no suitable alternative', source: 'EMA 2023 review of JAK inhibitors (Article 20 referral); product information (EU), section 4.4' },
  },
  provenance: 'EMA press release 2023-01 "EMA recommends measures to minimise risk of serious side effects with Janus kinase inhibitors" (from memory, ◐ not re-read here); clinical/spec.md R3.7',
};

export const UPADACITINIB_CYP3A4_INDUCER: Regional<{ severity: Severity; labelWording?: string; text: string }> = {
  id: 'upadacitinib-cyp3a4-inducer',
  title: 'Upadacitinib with a strong CYP3A4 inducer (rifampin, carbamazepine, phenytoin)',
  byRegion: {
    US: { severity: 'do-not-start', labelWording: 'not recommended', text: 'strong CYP3A4 inducer: not recommended with upadacitinib (lowers its effect)', source: 'Rinvoq label (US), section 7 (strong CYP3A4 inducers: coadministration not recommended)' },
    EU: { severity: 'warning', text: 'strong CYP3A4 inducer: lowers upadacitinib exposure, watch the effect', source: 'Rinvoq product information (EU), section 4.5 (strong CYP3A4 inducers decrease exposure: monitor)' },
  },
  provenance: 'US verb recalled from the Rinvoq Highlights (§7); search (2026-12) found the same verb for tofacitinib (Xeljanz §7) and Rinvoq §7.1 only in secondary sources: ◐. clinical/spec.md R3.7 asks for do-not-start "not recommended"',
};

/** Kidney function tiers by eGFR (mL/min/1.73 m²): moderate 30–59, severe 15–29, end-stage < 15 or dialysis. */
export type RenalTier = 'moderate' | 'severe' | 'end-stage';

export const ABROCITINIB_RENAL: Regional<{ moderate: { severity: Severity; advice: string }; severe: { severity: Severity; advice?: string; labelWording?: string } }> = {
  id: 'abrocitinib-renal',
  title: 'Abrocitinib in kidney impairment',
  byRegion: {
    US: { moderate: { severity: 'warning', advice: '50 mg once daily (maximum 100 mg)' }, severe: { severity: 'do-not-start', labelWording: 'not recommended' }, source: 'Cibinqo label (US), section 2.3, table 1' },
    EU: { moderate: { severity: 'warning', advice: 'halve the dose (100 mg or 50 mg once daily)' }, severe: { severity: 'warning', advice: 'start 50 mg, maximum 100 mg once daily' }, source: 'Cibinqo product information (EU), section 4.2' },
  },
  provenance: 'EU ✔ (PFZ-NO, re-read 2026-12 via search); US table 1 recalled, ◐ (label-facts: "US wording ✖"; not re-read)',
};

/** Every region rule above, for the documentation and the both-regions table test. */
export const REGION_RULES: ReadonlyArray<Regional<object>> = [
  ABROCITINIB_START_THRESHOLDS, UPADACITINIB_ADOLESCENT_WEIGHT, EMA_2023_RESTRICTION, UPADACITINIB_CYP3A4_INDUCER, ABROCITINIB_RENAL,
];
