import { SEVERITIES, type Caution, type DataGap, type Severity } from '../contract/report';
import { cautionsNotFullyChecked } from './caution-coverage';
import { EvidenceDisclosure } from './EvidenceDisclosure';
import { cautionLabel, SEVERITY_HEADINGS, SEVERITY_ICONS } from './labels';

export function Cautions({ cautions, gaps = [] }: { cautions: readonly Caution[]; gaps?: readonly DataGap[] }) {
  const notFullyChecked = cautionsNotFullyChecked(gaps);
  return (
    <section className="panel" aria-labelledby="cautions-heading">
      <h2 id="cautions-heading">Cautions</h2>
      {notFullyChecked ? (
        <p className="callout callout--unknown" data-testid="cautions-not-fully-checked">
          {notFullyChecked}
        </p>
      ) : cautions.length === 0 ? (
        <p className="muted">No cautions raised by the loaded record.</p>
      ) : null}
      {SEVERITIES.map((severity) => {
        const group = cautions.filter((caution) => caution.severity === severity);
        return group.length > 0 ? <CautionGroup key={severity} severity={severity} cautions={group} /> : null;
      })}
    </section>
  );
}

function CautionGroup({ severity, cautions }: { severity: Severity; cautions: Caution[] }) {
  const headingId = `cautions-${severity}`;
  return (
    <div className={`caution-group caution-group--${severity}`}>
      <h3 id={headingId} className="caution-group__heading">
        <span className="severity__icon" aria-hidden="true">
          {SEVERITY_ICONS[severity]}
        </span>{' '}
        {SEVERITY_HEADINGS[severity]} ({cautions.length})
      </h3>
      <ul className="cautions" aria-labelledby={headingId}>
        {cautions.map((caution, index) => (
          <CautionEntry key={`${caution.id}-${index}`} caution={caution} />
        ))}
      </ul>
    </div>
  );
}

function CautionEntry({ caution }: { caution: Caution }) {
  const label = cautionLabel(caution.id);
  return (
    <li className={`caution caution--${caution.severity}`} data-testid={`caution-${caution.id}`}>
      <h4 className="caution__label">{label}</h4>
      <p className="caution__text">{caution.text}</p>
      {caution.unconfirmed || caution.outdated ? (
        <p className="caution__flags">
          {caution.unconfirmed ? <span className="badge badge--flag">Unconfirmed diagnosis</span> : null}
          {caution.outdated ? <span className="badge badge--flag">Last known value, outdated</span> : null}
        </p>
      ) : null}
      {caution.agents && caution.agents.length > 0 ? (
        <p className="caution__agents">
          <span className="label">Concerns:</span> {caution.agents.join(', ')}
        </p>
      ) : null}
      <EvidenceDisclosure evidence={caution.evidence} source={caution.source} subject={label} />
    </li>
  );
}
