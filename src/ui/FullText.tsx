import { createContext, useContext, useId, useState } from 'react';
import { SHOWN_CHARACTERS, type FullTextLookup, type LongText } from './full-text';

/** Provided by the app shell once the record loaded; absent in a report without its resources. */
export const FullTextContext = createContext<FullTextLookup | undefined>(undefined);

const count = (n: number) => n.toLocaleString('en-US');

/**
 * For an evidence line the record shortened: a button that shows the resource's long texts as
 * plain text in a scroll box, at most SHOWN_CHARACTERS each, so even a 5 MB string cannot freeze
 * the sidebar.
 */
export function FullTextButton({ reference }: { reference: string }) {
  const lookup = useContext(FullTextContext);
  const [texts, setTexts] = useState<LongText[] | undefined>(undefined);
  const panelId = useId();
  if (!lookup) return null;
  const open = texts !== undefined;
  return (
    <div className="fulltext">
      <button
        type="button"
        className="fulltext__toggle"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setTexts(open ? undefined : lookup(reference))}
      >
        {open ? 'Hide the full text' : 'Show the full text'}
      </button>
      <div id={panelId} hidden={!open}>
        {texts?.length === 0 ? <p className="muted">The full text is not available in this session; it is in the record in the EHR.</p> : null}
        {texts?.map((long) => (
          <div key={long.path} className="fulltext__field">
            <p className="fulltext__label muted">
              {long.path}, {count(long.length)} characters
              {long.length > long.text.length ? ` (the first ${count(SHOWN_CHARACTERS)} shown; the rest is in the record in the EHR)` : ''}
            </p>
            <div className="fulltext__text" tabIndex={0} role="region" aria-label={`Full text of ${long.path}`}>
              {long.text}
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
