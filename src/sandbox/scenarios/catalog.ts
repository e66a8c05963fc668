/**
 * The scenario patients: each changes one thing against the "ready to start" chart, so a
 * person (or a browser test) can see one checklist item or caution react.
 */
import type { Resource } from 'fhir/r4';
import { addBaseline, addZosterSeries } from './baseline';
import { ChartBuilder, type PatientSpec } from './chart-builder';
import { CODED_TESTS, CONDITIONS, LABS_US, MEDICATIONS, RESULT, SMOKING, SMOKING_STATUS, VACCINES } from './codes';
import { buildHeavyRecord } from './heavy-record';

export interface Scenario {
  /** Stable patient id (`scn-...`), also the Patient resource id. */
  id: string;
  /** What a clinician would call this chart. */
  title: string;
  /** What the app should show for it. */
  summary: string;
  /** Patient first, then the rest of the chart. */
  resources: Resource[];
}

interface ScenarioSpec {
  id: string;
  title: string;
  summary: string;
  patient: PatientSpec;
  chart(chart: ChartBuilder): void;
}

/** A normal recent work-up, 12 days old; the pregnancy test (when relevant) 3 days old. */
const RECENT = 12;

/** Years of eczema before the referral, for the problem list. */
const AD_ONSET_DAYS = 6 * 365;

/**
 * Years of atopic dermatitis and, as for most patients referred for a JAK inhibitor under US
 * labels, a past course of systemic therapy (dupilumab, stopped): the labels' "not adequately
 * controlled with other systemic drugs" is then on record (R3.5).
 */
function withEczema(chart: ChartBuilder): void {
  chart.condition(CONDITIONS.atopicDermatitis, AD_ONSET_DAYS);
  chart.medicationRequest(MEDICATIONS.dupilumab, 900, 'stopped');
}

