import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { Cautions } from '../../src/ui/Cautions';
import { caution } from './fixtures';

afterEach(cleanup);

describe('warnings and notes below the first screen', () => {
  it('puts warnings and notes for information under their own headings (do-not-start ones are at the top)', () => {
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
    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual(['! Warnings (2)', 'i For information (1)']);
    expect(within(screen.getByTestId('warnings')).getAllByRole('listitem').map((li) => li.getAttribute('data-testid'))).toEqual(['caution-smoking', 'caution-older-adult']);
    expect(screen.queryByTestId('caution-cytopenia')).toBeNull();
  });

  it('gives each caution its name and cause on one line, the finding and a short source', () => {
    render(<Cautions cautions={[caution({ id: 'cardiovascular-risk', severity: 'warning', short: 'age 58 with hypertension', text: 'Age 58 with hypertension (the group in which the ORAL Surveillance safety trial found more heart attacks, strokes, cancers and clots)', source: 'FDA 2021 JAK class communication (ORAL Surveillance: age ≥ 50 with ≥ 1 CV risk factor)' })]} />);
    const entry = screen.getByTestId('caution-cardiovascular-risk');
    expect(entry.querySelector('.caution__line')!.textContent).toBe('Cardiovascular risk factors — age 58 with hypertension');
    // The trial is named only where the text says what it found.
    expect(entry.querySelector('.caution__text')!.textContent).toContain('ORAL Surveillance safety trial found more heart attacks');
    expect(entry.querySelector('.source-line')!.textContent).toBe('Source: FDA 2021 JAK class communication');
  });

  it('does not repeat a finding that only restates its name and cause', () => {
    render(<Cautions cautions={[caution({ id: 'smoking', severity: 'warning', short: 'current smoker', text: 'Current smoker' })]} />);
    expect(screen.getByTestId('caution-smoking').querySelector('.caution__text')).toBeNull();
  });

  it('flags a caution raised by an unconfirmed diagnosis', () => {
    render(<Cautions cautions={[caution({ id: 'malignancy-history', severity: 'warning', unconfirmed: true })]} />);
    expect(screen.getByText('Unconfirmed diagnosis')).toBeTruthy();
  });

  it('flags a caution raised by an outdated last known value', () => {
    render(<Cautions cautions={[caution({ id: 'cytopenia', severity: 'warning', outdated: true })]} />);
    expect(screen.getByText('Last known value, outdated')).toBeTruthy();
  });

  it('names the agents a group caution concerns, in words', () => {
    render(<Cautions cautions={[caution({ id: 'antiplatelet', severity: 'warning', agents: ['abrocitinib'], text: 'abrocitinib: clopidogrel is contraindicated.' })]} />);
    expect(screen.getByTestId('caution-antiplatelet').textContent).toContain('For abrocitinib only');
  });

  it('says so when the record raised no warning', () => {
    render(<Cautions cautions={[]} />);
    expect(screen.getByText('No warnings raised by the record.')).toBeTruthy();
    expect(screen.queryByTestId('notes')).toBeNull();
  });

  it('never says "no warnings" when part of the record could not be read', () => {
    render(<Cautions cautions={[]} gaps={[{ resourceType: 'Condition', reason: 'HTTP 502' }]} />);
    expect(screen.queryByText('No warnings raised by the record.')).toBeNull();
    expect(screen.getByTestId('cautions-not-fully-checked').textContent).toContain('Not fully checked: Conditions (problems and diagnoses) could not be read completely');
  });
});
