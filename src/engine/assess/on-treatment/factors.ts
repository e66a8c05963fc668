/**
 * On treatment, the reassessment plan counts from the real start (clinical/spec.md R3.3), so the
 * note and the print say the same dates as the monitoring view.
 */
import type { DecisionFactor, MonitoringSchedule } from '../../../contract/report';

export function withRealStart(factors: DecisionFactor[], monitoring: MonitoringSchedule | null): DecisionFactor[] {
  if (!monitoring?.start || !monitoring.visits.length) return factors;
  return factors.map((f) =>
    f.id === 'reassessment-plan'
      ? { ...f, value: monitoring.visits.map((v) => `week ${v.week}: ${v.date}`).join(' · '), source: `Article ("commonly 4, 8, and 16 weeks"), from the real start (${monitoring.drug} since ${monitoring.start})` }
      : f,
  );
}
