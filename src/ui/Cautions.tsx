import { SourceLine } from './SourceLine';
import type { Caution, DataGap, Severity } from '../contract/report';
import { cautionsNotFullyChecked } from './caution-coverage';
import { EvidenceDisclosure } from './EvidenceDisclosure';
import { repeats } from './format';
import { cautionLabel, SEVERITY_HEADINGS, SEVERITY_ICONS } from './labels';

/**
 * Warnings and notes for information, below the first screen (the do-not-start findings are at
 * the top). Each one: its name and cause on one line, the finding, its source in one short line,
 * the evidence one click away. With part of the record unread, no list claims to be complete.
 */
export function Cautions({ cautions, gaps = [] }: { cautions: readonly Caution[]; gaps?: readonly DataGap[] }) {
  const notFullyChecked = cautionsNotFullyChecked(gaps);
  const warnings = cautions.filter((c) => c.severity === 'warning');
  const notes = cautions.filter((c) => c.severity === 'info');
  return (
    <>
      <section className="panel" aria-labelledby="warnings-heading" data-testid="warnings">
        <h2 id="warnings-heading">
          <span aria-hidden="true" className="severity__icon">
            {SEVERITY_ICONS.warning}
          </span>{' '}
          {SEVERITY_HEADINGS.warning}
          {warnings.length > 0 ? ` (${warnings.length})` : ''}
        </h2>
        {notFullyChecked ? (
          <p className="callout callout--unknown" data-testid="cautions-not-fully-checked">
            {notFullyChecked}
          </p>
        ) : warnings.length === 0 ? (
          <p className="muted">No warnings raised by the record.</p>
        ) : null}
        {warnings.length > 0 ? <CautionList severity="warning" cautions={warnings} /> : null}
      </section>
      {notes.length > 0 ? (
        <section className="panel" aria-labelledby="notes-heading" data-testid="notes">
          <h2 id="notes-heading">
            <span aria-hidden="true" className="severity__icon">
              {SEVERITY_ICONS.info}
            </span>{' '}
            {SEVERITY_HEADINGS.info} ({notes.length})
          </h2>
          <CautionList severity="info" cautions={notes} />
        </section>
      ) : null}
    </>
  );
}

function CautionList({ severity, cautions }: { severity: Severity; cautions: Caution[] }) {
  return (
    <ul className="cautions">
      {cautions.map((caution, index) => (
        <CautionEntry key={`${caution.id}-${index}`} caution={caution} severity={severity} />
      ))}
    </ul>
  );
}

/** "For abrocitinib only" when a group's caution concerns some of its agents. */
function agentsWording(agents: readonly string[]): string {
  const names = agents.map((a) => a.replace(/-cream$/, ' cream'));
  return names.length === 1 ? `For ${names[0]} only` : `For ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function CautionEntry({ caution, severity }: { caution: Caution; severity: Severity }) {
  const label = cautionLabel(caution.id);
  // The finding says more than the short cause only when it is not the same words.
  const text = caution.text.trim();
  const showText = text !== '' && !repeats(text, label, caution.short);
  // "Past tuberculosis or positive TB test — past TB or positive TB test" says nothing twice.
  const cause = caution.short && !repeats(caution.short, label, 'tb tuberculosis') ? caution.short : undefined;
  return (
    <li className={`caution caution--${severity}`} data-testid={`caution-${caution.id}`}>
      <p className="caution__line">
        <span className="caution__label">{label}</span>
        {cause ? (
          <>
            {' — '}
            <span className="caution__cause">{cause}</span>
          </>
        ) : null}
      </p>
      {showText ? <p className="caution__text">{text}</p> : null}
      {caution.unconfirmed || caution.outdated || (caution.agents && caution.agents.length > 0) ? (
        <p className="caution__flags">
          {caution.agents && caution.agents.length > 0 ? <span className="caution__agents">{agentsWording(caution.agents)}</span> : null}
          {caution.unconfirmed ? <span className="badge badge--flag">Unconfirmed diagnosis</span> : null}
          {caution.outdated ? <span className="badge badge--flag">Last known value, outdated</span> : null}
        </p>
      ) : null}
      <SourceLine source={caution.source} links={caution.links} />
      <EvidenceDisclosure evidence={caution.evidence} source={caution.source} subject={label} />
    </li>
  );
}
