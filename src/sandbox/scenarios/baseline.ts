/** The pre-treatment baseline work-up, parameterised so each scenario changes one thing. */
import type { Coding } from 'fhir/r4';
import type { ChartBuilder } from './chart-builder';
import { CODED_TESTS, LABS_SI, LABS_US, RESULT, VACCINES, type LabSet } from './codes';

export interface BaselineOptions {
  daysAgo: number;
  units?: 'us' | 'si';
  /** false: CBC without the differential (no ANC/ALC, no % differential). */
  differential?: boolean;
  /** ANC in cells/µL, recorded as `/uL` when given (instead of 10*3/uL). */
  ancPerUl?: number;
  igra?: Coding;
  hbsag?: Coding;
  antiHbc?: Coding;
  hcvAb?: Coding;
  /** Urine hCG result; omitted when undefined. */
  urineHcg?: Coding;
  /** Days before today of the hCG (pregnancy tests are repeated close to the start). */
  hcgDaysAgo?: number;
}

/** Typical normal values in conventional units, and their SI equivalents. */
const NORMAL = {
  us: { wbc: 6.4, hemoglobin: 13.9, platelets: 248, anc: 3.6, alc: 2.0, cholesterol: 186, ldl: 108, hdl: 56, triglycerides: 112 },
  si: { wbc: 6.4, hemoglobin: 139, platelets: 248, anc: 3.6, alc: 2.0, cholesterol: 4.8, ldl: 2.8, hdl: 1.45, triglycerides: 1.26 },
} as const;

export function addBaseline(chart: ChartBuilder, opts: BaselineOptions): void {
  const units = opts.units ?? 'us';
  const labs: LabSet = units === 'si' ? LABS_SI : LABS_US;
  const v = NORMAL[units];
  const d = opts.daysAgo;

  chart.lab(labs.wbc, v.wbc, d);
  chart.lab(labs.hemoglobin, v.hemoglobin, d);
  chart.lab(labs.platelets, v.platelets, d);
  if (opts.differential !== false) {
    if (opts.ancPerUl !== undefined) {
      chart.lab({ ...labs.anc, unit: '/uL', unitText: 'cells/uL', low: 1800, high: 7700 }, opts.ancPerUl, d);
    } else {
      chart.lab(labs.anc, v.anc, d);
    }
    chart.lab(labs.alc, v.alc, d);
    chart.lab(labs.neutrophilsPct, 56, d);
    chart.lab(labs.lymphocytesPct, 31, d);
  }
  chart.lab(labs.alt, 21, d, 5);
  chart.lab(labs.ast, 23, d, 5);
  chart.lab(labs.cholesterol, v.cholesterol, d, 5);
  chart.lab(labs.ldlCalculated, v.ldl, d, 5);
  chart.lab(labs.hdl, v.hdl, d, 5);
  chart.lab(labs.triglycerides, v.triglycerides, d, 5);
  chart.codedResult(CODED_TESTS.igra, opts.igra ?? RESULT.negative, d);
  chart.codedResult(CODED_TESTS.hbsag, opts.hbsag ?? RESULT.negative, d);
  chart.codedResult(CODED_TESTS.antiHbc, opts.antiHbc ?? RESULT.negative, d);
  chart.codedResult(CODED_TESTS.hcvAb, opts.hcvAb ?? RESULT.negative, d);
  if (opts.urineHcg) chart.codedResult(CODED_TESTS.urineHcg, opts.urineHcg, opts.hcgDaysAgo ?? Math.min(d, 7));
}

/** Two recombinant zoster doses, 70 days apart (>= 28 required). */
export function addZosterSeries(chart: ChartBuilder, firstDoseDaysAgo = 260): void {
  chart.immunization(VACCINES.zosterRecombinant, firstDoseDaysAgo);
  chart.immunization(VACCINES.zosterRecombinant, firstDoseDaysAgo - 70);
}
