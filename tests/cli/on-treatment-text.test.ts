/**
 * The text format (`--format text`) and the note for a patient on treatment (Revision 3, R3.3):
 * one set of dates (the reassessment plan counts from the real start, as the monitoring does),
 * the drug being taken never "Needs work" or "Do not start", never "prior systemic therapy".
 */
import { describe, expect, it } from 'vitest';
import { runAssess } from '../../src/cli/run';
import { buildScenarios } from '../../src/sandbox/scenarios';
import { assess, buildRecord } from '../../src/engine';
import { reportAsNote } from '../../src/ui/note';

const TODAY = new Date(2026, 11, 7);
const NOW = '2026-12-07';

function bundleOf(id: string): string {
  const scenario = buildScenarios(TODAY).find((s) => s.id === id)!;
  return JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: scenario.resources.map((resource) => ({ resource })) });
}

const textFormat = (id: string, therapy?: string) =>
  runAssess(['patient.json', '--now', NOW, '--format', 'text', ...(therapy ? ['--therapy', therapy] : [])], { readFile: () => bundleOf(id), today: () => NOW });

function note(id: string): string {
  const scenario = buildScenarios(TODAY).find((s) => s.id === id)!;
  return reportAsNote(assess(buildRecord({ resources: scenario.resources as never, patientId: id }), { now: NOW, therapy: 'upadacitinib' }), 'Upadacitinib');
}

/** Every "week N" date a text gives, by week: each week must have one date. */
function weekDates(text: string): Map<string, Set<string>> {
  const dates = new Map<string, Set<string>>();
  for (const m of text.matchAll(/week (\d+):? (\d{4}-\d{2}-\d{2})/g)) {
    if (!dates.has(m[1]!)) dates.set(m[1]!, new Set());
    dates.get(m[1]!)!.add(m[2]!);
  }
  return dates;
}

describe('a patient on upadacitinib (started 2026-08-26) in the text format and the note', () => {
  const texts: Array<[string, string]> = [
    ['text format, oral planned', textFormat('scn-upadacitinib-all-done')],
    ['text format, upadacitinib planned', textFormat('scn-upadacitinib-all-done', 'upadacitinib')],
    ['note', note('scn-upadacitinib-all-done')],
  ];

  it.each(texts)('%s: one set of dates, from the real start', (_where, text) => {
    const weeks = weekDates(text);
    expect(weeks.get('16')).toEqual(new Set(['2026-12-16']));
    for (const [week, dates] of weeks) expect([week, [...dates]]).toEqual([week, [...dates].slice(0, 1)]);
    expect(text).toContain('Reassessment plan: week 4: 2026-09-23 · week 8: 2026-10-21 · week 16: 2026-12-16');
    expect(text).not.toContain('2027-03-29');
  });

  it.each(texts)('%s: upadacitinib reads as taken, never "Needs work" or "Do not start"', (_where, text) => {
    const line = text.split('\n').find((l) => /^- \S+ Upadacitinib:/.test(l))!;
    expect(line).toMatch(/Upadacitinib: Taking it — Continue/);
    expect(line).not.toMatch(/Needs work|Do not start|Ready/);
  });

  it.each(texts)('%s: upadacitinib is not prior systemic therapy; the monitoring says nothing is abnormal', (_where, text) => {
    expect(text.split('\n').find((l) => l.startsWith('- Prior systemic therapy:'))).not.toMatch(/upadacitinib/i);
    expect(text).toContain('- No abnormal result since the start (2026-08-26)');
    expect(text).toContain('- Week-16 review 2026-12-16, in 9 days');
  });

  it('a patient on abrocitinib with platelets 45,000: the text leads the to-do with "Tell the prescriber today" and names "discontinue"', () => {
    const text = textFormat('scn-abrocitinib-low-platelets', 'abrocitinib');
    const todo = text.split('To do:\n')[1]!.split('\n')[0];
    expect(todo).toBe('- Tell the prescriber today: Platelets 45,000/µL on abrocitinib (2026-11-25) — label: discontinue');
    expect(text).toMatch(/- ● Abrocitinib: Taking it — Discontinue: tell the prescriber today/);
    expect(text).not.toMatch(/Abrocitinib: Do not start/);
  });
});
