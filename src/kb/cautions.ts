/**
 * Caution rules as data: for each caution, the severity each agent's label gives it when the
 * trigger is present, and the source shown to the user (clinical/spec.md "Cautions"). Rules whose
 * severity depends on the trigger (platelets, drug interactions, renal function) refine these
 * per finding. Generic therapies (`oral`, `topical`) are resolved from the agents' severities.
 */
import type { CautionId, Severity } from '../contract/report';

export type Agent = 'abrocitinib' | 'upadacitinib' | 'baricitinib' | 'ruxolitinib-cream' | 'delgocitinib-cream';
export type SeverityByAgent = Partial<Record<Agent, Severity>>;

const oral = (severity: Severity): SeverityByAgent => ({ abrocitinib: severity, upadacitinib: severity, baricitinib: severity });
const topical = (severity: Severity): SeverityByAgent => ({ 'ruxolitinib-cream': severity, 'delgocitinib-cream': severity });

export interface CautionRule {
  id: CautionId;
  label: string;
  severityByAgent: SeverityByAgent;
  /** The label's own verb when the caution is do-not-start ("avoid", "contraindicated", "not recommended"). */
  labelWording?: string;
  /** The label and section in clinic words ("Cibinqo label (US), section 2.1"): what a person reads. */
  source: string;
  /** How the rule's facts were verified (marks, file names, spec sections): JSON only, never on screen. */
  provenance?: string;
}

const BOXED = 'Boxed warning of the JAK inhibitor labels (US, FDA 2021 safety communication)';

