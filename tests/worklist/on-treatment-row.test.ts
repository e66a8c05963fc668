/**
 * Revision 3 on the worklist: a patient on abrocitinib with platelets below 50,000 sorts with the
 * blockers, reads "Taking it — Discontinue: tell the prescriber today" and lists the result; a
 * patient on upadacitinib with everything done is "Taking it — Continue" with nothing to do today.
 */
import { describe, expect, it } from 'vitest';
import { worklistCsv } from '../../src/worklist/format';
import { worklistHtml } from '../../src/worklist/html';
import { rowFromReport } from '../../src/worklist/row';
import type { WorklistSummary } from '../../src/worklist/run';
import { daysAgo, lab, medication, reportFor } from '../engine/assess/builders';

const cbc = (days: number, plt: number) => [lab.hemoglobin(13.5, 'g/dL', days), lab.platelets(plt, '10*3/uL', days), lab.anc(4, '10*3/uL', days), lab.alc(2, '10*3/uL', days)];

describe('worklist rows of patients on treatment', () => {
  it('platelets 45,000 on abrocitinib: first group, the action in words, the result listed', () => {
    const row = rowFromReport(reportFor([medication('abrocitinib 100 MG Oral Tablet', { authoredDays: 40 }), ...cbc(12, 45), lab.ldl(110, 12)]));
    expect(row.priority).toBe(0);
    expect(row.verdicts.find((v) => v.therapy === 'abrocitinib')).toMatchObject({ verdict: 'on-treatment', current: true, action: 'discontinue' });
    expect(row.abnormal).toEqual([`Platelets 45,000/µL on abrocitinib (${daysAgo(12)}) — label: discontinue; contact the prescriber today`]);
    const csv = worklistCsv([row]);
    expect(csv).toContain('Taking it — Discontinue: tell the prescriber today');
    expect(csv).toContain(`Abnormal: Platelets 45,000/µL on abrocitinib (${daysAgo(12)})`);
    // The abrocitinib column reads as taken; no column says "Do not start".
    expect(csv).toContain(',"Taking it — Discontinue: tell the prescriber today: Platelets 45,000/µL",');
    expect(csv).not.toContain('Do not start');
    const summary: WorklistSummary = {
      patients: 1, rows: 1, byPriority: [1, 0, 0, 0], files: [], ignoredFiles: [], typeNotes: [], exportErrors: [], skippedLines: 0, problems: [], patientsLost: 0, incomplete: [], repeatedIds: [],
      orphans: { patients: 0, resources: 0 }, unlinked: 0, failures: [], wholeExportFaults: [], workers: 1, buckets: 1, linesRead: 0, elapsedMs: 0, timings: { partitionMs: 0, assessMs: 0 },
    };
    const html = worklistHtml([row], summary, { now: '2026-11-27', therapy: 'oral' });
    expect(html).toContain('Taking it — Discontinue: tell the prescriber today');
    expect(html).toContain(`Abnormal: Platelets 45,000/µL on abrocitinib (${daysAgo(12)})`);
  });

  it('ALT 165 U/L on upadacitinib: interrupt (if drug-induced liver injury is suspected), first group', () => {
    const row = rowFromReport(reportFor([medication('upadacitinib 15 MG Extended Release Oral Tablet', { authoredDays: 40 }), lab.alt(165, 5), lab.ast(30, 5)]));
    expect(row.priority).toBe(0);
    expect(row.verdicts.find((v) => v.therapy === 'upadacitinib')).toMatchObject({ verdict: 'on-treatment', action: 'interrupt' });
  });

  it('on upadacitinib with everything done and normal: "Taking it — Continue", not in the first group', () => {
    const row = rowFromReport(reportFor([medication('upadacitinib 15 MG Extended Release Oral Tablet', { authoredDays: 100 }), ...cbc(10, 250), lab.alt(25, 10), lab.ast(22, 10), lab.ldl(110, 10)]));
    expect(row.priority).toBeGreaterThan(0);
    expect(row.abnormal).toEqual([]);
    expect(worklistCsv([row])).toContain('Taking it — Continue');
  });
});
