/**
 * To-do entries for a patient on treatment (clinical/spec.md R3.2, Revision 3 issue): "Tell the
 * prescriber today: …" (kind `urgent`, always first) for a result the label says to interrupt or
 * discontinue for; a result that cannot be read goes to a person; an LDL the label wants managed
 * goes to the prescriber; and the next reassessment visit within 14 days ("Week-16 review
 * 2026-12-16, in 9 days").
 */
import type { MonitoringSchedule, TodoEntry } from '../../../contract/report';
import { VISIT_TODO_DAYS } from '../../../kb/on-treatment';
import { daysBetween } from '../../normalise/dates';

const CONTACT = /; contact the prescriber today$/;

/** A switch to one planned agent: stop the drug being taken first (R3.3). A group plan ("any oral") names no agent to switch to. */
function switchTodo(monitoring: MonitoringSchedule, plannedAgents: readonly string[]): TodoEntry[] {
  const planned = plannedAgents.length === 1 ? plannedAgents[0]! : undefined;
  if (!planned || planned === monitoring.therapy) return [];
  const words = planned.replace(/-cream$/, ' cream');
  return [{ id: 'confirm-already-on-jak-inhibitor', kind: 'confirm', text: `Stop ${monitoring.drug} before the first dose of ${words}`, from: [{ kind: 'caution', id: 'already-on-jak-inhibitor' }] }];
}

export function onTreatmentTodos(now: string, monitoring: MonitoringSchedule | null, plannedAgents: readonly string[] = []): TodoEntry[] {
  if (!monitoring) return [];
  const out: TodoEntry[] = [...switchTodo(monitoring, plannedAgents)];
  const from = [{ kind: 'caution' as const, id: 'on-treatment-result' }];
  (monitoring.abnormal ?? []).forEach((r, i) => {
    const id = `${r.action === 'review' ? 'review' : r.urgent ? 'urgent' : 'discuss'}-${r.analyte.toLowerCase()}${i ? `-${i}` : ''}`;
    if (r.urgent) out.push({ id, kind: 'urgent', text: `Tell the prescriber today: ${r.text.replace(CONTACT, '')}`, from });
    else if (r.action === 'review') out.push({ id, kind: 'recheck', text: `Read the result in the chart: ${r.text.replace(/: the value or unit could not be read; read it in the chart$/, '')}`, from });
    else out.push({ id, kind: 'confirm', text: `Discuss with the prescriber: ${r.text}`, from });
  });
  const next = monitoring.visits.find((v) => v.date >= now);
  if (next) {
    const days = daysBetween(now, next.date);
    if (days <= VISIT_TODO_DAYS) {
      out.push({ id: `visit-week-${next.week}`, kind: 'visit', text: `Week-${next.week} review ${next.date}, ${days === 0 ? 'today' : `in ${days} day${days === 1 ? '' : 's'}`}`, from: [{ kind: 'monitoring', id: `visit-week-${next.week}` }] });
    }
  }
  return out;
}
