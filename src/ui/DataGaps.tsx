import type { DataGap } from '../engine/report';
import { resourceTypeName } from './labels';

/** Shown near the top: a gap changes how every other part of the sidebar must be read. */
export function DataGaps({ gaps, observationsSince }: { gaps: readonly DataGap[]; observationsSince?: string }) {
  if (gaps.length === 0 && !observationsSince) return null;
  return (
    <section className="panel data-gaps" aria-labelledby="gaps-heading">
      <h2 id="gaps-heading">
        <span aria-hidden="true" className="severity__icon">
          ?
        </span>{' '}
        {gaps.length > 0 ? 'Part of the record could not be read' : 'What was searched'}
      </h2>
      {gaps.length > 0 ? (
        <>
          <ul className="gaps">
            {gaps.map((gap, index) => (
              <li key={`${gap.resourceType}-${index}`}>
                <strong>{resourceTypeName(gap.resourceType)}</strong>: {gap.reason}
                {gap.affects && gap.affects.length > 0 ? (
                  <span className="gap__affects"> (affects: {gap.affects.join(', ')})</span>
                ) : null}
              </li>
            ))}
          </ul>
          <p>Items that depend on this data show “Could not check”, never “Missing” or “Done”.</p>
        </>
      ) : null}
      {observationsSince ? (
        <p className="muted">Observations were searched from {observationsSince} onwards; older results are not shown.</p>
      ) : null}
    </section>
  );
}
