// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { summaryLine } from '../../src/ui/summary';
import { allDoneReport, caution, item, report } from './fixtures';

describe('summary line', () => {
  const order = (id: string, code: string) => ({ id: `order-${id}`, kind: 'order-lab' as const, text: `Order ${id}`, orders: [{ system: 'http://loinc.org' as const, code, display: id }], from: [{ kind: 'item' as const, id }] });

  it('counts labs to order from the to-do list, cautions and do-not-starts', () => {
    const line = summaryLine(
      report({
        checklist: [
          item({ id: 'cbc', status: 'missing' }),
          item({ id: 'liver-enzymes', status: 'outdated' }),
          item({ id: 'lipid-panel', status: 'incomplete' }),
          item({ id: 'tb-screening', status: 'done' }),
          item({ id: 'pregnancy-test', status: 'not-applicable' }),
        ],
        cautions: [
          caution({ id: 'smoking', severity: 'warning' }),
          caution({ id: 'older-adult', severity: 'warning' }),
          caution({ id: 'pregnancy', severity: 'do-not-start' }),
        ],
        todo: [order('cbc', '57021-8'), order('liver-enzymes', '24325-3'), order('lipid-panel', '57698-3'), { ...order('tb-screening', '71773-6'), advisory: true }],
      }),
    );
    expect(line).toBe('1 reason not to start · 2 cautions · 3 labs to order');
  });

  it('does not count advisory items as labs to order', () => {
    const line = summaryLine(
      report({
        therapy: 'topical',
        checklist: [
          item({ id: 'tb-screening', status: 'missing', advisory: true }),
          item({ id: 'cbc', status: 'not-applicable' }),
        ],
      }),
    );
    expect(line).toBe('1 advisory to consider');
    expect(line).not.toContain('to order');
  });

  it('counts abnormal results and a due vaccine separately from labs', () => {
    const line = summaryLine(
      report({
        checklist: [item({ id: 'cbc', status: 'abnormal' }), item({ id: 'zoster-vaccine', status: 'incomplete', window: null })],
        todo: [{ id: 'vaccinate-zoster', kind: 'vaccinate', text: 'Give dose 2', from: [{ kind: 'item', id: 'zoster-vaccine' }] }],
      }),
    );
    expect(line).toBe('1 abnormal result · 1 vaccine due');
  });

  it('says first that the patient is recorded as deceased', () => {
    expect(summaryLine(report({ patient: { id: 'p1', age: 70, sex: 'male', deceased: '2026-01-02' } }))).toMatch(/^Recorded as deceased · /);
  });

  it('says how many items could not be checked and never sounds reassuring then', () => {
    const done = allDoneReport();
    done.checklist[0] = item({ id: 'cbc', status: 'unknown' });
    done.checklist[1] = item({ id: 'liver-enzymes', status: 'unknown' });
    const line = summaryLine(done);
    expect(line).toBe('could not check 2 items');
    expect(line).not.toMatch(/no open|nothing|all clear/i);
  });

  it('mentions data gaps even when every item reads as done', () => {
    const withGap = { ...allDoneReport(), dataGaps: [{ resourceType: 'Immunization', reason: 'HTTP 500' }] };
    const line = summaryLine(withGap);
    expect(line).toBe('1 data gap');
    expect(line).not.toMatch(/no open|nothing|all clear/i);
  });

  it('only says nothing is open when every item was checked and the data loaded completely', () => {
    expect(summaryLine(allDoneReport())).toBe('No open baseline items or cautions found in the record');
  });

  it('does not sound reassuring when the report has no checklist at all', () => {
    expect(summaryLine(report())).toBe('checklist not available');
  });

  it('leaves notes for information to the cautions list (the approved-use note would be on almost every patient)', () => {
    const line = summaryLine({ ...allDoneReport(), cautions: [caution({ id: 'label-indication', severity: 'info' })] });
    expect(line).toBe('No open baseline items or cautions found in the record');
  });
});

describe('orders already placed (issue 18)', () => {
  const awaiting = { id: 'awaiting-cbc', kind: 'awaiting' as const, text: 'CBC ordered 2026-12-04, awaiting result', orders: [{ system: 'http://loinc.org' as const, code: '57021-8', display: 'CBC with automated differential' }], from: [{ kind: 'item' as const, id: 'cbc' }] };

  it('counts tests awaiting a result apart from labs to order', () => {
    const line = summaryLine(report({ checklist: [item({ id: 'cbc', status: 'missing' })], todo: [awaiting] }));
    expect(line).toBe('1 lab awaiting result');
    expect(line).not.toMatch(/to order/);
  });

  it('a gap in the orders is a data gap, not a reason to doubt the cautions', async () => {
    const { cautionsNotFullyChecked } = await import('../../src/ui/caution-coverage');
    const gap = { resourceType: 'ServiceRequest', reason: 'could not check orders already placed (HTTP 503)', affects: ['lab orders already placed'] };
    expect(summaryLine(report({ dataGaps: [gap] }))).toContain('1 data gap');
    expect(cautionsNotFullyChecked([gap])).toBeUndefined();
    expect(cautionsNotFullyChecked([gap, { resourceType: 'Condition', reason: 'HTTP 503' }])).toMatch(/^Not fully checked: Conditions/);
  });
});
