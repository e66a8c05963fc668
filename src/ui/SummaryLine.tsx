import type { ReadinessReport } from '../contract/report';
import { summaryLine } from './summary';

export function SummaryLine({ report }: { report: ReadinessReport }) {
  return (
    <p className="summary" data-testid="summary">
      {summaryLine(report)}
    </p>
  );
}
