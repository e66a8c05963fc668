/**
 * The verdict for the drug being taken (clinical/spec.md R3.3): `current: true`, verdict
 * `on-treatment` and an action — `discontinue` or `interrupt` when a result after the start
 * crosses the label's threshold (R3.2), `recheck` while monitoring is open, else `continue`.
 * Never `ready` or `do-not-start` for the drug already taken.
 */
import type { AgentVerdict, MonitoringSchedule, OnTreatmentAction, ReportRef } from '../../../contract/report';
import { MONITORING_WORDING_PLAIN } from './words';

const OPEN = new Set(['abnormal', 'overdue', 'due', 'incomplete', 'unknown']);

export function onTreatmentAction(monitoring: MonitoringSchedule): OnTreatmentAction {
  const actions = (monitoring.abnormal ?? []).map((r) => r.action);
  if (actions.includes('discontinue')) return 'discontinue';
  if (actions.includes('interrupt') || actions.includes('interrupt-if-dili')) return 'interrupt';
  if (actions.length || monitoring.entries.some((e) => OPEN.has(e.status))) return 'recheck';
  return 'continue';
}

export function withCurrentTherapy(verdicts: AgentVerdict[], monitoring: MonitoringSchedule | null): AgentVerdict[] {
  if (!monitoring?.therapy) return verdicts;
  return verdicts.map((v) => {
    if (v.therapy !== monitoring.therapy) return v;
    const action = onTreatmentAction(monitoring);
    const reasons: string[] = [];
    const causes: ReportRef[] = [];
    for (const r of monitoring.abnormal ?? []) {
      reasons.push(r.action === 'review' ? `${r.analyte} needs review` : `${r.analyte} ${r.value}`);
      causes.push({ kind: 'caution', id: 'on-treatment-result' });
    }
    for (const e of monitoring.entries.filter((x) => OPEN.has(x.status) && x.status !== 'abnormal')) {
      reasons.push(`${e.label} ${MONITORING_WORDING_PLAIN[e.status] ?? e.status}`);
      causes.push({ kind: 'monitoring', id: e.id });
    }
    if (!reasons.length) reasons.push(monitoring.start ? `on it since ${monitoring.start}; monitoring up to date` : 'monitoring up to date');
    const unique = causes.filter((c, i) => causes.findIndex((x) => x.kind === c.kind && x.id === c.id) === i);
    return { therapy: v.therapy, label: v.label, verdict: 'on-treatment', reasons: [...new Set(reasons)], causes: unique, current: true, action };
  });
}
