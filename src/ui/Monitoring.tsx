import { MONITORING_STATUSES, type MonitoringEntry, type MonitoringSchedule } from '../contract/report';
import { EvidenceDisclosure } from './EvidenceDisclosure';
import { agoWording, daysBetween, resultWording, shortSource } from './format';
import { MONITORING_WORDING } from './labels';

/** "since 2026-08-01 (week 18)": how long the patient has been on it, from the real start. */
export function sinceWording(schedule: MonitoringSchedule, asOf: string): string {
  if (!schedule.start) return 'start date not recorded';
  const days = daysBetween(schedule.start, asOf);
  return days !== undefined && days >= 0 ? `since ${schedule.start} (week ${Math.floor(days / 7) + 1})` : `since ${schedule.start}`;
}

/** "Due 2026-11-13 · LDL 116 mg/dL, 19 days ago"; the engine's own line ("overdue since …") when it has one. */
export function entryLine(entry: MonitoringEntry, asOf: string): string {
  if (entry.status === 'done' && entry.result) return `Due ${entry.due} · ${resultWording(entry.result)}, ${agoWording(entry.result.date, asOf)}`;
  if (entry.detail) return entry.detail.charAt(0).toUpperCase() + entry.detail.slice(1);
  return `Due ${entry.due}`;
}

/** Overdue first, as a nurse works them; the report's order within each status. */
export function entriesInWorkOrder(entries: readonly MonitoringEntry[]): MonitoringEntry[] {
  const rank = (status: string) => {
    const index = MONITORING_STATUSES.indexOf(status as (typeof MONITORING_STATUSES)[number]);
    return index < 0 ? MONITORING_STATUSES.length : index;
  };
  return entries.map((entry, index) => ({ entry, index })).sort((a, b) => rank(a.entry.status) - rank(b.entry.status) || a.index - b.index).map(({ entry }) => entry);
}

/**
 * The schedule after the real start, for a patient already on a JAK inhibitor: overdue first, as
 * the report orders it, each with its due date and, once done, the result that counted.
 */
export function Monitoring({ schedule, asOf }: { schedule: MonitoringSchedule; asOf: string }) {
  const source = shortSource(schedule.source);
  return (
    <section className="panel monitoring" aria-labelledby="monitoring-heading" data-testid="monitoring">
      <h2 id="monitoring-heading">Monitoring schedule</h2>
      {schedule.entries.length === 0 ? (
        <p className="muted">No laboratory checks in the label’s schedule for this medicine.</p>
      ) : (
        <ul className="schedule">
          {entriesInWorkOrder(schedule.entries).map((entry) => {
            const wording = MONITORING_WORDING[entry.status] ?? { text: entry.status, icon: '?' };
            return (
              <li key={entry.id} className={`item item--monitor-${entry.status}`} data-testid={`monitoring-${entry.id}`}>
                <div className="item__head">
                  <span className={`status status--monitor-${entry.status}`}>
                    <span className="status__icon" aria-hidden="true">
                      {wording.icon}
                    </span>
                    <span className="status__text">{wording.text}</span>
                  </span>
                  <h3 className="item__label">{entry.label}</h3>
                </div>
                <p className="item__result">{entryLine(entry, asOf)}</p>
                {entry.result ? <EvidenceDisclosure evidence={[entry.result]} source={entry.source} subject={entry.label} /> : null}
              </li>
            );
          })}
        </ul>
      )}
      {schedule.visits.length > 0 ? (
        <p className="monitoring__visits">
          <span className="label">Reassessment visits:</span> {schedule.visits.map((v) => `week ${v.week} ${v.date}`).join(' · ')}
        </p>
      ) : null}
      {source ? <p className="source-line">Source: {source}</p> : null}
    </section>
  );
}
