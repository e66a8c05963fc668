import { describe, expect, it } from 'vitest';
import type { Coding, ObservationFact } from '../../../src/engine/record';
import { interpretQualitative, readQualitative, readViralLoad } from '../../../src/engine/normalise/qualitative';
import { LOINC, SNOMED } from '../../../src/engine/normalise/codes';

const V3 = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

function result(fields: Partial<ObservationFact>): ObservationFact {
  return {
    reference: 'Observation/q',
    codes: [],
    display: 'HBsAg',
    valueCodes: [],
    interpretation: [],
    categories: [],
    ...fields,
  };
}

const coded = (system: string, code: string, display?: string): Coding[] => [{ system, code, ...(display ? { display } : {}) }];

describe('interpretQualitative', () => {
  it.each<[string, Partial<ObservationFact>, string | undefined]>([
    ['SNOMED positive', { valueCodes: coded(SNOMED, '10828004') }, 'positive'],
    ['SNOMED negative', { valueCodes: coded(SNOMED, '260385009') }, 'negative'],
    ['SNOMED detected', { valueCodes: coded(SNOMED, '260373001') }, 'positive'],
    ['SNOMED not detected', { valueCodes: coded(SNOMED, '260415000') }, 'negative'],
    ['SNOMED indeterminate', { valueCodes: coded(SNOMED, '82334004') }, 'indeterminate'],
    ['SNOMED inconclusive', { valueCodes: coded(SNOMED, '419984006') }, 'indeterminate'],
    ['SNOMED equivocal', { valueCodes: coded(SNOMED, '42425007') }, 'indeterminate'],
    ['SNOMED reactive', { valueCodes: coded(SNOMED, '11214006') }, 'positive'],
    ['SNOMED non-reactive', { valueCodes: coded(SNOMED, '131194007') }, 'negative'],
    ['LOINC Positive', { valueCodes: coded(LOINC, 'LA6576-8') }, 'positive'],
    ['LOINC Negative', { valueCodes: coded(LOINC, 'LA6577-6') }, 'negative'],
    ['LOINC Detected', { valueCodes: coded(LOINC, 'LA11882-0') }, 'positive'],
    ['LOINC Not detected', { valueCodes: coded(LOINC, 'LA11883-8') }, 'negative'],
    ['LOINC Indeterminate', { valueCodes: coded(LOINC, 'LA11884-6') }, 'indeterminate'],
    ['LOINC Borderline', { valueCodes: coded(LOINC, 'LA4259-3') }, 'indeterminate'],
    ['local code with a telling display', { valueCodes: coded('urn:oid:1.2.3', 'P1', 'Reactive') }, 'positive'],
    ['valueString Reactive', { valueString: 'Reactive' }, 'positive'],
    ['valueString Non-reactive (never read as reactive)', { valueString: 'Non-reactive' }, 'negative'],
    ['valueString NONREACTIVE', { valueString: 'NONREACTIVE' }, 'negative'],
    ['valueString "  negative. "', { valueString: '  negative. ' }, 'negative'],
    ['valueString Not Detected', { valueString: 'Not Detected' }, 'negative'],
    ['valueString Detected', { valueString: 'Detected' }, 'positive'],
    ['valueString pos', { valueString: 'pos' }, 'positive'],
    ['valueString neg', { valueString: 'NEG' }, 'negative'],
    ['valueString Indeterminate', { valueString: 'Indeterminate' }, 'indeterminate'],
    ['valueString Equivocal', { valueString: 'Equivocal' }, 'indeterminate'],
    ['valueString Borderline', { valueString: 'Borderline' }, 'indeterminate'],
    ['valueString Inconclusive', { valueString: 'inconclusive' }, 'indeterminate'],
    ['valueBoolean true', { valueBoolean: true }, 'positive'],
    ['valueBoolean false', { valueBoolean: false }, 'negative'],
    ['interpretation POS', { interpretation: coded(V3, 'POS') }, 'positive'],
    ['interpretation NEG', { interpretation: coded(V3, 'NEG') }, 'negative'],
    ['interpretation A (abnormal)', { interpretation: coded(V3, 'A') }, 'positive'],
    ['interpretation AA', { interpretation: coded(V3, 'AA') }, 'positive'],
    ['interpretation N (normal)', { interpretation: coded(V3, 'N') }, 'negative'],
    ['interpretation IND', { interpretation: coded(V3, 'IND') }, 'indeterminate'],
    ['interpretation DET', { interpretation: coded(V3, 'DET') }, 'positive'],
    ['interpretation ND', { interpretation: coded(V3, 'ND') }, 'negative'],
    ['interpretation H is not qualitative', { interpretation: coded(V3, 'H') }, undefined],
    ['interpretation L is not qualitative', { interpretation: coded(V3, 'L') }, undefined],
    ['a free-text sentence is not guessed', { valueString: 'see scanned report' }, undefined],
    ['a number alone says nothing', { quantity: { value: 0.2, unit: '{s_co_ratio}' } }, undefined],
    ['nothing at all', {}, undefined],
  ])('%s', (_name, fields, expected) => {
    expect(interpretQualitative(result(fields))).toBe(expected);
  });

  it('lets an explicit value beat the interpretation flag', () => {
    expect(interpretQualitative(result({ valueString: 'Negative', interpretation: coded(V3, 'A') }))).toBe('negative');
    expect(interpretQualitative(result({ valueCodes: coded(SNOMED, '10828004'), interpretation: coded(V3, 'N') }))).toBe(
      'positive',
    );
  });

  it('falls back to the interpretation when the value itself is not interpretable', () => {
    expect(
      interpretQualitative(result({ quantity: { value: 3.2, unit: '{index}' }, interpretation: coded(V3, 'POS') })),
    ).toBe('positive');
  });
});

