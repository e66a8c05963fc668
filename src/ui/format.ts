/**
 * How the sidebar, the printout and the note word what the report already holds: dates as
 * "12 days ago", a result with its test name, a rule's source in one short line, ids as words.
 * Pure text in, text out: nothing here recomputes a status, a verdict or a rounding.
 */
import type { ChecklistItem, DataGap, Evidence, ReadinessReport } from '../contract/report';
import { cautionLabel, itemLabel, resourceTypeName } from './labels';

export { codeWording } from './labels';

const DAY_MS = 86_400_000;

function dayNumber(date: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!match) return undefined;
  const time = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(time) ? undefined : Math.round(time / DAY_MS);
}

/** Whole days from `date` to `asOf` (both YYYY-MM-DD…); undefined for a partial or unreadable date. */
export function daysBetween(date: string | undefined, asOf: string): number | undefined {
  if (!date) return undefined;
  const from = dayNumber(date);
  const to = dayNumber(asOf);
  return from === undefined || to === undefined ? undefined : to - from;
}

/** "today", "yesterday", "12 days ago"; the date itself when it is partial or in the future. */
export function agoWording(date: string | undefined, asOf: string): string {
  if (!date) return 'no date recorded';
  const days = daysBetween(date, asOf);
  if (days === undefined || days < 0) return `on ${date}`;
  if (days === 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${days.toLocaleString('en-US')} days ago`;
}

/** "P90D" → 90; null (any time) or anything else → undefined. */
export function windowDays(window: string | null | undefined): number | undefined {
  const match = /^P(\d+)D$/.exec(window ?? '');
  return match ? Number(match[1]) : undefined;
}

/** The result a one-line row shows: the abnormal one when there is one (it leads the evidence), else the newest. */
export function shownResult(item: ChecklistItem): Evidence | undefined {
  if (item.evidence.length === 0) return undefined;
  if (item.status === 'abnormal' || item.status === 'unknown') return item.evidence[0];
  let newest: Evidence | undefined;
  for (const piece of item.evidence) if (piece.date && (!newest || piece.date > (newest.date ?? ''))) newest = piece;
  return newest ?? item.evidence[0];
}

/** "Hemoglobin 13.9 g/dL": the test in clinic words with its value (the record's name when the test has none). */
export function resultWording(piece: Evidence): string {
  const name = (piece.test ?? piece.display).replace(/\s+/g, ' ').trim();
  const value = piece.value?.replace(/\s+/g, ' ').trim();
  return value ? `${name} ${value}` : name;
}

/**
 * One line for a checklist row: "Hemoglobin 13.9 g/dL, 12 days ago · within 90 days", or
 * "ALT 21 U/L, 380 days ago (window 90 days)" when the result is older than the window.
 */
export function resultLine(item: ChecklistItem, asOf: string): string | undefined {
  const piece = shownResult(item);
  if (!piece) return undefined;
  const ago = agoWording(piece.date, asOf);
  // A vaccine series or other non-lab evidence: what the item found, and when the latest was.
  if (!piece.test && item.detail && item.status !== 'abnormal') return `${item.detail}; latest ${ago}`;
  const window = windowDays(item.window);
  const age = daysBetween(piece.date, asOf);
  const base = `${resultWording(piece)}, ${ago}`;
  if (window === undefined || age === undefined || item.status === 'not-applicable') return base;
  return age <= window ? `${base} · within ${window} days` : `${base} (window ${window} days)`;
}

/**
 * What a checklist row says under its name: the deciding result ("Hemoglobin 13.9 g/dL, 12 days
 * ago · within 90 days") and the engine's explanation where a value alone does not explain the
 * status (abnormal, could not check, not applicable, missing). The sidebar, the printout and the
 * note all use it, so they say the same thing.
 */
export function checklistRowText(item: ChecklistItem, asOf: string): { result?: string; detail?: string } {
  const result = item.status === 'unknown' || item.status === 'not-applicable' ? undefined : resultLine(item, asOf);
  // "Missing within the window: ANC, ALC" is the "still needed" line; an outdated result says its window.
  const explains = ['abnormal', 'unknown', 'not-applicable', 'missing'].includes(item.status) || (!result && item.status !== 'incomplete');
  const detail = explains ? item.detail : undefined;
  // "ANC 800/µL, below 1,000/µL" already names the value: the row adds only its age and window.
  const piece = shownResult(item);
  if (detail && result && piece?.value && item.status === 'abnormal' && detail.includes(piece.value)) {
    return { detail: `${detail}; ${result.slice(resultWording(piece).length + 2)}` };
  }
  if (result && detail && result.startsWith(detail)) return { result };
  return { ...(result ? { result } : {}), ...(detail ? { detail } : {}) };
}

/** Splits at "; " outside parentheses. */
function topLevelParts(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (ch === '(') depth += 1;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === ';' && depth === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts;
}

function withoutParentheses(text: string): string {
  let out = '';
  let depth = 0;
  for (const ch of text) {
    if (ch === '(') depth += 1;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += ch;
  }
  return out.replace(/\s+/g, ' ').replace(/\s+([,.:;])/g, '$1').trim();
}

const SHORT_SOURCE_LIMIT = 100;

/** Where a fact comes from, when the "source" is the record itself rather than a label or article. */
function fromRecord(source: string): boolean {
  return source === 'Record' || /^[A-Z][A-Za-z]+\.[a-z][A-Za-z.]*$/.test(source);
}

/**
 * A rule's source in one short line: the first two references without their explanations
 * ("Cibinqo label (US), section 2.1; Rinvoq label (US), section 2.1"). The whole text is in the
 * evidence panel.
 */
export function shortSource(source: string | undefined): string | undefined {
  if (!source) return undefined;
  if (fromRecord(withoutParentheses(source))) return "the patient's record";
  // The label's region is part of its name ("Cibinqo label (US)"): it survives the shortening.
  const parts = topLevelParts(source.replace(/ \((US|EU)\)/g, ' [$1]'))
    .map(withoutParentheses)
    .map((part) => part.replace(/ \[(US|EU)\]/g, ' ($1)'))
    .filter((part) => part !== '' && !/clinical\/spec\.md/.test(part));
  const short = parts.slice(0, 2).join('; ') || withoutParentheses(source);
  if (short.length <= SHORT_SOURCE_LIMIT) return short;
  const cut = short.slice(0, SHORT_SOURCE_LIMIT - 1);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 40 ? cut.lastIndexOf(' ') : cut.length).replace(/[,;:\s]+$/, '')}…`;
}

/** The full source for the evidence panel, in words ("the patient's record" rather than "Record"). */
export function sourceWording(source: string | undefined): string | undefined {
  if (!source) return undefined;
  return fromRecord(withoutParentheses(source)) ? "the patient's record" : source;
}

const words = (text: string) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/** Whether a finding only repeats its name and short cause ("Current smoker" under "Smoking — current smoker"). */
export function repeats(text: string, ...shown: Array<string | undefined>): boolean {
  const known = new Set(shown.flatMap((part) => (part ? words(part) : [])));
  const own = words(text);
  return own.length > 0 && own.every((word) => known.has(word) || ['a', 'an', 'the', 'on', 'of'].includes(word));
}

/** What a data gap affects, in words: checklist items by their label, cautions by theirs. */
export function affectsWording(gap: DataGap, report: Pick<ReadinessReport, 'checklist'>): string[] {
  const labels = new Map(report.checklist.map((item) => [item.id as string, item.label]));
  return [...new Set((gap.affects ?? []).map((id) => labels.get(id) ?? itemLabel(id) ?? cautionLabel(id)))];
}

export function gapWording(gap: DataGap): string {
  return `${resourceTypeName(gap.resourceType)}: ${gap.reason}`;
}
