import type { DecisionFactor } from '../contract/report';
import { EvidenceDisclosure } from './EvidenceDisclosure';

/** The article's decision tree, surfaced not decided: one line each, the evidence one click away when there is any. */
export function DecisionFactors({ factors }: { factors: readonly DecisionFactor[] }) {
  if (factors.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="factors-heading" data-testid="factors">
      <h2 id="factors-heading">Decision factors</h2>
      <ul className="factors">
        {factors.map((factor, index) => (
          <li key={`${factor.id}-${index}`} className="factor">
            <p className="factor__line">
              <span className="factor__label">{factor.label}:</span> <span className="factor__value">{factor.value}</span>
            </p>
            <EvidenceDisclosure evidence={factor.evidence ?? []} source={factor.source} subject={factor.label} />
          </li>
        ))}
      </ul>
    </section>
  );
}
