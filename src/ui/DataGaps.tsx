import type { DataGap } from '../contract/report';
import { resourceTypeName } from './labels';

/** Shown near the top: a gap changes how every other part of the sidebar must be read. */
export function DataGaps({ gaps, observationsSince }: { gaps: readonly DataGap[]; observationsSince?: string }) {
  const searchScope = observationsSince ? (
    <p className="muted">Observations were searched from {observationsSince} onwards; older results are not shown.</p>
  ) : null;
  // Without a gap, the search scope is context, not an alarm: plain text, not the gap panel.
  if (gaps.length === 0) return searchScope;
  return (
    <section className="panel data-gaps" aria-labelledby="gaps-heading">
      <h2 id="gaps-heading">
        <span aria-hidden="true" className="severity__icon">
          ?
        </span>{' '}
        Part of the record could not be read
      </h2>
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
      {searchScope}
    </section>
  );
}
