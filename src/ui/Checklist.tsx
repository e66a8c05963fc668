import type { ChecklistItem } from '../contract/report';
import { EvidenceDisclosure } from './EvidenceDisclosure';
import { newestEvidence } from './evidence';
import { windowWording } from './labels';
import { StatusBadge } from './StatusBadge';

export function Checklist({ items }: { items: readonly ChecklistItem[] }) {
  return (
    <section className="panel" aria-labelledby="checklist-heading">
      <h2 id="checklist-heading">Baseline checklist</h2>
      {items.length === 0 ? (
        <p className="callout callout--unknown">The checklist could not be produced for this record.</p>
      ) : (
        <ul className="checklist">
          {items.map((item) => (
            <ChecklistEntry key={item.id} item={item} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ChecklistEntry({ item }: { item: ChecklistItem }) {
  const newest = newestEvidence(item.evidence);
  const applies = item.status !== 'not-applicable';
  return (
    <li className={`item item--${item.status}`} data-testid={`item-${item.id}`}>
      <div className="item__head">
        <h3 className="item__label">{item.label}</h3>
        <StatusBadge status={item.status} />
        {item.advisory ? (
          <span className="badge badge--advisory" title="Worth considering; not required by the label">
            Advisory
          </span>
        ) : null}
      </div>
      {item.advisory ? <p className="item__advisory">Worth considering; not required by the label.</p> : null}
      {item.detail ? <p className="item__detail">{item.detail}</p> : null}
      {applies ? (
        <p className="item__meta">
          {newest ? (
            <>
              <span className="label">Latest:</span> {newest.date}
              {newest.value ? ` · ${newest.value}` : ''}
            </>
          ) : (
            <span className="label">No dated result</span>
          )}
          {' · '}
          <span className="item__window">{windowWording(item.window)}</span>
        </p>
      ) : null}
      {item.missing && item.missing.length > 0 ? (
        <p className="item__missing">
          <span className="label">Still needed:</span> {item.missing.join(', ')}
        </p>
      ) : null}
      {item.notes && item.notes.length > 0 ? (
        <ul className="item__notes">
          {item.notes.map((note, index) => (
            <li key={index}>{note}</li>
          ))}
        </ul>
      ) : null}
      <EvidenceDisclosure evidence={item.evidence} source={item.source} subject={item.label} />
    </li>
  );
}
