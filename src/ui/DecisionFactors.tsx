import type { DecisionFactor } from '../contract/report';
import { EvidenceDisclosure } from './EvidenceDisclosure';

export function DecisionFactors({ factors }: { factors: readonly DecisionFactor[] }) {
  if (factors.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="factors-heading">
      <h2 id="factors-heading">Decision factors</h2>
      <ul className="factors">
        {factors.map((factor, index) => (
          <li key={`${factor.id}-${index}`} className="factor">
            <span className="factor__label">{factor.label}:</span> <span className="factor__value">{factor.value}</span>
            {factor.evidence && factor.evidence.length > 0 ? (
              <EvidenceDisclosure evidence={factor.evidence} source={factor.source} subject={factor.label} />
            ) : factor.source ? (
              <p className="factor__source muted">Source: {factor.source}</p>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
