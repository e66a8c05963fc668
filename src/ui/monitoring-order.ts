import { MONITORING_STATUSES, type MonitoringEntry } from '../contract/report';

/** Abnormal first, then overdue, as a nurse works them; the report's order within each status. */
export function entriesInWorkOrder(entries: readonly MonitoringEntry[]): MonitoringEntry[] {
  const rank = (status: string) => {
    const index = MONITORING_STATUSES.indexOf(status as (typeof MONITORING_STATUSES)[number]);
    return index < 0 ? MONITORING_STATUSES.length : index;
  };
  return entries.map((entry, index) => ({ entry, index })).sort((a, b) => rank(a.entry.status) - rank(b.entry.status) || a.index - b.index).map(({ entry }) => entry);
}
