import type { SourceLink } from '../contract/report';
import { shortSource } from './format';

interface SourceLineProps {
  source: string | undefined;
  links?: readonly SourceLink[] | undefined;
  /** `span` inside a sentence (a result's line in the monitoring view); a paragraph otherwise. */
  inline?: boolean;
}

/**
 * A rule's source in one short line, as a clinician reads it ("Cibinqo label (US), section 2.1"),
 * with a link to each label's public page (R3.8). Links open in a new tab without handing this
 * page to the label site (noopener noreferrer); on paper the address is printed instead.
 */
export function SourceLine({ source, links, inline = false }: SourceLineProps) {
  const short = shortSource(source);
  if (!short) return null;
  const Line = inline ? 'span' : 'p';
  return (
    <Line className="source-line">
      {inline ? ' ' : null}
      Source: {short}
      {(links ?? []).map((link) => (
        <span key={link.url} className="source-link">
          {' · '}
          <a href={link.url} target="_blank" rel="noopener noreferrer" className="no-print">
            {link.label}
            <span className="visually-hidden"> (opens in a new tab)</span>
          </a>
          <span className="print-only">{link.url}</span>
        </span>
      ))}
    </Line>
  );
}
