import type { ReadinessReport } from '../contract/report';
import { ageWording, sexWording } from './labels';

/** Only shown when the EHR says it does not already show the patient (SMART need_patient_banner). */
export function PatientBanner({ patient }: { patient: ReadinessReport['patient'] }) {
  return (
    <section className="banner" aria-label="Patient">
      <p className="banner__name">{patient.name && patient.name.trim() !== '' ? patient.name : 'Name not recorded'}</p>
      <p className="banner__facts">
        {ageWording(patient.age)} · {sexWording(patient.sex)}
      </p>
    </section>
  );
}
