import { useId } from 'react';
import { THERAPY_IDS, type TherapyId } from '../contract/report';
import { THERAPIES } from '../kb/therapies';

interface TherapySelectorProps {
  value: TherapyId;
  onChange(therapy: TherapyId): void;
  /** The agent found as an active or draft order, when there is one. */
  preselected?: TherapyId;
  /** 'order': the order being written, passed by the EHR at launch; else an order in the record. */
  preselectedFrom?: 'order' | 'record';
}

const ROUTES = [
  { route: 'oral', label: 'Oral' },
  { route: 'topical', label: 'Topical' },
] as const;

function isTherapyId(value: string): value is TherapyId {
  return (THERAPY_IDS as readonly string[]).includes(value);
}

export function TherapySelector({ value, onChange, preselected, preselectedFrom }: TherapySelectorProps) {
  const id = useId();
  return (
    <div className="therapy">
      <label htmlFor={id} className="therapy__label">
        Planned therapy
      </label>
      <select
        id={id}
        className="therapy__select"
        value={value}
        onChange={(event) => {
          if (isTherapyId(event.target.value)) onChange(event.target.value);
        }}
      >
        {ROUTES.map(({ route, label }) => (
          <optgroup key={route} label={label}>
            {THERAPY_IDS.filter((therapy) => THERAPIES[therapy].route === route).map((therapy) => (
              <option key={therapy} value={therapy}>
                {THERAPIES[therapy].label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      <p className="therapy__print print-only">{THERAPIES[value]?.label ?? value}</p>
      {preselected && preselected === value ? (
        <p className="therapy__hint muted">
          {preselectedFrom === 'order' ? 'Preselected from the order being written.' : 'Preselected from an order in the record.'}
        </p>
      ) : null}
    </div>
  );
}
