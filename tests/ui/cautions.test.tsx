import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { Cautions } from '../../src/ui/Cautions';
import { caution } from './fixtures';

afterEach(cleanup);

describe('cautions', () => {
  it('groups cautions under a heading per severity, most severe first', () => {
    render(
      <Cautions
        cautions={[
          caution({ id: 'already-on-jak-inhibitor', severity: 'info', text: 'Currently on tofacitinib.' }),
          caution({ id: 'smoking', severity: 'warning', text: 'Former smoker.' }),
          caution({ id: 'cytopenia', severity: 'do-not-start', text: 'ANC below 1,000/µL.' }),
          caution({ id: 'older-adult', severity: 'warning', text: 'Age 67.' }),
        ]}
      />,
    );
    const headings = screen.getAllByRole('heading', { level: 3 }).map((heading) => heading.textContent);
    expect(headings).toEqual(['⊘ Do not start (1)', '! Warnings (2)', 'i For information (1)']);
  });

  it.each([
    ['do-not-start', 'Do not start (1)'],
    ['warning', 'Warnings (1)'],
    ['info', 'For information (1)'],
  ] as const)('shows a %s caution with its text inside its group', (severity, heading) => {
    render(<Cautions cautions={[caution({ id: 'thrombosis-history', severity, text: 'History of DVT (2019).' })]} />);
    const group = screen.getByRole('list', { name: new RegExp(heading.replace(/[()]/g, '\\$&')) });
    const entry = within(group).getByTestId('caution-thrombosis-history');
    expect(within(entry).getByRole('heading', { name: 'History of blood clots' })).toBeTruthy();
    expect(entry.textContent).toContain('History of DVT (2019).');
  });

  it('flags a caution raised by an unconfirmed diagnosis', () => {
    render(<Cautions cautions={[caution({ id: 'malignancy-history', severity: 'warning', unconfirmed: true })]} />);
    expect(screen.getByText('Unconfirmed diagnosis')).toBeTruthy();
  });

  it('flags a caution raised by an outdated last known value', () => {
    render(<Cautions cautions={[caution({ id: 'cytopenia', severity: 'warning', outdated: true })]} />);
    expect(screen.getByText('Last known value, outdated')).toBeTruthy();
  });

  it('names the agents a generic-therapy caution concerns', () => {
    render(
      <Cautions
        cautions={[
          caution({ id: 'antiplatelet', severity: 'warning', agents: ['abrocitinib'], text: 'abrocitinib: clopidogrel is contraindicated.' }),
        ]}
      />,
    );
    expect(screen.getByTestId('caution-antiplatelet').textContent).toContain('Concerns: abrocitinib');
  });

  it('says so when the record raised no caution', () => {
    render(<Cautions cautions={[]} />);
    expect(screen.getByText('No cautions raised by the loaded record.')).toBeTruthy();
  });
});
