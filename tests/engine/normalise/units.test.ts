import { describe, expect, it } from 'vitest';
import ucum from '@lhncbc/ucum-lhc';
import {
  convertQuantity,
  formatQuantity,
  TARGET_UCUM,
  UNIT_TABLE,
  type TargetUnit,
} from '../../../src/engine/normalise/units';

describe('convertQuantity', () => {
  it.each<[number, string, TargetUnit, number]>([
    // cell counts
    [1500, '/uL', 'cells/uL', 1500],
    [1500, '/mm3', 'cells/uL', 1500],
    [1500, '{cells}/uL', 'cells/uL', 1500],
    [1500, 'cells/µL', 'cells/uL', 1500],
    [1.5, '10*3/uL', 'cells/uL', 1500],
    [1.5, '10^3/uL', 'cells/uL', 1500],
    [1.5, 'x10E3/uL', 'cells/uL', 1500],
    [1.5, 'K/uL', 'cells/uL', 1500],
    [1.5, 'k/µL', 'cells/uL', 1500],
    [1.5, '10*3/mm3', 'cells/uL', 1500],
    [1.5, 'thousand/uL', 'cells/uL', 1500],
    [1.5, '10*9/L', 'cells/uL', 1500],
    [1.5, '10^9/L', 'cells/uL', 1500],
    [1.5, 'x10E9/L', 'cells/uL', 1500],
    [1.5, 'x10*9/L', 'cells/uL', 1500],
    [1.5, '× 10^9/L', 'cells/uL', 1500],
    [1.5, 'G/L', 'cells/uL', 1500],
    [4.5, '10*6/uL', 'cells/uL', 4_500_000],
    [4.5, '10*12/L', 'cells/uL', 4_500_000],
    [1.1, '10*3/uL', 'cells/uL', 1100],
    // hemoglobin
    [13.1, 'g/dL', 'g/dL', 13.1],
    [13.1, 'G/DL', 'g/dL', 13.1],
    [131, 'g/L', 'g/dL', 13.1],
    [13100, 'mg/dL', 'g/dL', 13.1],
    [8.1, 'mmol/L', 'g/dL', 13.05],
    // liver enzymes
    [40, 'U/L', 'U/L', 40],
    [40, 'IU/L', 'U/L', 40],
    [40, '[IU]/L', 'U/L', 40],
    [40, 'u/L', 'U/L', 40],
    [0.5, 'µkat/L', 'U/L', 30],
    [500, 'nkat/L', 'U/L', 30],
    // eGFR
    [45, 'mL/min/{1.73_m2}', 'mL/min/1.73m2', 45],
    [45, 'mL/min/1.73m2', 'mL/min/1.73m2', 45],
    [45, 'ml/min/1.73 m²', 'mL/min/1.73m2', 45],
    [45, 'mL/min', 'mL/min/1.73m2', 45],
    [0.75, 'mL/s/{1.73_m2}', 'mL/min/1.73m2', 45],
    // TST induration
    [12, 'mm', 'mm', 12],
    [1.2, 'cm', 'mm', 12],
    // lipids
    [190, 'mg/dL', 'mg/dL', 190],
    [1.9, 'g/L', 'mg/dL', 190],
    // percentages
    [55, '%', '%', 55],
    // quantitative hCG
    [30, 'mIU/mL', 'mIU/mL', 30],
    [30, 'IU/L', 'mIU/mL', 30],
    [0.03, 'IU/mL', 'mIU/mL', 30],
    // body weight
    [38.5, 'kg', 'kg', 38.5],
    [85, '[lb_av]', 'kg', 38.555],
    [38500, 'g', 'kg', 38.5],
  ])('%d %s -> %s = %d', (value, unit, to, expected) => {
    expect(convertQuantity({ value, unit }, to)).toBeCloseTo(expected, 2);
  });

  it.each<[string, TargetUnit]>([
    ['furlongs', 'cells/uL'],
    ['', 'g/dL'],
    ['mmol/L', 'mg/dL'], // lipids in mmol/L depend on the analyte: never guessed
    ['g/L', 'cells/uL'], // grams per litre is not giga per litre
    ['G/L', 'g/dL'], // and giga per litre is not grams per litre
    ['mg/dL', 'cells/uL'],
    ['%', 'cells/uL'],
    ['G', 'kg'], // giga is not grams
    ['U/L', 'mIU/mL'], // enzyme units are not international units
  ])('does not recognise %j as %s', (unit, to) => {
    expect(convertQuantity({ value: 10, unit }, to)).toBeUndefined();
  });

  it('refuses values that are not finite numbers', () => {
    expect(convertQuantity({ value: Number.NaN, unit: 'g/dL' }, 'g/dL')).toBeUndefined();
    expect(convertQuantity({ value: '13' as unknown as number, unit: 'g/dL' }, 'g/dL')).toBeUndefined();
  });
});

describe('formatQuantity', () => {
  it('shows value, comparator and unit as a clinician reads them', () => {
    expect(formatQuantity({ value: 13.1, unit: 'g/dL' })).toBe('13.1 g/dL');
    expect(formatQuantity({ value: 0.5, unit: 'mg/dL', comparator: '<' })).toBe('<0.5 mg/dL');
    expect(formatQuantity({ value: 7, unit: '' })).toBe('7');
  });
});

describe('unit table against the UCUM reference implementation', () => {
  const utils = ucum.UcumLhcUtils.getInstance();
  const rows = (Object.keys(UNIT_TABLE) as TargetUnit[]).flatMap((target) =>
    UNIT_TABLE[target].map((row) => ({ target, ...row })),
  );

  // UCUM refuses to convert arbitrary units such as [IU] (each substance has its own); between
  // two [IU] expressions only the metric prefixes differ, which the same expression in U checks.
  const prefixesOnly = (unit: string) => unit.replace(/\[IU\]/g, 'U');

  it.each(rows)('$unit -> $target: factor $factor matches UCUM ($ucum)', ({ target, ucum: from, factor, molarMass }) => {
    const to = TARGET_UCUM[target];
    const arbitrary = to.includes('[IU]');
    const result = utils.convertUnitTo(arbitrary ? prefixesOnly(from) : from, 1, arbitrary ? prefixesOnly(to) : to, molarMass ? { molecularWeight: molarMass } : undefined);
    expect(result.status, result.msg.join('; ')).toBe('succeeded');
    expect(result.toVal).not.toBeNull();
    expect(factor / (result.toVal as number)).toBeCloseTo(1, 9);
  });
});
