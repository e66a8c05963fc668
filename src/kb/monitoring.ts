/**
 * Monitoring after the start (clinical/spec.md R2.6 `monitoring`), as data: which tests each
 * agent's label asks for and when. Timings are site settings whose defaults are the labels'
 * numbers (src/engine/config.ts, `monitoring`).
 */
import type { SiteConfig } from '../contract/site-config';
import type { Agent } from './cautions';

export type MonitoredTest = 'cbc' | 'liver-enzymes' | 'lipid-panel' | 'tb-screening' | 'platelets';

export interface MonitoringRule {
  test: MonitoredTest;
  /** In clinic words ("CBC", "Lipid panel"). */
  label: string;
  /** Once, this many weeks after the start. */
  atWeeks?: (config: SiteConfig) => number;
  /** Repeatedly, every this many weeks after the start ("periodically"). */
  everyWeeks?: (config: SiteConfig) => number;
  source: string;
}

const CIBINQO = 'Cibinqo label (US), section 5.6 (CBC and lipids about 4 weeks after starting)';
const RINVOQ = 'Rinvoq label (US), section 5.8 (CBC and liver enzymes at baseline and periodically; lipids about 12 weeks after starting)';
const OLUMIANT = 'Olumiant product information (EU), section 4.4 (CBC, liver enzymes and lipids about 12 weeks after starting)';

export const MONITORING_RULES: Record<Agent, MonitoringRule[]> = {
  abrocitinib: [
    { test: 'cbc', label: 'CBC', atWeeks: (c) => c.monitoring.abrocitinibCbcWeeks, source: CIBINQO },
    { test: 'lipid-panel', label: 'Lipid panel', atWeeks: (c) => c.monitoring.abrocitinibLipidWeeks, source: CIBINQO },
  ],
  upadacitinib: [
    { test: 'cbc', label: 'CBC', everyWeeks: (c) => c.monitoring.upadacitinibLabsEveryWeeks, source: RINVOQ },
    { test: 'liver-enzymes', label: 'Liver enzymes', everyWeeks: (c) => c.monitoring.upadacitinibLabsEveryWeeks, source: RINVOQ },
    { test: 'lipid-panel', label: 'Lipid panel', atWeeks: (c) => c.monitoring.upadacitinibLipidWeeks, source: RINVOQ },
  ],
  baricitinib: [
    { test: 'cbc', label: 'CBC', atWeeks: (c) => c.monitoring.baricitinibLabsWeeks, source: OLUMIANT },
    { test: 'liver-enzymes', label: 'Liver enzymes', atWeeks: (c) => c.monitoring.baricitinibLabsWeeks, source: OLUMIANT },
    { test: 'lipid-panel', label: 'Lipid panel', atWeeks: (c) => c.monitoring.baricitinibLabsWeeks, source: OLUMIANT },
  ],
  'ruxolitinib-cream': [],
  'delgocitinib-cream': [],
};

/** Abrocitinib: platelets again about 4 weeks after a dose increase (Cibinqo SmPC; label text not re-read, research notes ✖). */
export const PLATELETS_AFTER_DOSE_INCREASE: MonitoringRule = {
  test: 'platelets', label: 'Platelets after the dose increase', atWeeks: (c) => c.monitoring.abrocitinibCbcWeeks,
  source: 'Cibinqo product information (EU), sections 4.2 and 4.4 (platelet count about 4 weeks after a dose increase)',
};

/** Oral agents, where the site turns it on: TB screening again every year (Cibinqo: consider yearly in highly endemic areas). */
export const TB_RESCREEN_SOURCE = 'Cibinqo label (US), section 5.1 (consider yearly TB screening in highly endemic areas); the site\'s TB rescreening setting';

export const REASSESSMENT_SOURCE = 'Article ("commonly 4, 8, and 16 weeks"), from the real start date';
