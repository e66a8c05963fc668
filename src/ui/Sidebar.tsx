import { lazy, Suspense, useState } from 'react';
import type { ReadinessReport, TherapyId } from '../contract/report';
import { THERAPIES } from '../kb/therapies';
import { Cautions } from './Cautions';
import { Checklist } from './Checklist';
import { CopyAsNote } from './CopyAsNote';
import { AbbreviationsLine } from './AbbreviationsLine';
import { DataGaps, GapAlert } from './DataGaps';
import { DecisionFactors } from './DecisionFactors';
import { DoNotStart } from './DoNotStart';
import { Dosing } from './Dosing';
import { Monitoring, MonitoringAnswers, sinceWording } from './Monitoring';
import { DeceasedAlert, PatientBanner } from './PatientBanner';
import { TherapySelector } from './TherapySelector';
import { TodoList } from './TodoList';
import { VerdictStrip } from './VerdictStrip';
import type { WriteBack } from '../fhir/write-back';
import { OrderLabs, SaveNote } from './WriteBack';
import type { TodoMark, TodoMarks } from '../contract/todo-marks';
import type { MarkingProps } from './TodoList';
import { PrintHeader } from './PrintHeader';

// The patient sheet (its text and sources) is fetched when a nurse opens it: it is not part of
// the first screen, and the initial JavaScript has a budget (npm run bench).
const PatientSheet = lazy(() => import('./PatientSheet').then((m) => ({ default: m.PatientSheet })));

export interface SidebarProps {
  report: ReadinessReport;
  /** The therapy in the selector; the report is expected to be for it. */
  therapy: TherapyId;
  onTherapyChange(therapy: TherapyId): void;
  /** False when the EHR already shows who the patient is (SMART `need_patient_banner`). */
  showPatientBanner: boolean;
  /** The agent found as an existing order, to say why it is selected. */
  preselectedTherapy?: TherapyId;
  /** Whether that order is the one being written (launch context) or one in the record. */
  preselectedFrom?: 'order' | 'record';
  /** When the loader limited the Observation search by date, from when (YYYY-MM-DD). */
  observationsSince?: string;
  /** What the EHR lets the sidebar write (order the missing labs, save the note); nothing when absent. */
  writeBack?: WriteBack;
  /** The signed-in user (fhirUser), as the author of a saved note. */
  user?: string;
  /** The user's name (their Practitioner), for "printed by"; absent when the EHR did not grant it. */
  userName?: string;
  /** The nurse's to-do marks (done elsewhere / declined / deferred); no mark controls when absent. */
  marks?: TodoMarks;
  onMark?(item: string, mark: TodoMark | undefined): void;
  /** What the launch found of marks saved with an earlier note. */
  savedMarks?: MarkingProps['saved'];
}

export function therapyLabel(therapy: string): string {
  return THERAPIES[therapy as TherapyId]?.label ?? therapy;
}

/** "Do not start …": an agent by name; a group as "any oral JAK inhibitor" (its shared blocks). */
function blockSubject(therapy: TherapyId): string {
  if (therapy === 'oral') return 'any oral JAK inhibitor';
  if (therapy === 'topical') return 'any topical JAK inhibitor';
  return therapyLabel(therapy);
}

type View = 'monitoring' | 'before-starting';

/** The report without the to-do entries the nurse has marked. */
function unmarked(report: ReadinessReport, marks: TodoMarks | undefined): ReadinessReport {
  if (!marks || Object.keys(marks).length === 0) return report;
  return { ...report, todo: report.todo.filter((entry) => !Object.hasOwn(marks, entry.id)) };
}

/**
 * The first screen, top to bottom: who (unless the EHR shows it), the verdict per agent, every
 * reason not to start the planned agent, the to-do list. Below: warnings, the checklist, decision
 * factors, dose advice, what could not be checked. A patient already on a JAK inhibitor opens on
 * the monitoring schedule instead, and the sidebar says so.
 */
