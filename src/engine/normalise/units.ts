/**
 * Unit conversion for the spec's thresholds (spec "Units"). A value is compared only after it
 * has been converted to the threshold's unit; an unrecognised unit returns `undefined` so the
 * caller shows the value as-is with "unit not recognised" and never compares it.
 *
 * The table is data: for each target unit, the spellings labs send and the factor that turns
 * one of them into the target. Every row names the UCUM expression (https://ucum.org/ucum) it
 * stands for, and a test checks each factor against the UCUM reference implementation
 * (@lhncbc/ucum-lhc), so this small browser-side table is proven against UCUM itself.
 */
import type { Quantity } from '../record';

export type TargetUnit = 'cells/uL' | 'g/dL' | 'U/L' | 'mL/min/1.73m2' | 'mm' | 'mg/dL' | '%' | 'mIU/mL' | 'kg';

export interface UnitRow {
  /** The spelling as labs send it (after µ/μ/mc -> u, power notation -> 10*n, spaces removed). */
  unit: string;
  /** Multiply a value in `unit` by this to get the target unit. */
  factor: number;
  /** The UCUM expression this spelling means (the cross-check converts it with ucum-lhc). */
  ucum: string;
  /** Match only with this exact case: `G/L` (giga per litre) is not `g/L` (grams per litre). */
  caseSensitive?: boolean;
  /** Molar mass (g/mol) for a substance-to-mass conversion, so the cross-check can reproduce it. */
  molarMass?: number;
}

/** The UCUM expression of each target, for the cross-check. */
export const TARGET_UCUM: Readonly<Record<TargetUnit, string>> = {
  'cells/uL': '/uL',
  'g/dL': 'g/dL',
  'U/L': 'U/L',
  'mL/min/1.73m2': 'mL/min/{1.73_m2}',
  mm: 'mm',
  'mg/dL': 'mg/dL',
  '%': '%',
  'mIU/mL': 'm[IU]/mL',
  kg: 'kg',
};

/**
 * Hemoglobin in mmol/L is, by laboratory convention (ICSH; Dutch and Scandinavian labs), the
 * concentration of the monomer (one heme-carrying globin chain, 16 114.5 g/mol = tetramer
 * 64 458 g/mol / 4). 1 mmol/L x 16.1145 g/mmol = 16.11 g/L = 1.611 g/dL. This row is only valid
 * because the `g/dL` target is used for hemoglobin alone.
 */
const HB_MONOMER_G_PER_MOL = 16_114.5;

