/** Current medicines: antiplatelets, immunosuppressants, interacting drugs, JAK inhibitors already taken. */
import type { MedicationFact } from '../../record';
import type { Evidence } from '../../../contract/report';
import {
  antiplatelets, aspirin, biologicImmunomodulators, dualCyp2c19And2c9Inhibitors, LOW_DOSE_ASPIRIN_MAX_MG,
  oat3Inhibitors, strongCyp2c19Inhibitors, strongCyp2c19Or2c9Inducers, strongCyp3a4Inducers, strongCyp3a4Inhibitors,
  systemicImmunosuppressants, type DrugClass,
} from '../../../kb/drugs';
import { oralSeverity, topicalSeverity, type SeverityByAgent } from '../../../kb/cautions';
import { UPADACITINIB_CYP3A4_INDUCER } from '../../../kb/regions';
import type { AssessContext } from '../context';
import { medicationEvidence } from '../evidence';
import { currentMedications, isLocalForm, matchClass, matchDrug, type DrugMatch } from '../facts';
import type { Finding } from './resolve';
import { jakInhibitorFindings } from '../on-treatment/findings';

interface Hit { med: MedicationFact; match: DrugMatch }

const ASPIRIN = [aspirin];

function hits(meds: readonly MedicationFact[], drugClass: DrugClass, options: { systemicOnly?: boolean } = {}): Hit[] {
  return meds.flatMap((med) => {
    if (options.systemicOnly && isLocalForm(med)) return [];
    const match = matchClass(med, drugClass);
    return match ? [{ med, match }] : [];
  });
}

const evidenceOf = (list: Hit[], note?: string): Evidence[] => list.map((h) => medicationEvidence(h.med, h.match, note));
const names = (list: Hit[]) => [...new Set(list.map((h) => h.match.drug.ingredient))].join(', ');

export function medicineFindings(ctx: AssessContext): Finding[] {
  const current = currentMedications(ctx);
  const findings: Finding[] = [];

  const antiplatelet = hits(current, antiplatelets);
  if (antiplatelet.length) findings.push({ id: 'antiplatelet', short: names(antiplatelet), text: `Current antiplatelet therapy: ${names(antiplatelet)}`, evidence: evidenceOf(antiplatelet) });
  for (const med of current) {
    const match = matchDrug(med, ASPIRIN);
    if (!match) continue;
    const dose = med.dailyDoseMg ?? med.strengthMg;
    if (dose === undefined) {
      findings.push({ id: 'antiplatelet', short: 'aspirin dose unknown', text: 'Aspirin of unknown strength: verify the dose (low dose ≤ 81 mg/day is allowed)', evidence: [medicationEvidence(med, match, 'strength not recorded')], severityByAgent: { abrocitinib: 'warning' }, todo: { kind: 'confirm', text: 'Verify the aspirin dose (up to 81 mg a day is allowed)' } });
    } else if (dose > LOW_DOSE_ASPIRIN_MAX_MG) {
      findings.push({ id: 'antiplatelet', short: `aspirin ${dose} mg`, text: `Aspirin ${dose} mg${med.dailyDoseMg !== undefined ? '/day' : ''} (above low dose ${LOW_DOSE_ASPIRIN_MAX_MG} mg/day)`, evidence: [medicationEvidence(med, match)] });
    }
  }

  // A JAK inhibitor being taken (not a draft or proposal): note or switch, never a block by itself (R3.3).
  findings.push(...jakInhibitorFindings(ctx));
  // Switching from a biologic or another systemic drug is a warning: the labels restrict the
  // combination, not the patient (R2.5). The same drug counts as prior systemic therapy.
  const biologics = hits(current, biologicImmunomodulators);
  if (biologics.length) {
    findings.push({
      id: 'immunosuppressant', short: `switching from ${names(biologics)}`, text: `Switching: stop ${names(biologics)} before the first dose; do not combine`, evidence: evidenceOf(biologics),
      todo: { kind: 'confirm', text: `Stop ${names(biologics)} before the first dose` },
      severityByAgent: { ...oralSeverity('warning'), 'ruxolitinib-cream': 'warning' },
    });
  }
  const systemic = hits(current, systemicImmunosuppressants, { systemicOnly: true });
  if (systemic.length) {
    findings.push({
      id: 'immunosuppressant', short: `switching from ${names(systemic)}`, text: `Switching: stop ${names(systemic)} before the first dose; do not combine`, evidence: evidenceOf(systemic),
      todo: { kind: 'confirm', text: `Stop ${names(systemic)} before the first dose` },
      severityByAgent: { ...oralSeverity('warning'), ...topicalSeverity('warning') },
    });
  }

  const interactions: Array<[DrugClass, SeverityByAgent, string]> = [
    [strongCyp2c19Or2c9Inducers, { abrocitinib: 'do-not-start' }, 'strong CYP2C19/2C9 inducer: avoid with abrocitinib'],
    [dualCyp2c19And2c9Inhibitors, { abrocitinib: 'do-not-start' }, 'inhibits CYP2C19 and CYP2C9: avoid with abrocitinib'],
    [strongCyp2c19Inhibitors, { abrocitinib: 'warning' }, 'strong CYP2C19 inhibitor: reduce the abrocitinib dose'],
    [strongCyp3a4Inhibitors, { upadacitinib: 'warning' }, 'strong CYP3A4 inhibitor: upadacitinib 15 mg'],
    [oat3Inhibitors, { baricitinib: 'warning' }, 'OAT3 inhibitor: reduce the baricitinib dose'],
  ];
  for (const [drugClass, severityByAgent, why] of interactions) {
    const found = hits(current, drugClass, { systemicOnly: true });
    if (found.length) findings.push({ id: 'drug-interaction', short: names(found), text: `${names(found)}: ${why}`, evidence: evidenceOf(found), severityByAgent });
  }
  // Upadacitinib with a strong CYP3A4 inducer differs by region (R3.7): US "not recommended", EU "monitor".
  const inducers = hits(current, strongCyp3a4Inducers, { systemicOnly: true });
  if (inducers.length) {
    const rule = UPADACITINIB_CYP3A4_INDUCER.byRegion[ctx.config.labelRegion];
    findings.push({
      id: 'drug-interaction', short: names(inducers), text: `${names(inducers)}: ${rule.text}`, evidence: evidenceOf(inducers),
      severityByAgent: { upadacitinib: rule.severity }, source: rule.source, ...(rule.labelWording ? { labelWording: rule.labelWording } : {}),
    });
  }
  return findings;
}

