/**
 * The shape every checklist rule shares: a set of required components, each read from its
 * newest qualifying result, folded into one status by the spec's precedence
 * (unknown > abnormal > incomplete > outdated > missing > done).
 */
import type { ObservationFact } from '../../record';
import type { ChecklistId, ChecklistItem, Evidence, ItemStatus } from '../../../contract/report';
import { CHECKLIST_ITEMS } from '../../../kb/checklist-items';
import type { AssessContext } from '../context';
import { observationEvidence } from '../evidence';
import { withLinks } from '../sources';
import { verbatimValue } from '../bounds';

/** The evidence note of a result that was done but cannot be read (R3.4). */
export const REVIEW_NOTE = 'needs review: the value or unit could not be read';

export interface ComponentReading {
  /** Clinic name of the component ("ANC"). */
  name: string;
  /** Newest qualifying result inside the window. */
  current?: ObservationFact;
  /** Newest qualifying result at all (may be outside the window). */
  newest?: ObservationFact;
  /** Set when the current result crosses a threshold: one line for the user. */
  abnormal?: string;
  /** The abnormal result in a few words for the verdict line ("ALT 165 U/L, 4× upper limit"). */
  abnormalShort?: string;
  /** Set when the current result exists but cannot be judged (a bound either side of the threshold, not interpretable). */
  unjudged?: string;
  /** R3.4: the lab's verbatim text when the value or unit cannot be read: the test was done, a person reads it. */
  review?: string;
  /** Evidence already built (e.g. derived values); otherwise built from `current`/`newest`. */
  evidence?: Evidence[];
  /** Optional components never make an item incomplete. */
  optional?: boolean;
}

export function windowOf(id: ChecklistId, ctx: AssessContext): { days: number | null; iso: string | null } {
  const days = CHECKLIST_ITEMS[id].windowDays(ctx.config);
  return { days, iso: days === null ? null : `P${days}D` };
}

/** Newest result inside the window and newest overall; undated results never count as current. */
export function newestReadings(results: readonly ObservationFact[], ctx: AssessContext, days: number): { current?: ObservationFact; newest?: ObservationFact } {
  const dated = results.find((o) => o.date !== undefined);
  const current = dated && ctx.withinDays(dated.date, days) ? dated : undefined;
  return { current, newest: dated ?? results[0] };
}

/** The item's source in the site's label region (R3.7): the EU product information where it differs. */
function sourceOf(def: (typeof CHECKLIST_ITEMS)[ChecklistId], ctx: AssessContext): string {
  return ctx.config.labelRegion === 'EU' && def.sourceEU ? def.sourceEU : def.source;
}

export function notApplicable(id: ChecklistId, ctx: AssessContext, why: string): ChecklistItem {
  const def = CHECKLIST_ITEMS[id];
  return withLinks({ id, label: def.label, status: 'not-applicable', window: windowOf(id, ctx).iso, detail: why, evidence: [], source: sourceOf(def, ctx), ...(def.provenance ? { provenance: def.provenance } : {}) });
}

/** Common frame: label, window, source, advisory flag for topical therapy. */
export function itemFrame(id: ChecklistId, ctx: AssessContext): Omit<ChecklistItem, 'status' | 'evidence'> {
  const def = CHECKLIST_ITEMS[id];
  const frame: Omit<ChecklistItem, 'status' | 'evidence'> = withLinks({ id, label: def.label, window: windowOf(id, ctx).iso, source: sourceOf(def, ctx), ...(def.provenance ? { provenance: def.provenance } : {}) });
  if (ctx.therapy.route === 'topical' && def.advisoryForTopical) frame.advisory = true;
  return frame;
}

/** Whether the item applies to the planned route at all. */
export function appliesToRoute(id: ChecklistId, ctx: AssessContext): boolean {
  const def = CHECKLIST_ITEMS[id];
  return def.requiredFor.includes(ctx.therapy.route) || (ctx.therapy.route === 'topical' && def.advisoryForTopical === true);
}

