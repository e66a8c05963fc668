/**
 * What the sidebar may write to the chart, decided from what this launch was granted:
 * - "Order missing labs": through SMART Web Messaging's scratchpad when the EHR offers it (the
 *   drafts land in the clinician's order basket), else as FHIR creates when the token grants
 *   ServiceRequest create; otherwise not offered.
 * - "Save to chart": the text note as a DocumentReference when the token grants its create.
 * Each also needs the site's setting (smart-config.json `writeBack`), read back from the scopes the
 * launch requested. Nothing is written without the user's click; each outcome is reported per resource.
 */
import type { DocumentReference, ServiceRequest } from 'fhir/r4';
import { LOINC } from '../contract/codes';
import { TODO_MARKS_CONTENT_TYPE } from '../contract/todo-marks';
import { parseScopes, scopeAllows } from './scopes';
import { messagingChannel, scratchpadCreate, type MessagingChannel } from './web-messaging';

/** One draft's outcome: where the EHR put it, or why it could not. */
export type WriteOutcome = { ok: true; location: string } | { ok: false; reason: string };

export interface LabOrderWriter {
  /** 'messaging': the EHR's scratchpad; 'fhir': created on the FHIR server. */
  via: 'messaging' | 'fhir';
  place(drafts: readonly ServiceRequest[]): Promise<WriteOutcome[]>;
}

export interface NoteWriter {
  save(document: DocumentReference): Promise<WriteOutcome>;
}

export interface WriteBack {
  orderLabs?: LabOrderWriter;
  saveNote?: NoteWriter;
}

/** The slice of fhirclient's Client these writes use. */
export interface WritingClient {
  create(resource: object, requestOptions?: object): Promise<unknown>;
  state: { tokenResponse?: Record<string, unknown>; scope?: string };
}

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 200) || 'the EHR refused it';
}

async function createOne(client: WritingClient, resource: ServiceRequest | DocumentReference): Promise<WriteOutcome> {
  try {
    const created = (await client.create(resource)) as { resourceType?: unknown; id?: unknown } | undefined;
    const id = created && typeof created === 'object' && typeof created.id === 'string' && FHIR_ID.test(created.id) ? created.id : undefined;
    // A server may answer 201 with no body: the create happened, its id is in the chart.
    return { ok: true, location: id ? `${resource.resourceType}/${id}` : `${resource.resourceType} (the EHR did not return its id)` };
  } catch (error) {
    return { ok: false, reason: reasonOf(error) };
  }
}

function viaMessaging(channel: MessagingChannel): LabOrderWriter {
  return {
    via: 'messaging',
    // One request at a time: each answer names its request, but an EHR's scratchpad is a UI.
    async place(drafts) {
      const outcomes: WriteOutcome[] = [];
      for (const draft of drafts) {
        try {
          const answer = await scratchpadCreate(channel, draft);
          outcomes.push({ ok: true, location: answer.location ?? `${draft.resourceType} (${answer.status})` });
        } catch (error) {
          outcomes.push({ ok: false, reason: reasonOf(error) });
        }
      }
      return outcomes;
    },
  };
}

function viaFhir(client: WritingClient): LabOrderWriter {
  return { via: 'fhir', place: (drafts) => Promise.all(drafts.map((draft) => createOne(client, draft))) };
}

/**
 * The writes this launch allows. `win` is the app's window (for SMART Web Messaging); granted
 * scopes come from the token response (or the requested scope when the server omits it).
 */
export function writeBackFor(client: WritingClient, win?: Window): WriteBack {
  const token = client.state.tokenResponse;
  // What the app asked for at launch carries the site's decision (smart-config.json `writeBack`:
  // write scopes are requested only for what is on); what the token grants is the EHR's. Both
  // must allow a write: an EHR granting more than was asked never turns on what the site left off.
  const requested = parseScopes(client.state.scope);
  const granted = parseScopes((token?.scope as string | undefined) ?? client.state.scope);
  const both = (type: string) => scopeAllows(requested, type, 'create') && scopeAllows(granted, type, 'create');
  const siteOrdersLabs = requested.includes('messaging/scratchpad') || scopeAllows(requested, 'ServiceRequest', 'create');
  const writeBack: WriteBack = {};
  const channel = win && siteOrdersLabs ? messagingChannel(token, win) : undefined;
  if (channel) writeBack.orderLabs = viaMessaging(channel);
  else if (both('ServiceRequest')) writeBack.orderLabs = viaFhir(client);
  if (both('DocumentReference')) writeBack.saveNote = { save: (document) => createOne(client, document) };
  return writeBack;
}

/** UTF-8 text as base64, for a FHIR attachment's `data`. */
export function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** LOINC 34109-9 "Note": the generic clinical note type (the app's note is no consult or progress note). */
export const NOTE_TYPE = { system: LOINC, code: '34109-9', display: 'Note' } as const;

export interface NoteContext {
  patientId: string;
  /** The note as "Copy as note" gives it (src/ui/note.ts). */
  text: string;
  /** "JAK inhibitor readiness: Abrocitinib (Cibinqo)". */
  title: string;
  /** When it was made, an ISO instant. */
  created: string;
  /** The signed-in user (fhirUser), when the EHR said who it is. */
  author?: string;
  /** The to-do marks as JSON (src/contract/todo-marks.ts `serialiseMarks`): a second attachment, read back at the next launch. */
  marksJson?: string;
}

/**
 * Marks the notes this app files, so the next launch finds its own (DocumentReference search
 * `_tag`) among every other note of type 34109-9.
 */
export const APP_NOTE_TAG = { system: 'urn:jak-readiness:note', code: 'readiness-note', display: 'JAK inhibitor readiness note' } as const;

/**
 * The note as a DocumentReference: LOINC note type, US Core clinical-note category, the app's tag,
 * a text/plain attachment and, with marks, an application/json one (the to-do marks).
 */
export function noteDocument(context: NoteContext): DocumentReference {
  const document: DocumentReference = {
    resourceType: 'DocumentReference',
    status: 'current',
    type: { coding: [{ ...NOTE_TYPE }], text: 'Note' },
    category: [{ coding: [{ system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category', code: 'clinical-note', display: 'Clinical Note' }] }],
    subject: { reference: `Patient/${context.patientId}` },
    date: context.created,
    description: context.title,
    meta: { tag: [{ ...APP_NOTE_TAG }] },
    content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: base64Utf8(context.text), title: context.title, creation: context.created } }],
  };
  if (context.marksJson !== undefined) {
    document.content.push({ attachment: { contentType: TODO_MARKS_CONTENT_TYPE, data: base64Utf8(context.marksJson), title: 'To-do marks', creation: context.created } });
  }
  if (context.author && /^(Practitioner|PractitionerRole|Patient|RelatedPerson)\/[A-Za-z0-9\-.]{1,64}$/.test(context.author)) {
    document.author = [{ reference: context.author }];
  }
  return document;
}
