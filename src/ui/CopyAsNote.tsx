import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { ReadinessReport } from '../contract/report';
import { reportAsNote } from './note';
import type { TodoMarks } from '../contract/todo-marks';

/** `text` ties the outcome to what was copied: after a therapy change the old outcome no longer shows. */
type CopyState = { kind: 'idle' } | { kind: 'copied'; text: string } | { kind: 'manual'; text: string };

/**
 * Copies the note with the async clipboard API; when that is missing or refused (iframes in
 * EHRs often lack the permission) the text appears in a selected, read-only textarea instead.
 */
export function CopyAsNote({
  report,
  therapyLabel,
  marks = {},
  onPatientSheet,
  children,
}: {
  report: ReadinessReport;
  therapyLabel: string;
  /** The nurse's to-do marks, written into the note. */
  marks?: TodoMarks;
  /** Opens the patient sheet; no button when absent. */
  onPatientSheet?: () => void;
  children?: ReactNode;
}) {
  const [copyState, setState] = useState<CopyState>({ kind: 'idle' });
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const textareaId = useId();
  const text = reportAsNote(report, therapyLabel, marks);
  const state: CopyState = copyState.kind !== 'idle' && copyState.text !== text ? { kind: 'idle' } : copyState;

  useEffect(() => {
    if (copyState.kind === 'manual') {
      textareaRef.current?.focus();
      textareaRef.current?.select();
    }
  }, [copyState]);

  async function copy() {
    const clipboard = typeof navigator !== 'undefined' ? navigator.clipboard : undefined;
    if (!clipboard || typeof clipboard.writeText !== 'function') {
      setState({ kind: 'manual', text });
      return;
    }
    try {
      await clipboard.writeText(text);
      setState({ kind: 'copied', text });
    } catch {
      setState({ kind: 'manual', text });
    }
  }

  return (
    <section className="copy no-print" aria-labelledby="copy-heading">
      <h2 id="copy-heading" className="visually-hidden">
        Copy, print or save
      </h2>
      <div className="copy__actions">
        <button type="button" className="button" onClick={() => void copy()}>
          Copy as note
        </button>
        <button type="button" className="button button--secondary" onClick={() => window.print()}>
          Print
        </button>
        {onPatientSheet ? (
          <button type="button" className="button button--secondary" onClick={onPatientSheet}>
            Patient sheet
          </button>
        ) : null}
      </div>
      {children}
      <p className="copy__status" role="status" aria-live="polite">
        {state.kind === 'copied' ? 'Copied to the clipboard.' : ''}
      </p>
      {state.kind === 'manual' ? (
        <div className="copy__manual">
          <label htmlFor={textareaId}>Copying was blocked. Select this text and copy it (Ctrl+C or ⌘C):</label>
          <textarea id={textareaId} ref={textareaRef} readOnly value={text} rows={10} />
        </div>
      ) : null}
    </section>
  );
}
