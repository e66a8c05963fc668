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
  'active-tuberculosis': { id: 'active-tuberculosis', label: 'Active tuberculosis', severityByAgent: { ...oral('do-not-start'), ...topical('warning') }, labelWording: 'avoid', source: 'Cibinqo US PI §5.1 (not recommended in active TB); Rinvoq US PI §5.1 (should not be given in active TB); Opzelura boxed warning' },
  'latent-tuberculosis': { id: 'latent-tuberculosis', label: 'Latent tuberculosis', severityByAgent: oral('warning'), source: 'Labels §2.1 (treat latent TB before starting)' },
  'viral-hepatitis': { id: 'viral-hepatitis', label: 'Active viral hepatitis', severityByAgent: oral('do-not-start'), labelWording: 'not recommended', source: 'Rinvoq US PI §2.1 (initiation not recommended in active hepatitis B or C); Cibinqo US PI §2.1/§5 (viral hepatitis screening; not recommended in active hepatitis B or C); HCV RNA / HBV DNA detected or IgM anti-HBc positive count as active (clinical/spec.md R2.2)' },
  'hepatitis-b-exposure': { id: 'hepatitis-b-exposure', label: 'Past hepatitis B exposure', severityByAgent: oral('warning'), source: 'Olumiant SmPC §4.4 (anti-HBc positive, HBsAg negative: monitor HBV DNA; MIMS Thailand copy); clinical/spec.md R2.2' },
  'serious-infection': { id: 'serious-infection', label: 'Infection risk', severityByAgent: { ...oral('warning'), ...topical('warning') }, labelWording: 'avoid', source: `Cibinqo US PI §5.1 and Rinvoq US PI §5.1 (avoid use in patients with an active, serious infection, including localized infections); ${BOXED}; article ("recurrent infections"); Opzelura is for non-immunocompromised patients` },
  'herpes-zoster-history': { id: 'herpes-zoster-history', label: 'History of shingles', severityByAgent: oral('warning'), source: 'Article (shingles risk); labels §5.1 (viral reactivation)' },
  'thrombosis-history': { id: 'thrombosis-history', label: 'History of blood clots', severityByAgent: { ...oral('do-not-start'), ...topical('info') }, labelWording: 'avoid', source: `Article (clotting risk); ${BOXED} (thrombosis); Cibinqo, Rinvoq, Olumiant US PI §5 Thrombosis: avoid in patients who may be at increased risk of thrombosis` },
  'cardiovascular-history': { id: 'cardiovascular-history', label: 'Heart attack, stroke or coronary disease', severityByAgent: { ...oral('warning'), ...topical('info') }, source: `Article (heart disease); ${BOXED} (MACE); Rinvoq: stop after MI or stroke` },
  'cardiovascular-risk': { id: 'cardiovascular-risk', label: 'Age ≥ 50 with a cardiovascular risk factor', severityByAgent: oral('warning'), source: 'FDA 2021 JAK class communication (ORAL Surveillance: age ≥ 50 with ≥ 1 CV risk factor)' },
  smoking: { id: 'smoking', label: 'Current or former smoker', severityByAgent: oral('warning'), source: `Article ("history of heavy smoking"); ${BOXED}` },
  'older-adult': { id: 'older-adult', label: 'Age 65 or older', severityByAgent: oral('warning'), source: `${BOXED}; dose advice: Rinvoq US PI §2 (15 mg at 65 and older), Cibinqo SmPC §4.2 (100 mg at 65 and older, EU), Olumiant SmPC §4.2 (2 mg at 65 and older, EU)` },
  'malignancy-history': { id: 'malignancy-history', label: 'History of cancer', severityByAgent: { ...oral('warning'), ...topical('info') }, source: `Article (certain cancers); ${BOXED} (malignancy other than successfully treated NMSC)` },
  pregnancy: { id: 'pregnancy', label: 'Pregnancy', severityByAgent: { ...oral('do-not-start'), ...topical('warning') }, labelWording: 'avoid', source: 'Article (avoid systemic JAK inhibitors in pregnancy); EU product information (contraindicated in pregnancy); Rinvoq US PI §8.1 (verify pregnancy status); positive test counts until a negative test, an end of pregnancy or 42 weeks (clinical/spec.md R2.3)' },
  breastfeeding: { id: 'breastfeeding', label: 'Breastfeeding', severityByAgent: { ...oral('do-not-start'), 'ruxolitinib-cream': 'do-not-start' }, labelWording: 'do not breastfeed', source: 'Labels §8.2 (no breastfeeding during treatment; Rinvoq: and 6 days after, Opzelura: 4 weeks after); a delivery in the last 12 months: ask (clinical/spec.md R2.3)' },
  antiplatelet: { id: 'antiplatelet', label: 'Antiplatelet therapy', severityByAgent: { abrocitinib: 'do-not-start' }, labelWording: 'contraindicated', source: 'Cibinqo contraindication: antiplatelet therapy except low-dose aspirin in the first 3 months' },
  immunosuppressant: { id: 'immunosuppressant', label: 'Other immunosuppressant or JAK inhibitor', severityByAgent: { ...oral('do-not-start'), 'ruxolitinib-cream': 'do-not-start', 'delgocitinib-cream': 'do-not-start' }, labelWording: 'not recommended', source: 'Labels, limitations of use (Rinvoq US PI §1: not in combination with other JAK inhibitors, biologic immunomodulators or potent immunosuppressants; Cibinqo Canadian PM); switching from a biologic is a warning: stop it before the first dose (clinical/spec.md R2.5)' },
  'drug-interaction': { id: 'drug-interaction', label: 'Drug interaction', severityByAgent: {}, labelWording: 'avoid', source: 'Labels §7 (drug interactions)' },
  'recent-live-vaccine': { id: 'recent-live-vaccine', label: 'Live vaccine in the last 4 weeks', severityByAgent: oral('do-not-start'), labelWording: 'avoid', source: 'Cibinqo, Rinvoq, Olumiant labels §5 Immunizations (avoid live vaccines immediately prior to, during and after treatment; MIMS Malaysia/Thailand SmPC copies); article ("avoid live vaccines during treatment")' },
  'renal-impairment': { id: 'renal-impairment', label: 'Reduced kidney function', severityByAgent: {}, labelWording: 'not recommended', source: 'Rinvoq US PI §2/§8 (eGFR 15–<30: 15 mg; end-stage renal disease: not recommended); Cibinqo SmPC §4.2 (EU: eGFR 30–<60 halve the dose, < 30 start 50 mg, maximum 100 mg; dialysis not studied); Olumiant SmPC §4.2 (creatinine clearance 30–60: 2 mg; < 30 not recommended); eGFR < 15 counts as end-stage (clinical/spec.md R2.4)' },
  'hepatic-impairment': { id: 'hepatic-impairment', label: 'Liver disease', severityByAgent: oral('warning'), labelWording: 'not recommended', source: 'Labels: severe hepatic impairment not recommended (Rinvoq, Olumiant); Cibinqo Child-Pugh C contraindicated (EU)' },
  'age-eligibility': { id: 'age-eligibility', label: 'Below the approved age', severityByAgent: {}, labelWording: 'not approved', source: 'Labels: abrocitinib/upadacitinib ≥ 12 years, ruxolitinib cream ≥ 2 years, delgocitinib cream adults' },
  'already-on-jak-inhibitor': { id: 'already-on-jak-inhibitor', label: 'Already on a JAK inhibitor', severityByAgent: { ...oral('info'), ...topical('info') }, source: 'Record (switches the view toward monitoring)' },
  'tuberculosis-history': { id: 'tuberculosis-history', label: 'Past tuberculosis or positive TB test', severityByAgent: { ...oral('warning'), ...topical('info') }, source: 'Labels §2.1/§5.1 (evaluate for latent TB and treat it before starting; Cibinqo US PI §5.1); a negative repeat test does not exclude latent TB (clinical/spec.md R2.2)' },
  'weight-eligibility': { id: 'weight-eligibility', label: 'Body weight', severityByAgent: { upadacitinib: 'do-not-start' }, source: 'Rinvoq US PI §1 (pediatric patients 12 years and older weighing at least 40 kg)' },
  'on-treatment-result': { id: 'on-treatment-result', label: 'Result during treatment', severityByAgent: oral('warning'), source: 'Labels §2 (dose modifications for laboratory abnormalities during treatment)' },
  'label-indication': { id: 'label-indication', label: 'Approved use', severityByAgent: { ...oral('info'), 'delgocitinib-cream': 'info' }, source: 'Labels §1 (indications)' },
};

export const ORAL_AGENTS: Agent[] = ['abrocitinib', 'upadacitinib', 'baricitinib'];
export const TOPICAL_AGENTS: Agent[] = ['ruxolitinib-cream', 'delgocitinib-cream'];
export const oralSeverity = oral;
export const topicalSeverity = topical;
