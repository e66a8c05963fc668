/**
 * Recombinant zoster vaccine: two doses of CVX 187 at least 28 days apart = done; one dose =
 * incomplete; CVX 188 (formulation not recorded) counts as at most one dose, with "verify";
 * the live vaccine (CVX 121) never counts.
 */
import type { ImmunizationFact } from '../../record';
import type { ChecklistItem, Evidence } from '../../../contract/report';
import { CVX } from '../../../kb/code-sets';
import { ZOSTER_LIVE_CVX, ZOSTER_RECOMBINANT_CVX, ZOSTER_RECOMBINANT_NAMES, ZOSTER_UNSPECIFIED_CVX } from '../../../kb/vaccines';
import type { AssessContext } from '../context';
import { immunizationEvidence } from '../evidence';
import { itemFrame, notApplicable } from './item';
import { daysBetween } from '../../normalise/dates';

type DoseKind = 'recombinant' | 'unspecified' | 'live';

function doseKind(imm: ImmunizationFact): DoseKind | undefined {
  const cvx = imm.codes.filter((c) => c.system === CVX).map((c) => c.code.replace(/^0+(?=\d)/, ''));
  if (cvx.includes(ZOSTER_RECOMBINANT_CVX)) return 'recombinant';
  if (cvx.includes(ZOSTER_UNSPECIFIED_CVX)) return 'unspecified';
  if (cvx.includes(ZOSTER_LIVE_CVX)) return 'live';
  if (cvx.length === 0 && ZOSTER_RECOMBINANT_NAMES.test(imm.display)) return 'recombinant';
  return undefined;
}

export function zosterVaccineItem(ctx: AssessContext): ChecklistItem {
  const minAge = ctx.config.zosterVaccineAge;
  if (ctx.age !== null && ctx.age < minAge) return notApplicable('zoster-vaccine', ctx, `Not applicable under age ${minAge}`);
  const doses = ctx.record.immunizations
    .map((imm) => ({ imm, kind: doseKind(imm) }))
    .filter((d): d is { imm: ImmunizationFact; kind: DoseKind } => d.kind !== undefined)
    .sort((a, b) => (a.imm.date ?? '').localeCompare(b.imm.date ?? ''));
  const evidence: Evidence[] = doses.map(({ imm, kind }) =>
    immunizationEvidence(
      imm,
      imm.codes.find((c) => c.system === CVX),
      kind === 'live' ? 'live zoster vaccine: does not count' : kind === 'unspecified' ? 'formulation not recorded: verify' : imm.codes.some((c) => c.system === CVX) ? undefined : 'matched by name',
    ),
  );
  const counted = doses.filter((d) => d.kind !== 'live');
  const recombinant = counted.filter((d) => d.kind === 'recombinant');
  const unspecified = counted.filter((d) => d.kind === 'unspecified');
  const notes: string[] = [];
  if (unspecified.length) notes.push('Zoster vaccine of unrecorded formulation (CVX 188): verify it was the recombinant vaccine');
  if (doses.some((d) => d.kind === 'live')) notes.push('Live zoster vaccine (CVX 121) does not count toward the recombinant series');

  // Up to one CVX 188 dose joins the recombinant doses; two doses must be ≥ 28 days apart.
  const series = [...recombinant, ...unspecified.slice(0, 1)].map((d) => d.imm.date).filter((d): d is string => !!d).sort();
  const completeSeries = series.some((first, i) => series.slice(i + 1).some((later) => daysBetween(first, later) >= ctx.config.zosterDoseIntervalDays));
  const doseCount = recombinant.length + Math.min(unspecified.length, 1);

  let status: ChecklistItem['status'];
  let detail: string;
  if (!ctx.loadedFully('Immunization')) {
    status = 'unknown';
    detail = `Could not check: ${ctx.loadProblem('Immunization') ?? 'immunizations did not load completely'}`;
  } else if (completeSeries) {
    status = 'done';
    detail = `2 doses ≥ ${ctx.config.zosterDoseIntervalDays} days apart`;
  } else if (doseCount >= 1) {
    status = 'incomplete';
    detail = doseCount >= 2 ? `Doses less than ${ctx.config.zosterDoseIntervalDays} days apart, or undated` : '1 of 2 doses recorded';
  } else {
    status = 'missing';
    detail = 'No recombinant zoster vaccine recorded';
  }
  const item: ChecklistItem = { ...itemFrame('zoster-vaccine', ctx), status, detail, evidence };
  if (status === 'incomplete' || status === 'missing') item.missing = status === 'missing' ? ['Dose 1', 'Dose 2'] : ['Dose 2'];
  if (notes.length) item.notes = notes;
  return item;
}
