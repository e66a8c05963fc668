// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { reportAsNote } from '../../src/ui/note';
import { caution, item, report } from './fixtures';

describe('reportAsNote', () => {
  const sample = report({
    dataGaps: [{ resourceType: 'Immunization', reason: 'scope not granted', affects: ['Shingles vaccine'] }],
    checklist: [
      item({
        id: 'cbc',
        status: 'incomplete',
        missing: ['ANC', 'ALC'],
        evidence: [{ reference: 'Observation/hb1', date: '2026-10-01', display: 'Hemoglobin [Mass/volume] in Blood', test: 'Hemoglobin', value: '13.1 g/dL' }],
      }),
      item({ id: 'tb-screening', status: 'abnormal', window: 'P365D', notes: ['Indeterminate: repeat the test'] }),
      item({ id: 'zoster-vaccine', status: 'unknown', window: null }),
      item({ id: 'pregnancy-test', status: 'not-applicable', window: 'P30D' }),
    ],
    cautions: [
      caution({
        id: 'cytopenia',
        severity: 'warning',
        text: 'ANC 800/µL below 1,000/µL.',
        outdated: true,
        evidence: [{ reference: 'Observation/anc', date: '2026-03-01', display: 'Neutrophils', value: '800/µL' }],
      }),
      caution({ id: 'pregnancy', severity: 'do-not-start', text: 'Positive hCG.', unconfirmed: true }),
    ],
    factors: [{ id: 'itch', label: 'Itch score', value: '7/10 (2026-11-01)' }],
    byAgent: [
      { therapy: 'abrocitinib', label: 'Abrocitinib', verdict: 'do-not-start', reasons: ['pregnant'], causes: [{ kind: 'caution', id: 'pregnancy' }] },
      { therapy: 'ruxolitinib-cream', label: 'Ruxolitinib cream', verdict: 'needs-work', reasons: ['1 lab to order'], causes: [] },
    ],
    todo: [
      { id: 'order-cbc', kind: 'order-lab', text: 'Order CBC with automated differential', orders: [{ system: 'http://loinc.org', code: '57021-8', display: 'CBC with automated differential' }], from: [{ kind: 'item', id: 'cbc' }] },
      { id: 'confirm-latent-tuberculosis', kind: 'confirm', text: 'Exclude active TB and treat latent TB before starting', from: [{ kind: 'caution', id: 'latent-tuberculosis' }] },
    ],
  });

  it('produces a plain-text note: identity, verdict per agent, to-do, cautions with sources, checklist', () => {
    expect(reportAsNote(sample, 'Abrocitinib (Cibinqo)')).toBe(
      [
        'JAK inhibitor readiness: Abrocitinib (Cibinqo)',
        'Patient: Rivera, Ana',
        'As of 2026-11-27. Decision support from the EHR record; verify before acting.',
        'Summary: 1 reason not to start · 1 caution · 1 abnormal result · 1 lab to order · could not check 1 item · 1 data gap',
        '',
        'Verdict per agent:',
        '- ✗ Abrocitinib: Do not start (pregnant)',
        '- ⚠ Ruxolitinib cream: Needs work (1 lab to order)',
        '',
        'To do:',
        '- Order CBC',
        '- Exclude active TB and treat latent TB before starting',
        '',
        'Cautions:',
        '- Not fully checked: Immunizations could not be read completely, so cautions that depend on them may be missing.',
        'Do not start:',
        '- Pregnancy: Positive hCG. [unconfirmed]. Source: Class boxed warning',
        'Warnings:',
        '- Low blood counts: ANC 800/µL below 1,000/µL. [last known value, outdated] (Neutrophils 800/µL 2026-03-01). Source: Class boxed warning',
        '',
        'Baseline checklist:',
        '- Complete blood count: Incomplete; Hemoglobin 13.1 g/dL, 57 days ago · within 90 days; still needed: ANC, ALC',
        '- Tuberculosis screening: Abnormal; Indeterminate: repeat the test',
        '- Shingles vaccine (recombinant): Could not check',
        '- Pregnancy test: Not applicable',
        '',
        'Data gaps (items depending on these could not be checked):',
        '- Immunizations: scope not granted (affects: Shingles vaccine)',
        '',
        'Decision factors:',
        '- Itch score: 7/10 (2026-11-01)',
        '',
        'Abbreviations: ANC = absolute neutrophil count; ALC = absolute lymphocyte count; CBC = complete blood count; hCG = pregnancy hormone (human chorionic gonadotropin); TB = tuberculosis',
      ].join('\n'),
    );
  });

  it('keeps one entry per line when record strings contain line breaks', () => {
    const note = reportAsNote(
      report({ checklist: [item({ id: 'cbc', status: 'missing', label: 'Complete\nblood count' })] }),
      'Oral JAK inhibitor (any)',
    );
    expect(note).toContain('- Complete blood count: Missing');
    expect(note.split('\n').filter((line) => line.startsWith('- Complete'))).toHaveLength(1);
  });

  it('strips control and direction characters from record strings: U+0085 starts no fake line, U+202E reorders nothing', () => {
    const fake = 'Complete blood count\u0085- Pregnancy test: Done\u2028- TB: Done';
    const note = reportAsNote(
      report({
        patient: { id: 'p1', age: 34, sex: 'female', name: 'Rivera\u202E, Ana\u2066\u200F\u0000\u001B[31m', mrn: 'MRN\u009B42' },
        checklist: [item({ id: 'cbc', status: 'missing', label: fake, notes: ['ANC \u202E008\u202C/µL\r\nline'] })],
        cautions: [caution({ id: 'pregnancy', severity: 'do-not-start', text: 'Positive hCG\u2029- None raised', evidence: [{ reference: 'Observation/h', display: 'hCG\u0085Negative', value: '5\u2067 IU/L' }] })],
      }),
      'Oral JAK inhibitor (any)',
    );
    expect(note).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069\u200E\u200F]/);
    const lines = note.split('\n');
    expect(lines.filter((line) => /Pregnancy test: Done/.test(line))).toEqual([expect.stringMatching(/^- Complete blood count - Pregnancy test: Done - TB: Done: Missing/)]);
    expect(lines.some((line) => line.startsWith('- None raised'))).toBe(false);
    expect(lines[1]).toBe('Patient: Rivera, Ana[31m · MRN MRN42');
    expect(note).toContain('ANC 008/µL line');
  });

  it('names the patient (name, birth date, MRN) so a printed or pasted note cannot be filed against the wrong chart', () => {
    const note = reportAsNote(report({ patient: { id: 'p1', age: 34, sex: 'female', name: 'Rivera, Ana', birthDate: '1992-01-15', mrn: 'MRN-0042' } }), 'Oral');
    expect(note.split('\n')[1]).toBe('Patient: Rivera, Ana · born 1992-01-15 · MRN MRN-0042');
  });

  it('puts a recorded death first', () => {
    const note = reportAsNote(report({ patient: { id: 'p1', age: 80, sex: 'male', deceased: '2026-05-01' } }), 'Oral');
    expect(note.split('\n')[1]).toMatch(/^Recorded as deceased \(2026-05-01\)/);
  });

  it('says when no caution was raised instead of leaving the section empty', () => {
    expect(reportAsNote(report({ checklist: [item({ id: 'cbc', status: 'done' })] }), 'Oral')).toContain(
      'Cautions:\n- None raised by the record',
    );
  });

  it('names what a data gap affects in words, never by id', () => {
    const note = reportAsNote(report({ checklist: [item({ id: 'cbc', status: 'unknown' })], dataGaps: [{ resourceType: 'Observation', reason: 'HTTP 503', affects: ['cbc', 'pregnancy-test', 'cytopenia'] }] }), 'Oral');
    expect(note).toContain('- Observations (lab results, vital signs): HTTP 503 (affects: Complete blood count, Pregnancy test, Low blood counts)');
  });

  it('keeps hostile markup as inert text', () => {
    const note = reportAsNote(report({ cautions: [caution({ id: 'smoking', severity: 'warning', text: '<img src=x onerror=alert(1)>' })] }), 'Oral');
    expect(note).toContain('- Smoking: <img src=x onerror=alert(1)>');
  });
});