export const UNIT_TABLE: Readonly<Record<TargetUnit, readonly UnitRow[]>> = {
  'cells/uL': [
    { unit: '/uL', factor: 1, ucum: '/uL' },
    { unit: '1/uL', factor: 1, ucum: '/uL' },
    { unit: '/mm3', factor: 1, ucum: '/mm3' },
    { unit: '{cells}/uL', factor: 1, ucum: '{cells}/uL' },
    { unit: 'cells/uL', factor: 1, ucum: '/uL' },
    { unit: 'cell/uL', factor: 1, ucum: '/uL' },
    { unit: '{cells}/mm3', factor: 1, ucum: '{cells}/mm3' },
    { unit: 'cells/mm3', factor: 1, ucum: '/mm3' },
    { unit: '10*3/uL', factor: 1_000, ucum: '10*3/uL' },
    { unit: '10*3/mm3', factor: 1_000, ucum: '10*3/mm3' },
    { unit: '10*3{cells}/uL', factor: 1_000, ucum: '10*3{cells}/uL' },
    { unit: '10*3cells/uL', factor: 1_000, ucum: '10*3/uL' },
    { unit: 'K/uL', factor: 1_000, ucum: '10*3/uL' },
    { unit: 'K/mm3', factor: 1_000, ucum: '10*3/mm3' },
    { unit: 'thousand/uL', factor: 1_000, ucum: '10*3/uL' },
    { unit: 'thou/uL', factor: 1_000, ucum: '10*3/uL' },
    { unit: '/nL', factor: 1_000, ucum: '/nL' },
    { unit: '10*9/L', factor: 1_000, ucum: '10*9/L' },
    { unit: '10*9{cells}/L', factor: 1_000, ucum: '10*9{cells}/L' },
    { unit: 'G/L', factor: 1_000, ucum: '10*9/L', caseSensitive: true },
    { unit: 'Gpt/L', factor: 1_000, ucum: '10*9/L', caseSensitive: true },
    { unit: '10*6/uL', factor: 1_000_000, ucum: '10*6/uL' },
    { unit: '10*6/mm3', factor: 1_000_000, ucum: '10*6/mm3' },
    { unit: 'M/uL', factor: 1_000_000, ucum: '10*6/uL', caseSensitive: true },
    { unit: 'million/uL', factor: 1_000_000, ucum: '10*6/uL' },
    { unit: '10*12/L', factor: 1_000_000, ucum: '10*12/L' },
    { unit: 'T/L', factor: 1_000_000, ucum: '10*12/L', caseSensitive: true },
    { unit: '/L', factor: 1e-6, ucum: '/L' },
    { unit: '10*6/L', factor: 1, ucum: '10*6/L' },
    { unit: '/mL', factor: 1e-3, ucum: '/mL' },
  ],
  'g/dL': [
    { unit: 'g/dL', factor: 1, ucum: 'g/dL' },
    { unit: 'gm/dL', factor: 1, ucum: 'g/dL' },
    { unit: 'g/100mL', factor: 1, ucum: 'g/(100.mL)' },
    { unit: 'g/L', factor: 0.1, ucum: 'g/L', caseSensitive: true },
    { unit: 'g/l', factor: 0.1, ucum: 'g/L', caseSensitive: true },
    { unit: 'mg/dL', factor: 0.001, ucum: 'mg/dL' },
    { unit: 'mmol/L', factor: HB_MONOMER_G_PER_MOL / 10_000, ucum: 'mmol/L', molarMass: HB_MONOMER_G_PER_MOL },
  ],
  'U/L': [
    { unit: 'U/L', factor: 1, ucum: 'U/L' },
    { unit: 'IU/L', factor: 1, ucum: 'U/L' },
    { unit: '[IU]/L', factor: 1, ucum: 'U/L' },
    { unit: 'mU/mL', factor: 1, ucum: 'mU/mL', caseSensitive: true },
    { unit: 'U/mL', factor: 1_000, ucum: 'U/mL' },
    // UCUM: U = umol/min and kat = mol/s, so 1 ukat = 60 U.
    { unit: 'ukat/L', factor: 60, ucum: 'ukat/L' },
    { unit: 'nkat/L', factor: 0.06, ucum: 'nkat/L' },
  ],
  'mL/min/1.73m2': [
    { unit: 'mL/min/{1.73_m2}', factor: 1, ucum: 'mL/min/{1.73_m2}' },
    { unit: 'mL/min/1.73m2', factor: 1, ucum: 'mL/min/{1.73_m2}' },
    { unit: 'mL/min/{1.73m2}', factor: 1, ucum: 'mL/min/{1.73m2}' },
    { unit: 'mL/min/1.73_m2', factor: 1, ucum: 'mL/min/{1.73_m2}' },
    { unit: 'mL/min/(1.73m2)', factor: 1, ucum: 'mL/min/{1.73_m2}' },
    { unit: 'mL/min/1.73', factor: 1, ucum: 'mL/min/{1.73_m2}' },
    // eGFR LOINC codes (33914-3, 48642-3, 62238-1, 98979-8...) are defined per 1.73 m2; many EHRs
    // (Synthea among them) drop the normalisation from the unit text. This target is only used
    // for eGFR codes, so a bare mL/min there means the same thing.
    { unit: 'mL/min', factor: 1, ucum: 'mL/min' },
    { unit: 'mL/s/{1.73_m2}', factor: 60, ucum: 'mL/s/{1.73_m2}' },
    { unit: 'mL/s/1.73m2', factor: 60, ucum: 'mL/s/{1.73_m2}' },
  ],
  mm: [
    { unit: 'mm', factor: 1, ucum: 'mm' },
    { unit: 'cm', factor: 10, ucum: 'cm' },
    { unit: '[mm]', factor: 1, ucum: 'mm' },
  ],
  'mg/dL': [
    { unit: 'mg/dL', factor: 1, ucum: 'mg/dL' },
    { unit: 'mg/100mL', factor: 1, ucum: 'mg/(100.mL)' },
    { unit: 'g/L', factor: 100, ucum: 'g/L', caseSensitive: true },
    { unit: 'g/l', factor: 100, ucum: 'g/L', caseSensitive: true },
    { unit: 'mg/L', factor: 0.1, ucum: 'mg/L' },
    // mmol/L deliberately absent: its factor depends on the analyte (cholesterol vs triglycerides).
  ],
  '%': [
    { unit: '%', factor: 1, ucum: '%' },
    { unit: 'percent', factor: 1, ucum: '%' },
    { unit: '{percent}', factor: 1, ucum: '%' },
  ],
  // Quantitative hCG: mIU/mL and IU/L are the same amount (R2.1 thresholds).
  'mIU/mL': [
    { unit: 'm[IU]/mL', factor: 1, ucum: 'm[IU]/mL' },
    { unit: 'mIU/mL', factor: 1, ucum: 'm[IU]/mL' },
    { unit: '[IU]/L', factor: 1, ucum: '[IU]/L' },
    { unit: 'IU/L', factor: 1, ucum: '[IU]/L' },
    { unit: '[IU]/mL', factor: 1_000, ucum: '[IU]/mL' },
    { unit: 'IU/mL', factor: 1_000, ucum: '[IU]/mL' },
  ],
  kg: [
    { unit: 'kg', factor: 1, ucum: 'kg' },
    { unit: 'g', factor: 0.001, ucum: 'g', caseSensitive: true },
    { unit: '[lb_av]', factor: 0.45359237, ucum: '[lb_av]' },
    { unit: 'lb', factor: 0.45359237, ucum: '[lb_av]' },
    { unit: 'lbs', factor: 0.45359237, ucum: '[lb_av]' },
    { unit: '[oz_av]', factor: 0.028349523125, ucum: '[oz_av]' },
  ],
};