export const CAUTION_RULES: Record<CautionId, CautionRule> = {
  cytopenia: { id: 'cytopenia', label: 'Low blood counts', severityByAgent: oral('do-not-start'), labelWording: 'do not initiate', source: 'Cibinqo label (US), section 2.1; Rinvoq label (US), section 2.1 (do not start below ANC 1,000/µL, ALC 500/µL, hemoglobin 8 g/dL; Cibinqo: platelets 150,000/µL)', provenance: 'label-facts §A ✔ (PMI §2.1; Medscape, MIMS Malaysia for Rinvoq/Olumiant)' },
  'active-tuberculosis': { id: 'active-tuberculosis', label: 'Active tuberculosis', severityByAgent: { ...oral('do-not-start'), ...topical('warning') }, labelWording: 'avoid', source: 'Cibinqo label (US), section 5.1 (not recommended in active TB); Rinvoq label (US), section 5.1 (do not give in active TB); Opzelura label (US), boxed warning', provenance: 'label-facts §A ✔' },
  'latent-tuberculosis': { id: 'latent-tuberculosis', label: 'Latent tuberculosis', severityByAgent: oral('warning'), source: 'Cibinqo label (US), section 2.1; Rinvoq label (US), section 2.1 (treat latent TB before starting)', provenance: 'label-facts §A ✔' },
  'viral-hepatitis': { id: 'viral-hepatitis', label: 'Active viral hepatitis', severityByAgent: oral('do-not-start'), labelWording: 'not recommended', source: 'Rinvoq label (US), section 2.1 (not recommended in active hepatitis B or C); Cibinqo label (US), section 2.1 (viral hepatitis screening; not recommended in active hepatitis B or C)', provenance: 'HCV RNA / HBV DNA detected or IgM anti-HBc positive count as active: clinical/spec.md R2.2' },
  'hepatitis-b-exposure': { id: 'hepatitis-b-exposure', label: 'Past hepatitis B exposure', severityByAgent: oral('warning'), source: 'Olumiant product information (EU), section 4.4 (anti-HBc positive, HBsAg negative: monitor HBV DNA)', provenance: 'MIMS Thailand SmPC copy ✔; clinical/spec.md R2.2' },
  'serious-infection': { id: 'serious-infection', label: 'Infection risk', severityByAgent: { ...oral('warning'), ...topical('warning') }, labelWording: 'avoid', source: `Cibinqo label (US), section 5.1; Rinvoq label (US), section 5.1 (avoid in an active, serious infection, including localized infections); ${BOXED}; article (recurrent infections); Opzelura label (US), section 1 (not for immunocompromised patients)`, provenance: 'label-facts §A ✔' },
  'herpes-zoster-history': { id: 'herpes-zoster-history', label: 'History of shingles', severityByAgent: oral('warning'), source: 'Article (shingles risk); Cibinqo label (US), section 5.1 (viral reactivation)', provenance: 'label-facts §A ✔' },
  'thrombosis-history': { id: 'thrombosis-history', label: 'History of blood clots', severityByAgent: { ...oral('do-not-start'), ...topical('info') }, labelWording: 'avoid', source: `Article (clotting risk); ${BOXED}; Cibinqo, Rinvoq, Olumiant labels (US), section 5.5: avoid in patients who may be at increased risk of thrombosis`, provenance: 'clinical/spec.md R2.5' },
  'cardiovascular-history': { id: 'cardiovascular-history', label: 'Heart attack, stroke or coronary disease', severityByAgent: { ...oral('warning'), ...topical('info') }, source: `Article (heart disease); ${BOXED} (heart attack and stroke); Rinvoq label (US), section 5.4: stop after a heart attack or stroke`, provenance: 'label-facts §A ✔ (RHCP)' },
  'cardiovascular-risk': { id: 'cardiovascular-risk', label: 'Age ≥ 50 with a cardiovascular risk factor', severityByAgent: oral('warning'), source: 'FDA 2021 JAK inhibitor safety communication (ORAL Surveillance trial: age 50 or older with a cardiovascular risk factor)', provenance: 'label-facts §C ✔' },
  smoking: { id: 'smoking', label: 'Current or former smoker', severityByAgent: oral('warning'), source: `Article (history of heavy smoking); ${BOXED}`, provenance: 'label-facts §C ✔' },
  'older-adult': { id: 'older-adult', label: 'Age 65 or older', severityByAgent: oral('warning'), source: `${BOXED}; Rinvoq label (US), section 2 (15 mg at 65 and older)`, provenance: 'EU doses per region: src/kb/dosing.ts' },
  'malignancy-history': { id: 'malignancy-history', label: 'History of cancer', severityByAgent: { ...oral('warning'), ...topical('info') }, source: `Article (certain cancers); ${BOXED} (cancer other than successfully treated non-melanoma skin cancer)`, provenance: 'label-facts §C ✔' },
  pregnancy: { id: 'pregnancy', label: 'Pregnancy', severityByAgent: { ...oral('do-not-start'), ...topical('warning') }, labelWording: 'avoid', source: 'Article (avoid systemic JAK inhibitors in pregnancy); Rinvoq label (US), section 8.3 (verify pregnancy status); Cibinqo product information (EU), section 4.3 (contraindicated in pregnancy)', provenance: 'a positive test counts until a negative test, an end of pregnancy or 42 weeks: clinical/spec.md R2.3' },
  breastfeeding: { id: 'breastfeeding', label: 'Breastfeeding', severityByAgent: { ...oral('do-not-start'), 'ruxolitinib-cream': 'do-not-start' }, labelWording: 'do not breastfeed', source: 'Cibinqo label (US), section 8.2; Rinvoq label (US), section 8.2 (no breastfeeding during treatment and 6 days after); Opzelura label (US), section 8.2 (and 4 weeks after)', provenance: 'Rinvoq 6 days ✖ (label-facts), Opzelura ✔; recent delivery: clinical/spec.md R2.3' },
  antiplatelet: { id: 'antiplatelet', label: 'Antiplatelet therapy', severityByAgent: { abrocitinib: 'do-not-start' }, labelWording: 'contraindicated', source: 'Cibinqo label (US), section 4 (contraindicated with antiplatelet therapy except low-dose aspirin during the first 3 months)', provenance: 'label-facts §A ◐ (interaction database copy; label text not re-read here)' },
  immunosuppressant: { id: 'immunosuppressant', label: 'Other immunosuppressant or JAK inhibitor', severityByAgent: { ...oral('do-not-start'), 'ruxolitinib-cream': 'do-not-start', 'delgocitinib-cream': 'do-not-start' }, labelWording: 'not recommended', source: 'Rinvoq label (US), section 1 (not with other JAK inhibitors, biologic immunomodulators or potent immunosuppressants); Cibinqo label (US), section 1; switching from a biologic: stop it before the first dose', provenance: 'Cibinqo Canadian monograph ✔; switching as a warning: clinical/spec.md R2.5' },
  'drug-interaction': { id: 'drug-interaction', label: 'Drug interaction', severityByAgent: {}, labelWording: 'avoid', source: 'Cibinqo label (US), section 7; Rinvoq label (US), section 7 (drug interactions)', provenance: 'label-facts §A' },
  'recent-live-vaccine': { id: 'recent-live-vaccine', label: 'Live vaccine in the last 4 weeks', severityByAgent: oral('do-not-start'), labelWording: 'avoid', source: 'Cibinqo label (US), section 5.7; Rinvoq label (US), section 5; Olumiant label (US), section 5 (avoid live vaccines immediately before, during and after treatment); article (avoid live vaccines during treatment)', provenance: 'MIMS Malaysia/Thailand SmPC copies ✔' },
  'renal-impairment': { id: 'renal-impairment', label: 'Reduced kidney function', severityByAgent: {}, labelWording: 'not recommended', source: 'Rinvoq label (US), section 2 (eGFR 15–29: 15 mg; end-stage kidney disease: not recommended); Cibinqo label (US), section 2.3; Olumiant product information (EU), section 4.2 (creatinine clearance below 30: not recommended)', provenance: 'eGFR < 15 counts as end-stage: clinical/spec.md R2.4; per-region doses: src/kb/dosing.ts' },
  'hepatic-impairment': { id: 'hepatic-impairment', label: 'Liver disease', severityByAgent: oral('warning'), labelWording: 'not recommended', source: 'Rinvoq label (US), section 8.6; Olumiant label (US), section 8 (severe liver impairment: not recommended); Cibinqo product information (EU), section 4.3 (Child-Pugh C: contraindicated)', provenance: 'label-facts §A ✔' },
  'age-eligibility': { id: 'age-eligibility', label: 'Below the approved age', severityByAgent: {}, labelWording: 'not approved', source: 'Cibinqo label (US), section 1 and Rinvoq label (US), section 1 (12 years and older); Opzelura label (US), section 1 (2 years and older); Anzupgo label (US), section 1 (adults); Olumiant product information (EU), section 4.1 (2 years and older)', provenance: 'label-facts §A ✔' },
  'already-on-jak-inhibitor': { id: 'already-on-jak-inhibitor', label: 'Already on a JAK inhibitor', severityByAgent: { ...oral('info'), ...topical('info') }, source: 'Record (switches the view toward monitoring)' },
  'tuberculosis-history': { id: 'tuberculosis-history', label: 'Past tuberculosis or positive TB test', severityByAgent: { ...oral('warning'), ...topical('info') }, source: 'Cibinqo label (US), sections 2.1 and 5.1 (evaluate for latent TB and treat it before starting); a negative repeat test does not exclude latent TB', provenance: 'clinical/spec.md R2.2, R3.6' },
  'weight-eligibility': { id: 'weight-eligibility', label: 'Body weight', severityByAgent: { upadacitinib: 'do-not-start' }, source: 'Rinvoq label (US), section 1 (children 12 years and older weighing at least 40 kg)', provenance: 'label-facts §A ✔ (RHCP)' },
  'label-indication': { id: 'label-indication', label: 'Approved use', severityByAgent: { ...oral('info'), 'delgocitinib-cream': 'info' }, source: 'Cibinqo label (US), section 1; Rinvoq label (US), section 1; Olumiant label (US), section 1; Anzupgo label (US), section 1 (indications)', provenance: 'per-region indications: src/kb/indications.ts' },
};

export const ORAL_AGENTS: Agent[] = ['abrocitinib', 'upadacitinib', 'baricitinib'];
export const TOPICAL_AGENTS: Agent[] = ['ruxolitinib-cream', 'delgocitinib-cream'];
export const oralSeverity = oral;
export const topicalSeverity = topical;
