import type { ReactNode } from 'react';
import type { ReadinessReport, TodoEntry } from '../contract/report';
import type { TodoMark, TodoMarks } from '../contract/todo-marks';
import { TodoMarkControl } from './TodoMark';

/** Where the marks live, for the line under the list: saved with the note, or this session only. */
export interface MarkingProps {
  marks: TodoMarks;
  onMark(item: string, mark: TodoMark | undefined): void;
  /** Whether "Save to chart" is offered (the marks then go with the note). */
  canSave: boolean;
  /** What the launch found of earlier marks. */
  saved?: { state: 'read'; savedAt?: string; count: number } | { state: 'failed'; reason: string };
}

/** Bullets, not boxes: a box that looks tickable but is not misleads (the "Mark…" button is the control). */
const KIND_ICONS: Record<string, string> = {
  'order-lab': '•',
  vaccinate: '•',
  confirm: '•',
  ask: '•',
  recheck: '?',
  // Revision 3: tell the prescriber today; the next reassessment visit.
  urgent: '!',
  visit: '◷',
  awaiting: '…',
};

/**
 * The one list a nurse works from, as the report gives it (`report.todo`): nothing recomputed.
 * An empty list is only "nothing to do" when the whole record was read.
 */
export function TodoList({ report, marking, children }: { report: ReadinessReport; marking?: MarkingProps; children?: ReactNode }) {
  const todo = report.todo;
  const partial = report.dataGaps.length > 0;
  const marked = marking ? todo.filter((entry) => Object.hasOwn(marking.marks, entry.id)).length : 0;
  return (
    <section className="todo" aria-labelledby="todo-heading" data-testid="todo">
      <h2 id="todo-heading">
        To do{todo.length > 0 ? ` (${todo.length})` : ''}
        {marked > 0 ? <span className="todo__marked-count"> · {marked} marked</span> : null}
      </h2>
      {todo.length === 0 ? (
        <p className={partial ? 'callout callout--unknown' : 'muted'}>
          {partial
            ? 'Nothing to order from what could be read, but part of the record could not be read (see “Could not check” below).'
            : 'Nothing to order or confirm from the record.'}
        </p>
      ) : (
        <ul className="todo__list">
          {todo.map((entry) => (
            <TodoRow key={entry.id} entry={entry} today={report.asOf} marking={marking} />
          ))}
        </ul>
      )}
      {marking && todo.length > 0 ? <MarksNotice marking={marking} marked={marked} /> : null}
      {children}
    </section>
  );
}

function TodoRow({ entry, today, marking }: { entry: TodoEntry; today: string; marking?: MarkingProps }) {
  const mark = marking && Object.hasOwn(marking.marks, entry.id) ? marking.marks[entry.id] : undefined;
  return (
    <li className={`todo__entry todo__entry--${entry.kind}${mark ? ' todo__entry--marked' : ''}`} data-testid={`todo-${entry.id}`}>
      <span className="todo__icon" aria-hidden="true">
        {mark ? '–' : (KIND_ICONS[entry.kind] ?? '•')}
      </span>
      <div className="todo__body">
        <span className="todo__text">
          {entry.text}
          {entry.advisory ? <span className="todo__advisory"> (worth considering; not required by the label)</span> : null}
        </span>
        {marking ? <TodoMarkControl item={entry.id} itemText={entry.text} {...(mark ? { mark } : {})} today={today} onMark={marking.onMark} /> : null}
      </div>
    </li>
  );
}

/** Says where the marks live: with the note when it can be saved, else for this session only. */
function MarksNotice({ marking, marked }: { marking: MarkingProps; marked: number }) {
  const saved = marking.saved;
  return (
    <div className="todo__notice no-print" data-testid="marks-notice">
      {saved?.state === 'read' && saved.count > 0 && marked > 0 ? (
        <p className="muted">Marks shown are from the note saved{saved.savedAt ? ` on ${saved.savedAt}` : ''}.</p>
      ) : null}
      {saved?.state === 'failed' ? <p className="callout callout--unknown">Marks saved with an earlier note could not be read ({saved.reason}).</p> : null}
      <p className="muted">
        {marking.canSave
          ? 'Marks are saved with the note when you choose “Save to chart”.'
          : 'Marks are kept for this session only: this EHR does not let the app save notes to the chart.'}
      </p>
    </div>
  );
}