describe('readQualitative: contradictory or unknown text is never negative (R2.1)', () => {
  it.each<[string, Partial<ObservationFact>, string | undefined, RegExp | undefined]>([
    ['"Reactive, non-confirmed" flagged N', { valueString: 'Reactive, non-confirmed', interpretation: coded(V3, 'N') }, undefined, /contradictory result text: needs review/],
    ['"Reactive non-confirm" (IPS sample)', { valueString: 'Reactive non-confirm' }, undefined, /contradictory/],
    ['"POS/NEG"', { valueString: 'POS/NEG' }, undefined, /contradictory/],
    ['"Reactive, Immune" is positive', { valueString: 'Reactive, Immune' }, 'positive', undefined],
    ['"Negative for HBsAg" is not guessed', { valueString: 'Negative for HBsAg' }, undefined, /not interpretable/],
    ['an unknown local answer code with flag N', { valueCodes: coded('urn:oid:1.2.3', 'X9', 'Weird'), interpretation: coded(V3, 'N') }, undefined, /not interpretable/],
  ])('%s', (_name, fields, expected, problem) => {
    const reading = readQualitative(result(fields));
    expect(reading.result).toBe(expected);
    if (problem) expect(reading.problem).toMatch(problem);
  });
});

describe('readViralLoad: numbers decide, flags do not (R2.1)', () => {
  const q = (value: number, comparator?: string) => ({ quantity: { value, unit: '[IU]/mL', ...(comparator ? { comparator } : {}) } });
  it.each<[string, Partial<ObservationFact>, string | undefined]>([
    ['25 IU/mL flagged N', { ...q(25), interpretation: coded(V3, 'N') }, 'positive'],
    ['850,000 IU/mL', q(850000), 'positive'],
    ['< 15 IU/mL', q(15, '<'), 'negative'],
    ['0 IU/mL', q(0), 'negative'],
    ['< 10 with interpretation "detected"', { ...q(10, '<'), interpretation: coded(V3, 'DET') }, 'positive'],
    ['"Not detected"', { valueString: 'Not detected' }, 'negative'],
    ['"Target not detected"', { valueString: 'Target not detected' }, 'negative'],
    ['"RNA not detected UI/mL" (IPS sample)', { valueString: 'RNA not detected UI/mL' }, 'negative'],
    ['"< 15 IU/mL"', { valueString: '< 15 IU/mL' }, 'negative'],
    ['"500 to 10,000 IU/mL"', { valueString: '500 to 10,000 IU/mL' }, 'positive'],
    ['"< 10 Detected"', { valueString: '< 10 Detected' }, 'positive'],
    ['"Detected, not detected"', { valueString: 'Detected / not detected' }, undefined],
    ['"see report"', { valueString: 'see report' }, undefined],
    ['coded Not detected', { valueCodes: coded(SNOMED, '260415000') }, 'negative'],
  ])('%s', (_name, fields, expected) => {
    expect(readViralLoad(result(fields)).result).toBe(expected);
  });
});