export function Sidebar({ report, therapy, onTherapyChange, showPatientBanner, preselectedTherapy, preselectedFrom, observationsSince, writeBack, user, userName, marks, onMark, savedMarks }: SidebarProps) {
  // On a JAK inhibitor the schedule comes first, except at the moment of writing an order (launch
  // context): the prescriber is then deciding what to start.
  const [view, setView] = useState<View>(report.monitoring && preselectedFrom !== 'order' ? 'monitoring' : 'before-starting');
  const planned = THERAPIES[therapy];
  const agents: readonly string[] = planned?.agents ?? [];
  const label = therapyLabel(therapy);
  const monitoring = report.monitoring;
  const shown: View = monitoring ? view : 'before-starting';
  const [sheetOpen, setSheetOpen] = useState(false);

  const marking: MarkingProps | undefined =
    marks && onMark ? { marks, onMark, canSave: !!writeBack?.saveNote, ...(savedMarks ? { saved: savedMarks } : {}) } : undefined;
  const todo = (
    <TodoList report={report} {...(marking ? { marking } : {})}>
      {/* A test marked done elsewhere, declined or deferred is not ordered again. */}
      {writeBack?.orderLabs ? <OrderLabs report={unmarked(report, marks)} writer={writeBack.orderLabs} agentLabel={label} /> : null}
    </TodoList>
  );

  if (sheetOpen) {
    return (
      <main className="sidebar sidebar--sheet">
        <PrintHeader report={report} title={`Patient information: ${label}`} {...(userName ? { userName } : {})} />
        <Suspense fallback={<p role="status">Opening the patient sheet…</p>}>
          <PatientSheet report={report} therapy={therapy} onClose={() => setSheetOpen(false)} />
        </Suspense>
      </main>
    );
  }
  const below = (
    <>
      <Cautions cautions={report.cautions} gaps={report.dataGaps} />
      {shown === 'before-starting' ? <Checklist items={report.checklist} asOf={report.asOf} /> : null}
      {/* On therapy, the visits come from the real start (monitoring); the factor counts from today. */}
      <DecisionFactors factors={monitoring?.visits.length ? report.factors.filter((f) => f.id !== 'reassessment-plan') : report.factors} />
      <Dosing report={report} agents={agents} />
      <DataGaps report={report} observationsSince={observationsSince} />
    </>
  );

  return (
    <main className="sidebar">
      <header className="sidebar__header">
        <h1 className="sidebar__title">JAK inhibitor readiness</h1>
        <PatientBanner patient={report.patient} print={!showPatientBanner} />
        <DeceasedAlert deceased={report.patient.deceased} />
        <p className="print-only print-meta">
          As of {report.asOf} · planned: {label} · decision support from the record: verify before acting
        </p>
        <PrintHeader report={report} title={`JAK inhibitor readiness: ${label}`} {...(userName ? { userName } : {})} />
      </header>

      {/* The note, print, save and patient sheet on the first screen, not below the checklist. */}
      <CopyAsNote report={report} therapyLabel={label} marks={marks ?? {}} onPatientSheet={() => setSheetOpen(true)}>
        {writeBack?.saveNote ? <SaveNote report={report} therapyLabel={label} writer={writeBack.saveNote} marks={marks ?? {}} {...(user ? { author: user } : {})} /> : null}
      </CopyAsNote>

      {monitoring ? (
        <div className="view-switch no-print" role="group" aria-label="View">
          <button type="button" className="view-switch__button" aria-pressed={shown === 'monitoring'} onClick={() => setView('monitoring')}>
            Monitoring
          </button>
          <button type="button" className="view-switch__button" aria-pressed={shown === 'before-starting'} onClick={() => setView('before-starting')}>
            Before starting
          </button>
        </div>
      ) : null}

      {monitoring && shown === 'monitoring' ? (
        <>
          <p className="view-note" data-testid="monitoring-note">
            <strong>
              On {monitoring.drug} {sinceWording(monitoring, report.asOf)}
            </strong>
            : this is the monitoring schedule after the start.
            <span className="no-print"> The pre-start checklist is under “Before starting”.</span>
          </p>
          <MonitoringAnswers schedule={monitoring} dataGaps={report.dataGaps} />
          <GapAlert report={report} />
          <DoNotStart report={report} agents={agents} plannedLabel={blockSubject(therapy)} onTherapy />
          {/* The to-do list ("Tell the prescriber today" first) before the schedule it comes from. */}
          {todo}
          <Monitoring schedule={monitoring} asOf={report.asOf} />
        </>
      ) : (
        <>
          <VerdictStrip verdicts={report.byAgent} therapy={therapy} onChoose={onTherapyChange} />
          <TherapySelector value={therapy} onChange={onTherapyChange} preselected={preselectedTherapy} {...(preselectedFrom ? { preselectedFrom } : {})} />
          <GapAlert report={report} />
          <DoNotStart report={report} agents={agents} plannedLabel={blockSubject(therapy)} />
          {todo}
        </>
      )}

      {below}

      <AbbreviationsLine report={report} therapyLabel={label} />

      <footer className="sidebar__footer no-print">
        <p className="muted sidebar__asof">As of {report.asOf}. Decision support from the record: verify before acting.</p>
      </footer>
    </main>
  );
}
