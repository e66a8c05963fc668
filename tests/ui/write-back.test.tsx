import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { DocumentReference, ServiceRequest } from 'fhir/r4';
import { Sidebar } from '../../src/ui/Sidebar';
import { reportAsNote } from '../../src/ui/note';
import type { LabOrderWriter, NoteWriter, WriteBack } from '../../src/fhir/write-back';
import { item, orderTodo, report } from './fixtures';

afterEach(cleanup);

const REPORT = report({
  therapy: 'abrocitinib',
  checklist: [item({ id: 'cbc', status: 'missing' }), item({ id: 'liver-enzymes', status: 'missing' })],
  todo: [orderTodo('cbc'), orderTodo('liver-enzymes', '24325-3', 'hepatic function panel (ALT, AST)'), { id: 'confirm-x', kind: 'confirm', text: 'Document prior systemic therapy (US label)', from: [] }],
});

function show(writeBack?: WriteBack, shown = REPORT) {
  return render(<Sidebar report={shown} therapy={shown.therapy} onTherapyChange={vi.fn()} showPatientBanner writeBack={writeBack} />);
}

describe('"Order missing labs"', () => {
  it('is absent when the EHR allows no lab orders', () => {
    show({});
    expect(screen.queryByRole('button', { name: /Order missing labs/ })).toBeNull();
    cleanup();
    show(undefined);
    expect(screen.queryByRole('button', { name: /Order missing labs/ })).toBeNull();
  });

  it('is absent when the to-do list has nothing to order', () => {
    const place = vi.fn();
    show({ orderLabs: { via: 'fhir', place } }, { ...REPORT, todo: [] });
    expect(screen.queryByRole('button', { name: /Order missing labs/ })).toBeNull();
  });

  it('one click, a confirmation listing the orders, then where each went', async () => {
    const place = vi.fn(async (drafts: readonly ServiceRequest[]) => drafts.map((_d, i) => ({ ok: true as const, location: `ServiceRequest/sr-${i + 1}` })));
    show({ orderLabs: { via: 'fhir', place } });
    fireEvent.click(screen.getByRole('button', { name: 'Order missing labs (2)' }));
    expect(place).not.toHaveBeenCalled();
    const confirm = screen.getByRole('group', { name: 'Send 2 lab orders in the chart as draft orders?' });
    expect(within(confirm).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['CBC with automated differential', 'hepatic function panel (ALT, AST)']);

    await act(async () => {
      fireEvent.click(within(confirm).getByRole('button', { name: 'Send 2 orders' }));
    });
    expect(place).toHaveBeenCalledTimes(1);
    const drafts = place.mock.calls[0]![0];
    expect(drafts.map((d) => d.code?.coding?.[0]?.code)).toEqual(['57021-8', '24325-3']);
    expect(drafts.every((d) => d.status === 'draft' && d.intent === 'order' && d.subject?.reference === 'Patient/p1')).toBe(true);
    const result = screen.getByTestId('order-labs-result').textContent!;
    expect(result).toContain('2 draft orders created in the chart: sign them there.');
    const placed = within(screen.getByTestId('order-labs-result')).getAllByRole('listitem').map((li) => li.textContent);
    expect(placed).toEqual(['CBC with automated differential', 'hepatic function panel (ALT, AST)']);
    expect(result).not.toContain('ServiceRequest/');
  });

  it('can be cancelled, and says when the EHR refused some orders', async () => {
    const place = vi.fn(async () => [{ ok: true as const, location: 'ServiceRequest/pad-1' }, { ok: false as const, reason: 'the EHR answered 400 Bad Request' }]);
    show({ orderLabs: { via: 'messaging', place } as LabOrderWriter });
    fireEvent.click(screen.getByRole('button', { name: /Order missing labs/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(place).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: /Order missing labs/ }));
    expect(screen.getByRole('group', { name: 'Send 2 lab orders to the EHR’s order list (as drafts to sign)?' })).toBeTruthy();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Send 2 orders' }));
    });
    const result = screen.getByTestId('order-labs-result').textContent!;
    expect(result).toContain('1 of 2 draft orders placed; the others were refused');
    expect(result).toContain('hepatic function panel (ALT, AST): not placed (the EHR answered 400 Bad Request)');
  });
});

describe('"Save to chart"', () => {
  it('is absent unless the EHR allows documents to be created', () => {
    show({});
    expect(screen.queryByRole('button', { name: 'Save to chart' })).toBeNull();
  });

  it('files the note text as a document after a confirmation, and names the new document', async () => {
    const save = vi.fn(async (_doc: DocumentReference) => ({ ok: true as const, location: 'DocumentReference/doc-7' }));
    show({ saveNote: { save } as NoteWriter });
    fireEvent.click(screen.getByRole('button', { name: 'Save to chart' }));
    expect(save).not.toHaveBeenCalled();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save the note' }));
    });
    const document = save.mock.calls[0]![0];
    const text = new TextDecoder().decode(Uint8Array.from(atob(document.content[0]!.attachment.data!), (c) => c.charCodeAt(0)));
    expect(text).toBe(reportAsNote(REPORT, 'Abrocitinib (Cibinqo)'));
    expect(document.subject?.reference).toBe('Patient/p1');
    expect(screen.getByTestId('save-note-result').textContent).toBe('Saved to the chart: DocumentReference/doc-7.');
  });

  it('says plainly when the note was not saved', async () => {
    show({ saveNote: { save: async () => ({ ok: false as const, reason: 'HTTP 403' }) } });
    fireEvent.click(screen.getByRole('button', { name: 'Save to chart' }));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save the note' }));
    });
    expect(screen.getByTestId('save-note-result').textContent).toBe('Not saved: HTTP 403. The note was not filed; use “Copy as note” instead.');
  });
});
