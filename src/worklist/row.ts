/**
 * One worklist row per patient, made from the same report the sidebar shows (no rules of its
 * own): who, on therapy or not, the verdict per agent, the to-do list, and the monitoring that
 * is due or overdue. Rows sort so that what needs action today comes first.
 */
import type { Patient } from 'fhir/r4';
import { AGENT_IDS, type AgentId, type MonitoringStatus, type ReadinessReport, type TherapyId, type Verdict } from '../contract/report';
import { THERAPIES } from '../kb/therapies';

export interface RowVerdict {
  therapy: AgentId;
  label: string;
  verdict: Verdict;
  reasons: string[];
}

export interface RowMonitoring {
  id: string;
  label: string;
  due: string;
  status: MonitoringStatus;
  detail?: string;
}

export interface WorklistRow {
  patientId: string;
  name: string | null;
  /** The medical record number (identifier typed MR), else the first identifier. */
  identifier: { value: string; system?: string; type: 'MR' | 'other' } | null;
  age: number | null;
  sex: string;
  deceased?: boolean | string;
  /** On a JAK inhibitor (the report has a monitoring schedule) or not yet started. */
  stage: 'on-therapy' | 'pre-start';
  /** For on-therapy: the drug and the real start. */
  onTherapy?: { drug: string; start: string };
  /** The planned therapy the report was made for (--therapy). */
  therapy: TherapyId;
  /** report.byAgent, every agent. */
  verdicts: RowVerdict[];
  /** report.todo: the text of each entry, in the report's order. */
  todo: Array<{ id: string; kind: string; text: string }>;
  /** report.monitoring entries that need action: overdue, due, or could not be checked. */
  monitoring: RowMonitoring[];
  /** Data that could not be read for this patient (the report's data gaps, in words). */
  couldNotCheck: string[];
  /** 0 blockers or overdue monitoring, 1 could not check, 2 work to do, 3 nothing to do. */
  priority: 0 | 1 | 2 | 3;
}

const MR = 'MR';

export function identifierOf(patient: Patient | undefined): WorklistRow['identifier'] {
  const identifiers = Array.isArray(patient?.identifier) ? patient.identifier : [];
  const usable = identifiers.filter((i) => i && typeof i.value === 'string' && i.value.trim());
  const isMr = (i: (typeof usable)[number]) => Array.isArray(i.type?.coding) && i.type.coding.some((c) => c?.code === MR);
  const chosen = usable.find(isMr) ?? usable[0];
  if (!chosen) return null;
  return { value: chosen.value!.trim(), ...(typeof chosen.system === 'string' ? { system: chosen.system } : {}), type: isMr(chosen) ? 'MR' : 'other' };
}

/** The agents the planned therapy stands for: their verdicts decide the row's priority. */
export function agentsOf(therapy: TherapyId): AgentId[] {
  return THERAPIES[therapy].agents.filter((a): a is AgentId => (AGENT_IDS as readonly string[]).includes(a));
}

const ACTION_MONITORING: ReadonlySet<MonitoringStatus> = new Set(['overdue', 'due', 'unknown']);

export function rowFromReport(report: ReadinessReport, patient?: Patient): WorklistRow {
  const verdicts: RowVerdict[] = (report.byAgent ?? []).map((v) => ({ therapy: v.therapy, label: v.label, verdict: v.verdict, reasons: [...v.reasons] }));
  const monitoring: RowMonitoring[] = (report.monitoring?.entries ?? [])
    .filter((e) => ACTION_MONITORING.has(e.status))
    .map((e) => ({ id: e.id, label: e.label, due: e.due, status: e.status, ...(e.detail ? { detail: e.detail } : {}) }));
  const row: WorklistRow = {
    patientId: report.patient.id,
    name: report.patient.name ?? null,
    identifier: identifierOf(patient),
    age: report.patient.age,
    sex: report.patient.sex,
    stage: report.monitoring ? 'on-therapy' : 'pre-start',
    therapy: report.therapy,
    verdicts,
    todo: (report.todo ?? []).map((t) => ({ id: t.id, kind: t.kind, text: t.text })),
    monitoring,
    couldNotCheck: report.dataGaps.map((g) => `${g.resourceType}: ${g.reason}`),
    priority: 3,
  };
  if (report.patient.deceased !== undefined) row.deceased = report.patient.deceased;
  if (report.monitoring) row.onTherapy = { drug: report.monitoring.drug, start: report.monitoring.start };
  row.priority = priorityOf(row);
  return row;
}

/**
 * Blockers (a do-not-start verdict for the planned therapy's agents) and overdue monitoring
 * first; then rows that could not be checked (or have no verdict at all: never shown as
 * ready); then work to do; then rows with nothing to do.
 */
export function priorityOf(row: Pick<WorklistRow, 'therapy' | 'verdicts' | 'monitoring' | 'todo'>): WorklistRow['priority'] {
  const relevant = new Set<string>(agentsOf(row.therapy));
  const verdicts = row.verdicts.filter((v) => relevant.has(v.therapy));
  if (verdicts.some((v) => v.verdict === 'do-not-start') || row.monitoring.some((m) => m.status === 'overdue')) return 0;
  if (verdicts.length === 0 || verdicts.some((v) => v.verdict === 'unknown') || row.monitoring.some((m) => m.status === 'unknown')) return 1;
  if (verdicts.some((v) => v.verdict === 'needs-work') || row.monitoring.length > 0 || row.todo.length > 0) return 2;
  return 3;
}

const overdueCount = (row: WorklistRow) => row.monitoring.filter((m) => m.status === 'overdue').length;

export function compareRows(a: WorklistRow, b: WorklistRow): number {
  return (
    a.priority - b.priority ||
    overdueCount(b) - overdueCount(a) ||
    (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff', 'en') ||
    a.patientId.localeCompare(b.patientId, 'en')
  );
}
