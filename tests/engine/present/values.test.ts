import { describe, expect, it } from 'vitest';
import { quantityForPeople, roundForPeople, unitForPeople } from '../../../src/engine/present/values';

describe('values for people (R2.1)', () => {
  it.each<[string, string]>([
    ['10*3/uL', '×10³/µL'],
    ['10*9/L', '×10⁹/L'],
    ['10*6/uL', '×10⁶/µL'],
    ['[IU]/L', 'IU/L'],
    ['m[IU]/mL', 'mIU/mL'],
    ['/uL', '/µL'],
    ['ug/L', 'µg/L'],
    ['umol/L', 'µmol/L'],
    ['U/L', 'U/L'],
    ['mL/min/{1.73_m2}', 'mL/min/1.73 m²'],
    ['{cells}/uL', 'cells/µL'],
    ['/mm3', '/mm³'],
    ['g/dL', 'g/dL'],
    ['kg', 'kg'],
    ['Cel', '°C'],
  ])('writes %s as %s', (ucum, people) => {
    expect(unitForPeople(ucum)).toBe(people);
  });

  it.each<[number, { wholeFrom?: number }, string]>([
    [12.5930613168, {}, '12.6'],
    [37.1966219173, { wholeFrom: 1 }, '37'],
    [4.26, { wholeFrom: 1 }, '4'],
    [248000, {}, '248,000'],
    [0.8, {}, '0.8'],
    [1.234, {}, '1.23'],
    [0.01234, {}, '0.012'], // never more than 3 decimals
    [130.4, {}, '130'],
    [25.4, { wholeFrom: 10 }, '25'],
    [8.5, { wholeFrom: 10 }, '8.5'],
    [0, {}, '0'],
  ])('rounds %d (%j) to %s', (value, options, shown) => {
    expect(roundForPeople(value, options)).toBe(shown);
  });

  it('joins number and unit as people write them', () => {
    expect(quantityForPeople({ value: 800, unit: '/uL' })).toBe('800/µL');
    expect(quantityForPeople({ value: 12.59, unit: 'g/dL' })).toBe('12.6 g/dL');
    expect(quantityForPeople({ value: 15, unit: '[IU]/mL', comparator: '<' })).toBe('<15 IU/mL');
    expect(quantityForPeople({ value: 248, unit: '10*3/uL' })).toBe('248 ×10³/µL');
  });
});
