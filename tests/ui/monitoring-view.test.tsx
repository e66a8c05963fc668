/**
 * The monitoring view (Revision 3, R3.1–R3.3) from real reports of the sandbox's after-the-start
 * patients: the first screen answers "anything abnormal?" and "what is overdue?", each entry shows
 * its last value beside the baseline, the trend reads in words, and the drug being taken is never
 * "Needs work" or "Do not start".
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { Sidebar } from '../../src/ui/Sidebar';
import { reportAsNote } from '../../src/ui/note';
import { buildScenarios } from '../../src/sandbox/scenarios';
import { assess, buildRecord } from '../../src/engine';
import { preselectTherapy } from '../../src/engine/assess';
import type { ReadinessReport } from '../../src/contract/report';
import { medication, observation, qty, reportFor } from '../engine/assess/builders';

afterEach(cleanup);

const TODAY = new Date(2026, 11, 7);
const NOW = '2026-12-07';

export function scenarioReport(id: string): ReadinessReport {
  const scenario = buildScenarios(TODAY).find((s) => s.id === id)!;
  const record = buildRecord({ resources: scenario.resources as never, patientId: id });
  return assess(record, { now: NOW, therapy: preselectTherapy(record, NOW) ?? 'oral' });
}

function show(report: ReadinessReport) {
  render(<Sidebar report={report} therapy={report.therapy} onTherapyChange={vi.fn()} showPatientBanner preselectedTherapy={report.therapy} preselectedFrom="record" />);
}

describe('the monitoring view', () => {
  it('on abrocitinib with platelets 45,000: the first block names the result and "label: discontinue", tell the prescriber today, and the to-do starts with it', () => {
    show(scenarioReport('scn-abrocitinib-low-platelets'));
    const answer = screen.getByTestId('answer-abnormal').textContent!;
    expect(answer).toMatch(/1 abnormal result since the start/);
    expect(answer).toMatch(/Platelets 45,000\/µL \(2026-11-25\), below 50,000\/µL — label: discontinue\. Tell the prescriber today\./);
    expect(screen.getByTestId('todo').querySelector('li')!.textContent).toMatch(/^!Tell the prescriber today: Platelets 45,000\/µL on abrocitinib/);
    const cbc = screen.getByTestId('monitoring-cbc-week-4');
    expect(cbc.querySelector('.status__text')!.textContent).toBe('Abnormal');
    expect(cbc.querySelector('.values')!.textContent).toContain('Platelets 45,000/µL · baseline 248,000/µL');
    expect(screen.getByTestId('trend-platelets').textContent).toBe('Platelets falling: 248,000/µL (2026-10-23) → 121,000/µL (2026-11-11) → 45,000/µL (2026-11-25)');
    expect(screen.getByTestId('trend-platelets').querySelector('svg')!.getAttribute('aria-hidden')).toBe('true');
  });

  it('on upadacitinib with everything done and normal: "No abnormal result since the start", nothing overdue, and the week-16 review on the to-do list', () => {
    show(scenarioReport('scn-upadacitinib-all-done'));
    expect(screen.getByTestId('answer-abnormal').textContent).toMatch(/No abnormal result since the start \(2026-08-26\)/);
    expect(screen.getByTestId('answer-overdue').textContent).toMatch(/Nothing overdue/);
    expect(screen.getByTestId('todo').textContent).toContain('Week-16 review 2026-12-16, in 9 days');
    expect(screen.getByTestId('monitoring-liver-enzymes-week-12').querySelector('.values')!.textContent).toContain('ALT 26 U/L · baseline 21 U/L');
  });

  it('overdue entries are named with how late they are', () => {
    show(scenarioReport('scn-on-upadacitinib'));
    expect(screen.getByTestId('answer-overdue').textContent).toMatch(/Overdue: CBC at week 12 \(since \d{4}-\d{2}-\d{2}, \d+ days\)/);
  });

  it('a dose increase is shown, with the platelet check after it', () => {
    show(scenarioReport('scn-abrocitinib-dose-increase'));
    expect(screen.getByTestId('dose-increase').textContent).toBe('Dose increased 2026-11-17 from 100 mg to 200 mg');
    expect(screen.getByTestId('monitoring-platelets-after-dose-increase').textContent).toMatch(/Platelets 4 weeks after the dose increase/);
    expect(screen.getByTestId('answer-overdue').textContent).toMatch(/Nothing overdue · Due now: Platelets 4 weeks after the dose increase \(2026-11-17\)/);
  });

  it('a preliminary result counts, and says so beside its value', () => {
    const report = reportFor([medication('abrocitinib 100 MG Oral Tablet', { authoredDays: 40 }), observation('777-3', 'Platelets', qty(45, '10*3/uL'), 5, { status: 'preliminary' })], { therapy: 'abrocitinib' });
    show(report);
    expect(screen.getByTestId('answer-abnormal').textContent).toMatch(/Platelets 45,000\/µL \(\d{4}-\d{2}-\d{2}, preliminary\)/);
    expect(screen.getByTestId('monitoring-cbc-week-4').querySelector('.values')!.textContent).toContain('Platelets 45,000/µL (preliminary)');
  });
});

describe('the monitoring view when the lab results did not load', () => {
  it('never says "No abnormal result" or "Nothing overdue": it says what could not be checked', () => {
    const report = reportFor([medication('abrocitinib 100 MG Oral Tablet', { authoredDays: 60 })], { therapy: 'abrocitinib', loads: { Observation: { state: 'failed', reason: 'HTTP 503' } } });
    show(report);
    const abnormal = screen.getByTestId('answer-abnormal').textContent!;
    expect(abnormal).toMatch(/Could not check for abnormal results since the start: .*HTTP 503/);
    expect(abnormal).not.toMatch(/No abnormal result/);
    const overdue = screen.getByTestId('answer-overdue').textContent!;
    expect(overdue).toMatch(/Could not check: CBC at week 4; Lipid panel at week 4/);
    expect(overdue).not.toMatch(/Nothing overdue/);
    expect(reportAsNote(report, 'Abrocitinib')).toMatch(/- Could not check for abnormal results since the start: .*HTTP 503/);
    expect(reportAsNote(report, 'Abrocitinib')).not.toMatch(/No abnormal result/);
  });
});

describe('the monitoring view links its sources to the label\'s public page (R3.8)', () => {
  const CIBINQO_US = 'https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=16c12a56-4550-414b-ac9d-b785b41fea6b';
  const opensSafely = (a: Element) => [a.getAttribute('href'), a.getAttribute('target'), a.getAttribute('rel')];

  it('on abrocitinib with platelets 45,000: the result, its entry\'s evidence and the schedule link the Cibinqo label in a new tab; the note prints the URLs', () => {
    const report = scenarioReport('scn-abrocitinib-low-platelets');
    show(report);
    const result = screen.getByTestId('abnormal-platelets').querySelector(`a[href="${CIBINQO_US}"]`);
    expect(result && opensSafely(result)).toEqual([CIBINQO_US, '_blank', 'noopener noreferrer']);
    const evidence = screen.getByTestId('monitoring-cbc-week-4').querySelector(`.evidence__source a[href="${CIBINQO_US}"]`);
    expect(evidence && opensSafely(evidence)).toEqual([CIBINQO_US, '_blank', 'noopener noreferrer']);
    const schedule = screen.getByTestId('monitoring').querySelector(`:scope > .source-line a[href="${CIBINQO_US}"]`);
    expect(schedule && opensSafely(schedule)).toEqual([CIBINQO_US, '_blank', 'noopener noreferrer']);
    const note = reportAsNote(report, 'Abrocitinib');
    expect(note).toMatch(new RegExp(`- ! Platelets 45,000/µL .*Source: Cibinqo label \\(US\\).*\\(${CIBINQO_US.replace(/[.?]/g, '\\$&')} ; `));
    expect(note).toMatch(/- Schedule source: Cibinqo label \(US\), section 5\.6 .*\(https:\/\/dailymed\.nlm\.nih\.gov\//);
  });

  it('does not link what names no label: an unreadable result, whose source is the rule for lab results', () => {
    const report = reportFor([medication('abrocitinib 100 MG Oral Tablet', { authoredDays: 60 }), observation('777-3', 'Platelets', { valueString: 'see comment' }, 5)], { therapy: 'abrocitinib' });
    show(report);
    // The unreadable result's source is the rule for lab results, no label: no link beside it.
    expect(screen.getByTestId('abnormal-platelets').querySelector('a')).toBeNull();
  });
});
