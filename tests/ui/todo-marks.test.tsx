/**
 * Marking to-do items in the sidebar (jsdom): a real control (button, radio buttons, a text
 * field), the mark shown under the item, where the marks live said on screen, the patient
 * sheet one click from the first screen, and the printed page rule with the patient's identity
 * escaped as CSS text.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { useState } from 'react';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { Sidebar } from '../../src/ui/Sidebar';
import type { ReadinessReport } from '../../src/contract/report';
import type { TodoMark, TodoMarks } from '../../src/contract/todo-marks';
import type { WriteBack } from '../../src/fhir/write-back';
import { cssString, pageRule } from '../../src/ui/print-page';
import { pageIdentity } from '../../src/ui/PrintHeader';
import { orderTodo, report } from './fixtures';

afterEach(cleanup);

const shown: ReadinessReport = report({
  therapy: 'upadacitinib',
  asOf: '2026-12-07',
  patient: { id: 'p1', age: 34, sex: 'female', name: 'Ana Rivera', birthDate: '1992-01-15', mrn: 'MRN-0042' },
  todo: [orderTodo('cbc'), orderTodo('tb-screening', '71773-6', 'TB blood test (IGRA)')],
});

function Marked({ writeBack, saved, initial = {} }: { writeBack?: WriteBack; saved?: { state: 'read'; count: number; savedAt?: string }; initial?: TodoMarks }) {
  const [marks, setMarks] = useState<TodoMarks>(initial);
  const onMark = (id: string, mark: TodoMark | undefined) =>
    setMarks((previous) => {
      const next = { ...previous };
      if (mark) next[id] = mark;
      else delete next[id];
      return next;
    });
  return <Sidebar report={shown} therapy="upadacitinib" onTherapyChange={() => undefined} showPatientBanner marks={marks} onMark={onMark} {...(writeBack ? { writeBack } : {})} {...(saved ? { savedMarks: saved } : {})} />;
}

describe('to-do marks', () => {
  it('marks an item declined with a reason and shows "Declined <date>: <reason>" under it', () => {
    render(<Marked />);
    const row = screen.getByTestId('todo-order-cbc');
    fireEvent.click(within(row).getByRole('button', { name: 'Mark: Order CBC with automated differential' }));
    expect(within(row).getByRole('group', { name: 'Mark: Order CBC with automated differential' })).toBeTruthy();
    expect(document.activeElement).toBe(within(row).getByRole('radio', { name: 'Done elsewhere' }));
    fireEvent.click(within(row).getByRole('radio', { name: 'Declined' }));
    fireEvent.change(within(row).getByRole('textbox', { name: 'Reason (optional)' }), { target: { value: 'patient preference' } });
    fireEvent.click(within(row).getByRole('button', { name: 'Save mark' }));
    expect(screen.getByTestId('mark-order-cbc').textContent).toBe('Declined 2026-12-07: patient preference');
    expect(screen.getByRole('heading', { name: /^To do/ }).textContent).toBe('To do (2) · 1 marked');
    // A real control, no box that looks tickable.
    expect(within(screen.getByTestId('todo')).queryByRole('checkbox')).toBeNull();
  });

  it('cannot save without a choice, and a mark can be removed', () => {
    render(<Marked initial={{ 'order-cbc': { item: 'order-cbc', mark: 'deferred', date: '2026-12-01' } }} />);
    const row = screen.getByTestId('todo-order-tb-screening');
    fireEvent.click(within(row).getByRole('button', { name: 'Mark: Order TB blood test (IGRA)' }));
    expect((within(row).getByRole('button', { name: 'Save mark' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.keyDown(within(row).getByRole('radio', { name: 'Declined' }), { key: 'Escape' });
    expect(within(row).queryByRole('radio')).toBeNull();

    const marked = screen.getByTestId('todo-order-cbc');
    expect(screen.getByTestId('mark-order-cbc').textContent).toBe('Deferred 2026-12-01');
    fireEvent.click(within(marked).getByRole('button', { name: /^Change mark: / }));
    // Opens on the mark already chosen.
    expect(document.activeElement).toBe(within(marked).getByRole('radio', { name: 'Deferred' }));
    fireEvent.click(within(marked).getByRole('button', { name: 'Remove mark' }));
    expect(screen.queryByTestId('mark-order-cbc')).toBeNull();
  });

  it('leaves a marked test out of "Order missing labs"', () => {
    const writeBack: WriteBack = { orderLabs: { via: 'fhir', place: async () => [] } };
    render(<Marked writeBack={writeBack} />);
    expect(screen.getByRole('button', { name: 'Order missing labs (2)' })).toBeTruthy();
    const row = screen.getByTestId('todo-order-cbc');
    fireEvent.click(within(row).getByRole('button', { name: /^Mark: / }));
    fireEvent.click(within(row).getByRole('radio', { name: 'Done elsewhere' }));
    fireEvent.click(within(row).getByRole('button', { name: 'Save mark' }));
    expect(screen.getByRole('button', { name: 'Order missing labs (1)' })).toBeTruthy();
  });

  it('says the marks last for this session only when the EHR lets the app save no note', () => {
    render(<Marked />);
    expect(screen.getByTestId('marks-notice').textContent).toContain('Marks are kept for this session only');
  });

  it('says the marks go with the note when it can be saved, and which note they came from', () => {
    const writeBack: WriteBack = { saveNote: { save: async () => ({ ok: true, location: 'DocumentReference/d1' }) } };
    render(<Marked writeBack={writeBack} saved={{ state: 'read', count: 1, savedAt: '2026-12-01' }} initial={{ 'order-cbc': { item: 'order-cbc', mark: 'declined', date: '2026-12-01' } }} />);
    const notice = screen.getByTestId('marks-notice').textContent!;
    expect(notice).toContain('Marks shown are from the note saved on 2026-12-01.');
    expect(notice).toContain('Marks are saved with the note when you choose “Save to chart”.');
  });

  it('puts "Copy as note", "Print", "Patient sheet" and "Save to chart" before the to-do list, and opens the sheet', async () => {
    const writeBack: WriteBack = { saveNote: { save: async () => ({ ok: true, location: 'DocumentReference/d1' }) } };
    render(<Marked writeBack={writeBack} />);
    const todo = screen.getByTestId('todo');
    for (const name of ['Copy as note', 'Print', 'Patient sheet', 'Save to chart']) {
      const button = screen.getByRole('button', { name });
      expect(button.compareDocumentPosition(todo) & Node.DOCUMENT_POSITION_FOLLOWING, name).toBeTruthy();
    }
    fireEvent.click(screen.getByRole('button', { name: 'Patient sheet' }));
    // The sheet is its own chunk, loaded when opened.
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('Your medicine: Rinvoq (upadacitinib)');
    expect(screen.getByTestId('patient-sheet').textContent).toContain('birth control');
    fireEvent.click(screen.getByRole('button', { name: 'Back to the checklist' }));
    expect(screen.getByTestId('todo')).toBeTruthy();
  });
});

describe('saved marks as the next launch shows them', () => {
  it('shows a hostile reason as text, and no mark for an item no longer on the list', () => {
    const hostile = '<img src=x onerror=alert(1)>';
    render(
      <Marked
        initial={{
          'order-cbc': { item: 'order-cbc', mark: 'declined', date: '2026-12-01', reason: hostile },
          'order-lipid-panel': { item: 'order-lipid-panel', mark: 'deferred', date: '2026-12-01' },
        }}
      />,
    );
    expect(screen.getByTestId('mark-order-cbc').textContent).toBe(`Declined 2026-12-01: ${hostile}`);
    expect(document.querySelector('img')).toBeNull();
    expect(screen.queryByTestId('mark-order-lipid-panel')).toBeNull();
    expect(screen.getByRole('heading', { name: /^To do/ }).textContent).toBe('To do (2) · 1 marked');
  });

  it('says when the marks of an earlier note could not be read', () => {
    const writeBack: WriteBack = { saveNote: { save: async () => ({ ok: true, location: 'DocumentReference/d1' }) } };
    render(<Sidebar report={shown} therapy="upadacitinib" onTherapyChange={() => undefined} showPatientBanner marks={{}} onMark={() => undefined} writeBack={writeBack} savedMarks={{ state: 'failed', reason: 'HTTP 500: Database unavailable' }} />);
    expect(screen.getByTestId('marks-notice').textContent).toContain('Marks saved with an earlier note could not be read (HTTP 500: Database unavailable).');
  });
});

describe('the patient sheet', () => {
  it('for "any oral JAK inhibitor" offers a choice of medicine, and leaves birth control out for a man', async () => {
    const man = { ...shown, therapy: 'oral' as const, patient: { ...shown.patient, sex: 'male' } };
    render(<Sidebar report={man} therapy="oral" onTherapyChange={() => undefined} showPatientBanner />);
    fireEvent.click(screen.getByRole('button', { name: 'Patient sheet' }));
    const menu = (await screen.findByRole('combobox', { name: 'Medicine' })) as HTMLSelectElement;
    expect([...menu.options].map((o) => o.textContent)).toEqual(['Cibinqo (abrocitinib)', 'Rinvoq (upadacitinib)', 'Olumiant (baricitinib)']);
    fireEvent.change(menu, { target: { value: 'baricitinib' } });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Your medicine: Olumiant (baricitinib)');
    const sheet = screen.getByTestId('patient-sheet').textContent!;
    expect(sheet).toContain('Olumiant (baricitinib) package leaflet (EU)');
    expect(sheet).not.toContain('birth control');
  });
});

describe('the printed page rule', () => {
  it('escapes the patient\'s identity as CSS text, so a hostile name cannot end the rule', () => {
    const hostile = 'Eve"; } body { display: none } @top-left { content: "x';
    const identity = pageIdentity({ ...shown.patient, name: hostile });
    const rule = pageRule({ identity, title: 'JAK inhibitor readiness', printed: 'Printed 2026-12-07 09:41' });
    const literal = cssString(identity);
    // Inside the quotes only letters, digits, spaces and backslash escapes ("\\22 " for a quote).
    expect(literal.slice(1, -1)).toMatch(/^[A-Za-z0-9 \\]*$/);
    expect(literal).toContain('\\22 ');
    expect(rule).toContain('@bottom-right { content: "Page " counter(page) " of " counter(pages);');
    expect(identity).toBe(`${hostile} · born 1992-01-15 · MRN MRN-0042`);
  });
});
