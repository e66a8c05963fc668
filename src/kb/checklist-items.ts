/**
 * The pre-start checklist (clinical/spec.md "Checklist items"; article "Safety, Monitoring, and
 * Risk Reduction"): labels, which routes need each item, and the source shown to the user.
 * Windows live in the site configuration (src/engine/config.ts).
 */
import type { ChecklistId } from '../contract/report';
import type { SiteConfig } from '../contract/site-config';

export interface ChecklistItemDefinition {
  id: ChecklistId;
  label: string;
  /** Routes that require it; `advisoryForTopical` items are shown for topical therapy as advisory. */
  requiredFor: Array<'oral' | 'topical'>;
  advisoryForTopical?: boolean;
  /** Window in days, from the site configuration; null = any time. */
  windowDays: (config: SiteConfig) => number | null;
  /** The label and section in clinic words: what a person reads. */
  source: string;
  /** How the rule was verified (JSON only, never on screen). */
  provenance?: string;
  /** The source under EU labels (labelRegion "EU", R3.7), where it differs. */
  sourceEU?: string;
}

const ARTICLE = 'Article "Safety, Monitoring, and Risk Reduction" (baseline labs)';

export const CHECKLIST_ITEMS: Record<ChecklistId, ChecklistItemDefinition> = {
  cbc: {
    id: 'cbc', label: 'Complete blood count with differential', requiredFor: ['oral'], windowDays: (c) => c.windows.cbc,
    source: `${ARTICLE}; Cibinqo label (US), section 2.1; Rinvoq label (US), section 2.1 (do not start if ANC below 1,000/µL, ALC below 500/µL, hemoglobin below 8 g/dL; Cibinqo: platelets below 150,000/µL)`,
    sourceEU: `${ARTICLE}; Cibinqo product information (EU), section 4.2 (do not start if ANC below 1,200/µL, ALC below 500/µL, hemoglobin below 10 g/dL, platelets below 150,000/µL); Rinvoq product information (EU), section 4.2 (ANC 1,000/µL, ALC 500/µL, hemoglobin 8 g/dL)`,
  },
  'liver-enzymes': {
    id: 'liver-enzymes', label: 'Liver enzymes (ALT, AST)', requiredFor: ['oral'], windowDays: (c) => c.windows.liverEnzymes,
    source: `${ARTICLE}; Rinvoq label (US), section 5.8 (liver enzymes at baseline)`,
  },
  'lipid-panel': {
    id: 'lipid-panel', label: 'Lipid panel', requiredFor: ['oral'], windowDays: (c) => c.windows.lipidPanel,
    source: `${ARTICLE}; Cibinqo label (US), section 5.6 (lipids about 4 weeks after starting; baseline for comparison)`,
  },
  'tb-screening': {
    id: 'tb-screening', label: 'Tuberculosis screening (IGRA or skin test)', requiredFor: ['oral'], advisoryForTopical: true,
    windowDays: (c) => c.windows.tbScreening,
    source: `${ARTICLE}; Cibinqo label (US), section 2.1 (evaluate for TB before starting; treat latent TB first); Opzelura label (US), boxed warning (consider TB screening)`,
  },
  'hepatitis-b': {
    id: 'hepatitis-b', label: 'Hepatitis B (HBsAg, anti-HBc)', requiredFor: ['oral'], windowDays: (c) => c.windows.hepatitisB,
    source: 'Article ("consider hepatitis screening based on risk"); Cibinqo label (US), section 2.1 (viral hepatitis screening)',
  },
  'hepatitis-c': {
    id: 'hepatitis-c', label: 'Hepatitis C (HCV antibody)', requiredFor: ['oral'], windowDays: (c) => c.windows.hepatitisC,
    source: 'Article ("consider hepatitis screening based on risk"); Cibinqo label (US), section 2.1 (viral hepatitis screening)',
  },
  'pregnancy-test': {
    id: 'pregnancy-test', label: 'Pregnancy test', requiredFor: ['oral'], windowDays: (c) => c.windows.pregnancyTest,
    source: 'Article (avoid systemic JAK inhibitors in pregnancy); Rinvoq label (US), section 8.3 (verify pregnancy status before starting)',
  },
  'zoster-vaccine': {
    id: 'zoster-vaccine', label: 'Shingles vaccine (recombinant, 2 doses)', requiredFor: ['oral'], advisoryForTopical: true,
    windowDays: () => null,
    source: 'Article ("consider shingles vaccination where eligible"); Cibinqo label (US), section 2.1 (complete immunizations, including herpes zoster, before starting)',
  },
};
