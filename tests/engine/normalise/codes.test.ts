import { describe, expect, it } from 'vitest';
import {
  canonicalSystem,
  codingsOf,
  displayOf,
  CVX,
  ICD10,
  ICD10CM,
  LOINC,
  NDC,
  RXNORM,
  SNOMED,
} from '../../../src/engine/normalise/codes';

describe('canonicalSystem', () => {
  it.each([
    ['urn:oid:2.16.840.1.113883.6.1', LOINC],
    ['URN:OID:2.16.840.1.113883.6.1', LOINC],
    ['https://loinc.org/', LOINC],
    ['urn:oid:2.16.840.1.113883.6.96', SNOMED],
    ['https://snomed.info/sct', SNOMED],
    ['http://snomed.info/sct/', SNOMED],
    ['urn:oid:2.16.840.1.113883.6.88', RXNORM],
    ['urn:oid:2.16.840.1.113883.6.90', ICD10CM],
    ['urn:oid:2.16.840.1.113883.12.292', CVX],
    ['urn:oid:2.16.840.1.113883.6.69', NDC],
    ['http://hl7.org/fhir/sid/icd-10', ICD10],
    [' http://loinc.org ', LOINC],
  ])('maps %s to its canonical URL', (alias, canonical) => {
    expect(canonicalSystem(alias)).toBe(canonical);
  });

  it('keeps WHO ICD-10 distinct from ICD-10-CM', () => {
    expect(canonicalSystem('http://hl7.org/fhir/sid/icd-10')).not.toBe(ICD10CM);
  });

  it('passes unknown systems through, lower-casing only an OID prefix', () => {
    expect(canonicalSystem('urn:oid:1.2.40.0.34.4.16')).toBe('urn:oid:1.2.40.0.34.4.16');
    expect(canonicalSystem('URN:OID:1.2.3')).toBe('urn:oid:1.2.3');
    expect(canonicalSystem('http://example.org/Local')).toBe('http://example.org/Local');
    expect(canonicalSystem(undefined)).toBe('');
  });
});

describe('codingsOf', () => {
  it('canonicalises systems, trims codes and skips codings without a code', () => {
    const codings = codingsOf({
      coding: [
        { system: 'urn:oid:2.16.840.1.113883.6.1', code: ' 718-7 ', display: 'Hemoglobin' },
        { system: 'http://snomed.info/sct', display: 'no code here' },
        { system: 'http://snomed.info/sct', code: '   ' },
      ],
    });
    expect(codings).toEqual([{ system: LOINC, code: '718-7', display: 'Hemoglobin' }]);
  });

  it('gives undotted ICD-10-CM codes their dot so prefix rules match', () => {
    const [coding] = codingsOf({ coding: [{ system: 'urn:oid:2.16.840.1.113883.6.90', code: 'z86718' }] });
    expect(coding).toEqual({ system: ICD10CM, code: 'Z86.718' });
  });

  it('survives malformed concepts', () => {
    expect(codingsOf(undefined)).toEqual([]);
    expect(codingsOf({ coding: 'nope' } as never)).toEqual([]);
    expect(codingsOf({ coding: [null, 3, { code: 42 }] } as never)).toEqual([{ system: '', code: '42' }]);
  });
});

describe('displayOf', () => {
  it('prefers text, then the first display, then the first code, then the fallback', () => {
    expect(displayOf({ text: 'Hb', coding: [{ code: '718-7', display: 'Hemoglobin' }] }, 'x')).toBe('Hb');
    expect(displayOf({ coding: [{ code: '718-7' }, { code: 'y', display: 'Hemoglobin' }] }, 'x')).toBe('Hemoglobin');
    expect(displayOf({ coding: [{ code: '718-7' }] }, 'x')).toBe('718-7');
    expect(displayOf({ text: '  ' }, 'Unnamed')).toBe('Unnamed');
    expect(displayOf(undefined, 'Unnamed')).toBe('Unnamed');
  });
});