const SPECS: ScenarioSpec[] = [
  {
    id: 'scn-ready',
    title: 'Ready to start: baseline labs recent and normal',
    summary: 'Every baseline item done and normal; zoster series complete; no cautions; chronic hand eczema too, so delgocitinib cream is approved for her.',
    patient: { given: ['Amelia', 'Rose'], family: 'Hartley', sex: 'female', ageYears: 34 },
    chart(c) {
      withEczema(c);
      c.condition(CONDITIONS.chronicHandEczema, 2 * 365);
      addBaseline(c, { daysAgo: RECENT, urineHcg: RESULT.negative, hcgDaysAgo: 3 });
      addZosterSeries(c);
      c.medicationRequest(MEDICATIONS.emollient, 200);
    },
  },
  {
    id: 'scn-labs-missing',
    title: 'Baseline labs missing',
    summary: 'No laboratory results at all: every lab item missing.',
    patient: { given: ['Daniel'], family: 'Okafor', sex: 'male', ageYears: 41 },
    chart(c) {
      withEczema(c);
      addZosterSeries(c);
    },
  },
  {
    id: 'scn-labs-outdated',
    title: 'Baseline labs over a year old',
    summary: 'The same normal work-up as "ready", done 380 days ago: every lab item outdated (and still within the app\'s 400-day search).',
    patient: { given: ['Sofia'], family: 'Marchetti', sex: 'female', ageYears: 38 },
    chart(c) {
      withEczema(c);
      addBaseline(c, { daysAgo: 380, urineHcg: RESULT.negative, hcgDaysAgo: 380 });
      addZosterSeries(c, 900);
    },
  },
  {
    id: 'scn-cbc-no-diff',
    title: 'CBC without differential',
    summary: 'Hemoglobin, WBC and platelets only: no ANC or ALC, so the CBC is incomplete.',
    patient: { given: ['Lucas'], family: 'Brennan', sex: 'male', ageYears: 29 },
    chart(c) {
      withEczema(c);
      addBaseline(c, { daysAgo: RECENT, differential: false });
      addZosterSeries(c);
    },
  },
  {
    id: 'scn-low-neutrophils',
    title: 'Low neutrophils (ANC 800 /uL)',
    summary: 'ANC 800 cells/uL (below 1,000): cytopenia, do not start.',
    patient: { given: ['Grace'], family: 'Whitfield', sex: 'female', ageYears: 45 },
    chart(c) {
      withEczema(c);
      addBaseline(c, { daysAgo: RECENT, ancPerUl: 800, urineHcg: RESULT.negative, hcgDaysAgo: 3 });
      addZosterSeries(c);
    },
  },
  {
    id: 'scn-igra-positive',
    title: 'Positive TB blood test (IGRA), SI units',
    summary: 'QuantiFERON positive: TB screening abnormal, latent tuberculosis caution. Labs in SI units.',
    patient: { given: ['Mateo'], family: 'Alvarez', sex: 'male', ageYears: 52 },
    chart(c) {
      withEczema(c);
      addBaseline(c, { daysAgo: RECENT, units: 'si', igra: RESULT.positive });
      addZosterSeries(c);
    },
  },
  {
    id: 'scn-hbv-core-positive',
    title: 'Hepatitis B core antibody positive, surface antigen negative',
    summary: 'Anti-HBc positive with HBsAg negative: hepatitis B abnormal, exposure caution.',
    patient: { given: ['Helen'], family: 'Nakamura', sex: 'female', ageYears: 56 },
    chart(c) {
      withEczema(c);
      addBaseline(c, { daysAgo: RECENT, antiHbc: RESULT.positive });
      addZosterSeries(c);
    },
  },
  {
    id: 'scn-pregnant',
    title: 'Pregnant, about 10 weeks',
    summary: 'Pregnancy condition with onset 10 weeks ago (and a positive serum hCG then): do not start.',
    patient: { given: ['Chloe'], family: 'Dubois', sex: 'female', ageYears: 31 },
    chart(c) {
      withEczema(c);
      c.condition(CONDITIONS.pregnancy, 70);
      c.codedResult(CODED_TESTS.serumHcg, RESULT.positive, 66);
      addBaseline(c, { daysAgo: RECENT });
      addZosterSeries(c);
    },
  },
  {
    id: 'scn-dvt-history',
    title: 'History of deep vein thrombosis (resolved), SI units',
    summary: 'DVT three years ago, resolved: thrombosis-history caution. Labs in SI units.',
    patient: { given: ['Thomas'], family: 'Lindqvist', sex: 'male', ageYears: 47 },
    chart(c) {
      withEczema(c);
      c.condition(CONDITIONS.dvt, 3 * 365, { status: 'resolved', abatementDaysAgo: 3 * 365 - 120 });
      addBaseline(c, { daysAgo: RECENT, units: 'si' });
      addZosterSeries(c);
    },
  },
  {
    id: 'scn-smoker-hypertension',
    title: 'Daily smoker, 58, with hypertension',
    summary: 'Current smoker over 50 with hypertension: smoking and cardiovascular-risk cautions.',
    patient: { given: ['Robert', 'James'], family: 'Kowalski', sex: 'male', ageYears: 58 },
    chart(c) {
      withEczema(c);
      c.condition(CONDITIONS.hypertension, 8 * 365);
      c.codedResult(SMOKING_STATUS, SMOKING.daily, 20, 'social-history');
      c.bloodPressure(146, 92, 20);
      addBaseline(c, { daysAgo: RECENT });
      addZosterSeries(c);
    },
  },
  {
    id: 'scn-clopidogrel',
    title: 'On clopidogrel (antiplatelet)',
    summary: 'Active clopidogrel 75 mg: antiplatelet caution (abrocitinib).',
    patient: { given: ['Omar'], family: 'Haddad', sex: 'male', ageYears: 44 },
    chart(c) {
      withEczema(c);
      c.medicationRequest(MEDICATIONS.clopidogrel, 120);
      addBaseline(c, { daysAgo: RECENT });
      addZosterSeries(c);
    },
  },
  {
    id: 'scn-dupilumab',
    title: 'On dupilumab (Dupixent, free text only)',
    summary: 'Active Dupixent order with no code, only text: immunosuppressant (biologic) caution.',
    patient: { given: ['Isabel'], family: 'Moreno', sex: 'female', ageYears: 27 },
    chart(c) {
      withEczema(c);
      c.medicationRequest(MEDICATIONS.dupilumab, 180);
      addBaseline(c, { daysAgo: RECENT, urineHcg: RESULT.negative, hcgDaysAgo: 3 });
      addZosterSeries(c);
    },
  },
  {
    id: 'scn-live-vaccine',
    title: 'MMR (live vaccine) 14 days ago',
    summary: 'MMR given 14 days ago: recent-live-vaccine caution.',
    patient: { given: ['Hannah'], family: 'Schmidt', sex: 'female', ageYears: 24 },
    chart(c) {
      withEczema(c);
      c.immunization(VACCINES.mmr, 14);
      addBaseline(c, { daysAgo: RECENT, urineHcg: RESULT.negative, hcgDaysAgo: 3 });
      addZosterSeries(c);
    },
  },
  {
    id: 'scn-adolescent',
    title: '14-year-old with moderate-to-severe eczema',
    summary: 'Age 14: eligible for abrocitinib/upadacitinib (12+), not delgocitinib; zoster item not applicable.',
    patient: { given: ['Mia'], family: 'Johansson', sex: 'female', ageYears: 14 },
    chart(c) {
      c.condition(CONDITIONS.atopicDermatitis, 10 * 365);
      c.condition(CONDITIONS.asthma, 8 * 365);
      addBaseline(c, { daysAgo: RECENT, urineHcg: RESULT.negative, hcgDaysAgo: 3 });
    },
  },
  {
    id: 'scn-on-upadacitinib',
    title: 'On upadacitinib for 15 weeks: monitoring',
    summary: 'Rinvoq started 103 days ago after a normal baseline; lipids at week 12 done, CBC and liver enzymes at week 12 overdue: the sidebar opens on the monitoring schedule.',
    patient: { given: ['Noah'], family: 'Bergström', sex: 'male', ageYears: 39 },
    chart(c) {
      withEczema(c);
      c.medicationRequest(MEDICATIONS.dupilumab, 500, 'stopped');
      addBaseline(c, { daysAgo: 110 });
      addZosterSeries(c, 400);
      c.medicationRequest(MEDICATIONS.upadacitinib, 103);
      // Week 12 lipids (day 84 after the start, 19 days ago); the week-12 CBC and ALT/AST were never drawn.
      c.lab(LABS_US.cholesterol, 192, 19, 5);
      c.lab(LABS_US.ldlCalculated, 116, 19, 5);
      c.lab(LABS_US.hdl, 54, 19, 5);
      c.lab(LABS_US.triglycerides, 121, 19, 5);
    },
  },
  {
    id: 'scn-older-adult',
    title: '80-year-old, SI units',
    summary: 'Age 80: older-adult caution. Labs in SI units.',
    patient: { given: ['Arthur'], family: 'Pemberton', sex: 'male', ageYears: 80 },
    chart(c) {
      withEczema(c);
      addBaseline(c, { daysAgo: RECENT, units: 'si' });
      addZosterSeries(c);
    },
  },
];

