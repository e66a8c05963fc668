/**
 * One worklist row per patient, made from the same report the sidebar shows (no rules of its
 * own): who, on therapy or not, the verdict per agent, the to-do list, and the monitoring that
 * is due or overdue. Rows sort so that what needs action today comes first.
 */
import { AGENT_IDS, type AgentId, type MonitoringStatus, type OnTreatmentAction, type ReadinessReport, type TherapyId, type Verdict } from '../contract/report';
import { THERAPIES } from '../kb/therapies';

export interface RowVerdict {
  therapy: AgentId;
  label: string;
  verdict: Verdict;
  reasons: string[];
  /** Revision 3 (R3.3): the agent being taken, and what to do with it. */
  current?: boolean;
  action?: OnTreatmentAction;
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
  /** The medical record number (identifier typed MR), else the first usable identifier (the report's `patient.mrn`). */
  mrn: string | null;
  birthDate: string | null;
  age: number | null;
  sex: string;
  deceased?: boolean | string;
  /** On a JAK inhibitor (the report has a monitoring schedule) or not yet started. */
  stage: 'on-therapy' | 'pre-start';
  /** For on-therapy: the drug and the real start (absent when the record gives no date). */
  onTherapy?: { drug: string; start?: string };
  /** The planned therapy the report was made for (--therapy). */
  therapy: TherapyId;
  /** report.byAgent, every agent. */
  verdicts: RowVerdict[];
  /**
   * The agents whose verdict matters on this row: the one the patient is on (monitoring), else
   * those of the planned therapy. A patient on abrocitinib is not a blocker because upadacitinib
   * would be a second JAK inhibitor.
   */
  relevantAgents: AgentId[];
  /** report.todo: the text of each entry, in the report's order. */
  todo: Array<{ id: string; kind: string; text: string; advisory?: boolean }>;
  /** report.monitoring entries that need action: abnormal, overdue, due, incomplete, or could not be checked. */
  monitoring: RowMonitoring[];
  /** Revision 3 (R3.2): results during treatment the label acts on, in words ("Platelets 45,000/µL on abrocitinib … — label: discontinue"). */
  abnormal: string[];
  /** Data that could not be read for this patient (the report's data gaps, in words). */
  couldNotCheck: string[];
  /** 0 blockers or overdue monitoring, 1 could not check, 2 work to do, 3 nothing to do. */
  priority: 0 | 1 | 2 | 3;
}


/** The agents the planned therapy stands for: their verdicts decide the row's priority. */
export function agentsOf(therapy: TherapyId): AgentId[] {
  return THERAPIES[therapy].agents.filter((a): a is AgentId => (AGENT_IDS as readonly string[]).includes(a));
}

const ACTION_MONITORING: ReadonlySet<MonitoringStatus> = new Set(['abnormal', 'overdue', 'due', 'incomplete', 'unknown']);

export function rowFromReport(report: ReadinessReport): WorklistRow {
  const verdicts: RowVerdict[] = (report.byAgent ?? []).map((v) => ({ therapy: v.therapy, label: v.label, verdict: v.verdict, reasons: [...v.reasons], ...(v.current ? { current: true } : {}), ...(v.action ? { action: v.action } : {}) }));
  const monitoring: RowMonitoring[] = (report.monitoring?.entries ?? [])
    .filter((e) => ACTION_MONITORING.has(e.status))
    .map((e) => ({ id: e.id, label: e.label, due: e.due, status: e.status, ...(e.detail ? { detail: e.detail } : {}) }));
  const row: WorklistRow = {
    patientId: report.patient.id,
    name: report.patient.name ?? null,
    mrn: report.patient.mrn ?? null,
    birthDate: report.patient.birthDate ?? null,
    age: report.patient.age,
    sex: report.patient.sex,
    stage: report.monitoring ? 'on-therapy' : 'pre-start',
    therapy: report.therapy,
    verdicts,
    relevantAgents: report.monitoring?.therapy ? [report.monitoring.therapy] : agentsOf(report.therapy),
    todo: (report.todo ?? []).map((t) => ({ id: t.id, kind: t.kind, text: t.text, ...(t.advisory ? { advisory: true } : {}) })),
    monitoring,
    abnormal: (report.monitoring?.abnormal ?? []).map((r) => r.text),
    couldNotCheck: report.dataGaps.map((g) => `${g.resourceType}: ${g.reason}`),
    priority: 3,
  };
  if (report.patient.deceased !== undefined) row.deceased = report.patient.deceased;
  if (report.monitoring) row.onTherapy = { drug: report.monitoring.drug, ...(report.monitoring.start ? { start: report.monitoring.start } : {}) };
  row.priority = priorityOf(row);
  return row;
}

/**
 * Blockers (a do-not-start verdict for a relevant agent) and overdue monitoring
 * first; then rows that could not be checked (or have no verdict at all: never shown as
 * ready); then work to do; then rows with nothing to do.
 */
export function priorityOf(row: Pick<WorklistRow, 'relevantAgents' | 'verdicts' | 'monitoring' | 'todo'>): WorklistRow['priority'] {
  const relevant = new Set<string>(row.relevantAgents);
  const verdicts = row.verdicts.filter((v) => relevant.has(v.therapy));
  // R3.2: a result during treatment that the prescriber must hear about today is as urgent as a block.
  const actNow = verdicts.some((v) => v.action === 'discontinue' || v.action === 'interrupt') || row.todo.some((t) => t.kind === 'urgent');
  if (actNow || verdicts.some((v) => v.verdict === 'do-not-start') || row.monitoring.some((m) => m.status === 'overdue' || m.status === 'abnormal')) return 0;
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
