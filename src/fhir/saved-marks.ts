/**
 * The to-do marks saved with this app's newest note (src/contract/todo-marks.ts), read in the
 * loader's first round: one DocumentReference search for the patient's notes of type 34109-9
 * carrying this app's tag, newest first. The marks attachment is untrusted text: decoded with a
 * size bound, parsed by `parseMarks`, never rendered as markup.
 */
import type { DocumentReference } from 'fhir/r4';
import { LOINC } from '../contract/codes';
import { MAX_MARKS_JSON, parseMarks, TODO_MARKS_CONTENT_TYPE, type TodoMarks } from '../contract/todo-marks';
import { describeFailure, getWithRetry, type RequestContext } from './request-context';
import { searchUrl } from './search-plan';
import { APP_NOTE_TAG, NOTE_TYPE } from './write-back';

export type SavedMarks =
  /** `savedAt`: the note's date; `marks` empty when no note of this app carries marks. */
  | { state: 'read'; marks: TodoMarks; savedAt?: string }
  | { state: 'failed'; reason: string };

/** Notes looked at: the newest few of this app, in case the newest lacks a marks attachment. */
const NOTES_READ = 5;

export function savedMarksSearch(patientId: string): string {
  return searchUrl('DocumentReference', [
    ['patient', patientId],
    ['type', `${LOINC}|${NOTE_TYPE.code}`],
    ['_tag', `${APP_NOTE_TAG.system}|${APP_NOTE_TAG.code}`],
    ['_sort', '-date'],
    ['_count', String(NOTES_READ)],
  ]);
}

function decodeBase64Utf8(data: string): string | undefined {
  // Base64 is 4/3 of the bytes: refuse before decoding anything larger than the schema allows.
  if (data.length > Math.ceil((MAX_MARKS_JSON * 4) / 3) + 4) return undefined;
  try {
    const binary = atob(data);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function isOurs(document: DocumentReference, patientId: string): boolean {
  return (
    document.resourceType === 'DocumentReference' &&
    document.status !== 'entered-in-error' &&
    document.subject?.reference === `Patient/${patientId}` &&
    (document.meta?.tag ?? []).some((tag) => tag.system === APP_NOTE_TAG.system && tag.code === APP_NOTE_TAG.code)
  );
}

/** The newest of this app's notes (by `date`; the server's sort is not trusted) that has a marks attachment. */
export function marksFromBundle(body: unknown, patientId: string): SavedMarks {
  const entries = (body as { resourceType?: unknown; entry?: unknown })?.resourceType === 'Bundle' ? (body as { entry?: unknown }).entry : undefined;
  if (entries !== undefined && !Array.isArray(entries)) return { state: 'failed', reason: 'the server did not answer with a list of notes' };
  if ((body as { resourceType?: unknown })?.resourceType !== 'Bundle') return { state: 'failed', reason: 'the server did not answer with a list of notes' };
  const notes = (entries ?? [])
    .map((entry) => (entry as { resource?: DocumentReference })?.resource)
    .filter((document): document is DocumentReference => !!document && typeof document === 'object' && isOurs(document, patientId))
    .sort((a, b) => String(b.date ?? '').localeCompare(String(a.date ?? '')));
  for (const note of notes) {
    const attachment = (note.content ?? []).map((c) => c?.attachment).find((a) => typeof a?.contentType === 'string' && a.contentType.split(';')[0]!.trim() === TODO_MARKS_CONTENT_TYPE);
    if (!attachment) continue;
    const text = typeof attachment.data === 'string' ? decodeBase64Utf8(attachment.data) : undefined;
    if (text === undefined) return { state: 'failed', reason: 'the marks saved with the last note could not be read' };
    const parsed = parseMarks(text);
    if (!parsed.ok) return { state: 'failed', reason: parsed.reason };
    const savedAt = typeof note.date === 'string' && /^\d{4}-\d{2}-\d{2}/.test(note.date) ? note.date.slice(0, 10) : undefined;
    return { state: 'read', marks: parsed.marks, ...(savedAt ? { savedAt } : {}) };
  }
  return { state: 'read', marks: {} };
}

export async function readSavedMarks(ctx: RequestContext, patientId: string): Promise<{ saved: SavedMarks; trips: number }> {
  const { response, trips } = await getWithRetry(ctx, savedMarksSearch(patientId));
  if (!response.ok) return { saved: { state: 'failed', reason: describeFailure(response, ctx.timeoutMs) }, trips };
  return { saved: marksFromBundle(response.body, patientId), trips };
}
