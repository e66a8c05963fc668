import type { ReadinessReport } from '../contract/report';
import { uncheckedSources } from './caution-coverage';
import { affectsWording } from './format';
import { resourceTypeName } from './labels';
import { TryAgain } from './TryAgain';

const COULD_NOT_CHECK_MEANS = 'Items that depend on it say “Could not check”, never “Missing” or “Done”: look in the chart yourself.';

/**
 * On the first screen when part of the record could not be read: a gap changes how everything
 * else must be read, so it is never left to the bottom of the page.
 */
export function GapAlert({ report }: { report: ReadinessReport }) {
  const sources = uncheckedSources(report.dataGaps);
  if (sources.length === 0) return null;
  return (
    <p className="callout callout--unknown gap-alert" data-testid="gap-alert">
      <span aria-hidden="true" className="severity__icon">
        ?{' '}
      </span>
      <strong>Part of the record could not be read</strong> ({sources.join('; ')}). <a href="#gaps-heading">What could not be checked</a>{' '}
      <TryAgain />
    </p>
  );
}

/** Every gap with its reason and what it affects, in words; the search scope when the loader limited it. */
export function DataGaps({ report, observationsSince }: { report: ReadinessReport; observationsSince?: string }) {
  const gaps = report.dataGaps;
  const searchScope = observationsSince ? (
    <p className="muted search-scope">Lab results were searched from {observationsSince} onwards; older results are not shown.</p>
  ) : null;
  // Without a gap, the search scope is context, not an alarm: plain text, not the gap panel.
  if (gaps.length === 0) return searchScope;
  return (
    <section className="panel data-gaps" aria-labelledby="gaps-heading" data-testid="data-gaps">
      <h2 id="gaps-heading" tabIndex={-1}>
        <span aria-hidden="true" className="severity__icon">
          ?
        </span>{' '}
        Could not check: part of the record could not be read
      </h2>
      <ul className="gaps">
        {gaps.map((gap, index) => {
          const affects = affectsWording(gap, report);
          return (
            <li key={`${gap.resourceType}-${index}`}>
              <strong>{resourceTypeName(gap.resourceType)}</strong>: {gap.reason}
              {affects.length > 0 ? <span className="gap__affects"> Affects: {affects.join(', ')}.</span> : null}
            </li>
          );
        })}
      </ul>
      <p>{COULD_NOT_CHECK_MEANS}</p>
      <TryAgain />
      {searchScope}
    </section>
  );
}
