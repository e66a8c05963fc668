/** Data gaps: what could not be read, and which items and cautions it leaves unjudged. */
import type { LoadedResourceType, PatientRecord } from '../record';
import type { DataGap } from '../../contract/report';

const AFFECTS: Record<LoadedResourceType, string[]> = {
  Patient: ['age and sex (pregnancy test, age limits)'],
  Observation: ['cbc', 'liver-enzymes', 'lipid-panel', 'tb-screening', 'hepatitis-b', 'hepatitis-c', 'pregnancy-test', 'cytopenia', 'smoking', 'renal-impairment'],
  Condition: ['cautions from diagnoses (tuberculosis, hepatitis, infections, clots, heart disease, cancer, pregnancy, kidney and liver disease)'],
  MedicationRequest: ['antiplatelet', 'immunosuppressant', 'drug-interaction', 'already-on-jak-inhibitor', 'prior therapies'],
  MedicationStatement: ['antiplatelet', 'immunosuppressant', 'drug-interaction', 'already-on-jak-inhibitor', 'prior therapies'],
  Immunization: ['zoster-vaccine', 'recent-live-vaccine'],
  ServiceRequest: ['lab orders already placed'],
};

const MAX_ISSUES = 20;

export function dataGaps(record: PatientRecord): DataGap[] {
  const gaps: DataGap[] = [];
  for (const [type, status] of Object.entries(record.loads) as Array<[LoadedResourceType, NonNullable<PatientRecord['loads'][LoadedResourceType]>]>) {
    if (status.state === 'complete') continue;
    const prefix = status.state === 'denied' ? 'not permitted: ' : status.state === 'truncated' ? 'incomplete: ' : '';
    if (type === 'ServiceRequest') {
      // The to-dos stay as they are; the gap says why a test may be offered that is already ordered.
      gaps.push({ resourceType: type, reason: `could not check orders already placed (${prefix}${status.reason})`, affects: AFFECTS[type] });
      continue;
    }
    gaps.push({ resourceType: type, reason: `${prefix}${status.reason}`, affects: AFFECTS[type] ?? [] });
  }
  // A record with thousands of malformed resources must not bury the other gaps.
  const shown = record.issues.length > MAX_ISSUES ? record.issues.slice(0, MAX_ISSUES - 1) : record.issues;
  if (shown.length < record.issues.length) gaps.push({ resourceType: 'Resource', reason: `${record.issues.length} resources could not be read; the first ${shown.length} follow` });
  for (const issue of shown) {
    gaps.push({ resourceType: issue.resourceType ?? 'Resource', reason: `${issue.reference ? `${issue.reference}: ` : ''}${issue.message}` });
  }
  if (!record.patient.birthDate) gaps.push({ resourceType: 'Patient', reason: 'birth date not recorded: age-based rules not applied', affects: ['pregnancy-test', 'zoster-vaccine', 'older-adult', 'cardiovascular-risk', 'age-eligibility'] });
  return gaps;
}
