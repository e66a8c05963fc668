/**
 * Cards for a patient already on a JAK inhibitor (clinical/spec.md R3.2): a result after the
 * start that the label says to discontinue or interrupt for is a `critical` card naming the
 * action and the label section; one that needs a person (unreadable) or lipid management is a
 * `warning`. Pure: report in, cards out.
 */
import type { OnTreatmentResult, ReadinessReport } from '../contract/report';
import { formatAppContext } from '../contract/app-context';
import { THERAPIES } from '../kb/therapies';
import { evidenceLine, OVERRIDE_REASONS, TOPIC_SYSTEM } from './cards';
import { capitalise, clip, md } from './text';
import type { CdsCard, CdsLink } from './types';

const PRODUCT = 'jak-readiness';

export interface OnTreatmentCardInput {
  report: ReadinessReport;
  appLaunchUrl?: string;
  newUuid: () => string;
}

function drugName(report: ReadinessReport): string {
  const agent = report.monitoring?.therapy;
  const therapy = agent ? THERAPIES[agent] : undefined;
  const base = capitalise(therapy?.ingredient ?? report.monitoring?.drug ?? 'the JAK inhibitor');
  return therapy?.brand ? `${base} (${therapy.brand})` : base;
}

const ACTION_SUMMARY: Record<OnTreatmentResult['action'], string> = {
  discontinue: 'label: discontinue',
  interrupt: 'label: interrupt until recovered',
  'interrupt-if-dili': 'label: interrupt if drug-induced liver injury is suspected',
  'manage-lipids': 'label: manage per lipid guidelines',
  review: 'needs review',
};

function card(input: OnTreatmentCardInput, r: OnTreatmentResult): CdsCard {
  const name = drugName(input.report);
  const urgent = r.urgent;
  const what = r.action === 'review' ? `${r.analyte} "${r.value}"` : `${r.analyte} ${r.value}`;
  const summary = `${name}: ${what} (${r.evidence.date?.slice(0, 10) ?? 'undated'}) — ${ACTION_SUMMARY[r.action]}${urgent ? '; tell the prescriber today' : ''}`;
  const lines = [`**${md(r.text)}**`];
  if (r.threshold) lines.push(`Threshold: ${md(r.threshold)}.`);
  if (r.preliminary) lines.push('The result is preliminary.');
  lines.push(`Label: ${md(r.source)}`, '', 'In the record:', evidenceLine(r.evidence));
  const out: CdsCard = {
    uuid: input.newUuid(),
    summary: clip(summary),
    detail: lines.join('\n'),
    indicator: urgent ? 'critical' : 'warning',
    source: { label: `${PRODUCT}: ${r.source}`, topic: { system: TOPIC_SYSTEM, code: 'on-treatment-result', display: 'Result during treatment' } },
    overrideReasons: [OVERRIDE_REASONS.alreadyDiscussed, OVERRIDE_REASONS.notApplicable],
  };
  if (input.appLaunchUrl) {
    const links: CdsLink[] = [{ label: 'Open JAK readiness to see the monitoring', url: input.appLaunchUrl, type: 'smart', appContext: formatAppContext({ therapy: input.report.monitoring!.therapy ?? 'oral' }) }];
    out.links = links;
  }
  return out;
}

/** One card per result during treatment the label acts on; none when nothing is abnormal. */
export function onTreatmentCards(input: OnTreatmentCardInput): CdsCard[] {
  return (input.report.monitoring?.abnormal ?? []).map((r) => card(input, r));
}