/** A full CBC (Hb g/dL, platelets and counts ×10³/µL) `daysAgo`, as a lab sends it after the start. */
function cbcAfterStart(c: ChartBuilder, daysAgo: number, v: { hb?: number; platelets?: number; anc?: number; alc?: number } = {}): void {
  c.lab(LABS_US.wbc, 6.1, daysAgo);
  c.lab(LABS_US.hemoglobin, v.hb ?? 13.8, daysAgo);
  c.lab(LABS_US.platelets, v.platelets ?? 236, daysAgo);
  c.lab(LABS_US.anc, v.anc ?? 3.4, daysAgo);
  c.lab(LABS_US.alc, v.alc ?? 1.9, daysAgo);
}

function lipidsAfterStart(c: ChartBuilder, daysAgo: number, ldl = 116): void {
  c.lab(LABS_US.cholesterol, 192, daysAgo, 5);
  c.lab(LABS_US.ldlCalculated, ldl, daysAgo, 5);
  c.lab(LABS_US.hdl, 54, daysAgo, 5);
  c.lab(LABS_US.triglycerides, 121, daysAgo, 5);
}

/** Revision 3 (clinical/spec.md R3.1–R3.4): patients after the start, one situation each. */
const AFTER_START: ScenarioSpec[] = [
  {
    id: 'scn-abrocitinib-low-platelets',
    title: 'On abrocitinib, platelets 45,000 at week 4',
    summary: 'Cibinqo 100 mg started 40 days ago; the week-4 CBC (12 days ago) shows platelets 45,000/µL: abnormal, label says discontinue; "Tell the prescriber today" leads the to-do list.',
    patient: { given: ['Hannah'], family: 'Lindqvist', sex: 'female', ageYears: 31 },
    chart(c) {
      withEczema(c);
      addBaseline(c, { daysAgo: 45, urineHcg: RESULT.negative, hcgDaysAgo: 42 });
      addZosterSeries(c, 300);
      c.medicationRequest(MEDICATIONS.abrocitinib100, 40);
      cbcAfterStart(c, 26, { platelets: 121 });
      cbcAfterStart(c, 12, { hb: 14.2, platelets: 45, anc: 3.1, alc: 1.6 });
      lipidsAfterStart(c, 12, 121);
    },
  },
  {
    id: 'scn-abrocitinib-dose-increase',
    title: 'Abrocitinib increased from 100 to 200 mg',
    summary: 'Cibinqo 100 mg from 120 days ago (order completed), 200 mg ordered 20 days ago: one course from the first order; platelets due 4 weeks after the increase.',
    patient: { given: ['Tomasz'], family: 'Nowak', sex: 'male', ageYears: 27 },
    chart(c) {
      withEczema(c);
      addBaseline(c, { daysAgo: 125 });
      addZosterSeries(c, 400);
      c.medicationRequest(MEDICATIONS.abrocitinib100, 120, 'completed');
      cbcAfterStart(c, 92);
      lipidsAfterStart(c, 92);
      c.medicationRequest(MEDICATIONS.abrocitinib200, 20);
    },
  },
  {
    id: 'scn-draft-order-only',
    title: 'Upadacitinib drafted, not yet signed',
    summary: 'A draft Rinvoq order only: planned (preselected), not "on treatment since today"; the pre-start checklist shows.',
    patient: { given: ['Leila'], family: 'Farahani', sex: 'female', ageYears: 36 },
    chart(c) {
      withEczema(c);
      addBaseline(c, { daysAgo: RECENT, urineHcg: RESULT.negative, hcgDaysAgo: 3 });
      addZosterSeries(c);
      c.medicationRequest(MEDICATIONS.dupilumab, 400, 'stopped');
      c.medicationRequest(MEDICATIONS.upadacitinib, 0, 'draft');
    },
  },
  {
    id: 'scn-switch-jak',
    title: 'Switching from upadacitinib to abrocitinib',
    summary: 'On Rinvoq for 200 days; an abrocitinib order drafted: a switch (stop upadacitinib before the first dose), abrocitinib preselected, upadacitinib marked as taken.',
    patient: { given: ['Marcus'], family: 'Oyelaran', sex: 'male', ageYears: 44 },
    chart(c) {
      withEczema(c);
      addBaseline(c, { daysAgo: 205 });
      addZosterSeries(c, 500);
      c.medicationRequest(MEDICATIONS.upadacitinib, 200);
      cbcAfterStart(c, 30);
      c.lab(LABS_US.alt, 24, 30, 5);
      c.lab(LABS_US.ast, 22, 30, 5);
      lipidsAfterStart(c, 120);
      c.medicationRequest(MEDICATIONS.abrocitinib100, 0, 'draft');
    },
  },
  {
    id: 'scn-upadacitinib-all-done',
    title: 'On upadacitinib, monitoring done and normal',
    summary: 'Rinvoq started 103 days ago; week-12 CBC, liver enzymes and lipids done and normal: no abnormal result since the start; week-16 review in 9 days on the to-do list.',
    patient: { given: ['Ingrid'], family: 'Solberg', sex: 'female', ageYears: 52 },
    chart(c) {
      withEczema(c);
      addBaseline(c, { daysAgo: 110, urineHcg: RESULT.negative, hcgDaysAgo: 106 });
      addZosterSeries(c, 400);
      c.medicationRequest(MEDICATIONS.upadacitinib, 103);
      cbcAfterStart(c, 19);
      c.lab(LABS_US.alt, 26, 19, 5);
      c.lab(LABS_US.ast, 24, 19, 5);
      lipidsAfterStart(c, 19);
    },
  },
];
SPECS.push(...AFTER_START);

export function buildCatalog(today: Date): Scenario[] {
  const scenarios = SPECS.map((spec) => {
    const chart = new ChartBuilder(spec.id, today);
    chart.patient(spec.patient);
    spec.chart(chart);
    return { id: spec.id, title: spec.title, summary: spec.summary, resources: chart.resources };
  });
  scenarios.push(buildHeavyRecord(today));
  return scenarios;
}
