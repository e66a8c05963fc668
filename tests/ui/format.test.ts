// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { agoWording, codeWording, shortSource, sourceWording, windowDays } from '../../src/ui/format';

describe('words for the report\'s facts', () => {
  it('says how long ago a result was, in days, from the report\'s date', () => {
    expect(agoWording('2026-11-27', '2026-11-27')).toBe('today');
    expect(agoWording('2026-11-26T23:10:00Z', '2026-11-27')).toBe('yesterday');
    expect(agoWording('2025-11-12', '2026-11-27')).toBe('380 days ago');
    expect(agoWording('2020-01-01', '2026-11-27')).toBe('2,522 days ago');
    expect(agoWording('2026-11', '2026-11-27')).toBe('on 2026-11');
    expect(agoWording(undefined, '2026-11-27')).toBe('no date recorded');
  });

  it('reads day windows only', () => {
    expect(windowDays('P90D')).toBe(90);
    expect(windowDays(null)).toBeUndefined();
    expect(windowDays('P1Y')).toBeUndefined();
  });

  it('shortens a rule\'s source to its references, without explanations or internal file names', () => {
    expect(shortSource('Cibinqo/Rinvoq PI §2.1; Olumiant SmPC (do not initiate below the thresholds)')).toBe('Cibinqo/Rinvoq PI §2.1; Olumiant SmPC');
    expect(shortSource('Olumiant SmPC §4.4 (anti-HBc positive, HBsAg negative: monitor HBV DNA; MIMS Thailand copy); clinical/spec.md R2.2')).toBe('Olumiant SmPC §4.4');
    expect(shortSource('FDA 2021 JAK class communication (ORAL Surveillance: age ≥ 50 with ≥ 1 CV risk factor)')).toBe('FDA 2021 JAK class communication');
    const long = shortSource('Cibinqo, Rinvoq, Olumiant labels §5 Immunizations (avoid live vaccines); article ("avoid live vaccines during treatment") and a very long explanation that goes on and on');
    expect(long!.length).toBeLessThanOrEqual(100);
    expect(long!.endsWith('…')).toBe(true);
  });

  it('says "the patient\'s record" where the source is the record itself', () => {
    expect(shortSource('Record')).toBe("the patient's record");
    expect(shortSource('Record (switches the view toward monitoring)')).toBe("the patient's record");
    expect(sourceWording('Patient.deceased')).toBe("the patient's record");
    expect(sourceWording('Labels §1 (indications)')).toBe('Labels §1 (indications)');
  });

  it('names a code by its system, never by the system\'s web address', () => {
    expect(codeWording('http://loinc.org|751-8')).toBe('LOINC 751-8');
    expect(codeWording('http://snomed.info/sct|128053003')).toBe('SNOMED CT 128053003');
    expect(codeWording('urn:oid:2.16.840.1.113883.6.1|751-8')).toBe('code system 2.16.840.1.113883.6.1 751-8');
  });
});
