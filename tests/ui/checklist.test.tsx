import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { Checklist } from '../../src/ui/Checklist';
import { ITEM_STATUSES, type ItemStatus } from '../../src/contract/report';
import { item } from './fixtures';

afterEach(cleanup);

const EXPECTED_TEXT: Record<ItemStatus, string> = {
  done: 'Done',
  abnormal: 'Abnormal',
  incomplete: 'Incomplete',
  outdated: 'Outdated',
  missing: 'Missing',
  unknown: 'Could not check',
  'not-applicable': 'Not applicable',
};

describe('checklist item status', () => {
  it.each(ITEM_STATUSES)('shows the %s status in words, not only by colour or icon', (status) => {
    render(<Checklist items={[item({ id: 'cbc', status })]} />);
    const entry = screen.getByTestId('item-cbc');
    expect(within(entry).getByRole('heading', { name: 'Complete blood count' })).toBeTruthy();
    const badge = entry.querySelector('.status')!;
    expect(badge.textContent).toContain(EXPECTED_TEXT[status]);
    // The glyph is decoration for sighted users; the words carry the meaning.
    expect(badge.querySelector('[aria-hidden="true"]')).not.toBeNull();
  });

  it('shows a done item with the newest evidence date, its value and the window used', () => {
    render(
      <Checklist
        items={[
          item({
            id: 'liver-enzymes',
            status: 'done',
            window: 'P90D',
            evidence: [
              { reference: 'Observation/alt-old', date: '2026-01-05', display: 'ALT', value: '30 U/L' },
              { reference: 'Observation/alt', date: '2026-10-01', display: 'ALT', value: '22 U/L' },
              { reference: 'Observation/ast', date: '2026-09-30', display: 'AST', value: '25 U/L' },
            ],
          }),
        ]}
      />,
    );
    const entry = screen.getByTestId('item-liver-enzymes');
    expect(entry.textContent).toContain('2026-10-01 · 22 U/L');
    expect(entry.textContent).toContain('within 90 days');
  });

  it('shows an abnormal item with its explanation line', () => {
    render(
      <Checklist
        items={[item({ id: 'cbc', status: 'abnormal', detail: 'ANC 0.8 × 10⁹/L below 1,000/µL' })]}
      />,
    );
    expect(screen.getByTestId('item-cbc').textContent).toContain('ANC 0.8 × 10⁹/L below 1,000/µL');
  });

  it('lists the components still needed for an incomplete item', () => {
    render(<Checklist items={[item({ id: 'cbc', status: 'incomplete', missing: ['ANC', 'ALC'] })]} />);
    expect(screen.getByTestId('item-cbc').textContent).toContain('Still needed: ANC, ALC');
  });

  it('shows an outdated item with the window it fell outside', () => {
    render(
      <Checklist
        items={[
          item({
            id: 'lipid-panel',
            status: 'outdated',
            window: 'P365D',
            evidence: [{ reference: 'Observation/ldl', date: '2024-02-01', display: 'LDL', value: '3.1 mmol/L' }],
          }),
        ]}
      />,
    );
    const text = screen.getByTestId('item-lipid-panel').textContent;
    expect(text).toContain('2024-02-01');
    expect(text).toContain('within 365 days');
  });

  it('says there is no dated result for a missing item', () => {
    render(<Checklist items={[item({ id: 'hepatitis-c', status: 'missing', window: 'P365D' })]} />);
    expect(screen.getByTestId('item-hepatitis-c').textContent).toContain('No dated result');
  });

  it('shows "any time" when the item has no window', () => {
    render(<Checklist items={[item({ id: 'zoster-vaccine', status: 'incomplete', window: null, missing: ['second dose'] })]} />);
    expect(screen.getByTestId('item-zoster-vaccine').textContent).toContain('any time');
  });

  it('marks advisory items for topical therapy with a badge in words', () => {
    render(<Checklist items={[item({ id: 'tb-screening', status: 'missing', advisory: true, window: 'P365D' })]} />);
    const entry = screen.getByTestId('item-tb-screening');
    expect(within(entry).getByText('Advisory')).toBeTruthy();
    expect(entry.textContent).toContain('not required by the label');
  });

  it('shows the notes of an item, such as "repeat the test"', () => {
    render(<Checklist items={[item({ id: 'tb-screening', status: 'abnormal', notes: ['Indeterminate: repeat the test'] })]} />);
    expect(within(screen.getByTestId('item-tb-screening')).getByText('Indeterminate: repeat the test')).toBeTruthy();
  });

  it('does not show a window for an item that does not apply', () => {
    render(<Checklist items={[item({ id: 'pregnancy-test', status: 'not-applicable', window: 'P30D' })]} />);
    expect(screen.getByTestId('item-pregnancy-test').textContent).not.toContain('within 30 days');
  });

  it('renders the items as a list', () => {
    render(<Checklist items={[item({ id: 'cbc', status: 'done' }), item({ id: 'hepatitis-b', status: 'missing' })]} />);
    expect(screen.getAllByRole('listitem').filter((li) => li.classList.contains('item'))).toHaveLength(2);
  });
});
