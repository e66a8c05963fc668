/**
 * To-do marks: a nurse's "done elsewhere", "declined" or "deferred" on a to-do item, with an
 * optional reason. Saved with the note as its second attachment (`application/json`) and read
 * back at the next launch, so the app shows "Declined 2026-12-01: patient preference" instead of
 * asking again. The JSON is a small versioned schema (docs/report-contract.md, "To-do marks"):
 *
 *   { "schema": "jak-readiness/todo-marks", "version": 1,
 *     "marks": [ { "item": "order-cbc", "mark": "declined", "date": "2026-12-01", "reason": "patient preference" } ] }
 *
 * Whatever comes back from a chart is untrusted: the parser bounds its size, keeps only known
 * item ids (when given), drops entries it cannot read, and returns strings as plain text.
 */

export const TODO_MARKS_SCHEMA = 'jak-readiness/todo-marks';
export const TODO_MARKS_VERSION = 1;
export const TODO_MARKS_CONTENT_TYPE = 'application/json';

export const MARK_KINDS = ['done-elsewhere', 'declined', 'deferred'] as const;
export type MarkKind = (typeof MARK_KINDS)[number];

export interface TodoMark {
  /** The to-do entry's id (`TodoEntry.id`: "order-cbc", "vaccinate-zoster"). */
  item: string;
  mark: MarkKind;
  /** YYYY-MM-DD: the day it was marked. */
  date: string;
  /** Free text, at most MAX_REASON characters, one line. */
  reason?: string;
}

/** Item id → its mark. */
export type TodoMarks = Readonly<Record<string, TodoMark>>;

/** Longest stored document read (bytes of JSON): a chart note of this app is well under 4 KB. */
export const MAX_MARKS_JSON = 32 * 1024;
/** More entries than any to-do list has: the rest are dropped. */
export const MAX_MARKS = 50;
export const MAX_REASON = 200;

const ITEM_ID = /^[a-z0-9][a-z0-9-]{0,79}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The words a person reads for each mark. */
export const MARK_WORDING: Record<MarkKind, string> = {
  'done-elsewhere': 'Done elsewhere',
  declined: 'Declined',
  deferred: 'Deferred',
};

/** One line, no control or direction-changing characters, bounded: a reason is shown as text only. */
export function cleanReason(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  // eslint-disable-next-line no-control-regex
  const line = text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (line === '') return undefined;
  return line.length > MAX_REASON ? `${line.slice(0, MAX_REASON - 1)}…` : line;
}

/** "Declined 2026-12-01: patient preference". */
export function markLine(mark: TodoMark): string {
  return `${MARK_WORDING[mark.mark]} ${mark.date}${mark.reason ? `: ${mark.reason}` : ''}`;
}

/** The JSON saved beside the note's text: marks sorted by item id, so the same marks give the same bytes. */
export function serialiseMarks(marks: TodoMarks): string {
  const list = Object.values(marks)
    .filter((m) => ITEM_ID.test(m.item) && (MARK_KINDS as readonly string[]).includes(m.mark) && DATE.test(m.date))
    .sort((a, b) => a.item.localeCompare(b.item))
    .slice(0, MAX_MARKS)
    .map((m) => {
      const reason = cleanReason(m.reason);
      return { item: m.item, mark: m.mark, date: m.date, ...(reason ? { reason } : {}) };
    });
  return JSON.stringify({ schema: TODO_MARKS_SCHEMA, version: TODO_MARKS_VERSION, marks: list });
}

export type ParsedMarks = { ok: true; marks: TodoMarks; ignored: number } | { ok: false; reason: string };

/**
 * Reads a stored marks document. `knownItems`: the ids the current to-do list has; marks for
 * other ids are ignored (counted in `ignored`). A later version of the schema is refused rather
 * than half-read.
 */
export function parseMarks(text: string, knownItems?: ReadonlySet<string>): ParsedMarks {
  if (text.length > MAX_MARKS_JSON) return { ok: false, reason: 'the saved marks are too large to read' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'the saved marks are not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'the saved marks are not a marks document' };
  const doc = value as { schema?: unknown; version?: unknown; marks?: unknown };
  if (doc.schema !== TODO_MARKS_SCHEMA) return { ok: false, reason: 'the saved marks are not a marks document' };
  if (doc.version !== TODO_MARKS_VERSION) return { ok: false, reason: `the saved marks use a version this app does not read (${String(doc.version).slice(0, 10)})` };
  if (!Array.isArray(doc.marks)) return { ok: false, reason: 'the saved marks have no list of marks' };
  const marks: Record<string, TodoMark> = {};
  let ignored = 0;
  for (const entry of doc.marks.slice(0, MAX_MARKS)) {
    const mark = readMark(entry);
    if (!mark || (knownItems && !knownItems.has(mark.item)) || Object.hasOwn(marks, mark.item)) {
      ignored += 1;
      continue;
    }
    marks[mark.item] = mark;
  }
  ignored += Math.max(0, doc.marks.length - MAX_MARKS);
  return { ok: true, marks, ignored };
}

function readMark(entry: unknown): TodoMark | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { item, mark, date, reason } = entry as Record<string, unknown>;
  if (typeof item !== 'string' || !ITEM_ID.test(item)) return undefined;
  if (typeof mark !== 'string' || !(MARK_KINDS as readonly string[]).includes(mark)) return undefined;
  if (typeof date !== 'string' || !DATE.test(date) || Number.isNaN(Date.parse(date))) return undefined;
  const text = cleanReason(reason);
  return { item, mark: mark as MarkKind, date, ...(text ? { reason: text } : {}) };
}

/** Only the marks for ids on the current list: a stored mark for an item no longer due is not shown. */
export function marksFor(marks: TodoMarks, items: readonly { id: string }[]): TodoMarks {
  const out: Record<string, TodoMark> = {};
  for (const { id } of items) if (Object.hasOwn(marks, id)) out[id] = marks[id]!;
  return out;
}
