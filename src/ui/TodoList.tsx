import type { ReactNode } from 'react';
import type { ReadinessReport, TodoEntry } from '../contract/report';

const KIND_ICONS: Record<string, string> = {
  'order-lab': '☐',
  vaccinate: '☐',
  confirm: '☐',
  ask: '☐',
  recheck: '?',
  awaiting: '…',
};

/**
 * The one list a nurse works from, as the report gives it (`report.todo`): nothing recomputed.
 * An empty list is only "nothing to do" when the whole record was read.
 */
export function TodoList({ report, children }: { report: ReadinessReport; children?: ReactNode }) {
  const todo = report.todo;
  const partial = report.dataGaps.length > 0;
  return (
    <section className="todo" aria-labelledby="todo-heading" data-testid="todo">
      <h2 id="todo-heading">
        To do{todo.length > 0 ? ` (${todo.length})` : ''}
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
            <TodoRow key={entry.id} entry={entry} />
          ))}
        </ul>
      )}
      {children}
    </section>
  );
}

function TodoRow({ entry }: { entry: TodoEntry }) {
  return (
    <li className={`todo__entry todo__entry--${entry.kind}`} data-testid={`todo-${entry.id}`}>
      <span className="todo__icon" aria-hidden="true">
        {KIND_ICONS[entry.kind] ?? '☐'}
      </span>
      <span className="todo__text">
        {entry.text}
        {entry.advisory ? <span className="todo__advisory"> (worth considering; not required by the label)</span> : null}
      </span>
    </li>
  );
}
