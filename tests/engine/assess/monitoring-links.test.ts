/**
 * R3.8 after the start: a monitoring entry's or an on-treatment result's source links to the
 * label's public page, the same way cautions and dosing do.
 */
import { describe, expect, it } from 'vitest';
import { LABEL_PAGES } from '../../../src/kb/label-pages';
import { medication, observation, qty, reportFor } from './builders';

const abrocitinib = (days: number) => medication('abrocitinib 100 MG Oral Tablet', { authoredDays: days });
const upadacitinib = (days: number) => medication('upadacitinib 15 MG Extended Release Oral Tablet', { authoredDays: days });
const lowPlatelets = observation('777-3', 'Platelets', qty(45, '10*3/uL'), 5);

interface Row { rule: string; resources: Record<string, unknown>[]; entry: string; url: string }
const rows: Row[] = [
  { rule: 'fires: abrocitinib CBC at week 4 links the Cibinqo label (US)', resources: [abrocitinib(40)], entry: 'cbc-week-4', url: LABEL_PAGES.Cibinqo.US },
  { rule: 'fires: upadacitinib CBC at week 12 links the Rinvoq label (US)', resources: [upadacitinib(100)], entry: 'cbc-week-12', url: LABEL_PAGES.Rinvoq.US },
  { rule: 'fires: abrocitinib lipid panel at week 4 links the Cibinqo label (US)', resources: [abrocitinib(40)], entry: 'lipid-panel-week-4', url: LABEL_PAGES.Cibinqo.US },
];

describe('R3.8: monitoring sources link to the label\'s public page', () => {
  it.each(rows)('$rule', (row) => {
    const report = reportFor(row.resources);
    const entry = report.monitoring!.entries.find((e) => e.id === row.entry);
    expect(entry, JSON.stringify(report.monitoring!.entries.map((e) => e.id))).toBeDefined();
    expect(entry!.links).toEqual([{ label: expect.stringMatching(/label \(US\)$/) as never, url: row.url }]);
    expect(report.monitoring!.links?.map((l) => l.url)).toContain(row.url);
  });

  it('fires: a result during treatment the label acts on links its label, as does its caution', () => {
    const report = reportFor([abrocitinib(40), lowPlatelets]);
    const result = report.monitoring!.abnormal![0]!;
    // The source names the US label and the EU product information: both pages.
    expect(result.links).toEqual([{ label: 'Cibinqo label (US)', url: LABEL_PAGES.Cibinqo.US }, { label: 'Cibinqo product information (EU)', url: LABEL_PAGES.Cibinqo.EU }]);
    expect(report.monitoring!.entries.find((e) => e.abnormal)!.abnormal!.links).toEqual(result.links);
    expect(report.cautions.find((c) => c.id === 'on-treatment-result')!.links).toEqual(result.links);
  });

  it('does not fire: an unreadable result (its source is no label) has no link', () => {
    const report = reportFor([abrocitinib(40), observation('777-3', 'Platelets', { valueString: 'see comment' }, 5)]);
    const result = report.monitoring!.abnormal![0]!;
    expect(result.action).toBe('review');
    expect(result.links).toBeUndefined();
  });
});
