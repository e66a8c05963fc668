import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { Checklist } from '../../src/ui/Checklist';
import { ITEM_STATUSES, type ItemStatus } from '../../src/contract/report';
import { item } from './fixtures';

afterEach(cleanup);

const AS_OF = '2026-11-27';

const EXPECTED_TEXT: Record<ItemStatus, string> = {
  done: 'Done',
  abnormal: 'Abnormal',
  incomplete: 'Incomplete',
  outdated: 'Outdated',
  missing: 'Missing',
  unknown: 'Could not check',
  'not-applicable': 'Not applicable',
};

const row = (id: string, part: string) => screen.getByTestId(`item-${id}`).querySelector(part)?.textContent;

describe('checklist rows', () => {
  it.each(ITEM_STATUSES)('shows the %s status in words, not only by colour or icon', (status) => {
    render(<Checklist items={[item({ id: 'cbc', status })]} asOf={AS_OF} />);
    const entry = screen.getByTestId('item-cbc');
    expect(within(entry).getByRole('heading', { name: 'Complete blood count' })).toBeTruthy();
    const badge = entry.querySelector('.status')!;
    expect(badge.textContent).toContain(EXPECTED_TEXT[status]);
    // The glyph is decoration for sighted users; the words carry the meaning.
    expect(badge.querySelector('[aria-hidden="true"]')).not.toBeNull();
  });

  it('shows the newest result with its test name, how long ago, and "within" the window', () => {
    const items = [
      item({
        id: 'liver-enzymes',
        status: 'done',
        window: 'P90D',
        evidence: [
          { reference: 'Observation/alt-old', date: '2026-01-05', display: 'Alanine aminotransferase', test: 'ALT', value: '30 U/L' },
          { reference: 'Observation/alt', date: '2026-11-15', display: 'Alanine aminotransferase', test: 'ALT', value: '22 U/L' },
          { reference: 'Observation/ast', date: '2026-11-14', display: 'Aspartate aminotransferase', test: 'AST', value: '25 U/L' },
        ],
      }),
    ];
    render(<Checklist items={items} asOf={AS_OF} />);
    expect(row('liver-enzymes', '.item__result')).toBe('ALT 22 U/L, 12 days ago · within 90 days');
  });

  it('shows an outdated result with its age and the window it fell outside', () => {
    const items = [item({ id: 'lipid-panel', status: 'outdated', window: 'P365D', evidence: [{ reference: 'Observation/ldl', date: '2025-11-12', display: 'LDL cholesterol', test: 'LDL', value: '3.1 mmol/L' }] })];
    render(<Checklist items={items} asOf={AS_OF} />);
    expect(row('lipid-panel', '.item__result')).toBe('LDL 3.1 mmol/L, 380 days ago (window 365 days)');
    expect(screen.getByTestId('item-lipid-panel').textContent).not.toContain('within');
  });

  it('names the result by the record\'s display when the test has no clinic name', () => {
    const items = [item({ id: 'tb-screening', status: 'done', window: 'P365D', evidence: [{ reference: 'Observation/x', date: '2026-11-26', display: 'QuantiFERON-TB Gold Plus', value: 'Negative' }] })];
    render(<Checklist items={items} asOf={AS_OF} />);
    expect(row('tb-screening', '.item__result')).toBe('QuantiFERON-TB Gold Plus Negative, yesterday · within 365 days');
  });

  it('gives an abnormal item its explanation with the result\'s age, once', () => {
    const items = [item({ id: 'cbc', status: 'abnormal', detail: 'ANC 800/µL, below 1,000/µL', evidence: [{ reference: 'Observation/anc', date: '2026-11-15', display: 'Neutrophils', test: 'ANC', value: '800/µL' }] })];
    render(<Checklist items={items} asOf={AS_OF} />);
    expect(row('cbc', '.item__detail')).toBe('ANC 800/µL, below 1,000/µL; 12 days ago · within 90 days');
    expect(row('cbc', '.item__result')).toBeUndefined();
  });

  it('lists the components still needed for an incomplete item, without repeating them', () => {
    render(<Checklist items={[item({ id: 'cbc', status: 'incomplete', missing: ['ANC', 'ALC'], detail: 'Missing within the window: ANC, ALC' })]} asOf={AS_OF} />);
    expect(row('cbc', '.item__missing')).toBe('Still needed: ANC, ALC');
    expect(screen.getByTestId('item-cbc').textContent).not.toContain('Missing within the window');
  });

  it('says why there is no result for a missing item and for one that could not be checked', () => {
    render(
      <Checklist
        items={[
          item({ id: 'hepatitis-c', status: 'missing', window: 'P365D', detail: 'No result in the record' }),
          item({ id: 'cbc', status: 'unknown', detail: 'Could not check: HTTP 503', evidence: [{ reference: 'Observation/a', date: '2026-11-01', display: 'ANC', value: '800/µL' }] }),
        ]}
        asOf={AS_OF}
      />,
    );
    expect(row('hepatitis-c', '.item__detail')).toBe('No result in the record');
    expect(row('cbc', '.item__detail')).toBe('Could not check: HTTP 503');
    // A result of data that did not load completely is not shown as the item's answer.
    expect(row('cbc', '.item__result')).toBeUndefined();
  });

  it('shows a vaccine series by what it found and when the latest dose was', () => {
    const items = [item({ id: 'zoster-vaccine', status: 'done', window: null, detail: '2 doses ≥ 28 days apart', evidence: [{ reference: 'Immunization/z1', date: '2026-03-17', display: 'zoster vaccine recombinant', value: 'completed' }, { reference: 'Immunization/z2', date: '2026-05-26', display: 'zoster vaccine recombinant', value: 'completed' }] })];
    render(<Checklist items={items} asOf={AS_OF} />);
    expect(row('zoster-vaccine', '.item__result')).toBe('2 doses ≥ 28 days apart; latest 185 days ago');
  });

  it('marks advisory items for topical therapy in words', () => {
    render(<Checklist items={[item({ id: 'tb-screening', status: 'missing', advisory: true, window: 'P365D' })]} asOf={AS_OF} />);
    expect(screen.getByTestId('item-tb-screening').textContent).toContain('Worth considering; not required by the label.');
  });

  it('shows the notes of an item, such as "repeat the test"', () => {
    render(<Checklist items={[item({ id: 'tb-screening', status: 'abnormal', notes: ['Indeterminate: repeat the test'] })]} asOf={AS_OF} />);
    expect(within(screen.getByTestId('item-tb-screening')).getByText('Indeterminate: repeat the test')).toBeTruthy();
  });

  it('does not show a window for an item that does not apply', () => {
    render(<Checklist items={[item({ id: 'pregnancy-test', status: 'not-applicable', window: 'P30D', detail: 'Not applicable: birth sex male' })]} asOf={AS_OF} />);
    expect(screen.getByTestId('item-pregnancy-test').textContent).not.toContain('30 days');
    expect(row('pregnancy-test', '.item__detail')).toBe('Not applicable: birth sex male');
  });

  it('renders the items as a list', () => {
    render(<Checklist items={[item({ id: 'cbc', status: 'done' }), item({ id: 'hepatitis-b', status: 'missing' })]} asOf={AS_OF} />);
    expect(screen.getAllByRole('listitem').filter((li) => li.classList.contains('item'))).toHaveLength(2);
  });
});
