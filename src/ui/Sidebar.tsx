import type { ReadinessReport, TherapyId } from '../contract/report';
import { THERAPIES } from '../kb/therapies';
import { Cautions } from './Cautions';
import { Checklist } from './Checklist';
import { CopyAsNote } from './CopyAsNote';
import { DataGaps } from './DataGaps';
import { DecisionFactors } from './DecisionFactors';
import { PatientBanner } from './PatientBanner';
import { SummaryLine } from './SummaryLine';
import { TherapySelector } from './TherapySelector';

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
}

export function therapyLabel(therapy: string): string {
  return THERAPIES[therapy as TherapyId]?.label ?? therapy;
}

export function Sidebar({
  report,
  therapy,
  onTherapyChange,
  showPatientBanner,
  preselectedTherapy,
  preselectedFrom,
  observationsSince,
}: SidebarProps) {
  return (
    <main className="sidebar">
      <header className="sidebar__header">
        <h1 className="sidebar__title">JAK inhibitor readiness</h1>
        {showPatientBanner ? <PatientBanner patient={report.patient} /> : null}
        <SummaryLine report={report} />
        <p className="muted sidebar__asof">
          As of {report.asOf}. Decision support from the record: verify before acting.
        </p>
        <TherapySelector value={therapy} onChange={onTherapyChange} preselected={preselectedTherapy} preselectedFrom={preselectedFrom} />
      </header>
      <DataGaps gaps={report.dataGaps} observationsSince={observationsSince} />
      <Checklist items={report.checklist} />
      <Cautions cautions={report.cautions} gaps={report.dataGaps} />
      <DecisionFactors factors={report.factors} />
      <CopyAsNote report={report} therapyLabel={therapyLabel(report.therapy)} />
    </main>
  );
}
