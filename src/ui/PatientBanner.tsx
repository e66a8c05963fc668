import type { ReadinessReport } from '../contract/report';
import { ageWording, sexWording } from './labels';

/** "Grace Whitfield · 45 y · Female · born 1981-10-18 · MRN 12345": who this is about, in one line. */
export function identityParts(patient: ReadinessReport['patient']): string[] {
  const name = patient.name && patient.name.trim() !== '' ? patient.name.trim() : 'Name not recorded';
  return [
    name,
    `${ageWording(patient.age)} · ${sexWording(patient.sex)}`,
    patient.birthDate ? `born ${patient.birthDate}` : undefined,
    patient.mrn ? `MRN ${patient.mrn}` : undefined,
  ].filter((part): part is string => part !== undefined);
}

/**
 * The identity line, shown unless the EHR says it already shows the patient (SMART
 * need_patient_banner false). Printing always shows it (`print` = true), since paper has no EHR
 * banner around it.
 */
export function PatientBanner({ patient, print = false }: { patient: ReadinessReport['patient']; print?: boolean }) {
  const [name, ...facts] = identityParts(patient);
  const line = (
    <p className="banner__line">
      <span className="banner__name">{name}</span>
      {facts.map((fact) => (
        <span key={fact} className="banner__fact">
          {' · '}
          {fact}
        </span>
      ))}
    </p>
  );
  // On paper only: not a region of the screen (the EHR's banner is).
  if (print) return <div className="banner print-only">{line}</div>;
  return (
    <section className="banner" aria-label="Patient">
      {line}
    </section>
  );
}

/** A recorded death leads everything (R2.4): nothing below may be read as a plan for this patient. */
export function DeceasedAlert({ deceased }: { deceased: ReadinessReport['patient']['deceased'] }) {
  if (!deceased) return null;
  return (
    <p className="callout callout--bad" role="alert" data-testid="deceased">
      <strong>Recorded as deceased{typeof deceased === 'string' ? ` (${deceased})` : ''}</strong>: check the chart before acting on anything below.
    </p>
  );
}
