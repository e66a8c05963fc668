import type { ReadinessReport } from '../engine/report';
import { summaryLine } from './summary';

export function SummaryLine({ report }: { report: ReadinessReport }) {
  return (
    <p className="summary" data-testid="summary">
      {summaryLine(report)}
    </p>
  );
}
