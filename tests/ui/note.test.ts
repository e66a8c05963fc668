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
        evidence: [{ reference: 'Observation/hb1', date: '2026-10-01', display: 'Hemoglobin', value: '13.1 g/dL' }],
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
  });

  it('produces a plain-text note with every section a nurse would paste', () => {
    expect(reportAsNote(sample, 'Abrocitinib (Cibinqo)')).toBe(
      [
        'JAK inhibitor readiness: Abrocitinib (Cibinqo)',
        'As of 2026-11-27. Decision support from the EHR record; verify before acting.',
        'Summary: 1 do-not-start · 1 caution · 1 abnormal result · 1 lab to order · could not check 1 item · 1 data gap',
        '',
        'Data gaps (items depending on these could not be checked):',
        '- Immunizations: scope not granted (affects: Shingles vaccine)',
        '',
        'Baseline checklist:',
        '- Complete blood count: Incomplete; within 90 days; latest Hemoglobin 13.1 g/dL 2026-10-01; still needed: ANC, ALC',
        '- Tuberculosis screening: Abnormal; within 365 days; Indeterminate: repeat the test',
        '- Shingles vaccine (recombinant): Could not check; any time',
        '- Pregnancy test: Not applicable',
        '',
        'Cautions:',
        '- Not fully checked: Immunizations could not be read completely, so cautions that depend on them may be missing.',
        'Do not start:',
        '- Pregnancy: Positive hCG. [unconfirmed]',
        'Warnings:',
        '- Low blood counts: ANC 800/µL below 1,000/µL. [last known value, outdated] (Neutrophils 800/µL 2026-03-01)',
        '',
        'Decision factors:',
        '- Itch score: 7/10 (2026-11-01)',
      ].join('\n'),
    );
  });

  it('keeps one entry per line when record strings contain line breaks', () => {
    const note = reportAsNote(
      report({ checklist: [item({ id: 'cbc', status: 'missing', label: 'Complete\nblood count' })] }),
      'Oral JAK inhibitor (any)',
    );
    expect(note).toContain('- Complete blood count: Missing; within 90 days');
  });

  it('leaves the patient name out of the clipboard text', () => {
    expect(reportAsNote(sample, 'Oral')).not.toContain('Rivera');
  });

  it('says when no caution was raised instead of leaving the section empty', () => {
    expect(reportAsNote(report({ checklist: [item({ id: 'cbc', status: 'done' })] }), 'Oral')).toContain(
      'Cautions:\n- None raised by the record',
    );
  });

  it('keeps hostile markup as inert text', () => {
    const note = reportAsNote(report({ cautions: [caution({ id: 'smoking', severity: 'warning', text: '<img src=x onerror=alert(1)>' })] }), 'Oral');
    expect(note).toContain('- Smoking: <img src=x onerror=alert(1)>');
  });
});