/**
 * Folds component readings into an item. `dataLoaded` false makes the status `unknown` whatever
 * was found: a partial load can never prove that nothing is missing.
 */
export function foldComponents(
  id: ChecklistId,
  ctx: AssessContext,
  readings: ComponentReading[],
  options: { dataLoaded: boolean; unknownReason?: string; notes?: string[]; detailWhenDone?: string },
): ChecklistItem {
  const evidence: Evidence[] = [];
  const notes = [...(options.notes ?? [])];
  // The result that makes an item abnormal leads its evidence, so "latest" shows what matters.
  const ordered = [...readings.filter((r) => r.current && r.abnormal), ...readings.filter((r) => !(r.current && r.abnormal))];
  for (const r of ordered) {
    if (r.evidence) evidence.push(...r.evidence);
    else {
      const shown = r.current ?? r.newest;
      const note = r.unjudged ?? (r.review !== undefined ? REVIEW_NOTE : undefined);
      if (shown) evidence.push(observationEvidence(shown, note ? { note } : {}));
    }
    if (r.unjudged) notes.push(`${r.name}: ${r.unjudged}`);
  }
  const required = readings.filter((r) => !r.optional);
  const abnormal = readings.filter((r) => r.current && r.abnormal);
  const judgedCurrent = required.filter((r) => r.current && !r.unjudged);
  const missing = required.filter((r) => !r.current || r.unjudged).map((r) => r.name);
  const anyCurrent = required.some((r) => r.current);
  const anyOlder = required.some((r) => r.newest);

  let status: ItemStatus;
  let detail: string | undefined;
  if (!options.dataLoaded) {
    status = 'unknown';
    detail = `Could not check: ${options.unknownReason ?? 'the results did not load completely'}`;
    if (abnormal.length) detail += `. Found: ${abnormal.map((r) => r.abnormal).join('; ')}`;
  } else if (abnormal.length) {
    status = 'abnormal';
    detail = abnormal.map((r) => r.abnormal).join('; ');
  } else if (judgedCurrent.length === required.length) {
    status = 'done';
    detail = options.detailWhenDone;
  } else if (anyCurrent) {
    status = 'incomplete';
    detail = `Missing within the window: ${missing.join(', ')}`;
  } else if (anyOlder) {
    status = 'outdated';
    const newestDate = required.map((r) => r.newest?.date).filter(Boolean).sort().pop();
    detail = newestDate ? `Newest result ${newestDate}, older than the window` : 'Only undated results found';
  } else {
    status = 'missing';
    detail = ctx.record.observationsSince ? `No result since ${ctx.record.observationsSince}` : 'No result in the record';
  }
  const item: ChecklistItem = { ...itemFrame(id, ctx), status, evidence };
  if (detail) item.detail = detail;
  // When the data could not be loaded nothing is known to be missing: no "still needed" list then.
  if (status !== 'done' && status !== 'unknown' && missing.length) item.missing = missing;
  if (notes.length) item.notes = notes;
  const review = readings.filter((r) => r.current && r.review !== undefined);
  if (review.length) item.needsReview = review.map((r) => `${r.name} "${r.review}"`);
  // Only unreadable results: the verdict line says so, not a value it could not read.
  const crossing = abnormal.filter((r) => r.review === undefined);
  const short = status !== 'abnormal' ? undefined : crossing.length ? crossing.find((r) => r.abnormalShort)?.abnormalShort : `${review.map((r) => r.name).join(', ')} needs review`;
  if (short) item.short = short;
  return item;
}

/** R3.4: a result whose value or unit cannot be read is abnormal "needs review: <verbatim>", never "still needed". */
export function needsReview(reading: ComponentReading, obs: ObservationFact): void {
  reading.review = verbatimValue(obs);
  reading.abnormal = `${reading.name} needs review: "${reading.review}"`;
  delete reading.unjudged;
}
