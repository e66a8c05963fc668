import { useId, useState, type ReactNode } from 'react';
import type { Evidence, SourceLink } from '../contract/report';
import { sourceWording } from './format';
import { wasCut } from './full-text';
import { FullTextButton } from './FullText';
import { matchWording } from './labels';

interface EvidenceDisclosureProps {
  evidence: readonly Evidence[];
  /** The rule's source (label section, article), shown so the clinician can check the rule. */
  source?: string;
  /** Names the disclosure for screen readers ("Evidence for Complete blood count"). */
  subject: string;
  /** The public pages of the labels the source names (R3.8). */
  links?: readonly SourceLink[] | undefined;
}

/**
 * A button with aria-expanded that shows the resources behind an item or caution, and the
 * rule's whole source. Nothing to show, no button: a disclosure is never empty. Print leaves
 * the panels out (the page carries each statement's source line instead).
 */
export function EvidenceDisclosure({ evidence, source, subject, links }: EvidenceDisclosureProps) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const count = evidence.length;
  if (count === 0) return null;
  const fullSource = sourceWording(source);
  return (
    <div className="evidence no-print">
      <button
        type="button"
        className="evidence__toggle"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
      >
        <span aria-hidden="true" className="evidence__chevron">
          {open ? '▾' : '▸'}
        </span>{' '}
        Evidence ({count})<span className="visually-hidden"> for {subject}</span>
      </button>
      <div id={panelId} className="evidence__panel" hidden={!open}>
        <ul className="evidence__list">
          {evidence.map((piece, index) => (
            <EvidenceEntry key={`${piece.reference ?? 'derived'}-${index}`} piece={piece} />
          ))}
        </ul>
        {fullSource ? (
          <p className="evidence__source">
            <span className="label">Source:</span> {fullSource}
            {(links ?? []).map((link) => (
              <span key={link.url}>
                {' · '}
                <a href={link.url} target="_blank" rel="noopener noreferrer">
                  {link.label}
                  <span className="visually-hidden"> (opens in a new tab)</span>
                </a>
              </span>
            ))}
          </p>
        ) : null}
      </div>
    </div>
  );
}

function EvidenceEntry({ piece }: { piece: Evidence }) {
  const match = matchWording(piece.match, piece.matchedCode);
  return (
    <li className="evidence__entry">
      <span className="evidence__display">{piece.display}</span>
      <dl className="evidence__facts">
        {piece.value ? <Fact term="Value">{piece.value}</Fact> : null}
        {piece.rawValue ? <Fact term="As recorded">{piece.rawValue}</Fact> : null}
        <Fact term="Date">{piece.date ?? 'no date recorded'}</Fact>
        <Fact term="Resource">{piece.reference ?? 'derived, no single resource'}</Fact>
        {match ? <Fact term="How it matched">{match}</Fact> : null}
        {piece.note ? <Fact term="Note">{piece.note}</Fact> : null}
      </dl>
      {piece.reference && [piece.display, piece.value, piece.note].some(wasCut) ? <FullTextButton reference={piece.reference} /> : null}
    </li>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="fact">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}
