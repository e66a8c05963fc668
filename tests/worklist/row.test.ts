/** Rows from hand-made reports: what comes first on a clinic's list, and the words and cells it shows. */
import { describe, expect, it } from 'vitest';
import type { AgentVerdict, MonitoringEntry, ReadinessReport, Verdict } from '../../src/contract/report';
import { Progress } from '../../src/cli/progress';
import { csvCell, worklistCsv } from '../../src/worklist/format';
import { escapeHtml } from '../../src/worklist/html';
import { compareRows, rowFromReport } from '../../src/worklist/row';

const AGENTS = ['abrocitinib', 'upadacitinib', 'baricitinib', 'ruxolitinib-cream', 'delgocitinib-cream'] as const;

function report(name: string, verdicts: Partial<Record<(typeof AGENTS)[number], Verdict>>, extra: Partial<ReadinessReport> = {}): ReadinessReport {
  const byAgent: AgentVerdict[] = AGENTS.map((therapy) => ({ therapy, label: therapy, verdict: verdicts[therapy] ?? 'ready', reasons: [], causes: [] }));
  return {
    asOf: '2026-11-27', therapy: 'oral', patient: { id: name.toLowerCase(), age: 40, sex: 'female', name },
    dataGaps: [], checklist: [], cautions: [], factors: [], byAgent, dosing: [], monitoring: null, todo: [], ...extra,
  };
}

const entry = (status: MonitoringEntry['status']): MonitoringEntry => ({ id: `cbc-${status}`, test: 'cbc', label: 'CBC at week 4', due: '2026-11-01', status, source: 's' });
const onAbrocitinib = (entries: MonitoringEntry[]) => ({ therapy: 'abrocitinib' as const, drug: 'abrocitinib', start: '2026-10-01', startEvidence: [], entries, visits: [], source: 's' });

describe('worklist rows', () => {
  it('put blockers and overdue monitoring first, then could-not-check, then work, then nothing to do', () => {
    const rows = [
      rowFromReport(report('Ready', {})),
      rowFromReport(report('Work', { upadacitinib: 'needs-work' })),
      rowFromReport(report('Unknown', { baricitinib: 'unknown' })),
      rowFromReport(report('Blocked', { abrocitinib: 'do-not-start' })),
      rowFromReport(report('Overdue', {}, { monitoring: onAbrocitinib([entry('overdue')]) })),
      rowFromReport(report('Due', {}, { monitoring: onAbrocitinib([entry('due'), entry('not-yet'), entry('done')]) })),
      rowFromReport(report('Topical only blocked', { 'ruxolitinib-cream': 'do-not-start' })),
    ].sort(compareRows);
    expect(rows.map((r) => [r.name, r.priority])).toEqual([
      // Within a group: most overdue monitoring first, then by name.
      ['Overdue', 0], ['Blocked', 0], ['Unknown', 1], ['Due', 2], ['Work', 2], ['Ready', 3], ['Topical only blocked', 3],
    ]);
    // Only entries that need action are listed.
    expect(rows.find((r) => r.name === 'Due')!.monitoring.map((m) => m.status)).toEqual(['due']);
  });

  it('judge a patient on therapy by the agent they are on, not by the others (a second JAK inhibitor is not a blocker)', () => {
    const onIt = rowFromReport(report('On abrocitinib', { upadacitinib: 'do-not-start', baricitinib: 'do-not-start' }, { monitoring: onAbrocitinib([entry('not-yet')]) }));
    expect(onIt.stage).toBe('on-therapy');
    expect(onIt.relevantAgents).toEqual(['abrocitinib']);
    expect(onIt.priority).toBe(3);
    const blocked = rowFromReport(report('Clopidogrel', { abrocitinib: 'do-not-start' }, { monitoring: onAbrocitinib([]) }));
    expect(blocked.priority).toBe(0);
  });

  it('never puts a row without verdicts among "nothing to do"', () => {
    expect(rowFromReport({ ...report('No verdict', {}), byAgent: [] }).priority).toBe(1);
  });

  it('keeps CSV cells intact and formula-safe', () => {
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('a, "b"\nc')).toBe('"a, ""b""\nc"');
    expect(csvCell(42)).toBe('42');
    const csv = worklistCsv([rowFromReport(report('Line\nbreak', {}))]);
    expect(csv.split('\r\n')).toHaveLength(3);
    expect(csv).toContain('Line break');
  });

  it('escapes every HTML special character', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

describe('the progress line', () => {
  it('stays quiet for short runs, then prints at most once a second on a terminal', () => {
    const written: string[] = [];
    const stream = { isTTY: true, write: (text: string) => written.push(text) > 0 };
    const quiet = new Progress(stream, 60_000);
    quiet.update('reading');
    expect(written).toEqual([]);
    const loud = new Progress(stream, 0);
    loud.update('reading the export: 1/4 parts');
    loud.update('reading the export: 2/4 parts');
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^\r\x1b\[2Kjak-readiness: reading the export: 1\/4 parts \(\d+ s\)$/);
    loud.done();
    expect(written[1]).toBe('\r\x1b[2K');
  });
});
