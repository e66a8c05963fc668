/**
 * Marking one to-do item "done elsewhere", "declined" or "deferred", with an optional reason:
 * a button that opens a small form (native radio buttons and a text field, so keyboard and
 * screen readers work as everywhere else), and the mark shown under the item once made.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { cleanReason, MARK_KINDS, MARK_WORDING, markLine, MAX_REASON, type MarkKind, type TodoMark } from '../contract/todo-marks';

export interface TodoMarkProps {
  item: string;
  /** The item's words, to name the button and the form for a screen reader. */
  itemText: string;
  mark?: TodoMark;
  /** The day a mark is dated (the session's "today"). */
  today: string;
  onMark(item: string, mark: TodoMark | undefined): void;
}

export function TodoMarkControl({ item, itemText, mark, today, onMark }: TodoMarkProps) {
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<MarkKind | undefined>(mark?.mark);
  const [reason, setReason] = useState(mark?.reason ?? '');
  const toggleRef = useRef<HTMLButtonElement>(null);
  /** The radio button focused on opening: the chosen mark, else the first. */
  const firstRef = useRef<HTMLInputElement>(null);
  const formId = useId();
  const reasonId = useId();

  useEffect(() => {
    if (open) firstRef.current?.focus();
  }, [open]);

  function close() {
    setOpen(false);
    // Back to where the keyboard user started.
    requestAnimationFrame(() => toggleRef.current?.focus());
  }

  function start() {
    setKind(mark?.mark);
    setReason(mark?.reason ?? '');
    setOpen(true);
  }

  function save() {
    if (!kind) return;
    const text = cleanReason(reason);
    onMark(item, { item, mark: kind, date: today, ...(text ? { reason: text } : {}) });
    close();
  }

  return (
    <div className="todo__marking">
      {mark ? (
        <p className={`todo__mark todo__mark--${mark.mark}`} data-testid={`mark-${item}`}>
          {markLine(mark)}
        </p>
      ) : null}
      {!open ? (
        <button
          type="button"
          ref={toggleRef}
          className="button button--small button--secondary no-print"
          aria-label={`${mark ? 'Change mark' : 'Mark'}: ${itemText}`}
          onClick={start}
        >
          {mark ? 'Change' : 'Mark…'}
        </button>
      ) : (
        <form
          id={formId}
          className="todo__form no-print"
          onSubmit={(event) => {
            event.preventDefault();
            save();
          }}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault();
              close();
            }
          }}
        >
          <fieldset>
            <legend className="visually-hidden">Mark: {itemText}</legend>
            {MARK_KINDS.map((option, index) => (
              <label key={option} className="todo__option">
                <input
                  ref={(kind ? option === kind : index === 0) ? firstRef : undefined}
                  type="radio"
                  name={`${formId}-mark`}
                  value={option}
                  checked={kind === option}
                  onChange={() => setKind(option)}
                />{' '}
                {MARK_WORDING[option]}
              </label>
            ))}
          </fieldset>
          <label htmlFor={reasonId} className="todo__reason-label">
            Reason (optional)
          </label>
          <input id={reasonId} className="todo__reason" type="text" maxLength={MAX_REASON} value={reason} onChange={(event) => setReason(event.target.value)} />
          <div className="todo__form-actions">
            <button type="submit" className="button button--small" disabled={!kind}>
              Save mark
            </button>
            {mark ? (
              <button
                type="button"
                className="button button--small button--secondary"
                onClick={() => {
                  onMark(item, undefined);
                  close();
                }}
              >
                Remove mark
              </button>
            ) : null}
            <button type="button" className="button button--small button--secondary" onClick={close}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
