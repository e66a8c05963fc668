// @vitest-environment node
/**
 * The to-do marks saved with the note (src/contract/todo-marks.ts) and read back at the next
 * launch (src/fhir/saved-marks.ts): the schema round-trips, and whatever a chart sends back is
 * read defensively.
 */
import { describe, expect, it } from 'vitest';
import { MAX_MARKS_JSON, markLine, parseMarks, serialiseMarks, TODO_MARKS_SCHEMA, type TodoMarks } from '../../src/contract/todo-marks';
import { marksFromBundle, savedMarksSearch } from '../../src/fhir/saved-marks';
import { APP_NOTE_TAG, base64Utf8, noteDocument } from '../../src/fhir/write-back';

const declined: TodoMarks = {
  'order-cbc': { item: 'order-cbc', mark: 'declined', date: '2026-12-01', reason: 'patient preference' },
  'vaccinate-zoster': { item: 'vaccinate-zoster', mark: 'done-elsewhere', date: '2026-12-02' },
};

describe('the marks schema', () => {
  it('serialises with its schema name and version, and parses back to the same marks', () => {
    const json = serialiseMarks(declined);
    expect(JSON.parse(json)).toEqual({
      schema: TODO_MARKS_SCHEMA,
      version: 1,
      marks: [
        { item: 'order-cbc', mark: 'declined', date: '2026-12-01', reason: 'patient preference' },
        { item: 'vaccinate-zoster', mark: 'done-elsewhere', date: '2026-12-02' },
      ],
    });
    expect(parseMarks(json)).toEqual({ ok: true, marks: declined, ignored: 0 });
  });

  it('reads as "Declined 2026-12-01: patient preference"', () => {
    expect(markLine(declined['order-cbc']!)).toBe('Declined 2026-12-01: patient preference');
    expect(markLine(declined['vaccinate-zoster']!)).toBe('Done elsewhere 2026-12-02');
  });

  it('ignores marks for items the current to-do list does not have, and counts them', () => {
    const parsed = parseMarks(serialiseMarks(declined), new Set(['order-cbc']));
    expect(parsed).toEqual({ ok: true, marks: { 'order-cbc': declined['order-cbc'] }, ignored: 1 });
  });

  it('refuses what is not a marks document, a later version, or too much text', () => {
    expect(parseMarks('not json')).toMatchObject({ ok: false, reason: 'the saved marks are not valid JSON' });
    expect(parseMarks('[]')).toMatchObject({ ok: false });
    expect(parseMarks(JSON.stringify({ schema: 'other', version: 1, marks: [] }))).toMatchObject({ ok: false });
    expect(parseMarks(JSON.stringify({ schema: TODO_MARKS_SCHEMA, version: 2, marks: [] }))).toMatchObject({ ok: false, reason: expect.stringContaining('version') });
    expect(parseMarks(' '.repeat(MAX_MARKS_JSON + 1))).toMatchObject({ ok: false, reason: 'the saved marks are too large to read' });
  });

  it('drops entries it cannot read and keeps hostile reasons as one line of plain text', () => {
    const doc = {
      schema: TODO_MARKS_SCHEMA,
      version: 1,
      marks: [
        { item: '__proto__', mark: 'declined', date: '2026-12-01' },
        { item: 'order-cbc', mark: 'approved', date: '2026-12-01' },
        { item: 'order-lipid-panel', mark: 'deferred', date: 'yesterday' },
        { item: 'order-hepatitis-c', mark: 'deferred', date: '2026-12-01', reason: '<img src=x onerror=alert(1)>\n\u202Eevil\u0000 ' + 'x'.repeat(500) },
        'not an object',
      ],
    };
    const parsed = parseMarks(JSON.stringify(doc));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(Object.keys(parsed.marks)).toEqual(['order-hepatitis-c']);
    expect(parsed.ignored).toBe(4);
    const reason = parsed.marks['order-hepatitis-c']!.reason!;
    expect(reason.startsWith('<img src=x onerror=alert(1)> evil x')).toBe(true);
    expect(reason).not.toMatch(/[\n\u202E\u0000]/);
    expect(reason.length).toBe(200);
    expect(Object.getPrototypeOf(parsed.marks)).toBe(Object.prototype);
  });
});

describe('the note document and reading it back', () => {
  const document = noteDocument({
    patientId: 'p1',
    text: 'JAK inhibitor readiness',
    title: 'JAK inhibitor readiness: Abrocitinib (Cibinqo)',
    created: '2026-12-01T10:00:00Z',
    marksJson: serialiseMarks(declined),
  });

  it('carries the text and the marks as two attachments, and the app tag to find it by', () => {
    expect(document.content.map((c) => c.attachment.contentType)).toEqual(['text/plain; charset=utf-8', 'application/json']);
    expect(document.meta?.tag).toEqual([APP_NOTE_TAG]);
    expect(savedMarksSearch('p1')).toBe(
      'DocumentReference?patient=p1&type=http%3A%2F%2Floinc.org%7C34109-9&_tag=urn%3Ajak-readiness%3Anote%7Creadiness-note&_sort=-date&_count=5',
    );
  });

  it('reads the marks of the newest note of this app, whatever order the server sends', () => {
    const older = { ...document, id: 'old', date: '2026-11-01T10:00:00Z', content: [document.content[0]!, { attachment: { contentType: 'application/json', data: base64Utf8(serialiseMarks({})) } }] };
    const bundle = { resourceType: 'Bundle', entry: [{ resource: older }, { resource: { ...document, id: 'new' } }] };
    expect(marksFromBundle(bundle, 'p1')).toEqual({ state: 'read', marks: declined, savedAt: '2026-12-01' });
  });

  it('ignores notes of other apps, of other patients and entered in error', () => {
    const untagged = { ...document, meta: {} };
    const otherPatient = { ...document, subject: { reference: 'Patient/p2' } };
    const withdrawn = { ...document, status: 'entered-in-error' };
    const bundle = { resourceType: 'Bundle', entry: [{ resource: untagged }, { resource: otherPatient }, { resource: withdrawn }] };
    expect(marksFromBundle(bundle, 'p1')).toEqual({ state: 'read', marks: {} });
  });

  it('says so when the saved marks cannot be read, rather than showing none', () => {
    const broken = { ...document, content: [{ attachment: { contentType: 'application/json', data: '%%%not base64' } }] };
    expect(marksFromBundle({ resourceType: 'Bundle', entry: [{ resource: broken }] }, 'p1')).toMatchObject({ state: 'failed' });
    const huge = { ...document, content: [{ attachment: { contentType: 'application/json', data: base64Utf8('x'.repeat(MAX_MARKS_JSON * 2)) } }] };
    expect(marksFromBundle({ resourceType: 'Bundle', entry: [{ resource: huge }] }, 'p1')).toMatchObject({ state: 'failed' });
    expect(marksFromBundle({ resourceType: 'OperationOutcome' }, 'p1')).toMatchObject({ state: 'failed' });
  });
});
