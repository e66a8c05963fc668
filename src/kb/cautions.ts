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
  source: string;
}

const BOXED = 'JAK inhibitor class boxed warning (FDA 2021 safety communication)';

export const CAUTION_RULES: Record<CautionId, CautionRule> = {
  cytopenia: { id: 'cytopenia', label: 'Low blood counts', severityByAgent: oral('do-not-start'), labelWording: 'do not initiate', source: 'Cibinqo/Rinvoq PI §2.1; Olumiant SmPC (do not initiate below the thresholds)' },
  'active-tuberculosis': { id: 'active-tuberculosis', label: 'Active tuberculosis', severityByAgent: { ...oral('do-not-start'), ...topical('warning') }, labelWording: 'avoid', source: 'Labels §5.1 (do not use during active TB); Opzelura boxed warning' },
  'latent-tuberculosis': { id: 'latent-tuberculosis', label: 'Latent tuberculosis', severityByAgent: oral('warning'), source: 'Labels §2.1 (treat latent TB before starting)' },
  'viral-hepatitis': { id: 'viral-hepatitis', label: 'Active viral hepatitis', severityByAgent: oral('do-not-start'), labelWording: 'not recommended', source: 'Labels §2.1/§5 (not recommended in active hepatitis B or C)' },
  'hepatitis-b-exposure': { id: 'hepatitis-b-exposure', label: 'Past hepatitis B exposure', severityByAgent: oral('warning'), source: 'Olumiant SmPC (anti-HBc positive, HBsAg negative: monitor HBV DNA)' },
  'serious-infection': { id: 'serious-infection', label: 'Infection risk', severityByAgent: { ...oral('warning'), ...topical('warning') }, labelWording: 'avoid', source: `Article ("recurrent infections"); ${BOXED}; Opzelura is for non-immunocompromised patients` },
  'herpes-zoster-history': { id: 'herpes-zoster-history', label: 'History of shingles', severityByAgent: oral('warning'), source: 'Article (shingles risk); labels §5.1 (viral reactivation)' },
  'thrombosis-history': { id: 'thrombosis-history', label: 'History of blood clots', severityByAgent: { ...oral('do-not-start'), ...topical('info') }, labelWording: 'avoid', source: `Article (clotting risk); ${BOXED} (thrombosis); Cibinqo, Rinvoq, Olumiant US PI §5 Thrombosis: avoid in patients who may be at increased risk of thrombosis` },
  'cardiovascular-history': { id: 'cardiovascular-history', label: 'Heart attack, stroke or coronary disease', severityByAgent: { ...oral('warning'), ...topical('info') }, source: `Article (heart disease); ${BOXED} (MACE); Rinvoq: stop after MI or stroke` },
  'cardiovascular-risk': { id: 'cardiovascular-risk', label: 'Age ≥ 50 with a cardiovascular risk factor', severityByAgent: oral('warning'), source: 'FDA 2021 JAK class communication (ORAL Surveillance: age ≥ 50 with ≥ 1 CV risk factor)' },
  smoking: { id: 'smoking', label: 'Current or former smoker', severityByAgent: oral('warning'), source: `Article ("history of heavy smoking"); ${BOXED}` },
  'older-adult': { id: 'older-adult', label: 'Age 65 or older', severityByAgent: oral('warning'), source: `${BOXED}; Rinvoq 15 mg at ≥ 65 years` },
  'malignancy-history': { id: 'malignancy-history', label: 'History of cancer', severityByAgent: { ...oral('warning'), ...topical('info') }, source: `Article (certain cancers); ${BOXED} (malignancy other than successfully treated NMSC)` },
  pregnancy: { id: 'pregnancy', label: 'Pregnancy', severityByAgent: { ...oral('do-not-start'), ...topical('warning') }, labelWording: 'avoid', source: 'Article (avoid systemic JAK inhibitors in pregnancy); EU product information; US labels: verify pregnancy status' },
  breastfeeding: { id: 'breastfeeding', label: 'Breastfeeding', severityByAgent: { ...oral('do-not-start'), 'ruxolitinib-cream': 'do-not-start' }, labelWording: 'do not breastfeed', source: 'Labels (no breastfeeding during treatment; Opzelura: and 4 weeks after)' },
  antiplatelet: { id: 'antiplatelet', label: 'Antiplatelet therapy', severityByAgent: { abrocitinib: 'do-not-start' }, labelWording: 'contraindicated', source: 'Cibinqo contraindication: antiplatelet therapy except low-dose aspirin in the first 3 months' },
  immunosuppressant: { id: 'immunosuppressant', label: 'Other immunosuppressant or JAK inhibitor', severityByAgent: { ...oral('do-not-start'), 'ruxolitinib-cream': 'do-not-start', 'delgocitinib-cream': 'do-not-start' }, labelWording: 'not recommended', source: 'Labels, limitations of use (not with other JAK inhibitors, biologic immunomodulators or potent immunosuppressants)' },
  'drug-interaction': { id: 'drug-interaction', label: 'Drug interaction', severityByAgent: {}, labelWording: 'avoid', source: 'Labels §7 (drug interactions)' },
  'recent-live-vaccine': { id: 'recent-live-vaccine', label: 'Live vaccine in the last 4 weeks', severityByAgent: oral('do-not-start'), labelWording: 'avoid', source: 'Article ("avoid live vaccines during treatment"); labels (avoid live vaccines during or immediately before treatment)' },
  'renal-impairment': { id: 'renal-impairment', label: 'Reduced kidney function', severityByAgent: {}, labelWording: 'not recommended', source: 'Labels (US and EU): Olumiant eGFR < 30 not recommended; Cibinqo eGFR < 60 dose change; Rinvoq ESRD not recommended' },
  'hepatic-impairment': { id: 'hepatic-impairment', label: 'Liver disease', severityByAgent: oral('warning'), labelWording: 'not recommended', source: 'Labels: severe hepatic impairment not recommended (Rinvoq, Olumiant); Cibinqo Child-Pugh C contraindicated (EU)' },
  'age-eligibility': { id: 'age-eligibility', label: 'Below the approved age', severityByAgent: {}, labelWording: 'not approved', source: 'Labels: abrocitinib/upadacitinib ≥ 12 years, ruxolitinib cream ≥ 2 years, delgocitinib cream adults' },
  'already-on-jak-inhibitor': { id: 'already-on-jak-inhibitor', label: 'Already on a JAK inhibitor', severityByAgent: { ...oral('info'), ...topical('info') }, source: 'Record (switches the view toward monitoring)' },
  'tuberculosis-history': { id: 'tuberculosis-history', label: 'Past tuberculosis or positive TB test', severityByAgent: { ...oral('warning'), ...topical('info') }, source: 'Labels §2.1/§5.1 (evaluate and treat latent TB before starting)' },
  'weight-eligibility': { id: 'weight-eligibility', label: 'Body weight', severityByAgent: { upadacitinib: 'do-not-start' }, source: 'Rinvoq US PI §1 (pediatric patients 12 years and older weighing at least 40 kg)' },
  'label-indication': { id: 'label-indication', label: 'Approved use', severityByAgent: { ...oral('info'), 'delgocitinib-cream': 'info' }, source: 'Labels §1 (indications)' },
};

export const ORAL_AGENTS: Agent[] = ['abrocitinib', 'upadacitinib', 'baricitinib'];
export const TOPICAL_AGENTS: Agent[] = ['ruxolitinib-cream', 'delgocitinib-cream'];
export const oralSeverity = oral;
export const topicalSeverity = topical;
