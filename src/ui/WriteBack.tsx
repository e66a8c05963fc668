/**
 * Writing to the chart, only where the EHR granted it (src/fhir/write-back.ts decides):
 * "Order missing labs" places the to-do list's lab orders as drafts — one click, a confirmation
 * listing them, then where each one went — and "Save to chart" files the note as a document.
 */
import { useEffect, useState } from 'react';
import type { ReadinessReport } from '../contract/report';
import { labOrderDrafts } from '../fhir/lab-orders';
import type { LabOrderWriter, NoteWriter, WriteOutcome } from '../fhir/write-back';
import { noteDocument } from '../fhir/write-back';
import { reportAsNote } from './note';
import { plural } from './labels';
import { marksFor, serialiseMarks, type TodoMarks } from '../contract/todo-marks';

type Step<T> = { kind: 'idle' } | { kind: 'confirm' } | { kind: 'working' } | { kind: 'done'; outcomes: T };

/** Resets the step when the report changes: a confirmation never stands for another list. */
function useStep<T>(key: string): [Step<T>, (step: Step<T>) => void] {
  const [state, setState] = useState<{ key: string; step: Step<T> }>({ key, step: { kind: 'idle' } });
  useEffect(() => {
    if (state.key !== key && state.step.kind !== 'working') setState({ key, step: { kind: 'idle' } });
  }, [key, state]);
  const step = state.key === key || state.step.kind === 'working' ? state.step : { kind: 'idle' as const };
  return [step, (next) => setState({ key, step: next })];
}

/** The confirmation's two buttons; both are disabled while the write is under way. */
function ConfirmActions(props: { working: boolean; confirm: string; workingLabel: string; onConfirm: () => void; onCancel: () => void }) {
  return (
    <div className="write-back__actions">
      <button type="button" className="button" disabled={props.working} onClick={props.onConfirm}>
        {props.working ? props.workingLabel : props.confirm}
      </button>
      <button type="button" className="button button--secondary" disabled={props.working} onClick={props.onCancel}>
        Cancel
      </button>
    </div>
  );
}

export function OrderLabs({ report, writer, agentLabel }: { report: ReadinessReport; writer: LabOrderWriter; agentLabel: string }) {
  const drafts = labOrderDrafts(report, { patientId: report.patient.id, today: report.asOf, agentLabel });
  const key = drafts.map((d) => d.order.code).join(',');
  const [step, setStep] = useStep<WriteOutcome[]>(key);
  if (drafts.length === 0 && step.kind !== 'done') return null;
  const where = writer.via === 'messaging' ? 'to the EHR’s order list (as drafts to sign)' : 'in the chart as draft orders';

  async function place() {
    setStep({ kind: 'working' });
    const outcomes = await writer.place(drafts.map((d) => d.resource));
    setStep({ kind: 'done', outcomes });
  }

  return (
    <div className="write-back no-print" data-testid="order-labs">
      {step.kind === 'idle' ? (
        <button type="button" className="button" onClick={() => setStep({ kind: 'confirm' })}>
          Order missing labs ({drafts.length})
        </button>
      ) : null}
      {step.kind === 'confirm' || step.kind === 'working' ? (
        <div className="write-back__confirm" role="group" aria-labelledby="order-labs-question">
          <p id="order-labs-question" className="label">
            Send {plural(drafts.length, 'lab order', 'lab orders')} {where}?
          </p>
          <ul className="write-back__list">
            {drafts.map(({ order }) => (
              <li key={order.code}>{order.display}</li>
            ))}
          </ul>
          <ConfirmActions
            working={step.kind === 'working'}
            confirm={`Send ${plural(drafts.length, 'order', 'orders')}`}
            workingLabel="Sending…"
            onConfirm={() => void place()}
            onCancel={() => setStep({ kind: 'idle' })}
          />
        </div>
      ) : null}
      <div role="status" aria-live="polite">
        {step.kind === 'done' ? <PlacedOrders drafts={drafts.map((d) => d.order.display)} outcomes={step.outcomes} via={writer.via} /> : null}
      </div>
    </div>
  );
}

function PlacedOrders({ drafts, outcomes, via }: { drafts: string[]; outcomes: WriteOutcome[]; via: LabOrderWriter['via'] }) {
  const placed = outcomes.filter((o) => o.ok).length;
  return (
    <div className="write-back__result" data-testid="order-labs-result">
      <p className="label">
        {placed === outcomes.length
          ? `${plural(placed, 'draft order', 'draft orders')} ${via === 'messaging' ? 'sent to the EHR’s order list' : 'created in the chart'}: sign them there.`
          : `${placed} of ${outcomes.length} draft orders placed; the others were refused (below).`}
      </p>
      <ul className="write-back__list">
        {/* Test names, not record ids: the nurse checks what was ordered (issue 18). */}
        {outcomes.map((outcome, index) => (
          <li key={index}>
            {drafts[index] ?? 'Order'}
            {outcome.ok ? '' : `: not placed (${outcome.reason})`}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function SaveNote({ report, therapyLabel, writer, author, marks = {} }: { report: ReadinessReport; therapyLabel: string; writer: NoteWriter; author?: string; marks?: TodoMarks }) {
  const text = reportAsNote(report, therapyLabel, marks);
  // The marks of this to-do list, also when there are none: the newest note is what the next launch reads.
  const marksJson = serialiseMarks(marksFor(marks, report.todo));
  const [step, setStep] = useStep<WriteOutcome>(text);

  async function save() {
    setStep({ kind: 'working' });
    const created = new Date().toISOString();
    const document = noteDocument({ patientId: report.patient.id, text, title: `JAK inhibitor readiness: ${therapyLabel}`, created, marksJson, ...(author ? { author } : {}) });
    setStep({ kind: 'done', outcomes: await writer.save(document) });
  }

  return (
    <div className="write-back no-print" data-testid="save-note">
      {step.kind === 'idle' ? (
        <button type="button" className="button button--secondary" onClick={() => setStep({ kind: 'confirm' })}>
          Save to chart
        </button>
      ) : null}
      {step.kind === 'confirm' || step.kind === 'working' ? (
        <div className="write-back__confirm" role="group" aria-labelledby="save-note-question">
          <p id="save-note-question" className="label">
            File this note (the text “Copy as note” gives, with the to-do marks) in the patient’s chart as a document?
          </p>
          <ConfirmActions
            working={step.kind === 'working'}
            confirm="Save the note"
            workingLabel="Saving…"
            onConfirm={() => void save()}
            onCancel={() => setStep({ kind: 'idle' })}
          />
        </div>
      ) : null}
      <p role="status" aria-live="polite" data-testid="save-note-result">
        {step.kind === 'done'
          ? step.outcomes.ok
            ? `Saved to the chart: ${step.outcomes.location}.`
            : `Not saved: ${step.outcomes.reason}. The note was not filed; use “Copy as note” instead.`
          : ''}
      </p>
    </div>
  );
}
