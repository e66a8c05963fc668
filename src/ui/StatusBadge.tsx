import type { ItemStatus } from '../contract/report';
import { statusWording } from './labels';

/** Icon plus visible words: the status never depends on colour or the glyph alone. */
export function StatusBadge({ status }: { status: ItemStatus }) {
  const wording = statusWording(status);
  return (
    <span className={`status status--${status}`}>
      <span className="status__icon" aria-hidden="true">
        {wording.icon}
      </span>
      <span className="status__text">{wording.text}</span>
    </span>
  );
}
