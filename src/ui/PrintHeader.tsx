import type { ReadinessReport } from '../contract/report';
import { identityParts } from './PatientBanner';
import { pageRule, printedLine, usePageRule, usePrintedAt } from './print-page';

/** "Grace Whitfield · born 1981-10-18 · MRN 12345": the identity a printed page repeats. */
export function pageIdentity(patient: ReadinessReport['patient']): string {
  const [name] = identityParts(patient);
  return [name, patient.birthDate ? `born ${patient.birthDate}` : 'date of birth not recorded', patient.mrn ? `MRN ${patient.mrn}` : 'MRN not recorded']
    .map((part) => part!.replace(/\s+/g, ' ').trim())
    .join(' · ');
}

/**
 * On paper only: the running header and footer of every page (src/ui/print-page.ts): identity,
 * when and by whom it was printed, the title, "Page x of y". Nothing on screen.
 */
export function PrintHeader({ report, title, userName }: { report: ReadinessReport; title: string; userName?: string }) {
  const printed = printedLine(usePrintedAt(), userName);
  usePageRule(pageRule({ identity: pageIdentity(report.patient), title, printed }));
  return null;
}
