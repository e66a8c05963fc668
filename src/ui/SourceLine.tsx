import type { SourceLink } from '../contract/report';
import { shortSource } from './format';

interface SourceLineProps {
  source: string | undefined;
  links?: readonly SourceLink[] | undefined;
}

/**
 * A rule's source in one short line, as a clinician reads it ("Cibinqo label (US), section 2.1"),
 * with a link to each label's public page (R3.8). Links open in a new tab without handing this
 * page to the label site (noopener noreferrer); on paper the address is printed instead.
 */
export function SourceLine({ source, links }: SourceLineProps) {
  const short = shortSource(source);
  if (!short) return null;
  return (
    <p className="source-line">
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
    </p>
  );
}
