import type { ChecklistItem } from '../contract/report';
import { EvidenceDisclosure } from './EvidenceDisclosure';
import { checklistRowText } from './format';
import { StatusBadge } from './StatusBadge';

/**
 * The pre-start checklist, one compact row per item: its name and status word, the result that
 * decides it with the test's name and age ("Hemoglobin 13.9 g/dL, 12 days ago · within 90 days"),
 * what is still needed, and the evidence one click away.
 */
export function Checklist({ items, asOf }: { items: readonly ChecklistItem[]; asOf: string }) {
  return (
    <section className="panel" aria-labelledby="checklist-heading">
      <h2 id="checklist-heading">Baseline checklist</h2>
      {items.length === 0 ? (
        <p className="callout callout--unknown">The checklist could not be produced for this record.</p>
      ) : (
        <ul className="checklist">
          {items.map((item) => (
            <ChecklistRow key={item.id} item={item} asOf={asOf} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ChecklistRow({ item, asOf }: { item: ChecklistItem; asOf: string }) {
  const { result, detail } = checklistRowText(item, asOf);
  return (
    <li className={`item item--${item.status}`} data-testid={`item-${item.id}`}>
      <div className="item__head">
        <StatusBadge status={item.status} />
        <h3 className="item__label">{item.label}</h3>
      </div>
      {item.advisory ? <p className="item__advisory">Worth considering; not required by the label.</p> : null}
      {detail ? <p className="item__detail">{detail}</p> : null}
      {result ? <p className="item__result">{result}</p> : null}
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
      <EvidenceDisclosure evidence={item.evidence} source={item.source} subject={item.label} links={item.links} />
    </li>
  );
}
