/**
 * R3.4 before the start (clinical/spec.md Revision 3): "A result whose value or unit cannot be read
 * is `abnormal` 'needs review: <verbatim text>', never 'still needed': the test was done."
 */
import { describe, expect, it } from 'vitest';
import { itemOf, lab, observation, qty, readyForEveryAgent, reportFor, resultText } from './builders';

type Json = Record<string, unknown>;
const replacing = (code: string, result: Json) => [...readyForEveryAgent().filter((r) => !JSON.stringify(r).includes(`"code":"${code}"`)), result];

interface Row { scenario: string; resources: Json[]; item: string; status: string; review?: RegExp }
const rows: Row[] = [
  { scenario: 'fires: ANC "see comment"', resources: replacing('751-8', observation('751-8', 'Neutrophils', resultText('see comment'), 10)), item: 'cbc', status: 'abnormal', review: /^ANC needs review: "see comment"$/ },
  { scenario: 'fires: platelets in unit "foo"', resources: replacing('777-3', lab.platelets(250, 'foo')), item: 'cbc', status: 'abnormal', review: /^Platelets needs review: "250 foo"$/ },
  { scenario: 'fires: ALT valueQuantity without a unit', resources: replacing('1742-6', observation('1742-6', 'ALT', { valueQuantity: { value: 35 } }, 10)), item: 'liver-enzymes', status: 'abnormal', review: /^ALT needs review: "35"$/ },
  { scenario: 'fires: ALT as free text', resources: replacing('1742-6', observation('1742-6', 'ALT', resultText('haemolysed, see lab note'), 10)), item: 'liver-enzymes', status: 'abnormal', review: /^ALT needs review: "haemolysed, see lab note"$/ },
  { scenario: 'fires: HCV antibody "see comment"', resources: replacing('13955-0', observation('13955-0', 'HCV Ab', resultText('see comment'), 30)), item: 'hepatitis-c', status: 'abnormal', review: /^HCV antibody needs review: "see comment"$/ },
  { scenario: 'fires: hCG in pmol/L', resources: replacing('2106-3', lab.hcgQuantitative(40, 'pmol/L')), item: 'pregnancy-test', status: 'abnormal', review: /^Pregnancy test needs review: "40 pmol\/L"$/ },
  { scenario: 'does not fire: contradictory HCV antibody text ("Reactive, non-confirmed") is read, and stays incomplete', resources: replacing('13955-0', observation('13955-0', 'HCV Ab', resultText('Reactive, non-confirmed'), 30)), item: 'hepatitis-c', status: 'incomplete' },
  { scenario: 'does not fire: ANC "3.1 x10^9/L" written as text is read', resources: replacing('751-8', observation('751-8', 'Neutrophils', resultText('3.1 x10^9/L'), 10)), item: 'cbc', status: 'done' },
  { scenario: 'does not fire: ALT "<10 U/L" written as text is read', resources: replacing('1742-6', observation('1742-6', 'ALT', resultText('<10 U/L'), 10)), item: 'liver-enzymes', status: 'done' },
  { scenario: 'does not fire: a readable platelet count', resources: readyForEveryAgent(), item: 'cbc', status: 'done' },
  { scenario: 'kept: a bound on the wrong side of the threshold (ANC "<1.5 x10^9/L") stays "needs review", incomplete', resources: replacing('751-8', observation('751-8', 'Neutrophils', resultText('<1.5 x10^9/L'), 10)), item: 'cbc', status: 'incomplete' },
  { scenario: 'kept: ALT ">100 U/L" may or may not be above 3× the upper limit: a person reads it', resources: replacing('1742-6', observation('1742-6', 'ALT', resultText('>100 U/L'), 10)), item: 'liver-enzymes', status: 'incomplete' },
];

describe('R3.4 before the start: an unreadable result is abnormal "needs review", never "still needed"', () => {
  it.each(rows)('$scenario → $item $status', (row) => {
    const report = reportFor(row.resources);
    const it_ = itemOf(report, row.item);
    expect(it_.status, JSON.stringify(it_)).toBe(row.status);
    const review = report.todo.filter((t) => t.id === `review-${row.item}`);
    if (!row.review) {
      expect(it_.needsReview).toBeUndefined();
      expect(review).toEqual([]);
      return;
    }
    expect(it_.detail).toMatch(row.review);
    expect(it_.missing ?? []).toEqual([]);
    expect(it_.needsReview).toHaveLength(1);
    // One "review the result" to-do, never an order for the test that was done.
    expect(review).toHaveLength(1);
    expect(review[0]).toMatchObject({ kind: 'recheck' });
    expect(review[0]!.text).toMatch(/^Review the result in the chart/);
    expect(report.todo.filter((t) => t.kind === 'order-lab' && t.from.some((r) => r.id === row.item))).toEqual([]);
    expect(report.todo.filter((t) => t.from.some((r) => r.kind === 'item' && r.id === row.item))).toHaveLength(1);
    // No agent is ready beside it; the verdict line says what needs review.
    const oral = report.byAgent.filter((v) => ['abrocitinib', 'upadacitinib'].includes(v.therapy));
    for (const v of oral) {
      expect(v.verdict).not.toBe('ready');
      expect(v.reasons.join(' | ')).toMatch(/needs review/);
    }
  });

  it('an unreadable hCG is no pregnancy: no pregnancy caution, only the review line', () => {
    const report = reportFor(replacing('2106-3', lab.hcgQuantitative(40, 'pmol/L')));
    expect(report.cautions.find((c) => c.id === 'pregnancy')).toBeUndefined();
    expect(itemOf(report, 'pregnancy-test').detail).not.toMatch(/positive|pregnant/i);
  });

  it('keeps the verbatim text bounded in length', () => {
    const long = `see comment ${'x'.repeat(500)}`;
    const report = reportFor(replacing('751-8', observation('751-8', 'Neutrophils', resultText(long), 10)));
    const cbc = itemOf(report, 'cbc');
    expect(cbc.status).toBe('abnormal');
    expect(cbc.detail!.length).toBeLessThan(100);
    expect(cbc.detail).toMatch(/^ANC needs review: "see comment x+…"$/);
  });

  it('an unreadable ANC beside a missing ALC: the CBC order for the ALC and a review line for the ANC', () => {
    const resources = readyForEveryAgent().filter((r) => !/"code":"(751-8|731-0)"/.test(JSON.stringify(r)));
    const report = reportFor([...resources, observation('751-8', 'Neutrophils', resultText('see comment'), 10)]);
    const cbc = itemOf(report, 'cbc');
    expect(cbc.status).toBe('abnormal');
    expect(cbc.missing).toEqual(['ALC']);
    expect(report.todo.find((t) => t.id === 'order-cbc')).toBeDefined();
    expect(report.todo.find((t) => t.id === 'review-cbc')?.text).toMatch(/ANC "see comment"/);
  });

  it('a crossing result beside an unreadable one keeps its own follow-up', () => {
    const resources = readyForEveryAgent().filter((r) => !/"code":"(1742-6|1920-8)"/.test(JSON.stringify(r)));
    const report = reportFor([...resources, lab.alt(165), observation('1920-8', 'AST', qty(30, 'foo'), 10)]);
    const liver = itemOf(report, 'liver-enzymes');
    expect(liver.status).toBe('abnormal');
    expect(liver.short).toMatch(/^ALT 165 U\/L/);
    const ids = report.todo.filter((t) => t.from.some((r) => r.id === 'liver-enzymes')).map((t) => t.id).sort();
    expect(ids).toEqual(['recheck-liver-enzymes', 'review-liver-enzymes']);
  });
});