/**
 * Brings the spellings labs use to the table's: micro signs and `mc` to `u`, superscripts to
 * digits, `x10E3`/`10^3`/`10e3` to UCUM's `10*3`, `mm^3` to `mm3`, and no spaces.
 */
export function normaliseUnitText(unit: string): string {
  return unit
    .trim()
    .replace(/[\u00B5\u03BC]/g, 'u')
    .replace(/\s+/g, '')
    .replace(/\u00B3/g, '3')
    .replace(/\u00B2/g, '2')
    .replace(/^[xX\u00D7]?10[*^eE](\d+)/, '10*$1')
    .replace(/mc(?=[lLgG])/g, 'u')
    .replace(/\^(\d)/g, '$1')
    .replace(/cu\.?mm/gi, 'mm3');
}

interface Lookup {
  exact: Map<string, number>;
  folded: Map<string, number>;
}

const LOOKUPS = new Map<TargetUnit, Lookup>(
  (Object.keys(UNIT_TABLE) as TargetUnit[]).map((target) => {
    const exact = new Map<string, number>();
    const folded = new Map<string, number>();
    for (const row of UNIT_TABLE[target]) {
      exact.set(row.unit, row.factor);
      if (!row.caseSensitive) folded.set(row.unit.toLowerCase(), row.factor);
    }
    return [target, { exact, folded }];
  }),
);

/** The factor from `unit` to `to`, or undefined when the unit is not recognised. */
export function conversionFactor(unit: string, to: TargetUnit): number | undefined {
  const lookup = LOOKUPS.get(to);
  if (!lookup || typeof unit !== 'string') return undefined;
  const spelled = normaliseUnitText(unit);
  return lookup.exact.get(spelled) ?? lookup.folded.get(spelled.toLowerCase());
}

/** The value in `to`, or undefined when the value is not a finite number or the unit is not recognised. */
export function convertQuantity(q: Quantity, to: TargetUnit): number | undefined {
  if (!q || typeof q.value !== 'number' || !Number.isFinite(q.value)) return undefined;
  const factor = conversionFactor(q.unit, to);
  if (factor === undefined) return undefined;
  // Twelve significant digits drop binary noise (1.1 x 1000 = 1100.0000000000002) that could
  // otherwise tip a comparison at a threshold.
  return Number((q.value * factor).toPrecision(12));
}

/** "13.1 g/dL", "<0.5 mg/dL", or just the value when there is no unit. */
export function formatQuantity(q: Quantity): string {
  const value = typeof q.value === 'number' && Number.isFinite(q.value) ? String(Number(q.value.toPrecision(12))) : '?';
  const unit = typeof q.unit === 'string' ? q.unit.trim() : '';
  return `${q.comparator ?? ''}${value}${unit ? ` ${unit}` : ''}`;
}