describe('the note in clinical words', () => {
  const onJak = report({
    todo: [
      { id: 'order-cbc', kind: 'order-lab', text: 'Order CBC with automated differential, lipid panel', orders: [{ system: 'http://loinc.org', code: '57021-8', display: 'CBC with automated differential' }, { system: 'http://loinc.org', code: '57698-3', display: 'Lipid panel' }], from: [{ kind: 'item', id: 'cbc' }] },
      { id: 'vaccinate-zoster', kind: 'vaccinate', text: 'Give the recombinant zoster vaccine (Shingrix), dose 1 of 2', from: [{ kind: 'item', id: 'zoster-vaccine' }] },
    ],
    cautions: [
      caution({
        id: 'already-on-jak-inhibitor',
        severity: 'info',
        text: 'On upadacitinib.',
        source: 'Record (switches the view toward monitoring)',
        evidence: [
          { reference: 'Observation/ldl', date: '2026-11-01', display: 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay', test: 'LDL', value: '96 mg/dL' },
          { reference: 'Condition/dm', date: '2004-04-03', display: 'Diabetic retinopathy associated with type II diabetes mellitus (disorder)', value: 'active' },
        ],
      }),
    ],
  });

  it('names tests by their short names and sources without screen words', () => {
    const note = reportAsNote(onJak, 'Upadacitinib (Rinvoq)');
    expect(note).toContain('- Order CBC, lipid panel (LDL cholesterol)\n');
    expect(note).toContain("(LDL 96 mg/dL 2026-11-01; Diabetic retinopathy associated with type II diabetes mellitus active 2004-04-03). Source: the patient's record");
    expect(note).not.toMatch(/switches the view|automated differential|\[Mass\/volume\]|\(disorder\)/);
  });

  it('writes each mark after its to-do item, and nothing for unmarked ones', () => {
    const note = reportAsNote(onJak, 'Upadacitinib (Rinvoq)', { 'order-cbc': { item: 'order-cbc', mark: 'declined', date: '2026-12-01', reason: 'patient preference' } });
    expect(note).toContain('- Order CBC, lipid panel (LDL cholesterol) — Declined 2026-12-01: patient preference\n- Give the recombinant zoster vaccine (Shingrix), dose 1 of 2\n');
  });
});
