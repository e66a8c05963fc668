/**
 * The shape of a site's settings (windows and thresholds): the contract between a site's
 * configuration file, the knowledge base's rules and the engine. Defaults and validation live
 * in src/engine/config.ts.
 */

/** Which regulator's labels the answers follow (clinical/spec.md R3.7). */
export const LABEL_REGIONS = ['US', 'EU'] as const;
export type LabelRegion = (typeof LABEL_REGIONS)[number];

export interface SiteConfig {
  /**
   * The labels the site prescribes under: `US` (FDA prescribing information, the default) or `EU`
   * (EMA product information). It chooses thresholds, doses, indications and wording (R3.7).
   */
  labelRegion: LabelRegion;
  /** Days a baseline result stays current, per checklist item. */
  windows: {
    cbc: number;
    liverEnzymes: number;
    lipidPanel: number;
    tbScreening: number;
    hepatitisB: number;
    hepatitisC: number;
    pregnancyTest: number;
  };
  thresholds: {
    /** ANC below this (cells/µL) is a do-not-start value (all oral labels). */
    ancMinPerUl: number;
    /** ALC below this (cells/µL). */
    alcMinPerUl: number;
    /** Hemoglobin below this (g/dL). */
    hemoglobinMinGdl: number;
    /** Platelets below this (cells/µL): abrocitinib only. */
    plateletsMinPerUl: number;
    /** ALT/AST above this multiple of the upper limit of normal is abnormal. */
    liverEnzymeUlnMultiple: number;
    /** ULN (U/L) used when the Observation carries no reference range. */
    liverEnzymeDefaultUln: number;
    /** Tuberculin skin test induration (mm) at or above which the test is positive. */
    tstPositiveMm: number;
    /** Quantitative hCG (mIU/mL = IU/L) at or above which the test is positive (R2.1). */
    hcgPositiveMiuPerMl: number;
    /** Quantitative hCG below this is negative; from here up to the positive cut-off it is equivocal: repeat. */
    hcgNegativeBelowMiuPerMl: number;
    /** Body weight (kg) below which upadacitinib is not approved for adolescents (Rinvoq: ≥ 40 kg). */
    adolescentMinWeightKg: number;
  };
  pregnancy: {
    /** Females in this age range (inclusive) need a pregnancy test under oral therapy. */
    testAgeMin: number;
    testAgeMax: number;
    /** A pregnancy condition with onset, or a positive test, within this many weeks (and not ended) counts as current. */
    conditionWeeks: number;
    /** A delivery within this many days raises "recent delivery: ask about breastfeeding". */
    recentDeliveryDays: number;
  };
  /** Monitoring after the start (R2.6): the labels' numbers as defaults. */
  monitoring: {
    /** Abrocitinib: CBC (and platelets) this many weeks after the start, and after a dose increase. */
    abrocitinibCbcWeeks: number;
    /** Abrocitinib: lipids this many weeks after the start. */
    abrocitinibLipidWeeks: number;
    /** Upadacitinib: CBC and liver enzymes every this many weeks ("periodically"). */
    upadacitinibLabsEveryWeeks: number;
    /** Upadacitinib: lipids this many weeks after the start. */
    upadacitinibLipidWeeks: number;
    /** Baricitinib: CBC, liver enzymes and lipids this many weeks after the start. */
    baricitinibLabsWeeks: number;
    /** Repeat TB screening every this many days on an oral agent (0 = off; Cibinqo: consider yearly where TB is endemic). */
    tbRescreenDays: number;
    /** A result this many days before the due date (and after the start) already counts; overdue this many days after it. */
    toleranceDays: number;
  };
  /** A body weight within this many days counts for the adolescent weight rule. */
  weightDays: number;
  /** A live vaccine within this many days raises `recent-live-vaccine`. */
  liveVaccineDays: number;
  /** An infection condition with onset within this many days counts as active. */
  activeInfectionDays: number;
  /** Sepsis within this many days raises `serious-infection`. */
  sepsisDays: number;
  /** eGFR results within this many days are used for `renal-impairment`. */
  egfrDays: number;
  /** Age at or above which cardiovascular risk factors raise `cardiovascular-risk`. */
  cardiovascularRiskAge: number;
  /** Age at or above which `older-adult` is raised. */
  olderAdultAge: number;
  /** Age at or above which the zoster vaccine item applies. */
  zosterVaccineAge: number;
  /** Minimum days between the two recombinant zoster doses for the series to count. */
  zosterDoseIntervalDays: number;
  /** Reassessment visits after the start date, in weeks (article: 4, 8 and 16). */
  reassessmentWeeks: number[];
}
