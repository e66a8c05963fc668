import { SourceLine } from './SourceLine';
import type { DosingAdvice, ReadinessReport } from '../contract/report';
import { EvidenceDisclosure } from './EvidenceDisclosure';

/** The labels' dose advice that the record triggers, for the planned agent(s); nothing shown when there is none. */
export function Dosing({ report, agents }: { report: ReadinessReport; agents: readonly string[] }) {
  const advice = report.dosing.filter((d) => agents.includes(d.therapy));
  if (advice.length === 0) return null;
  const label = (d: DosingAdvice) => report.byAgent.find((v) => v.therapy === d.therapy)?.label ?? d.therapy;
  return (
    <section className="panel" aria-labelledby="dosing-heading" data-testid="dosing">
      <h2 id="dosing-heading">Dose advice from the labels</h2>
      <ul className="factors">
        {advice.map((d, index) => (
          <li key={`${d.therapy}-${d.trigger}-${index}`} className="factor">
            <p className="factor__line">
              <span className="factor__label">{label(d)}:</span> {d.advice} <span className="muted">({d.reason})</span>
            </p>
            <SourceLine source={d.source} links={d.links} />
            <EvidenceDisclosure evidence={d.evidence} source={d.source} subject={`dose advice for ${label(d)}`} />
          </li>
        ))}
      </ul>
    </section>
  );
}
