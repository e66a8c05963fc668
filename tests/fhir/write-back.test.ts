/**
 * Writing to the chart (issue 11, sidebar): which writes a launch allows, the FHIR creates
 * against a scripted server (MSW), SMART Web Messaging's scratchpad.create with an EHR window
 * that answers, and the note as a DocumentReference.
 */
import { describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import FHIR from 'fhirclient/lib/entry/browser';
import type { ServiceRequest } from 'fhir/r4';
import { writeBackFor, noteDocument, base64Utf8, type WritingClient } from '../../src/fhir/write-back';
import { labOrderDrafts } from '../../src/fhir/lab-orders';
import { messagingChannel, scratchpadCreate, type MessagingChannel } from '../../src/fhir/web-messaging';
import { cardsFor } from '../../src/cds-hooks/cards';
import { BASE, fhirServer, PATIENT_ID, requestLog, useFakeFhirServer } from './fake-fhir';
import { orderTodo, report } from '../ui/fixtures';

const REPORT = report({
  patient: { id: PATIENT_ID, age: 40, sex: 'male' },
  todo: [orderTodo('cbc'), orderTodo('liver-enzymes', '24325-3', 'Hepatic function panel'), { id: 'confirm-x', kind: 'confirm', text: 'Confirm something', from: [] }],
});
const CONTEXT = { patientId: PATIENT_ID, today: '2026-11-27', agentLabel: 'Abrocitinib (Cibinqo)' };

/** `requested`: the scope the launch asked for (the site's settings); by default what the token grants. */
function client(tokenResponse: Record<string, unknown>, requested = tokenResponse.scope as string | undefined): WritingClient {
  return FHIR.client({ serverUrl: BASE, ...(requested !== undefined ? { scope: requested } : {}), tokenResponse: { access_token: 'token-123', patient: PATIENT_ID, ...tokenResponse } } as never) as unknown as WritingClient;
}

/** A window whose parent is an EHR window that answers (or not) SMART Web Messaging requests. */
function embeddedWindow(answer: (message: { messageId: string; messageType: string; payload: { resource?: unknown } }) => unknown, origin = 'https://ehr.example.org') {
  const received: Array<{ message: unknown; targetOrigin: string }> = [];
  const listeners = new Set<(event: MessageEvent) => void>();
  const parent = {
    postMessage(message: { messageId: string; messageType: string; payload: { resource?: unknown } }, targetOrigin: string) {
      received.push({ message, targetOrigin });
      const reply = answer(message);
      if (reply === undefined) return;
      setTimeout(() => {
        for (const listener of listeners) listener(new MessageEvent('message', { data: reply, origin }));
      }, 1);
    },
  };
  const win = {
    parent,
    opener: null,
    addEventListener: (_type: string, listener: (event: MessageEvent) => void) => listeners.add(listener),
    removeEventListener: (_type: string, listener: (event: MessageEvent) => void) => listeners.delete(listener),
  } as unknown as Window;
  return { win, received, listeners };
}

useFakeFhirServer({ emptyChart: false });

describe('which writes a launch allows', () => {
  it('orders labs over FHIR when ServiceRequest create is granted, and saves notes when DocumentReference create is', () => {
    const writes = writeBackFor(client({ scope: 'launch patient/Observation.rs patient/ServiceRequest.c patient/DocumentReference.c' }));
    expect(writes.orderLabs?.via).toBe('fhir');
    expect(writes.saveNote).toBeDefined();
  });

  it('offers nothing the token does not grant', () => {
    expect(writeBackFor(client({ scope: 'launch patient/Observation.rs patient/ServiceRequest.rs' }))).toEqual({});
    expect(writeBackFor(client({ scope: 'patient/DocumentReference.write' })).orderLabs).toBeUndefined();
  });

  it('offers nothing the site turned off, whatever the EHR grants: the launch asked for no write scope', () => {
    const grantsAll = 'launch patient/Observation.rs patient/ServiceRequest.c patient/DocumentReference.c messaging/scratchpad';
    const readOnly = 'launch openid fhirUser patient/Observation.read';
    expect(writeBackFor(client({ scope: grantsAll }, readOnly))).toEqual({});
    const { win } = embeddedWindow(() => undefined);
    expect(writeBackFor(client({ scope: grantsAll, smart_web_messaging_handle: 'h-1', smart_web_messaging_origin: 'https://ehr.example.org' }, readOnly), win)).toEqual({});
    // Only the note on: the EHR's ServiceRequest grant does not bring the lab orders back.
    const noteOnly = writeBackFor(client({ scope: grantsAll }, `${readOnly} patient/DocumentReference.write`));
    expect(noteOnly.orderLabs).toBeUndefined();
    expect(noteOnly.saveNote).toBeDefined();
    // Nothing recorded of what was asked for: nothing offered.
    expect(writeBackFor(FHIR.client({ serverUrl: BASE, tokenResponse: { access_token: 't', patient: PATIENT_ID, scope: grantsAll } } as never) as unknown as WritingClient)).toEqual({});
  });

  it('uses the EHR\'s SMART Web Messaging scratchpad when the token offers a handle, even without FHIR create', () => {
    const { win } = embeddedWindow(() => undefined);
    const writes = writeBackFor(client({ scope: 'launch messaging/scratchpad', smart_web_messaging_handle: 'h-1', smart_web_messaging_origin: 'https://ehr.example.org' }), win);
    expect(writes.orderLabs?.via).toBe('messaging');
  });

  it('ignores a messaging offer it cannot use: no origin, a malformed origin, or no EHR window', () => {
    const { win } = embeddedWindow(() => undefined);
    expect(messagingChannel({ smart_web_messaging_handle: 'h' }, win)).toBeUndefined();
    expect(messagingChannel({ smart_web_messaging_handle: 'h', smart_web_messaging_origin: 'javascript:alert(1)' }, win)).toBeUndefined();
    expect(messagingChannel({ smart_web_messaging_handle: 'h', smart_web_messaging_origin: 'https://ehr.example.org/path' }, win)).toBeUndefined();
    const alone = { parent: undefined, opener: null } as unknown as Window;
    expect(messagingChannel({ smart_web_messaging_handle: 'h', smart_web_messaging_origin: 'https://ehr.example.org' }, alone)).toBeUndefined();
  });
});

describe('ordering the missing labs over FHIR', () => {
  it('creates the same drafts as the CDS service suggests, one POST each, and reports the new ids', async () => {
    const bodies: ServiceRequest[] = [];
    let next = 1;
    fhirServer.use(
      http.post(`${BASE}/ServiceRequest`, async ({ request }) => {
        const body = (await request.json()) as ServiceRequest;
        bodies.push(body);
        return HttpResponse.json({ ...body, id: `sr-${next++}` }, { status: 201 });
      }),
    );
    const writer = writeBackFor(client({ scope: 'patient/ServiceRequest.c' })).orderLabs!;
    const drafts = labOrderDrafts(REPORT, CONTEXT).map((d) => d.resource);
    const outcomes = await writer.place(drafts);

    expect(outcomes).toEqual([{ ok: true, location: 'ServiceRequest/sr-1' }, { ok: true, location: 'ServiceRequest/sr-2' }]);
    expect(requestLog.map((r) => r.path)).toEqual(['ServiceRequest', 'ServiceRequest']);
    // The CDS Hooks card's "Order missing baseline labs" creates exactly these resources.
    const card = cardsFor({ report: REPORT, agent: 'abrocitinib', draft: { resourceType: 'MedicationRequest' }, patientId: PATIENT_ID, today: '2026-11-27', newUuid: () => 'u' }).find((c) => c.indicator === 'info')!;
    expect(bodies).toEqual(card.suggestions![0]!.actions.map((a) => a.resource));
    expect(bodies[0]).toMatchObject({ resourceType: 'ServiceRequest', status: 'draft', intent: 'order', subject: { reference: `Patient/${PATIENT_ID}` }, code: { coding: [{ system: 'http://loinc.org', code: '57021-8' }] } });
  });

  it('says which orders the server refused and why, keeping the ones it created', async () => {
    fhirServer.use(
      http.post(`${BASE}/ServiceRequest`, async ({ request }) => {
        const body = (await request.json()) as ServiceRequest;
        if (body.code?.coding?.[0]?.code === '24325-3') return HttpResponse.json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden', diagnostics: 'not allowed' }] }, { status: 403 });
        return HttpResponse.json({ ...body, id: 'sr-ok' }, { status: 201 });
      }),
    );
    const outcomes = await writeBackFor(client({ scope: 'patient/ServiceRequest.c' })).orderLabs!.place(labOrderDrafts(REPORT, CONTEXT).map((d) => d.resource));
    expect(outcomes[0]).toEqual({ ok: true, location: 'ServiceRequest/sr-ok' });
    expect(outcomes[1]!.ok).toBe(false);
    // In words a clinician reads, with the code for the help desk.
    expect(outcomes[1]!.ok === false && outcomes[1]!.reason).toBe('the EHR does not allow this app to write it (HTTP 403)');
  });
});

describe('ordering through SMART Web Messaging', () => {
  const ORIGIN = 'https://ehr.example.org';
  const token = { scope: 'launch messaging/scratchpad', smart_web_messaging_handle: 'handle-42', smart_web_messaging_origin: ORIGIN };

  it('sends one scratchpad.create per draft to the EHR\'s origin with the handle, and reports where each landed', async () => {
    let n = 0;
    const { win, received } = embeddedWindow((message) => ({ messageId: `r-${n}`, responseToMessageId: message.messageId, payload: { status: '201 Created', location: `ServiceRequest/pad-${++n}` } }));
    const writer = writeBackFor(client(token), win).orderLabs!;
    const drafts = labOrderDrafts(REPORT, CONTEXT).map((d) => d.resource);
    const outcomes = await writer.place(drafts);

    expect(outcomes).toEqual([{ ok: true, location: 'ServiceRequest/pad-1' }, { ok: true, location: 'ServiceRequest/pad-2' }]);
    expect(received.map((r) => r.targetOrigin)).toEqual([ORIGIN, ORIGIN]);
    const first = received[0]!.message as { messagingHandle: string; messageId: string; messageType: string; payload: { resource: unknown } };
    expect(first.messagingHandle).toBe('handle-42');
    expect(first.messageType).toBe('scratchpad.create');
    expect(first.payload.resource).toEqual(drafts[0]);
    expect(new Set(received.map((r) => (r.message as { messageId: string }).messageId)).size).toBe(2);
    // Nothing went to the FHIR server.
    expect(requestLog).toEqual([]);
  });

  it('takes answers only from the EHR\'s origin and only for its own request', async () => {
    const listeners = new Set<(event: MessageEvent) => void>();
    const target = {
      postMessage(message: { messageId: string }) {
        setTimeout(() => {
          for (const listener of listeners) {
            listener(new MessageEvent('message', { data: { responseToMessageId: message.messageId, payload: { status: '201 Created', location: 'ServiceRequest/evil' } }, origin: 'https://evil.example.org' }));
            listener(new MessageEvent('message', { data: { responseToMessageId: 'another-request', payload: { status: '201 Created', location: 'ServiceRequest/other' } }, origin: ORIGIN }));
            listener(new MessageEvent('message', { data: { responseToMessageId: message.messageId, payload: { status: '201 Created', location: 'ServiceRequest/right' } }, origin: ORIGIN }));
          }
        }, 1);
      },
    };
    const channel: MessagingChannel = { target, origin: ORIGIN, handle: 'h', listen: { addEventListener: (_t: string, l: never) => listeners.add(l), removeEventListener: (_t: string, l: never) => listeners.delete(l) } as never };
    expect((await scratchpadCreate(channel, { resourceType: 'ServiceRequest' })).location).toBe('ServiceRequest/right');
    expect(listeners.size).toBe(0);
  });

  it('reports an EHR that refuses or never answers, without hanging', async () => {
    const refusing = embeddedWindow((message) => ({ messageId: 'r', responseToMessageId: message.messageId, payload: { status: '400 Bad Request', outcome: { resourceType: 'OperationOutcome' } } }));
    const refused = await writeBackFor(client(token), refusing.win).orderLabs!.place([labOrderDrafts(REPORT, CONTEXT)[0]!.resource]);
    expect(refused).toEqual([{ ok: false, reason: 'the EHR did not accept it (HTTP 400)' }]);

    const silent = embeddedWindow(() => undefined);
    const channel = { ...messagingChannel(token, silent.win)!, timeoutMs: 20 };
    await expect(scratchpadCreate(channel, { resourceType: 'ServiceRequest' })).rejects.toThrow('the EHR did not answer');
    expect(silent.listeners.size).toBe(0);
  });
});

describe('saving the note to the chart', () => {
  it('files the note as a DocumentReference: LOINC note type, text/plain, base64 of the exact text', async () => {
    let body: Record<string, unknown> | undefined;
    fhirServer.use(
      http.post(`${BASE}/DocumentReference`, async ({ request }) => {
        body = (await request.json()) as Record<string, unknown>;
        return HttpResponse.json({ ...body, id: 'doc-7' }, { status: 201 });
      }),
    );
    const text = 'JAK inhibitor readiness: Abrocitinib (Cibinqo)\nPatient: Ana Rivera · born 1992-01-15\nÄnderung – µL';
    const document = noteDocument({ patientId: PATIENT_ID, text, title: 'JAK inhibitor readiness: Abrocitinib (Cibinqo)', created: '2026-11-27T10:00:00.000Z', author: 'Practitioner/dr-1' });
    const outcome = await writeBackFor(client({ scope: 'patient/DocumentReference.c' })).saveNote!.save(document);

    expect(outcome).toEqual({ ok: true, location: 'DocumentReference/doc-7' });
    expect(body).toMatchObject({
      resourceType: 'DocumentReference',
      status: 'current',
      type: { coding: [{ system: 'http://loinc.org', code: '34109-9', display: 'Note' }] },
      subject: { reference: `Patient/${PATIENT_ID}` },
      author: [{ reference: 'Practitioner/dr-1' }],
    });
    const attachment = (body!.content as Array<{ attachment: { contentType: string; data: string } }>)[0]!.attachment;
    expect(attachment.contentType).toBe('text/plain; charset=utf-8');
    expect(new TextDecoder().decode(Uint8Array.from(atob(attachment.data), (c) => c.charCodeAt(0)))).toBe(text);
    expect(base64Utf8('µ')).toBe('wrU=');
  });

  it('leaves out an author that is not a plain reference', () => {
    expect(noteDocument({ patientId: 'p', text: 't', title: 't', created: 'c', author: 'https://evil.example.org/x' }).author).toBeUndefined();
  });
});

describe('writing after the access token expired (token lifetime passed while the sidebar was open)', () => {
  const TOKEN_URI = `${BASE}/auth/token`;
  const WRITE_SCOPES = 'launch online_access patient/DocumentReference.c patient/ServiceRequest.c';
  const NOTE = noteDocument({ patientId: PATIENT_ID, text: 'note', title: 'JAK inhibitor readiness: Abrocitinib (Cibinqo)', created: '2026-11-27T10:00:00.000Z' });

  /** A session as fhirclient stores it after launch; `expiresAt` in seconds. */
  function sessionClient(options: { refreshToken?: string; expiresAt: number }): WritingClient {
    return FHIR.client({
      serverUrl: BASE,
      clientId: 'jak-readiness',
      scope: WRITE_SCOPES,
      tokenUri: TOKEN_URI,
      expiresAt: options.expiresAt,
      tokenResponse: { access_token: 'old-token', patient: PATIENT_ID, scope: WRITE_SCOPES, ...(options.refreshToken ? { refresh_token: options.refreshToken } : {}) },
    } as never) as unknown as WritingClient;
  }

  /** The EHR: accepts only the fresh token; counts refreshes. */
  function ehrAcceptingOnly(token: string) {
    const refreshes: string[] = [];
    const created: string[] = [];
    fhirServer.use(
      http.post(TOKEN_URI, async ({ request }) => {
        refreshes.push(new URLSearchParams(await request.text()).get('grant_type') ?? '');
        return HttpResponse.json({ access_token: token, token_type: 'Bearer', expires_in: 30, scope: WRITE_SCOPES, refresh_token: 'r2', patient: PATIENT_ID });
      }),
      http.post(`${BASE}/:type`, async ({ request, params }) => {
        if (request.headers.get('authorization') !== `Bearer ${token}`) return HttpResponse.json({ resourceType: 'OperationOutcome' }, { status: 401 });
        created.push(String(params.type));
        return HttpResponse.json({ resourceType: params.type, id: `${String(params.type).toLowerCase()}-${created.length}` }, { status: 201 });
      }),
    );
    return { refreshes, created };
  }

  const past = () => Math.floor(Date.now() / 1000) - 60;

  it('saves the note with a refreshed token when the session holds a refresh token', async () => {
    const ehr = ehrAcceptingOnly('new-token');
    const outcome = await writeBackFor(sessionClient({ refreshToken: 'r1', expiresAt: past() })).saveNote!.save(NOTE);
    expect(outcome).toEqual({ ok: true, location: 'DocumentReference/documentreference-1' });
    expect(ehr.refreshes).toEqual(['refresh_token']);
    expect(requestLog.filter((r) => r.method === 'POST' && r.path === 'DocumentReference').map((r) => r.authorization)).toEqual(['Bearer new-token']);
  });

  it('refreshes once and retries when the EHR answers 401 to a token the browser thought still valid', async () => {
    const ehr = ehrAcceptingOnly('new-token');
    const outcome = await writeBackFor(sessionClient({ refreshToken: 'r1', expiresAt: Math.floor(Date.now() / 1000) + 3600 })).saveNote!.save(NOTE);
    expect(outcome).toEqual({ ok: true, location: 'DocumentReference/documentreference-1' });
    expect(ehr.refreshes).toEqual(['refresh_token']);
  });

  it('orders every missing lab after one refresh, not one per order', async () => {
    const ehr = ehrAcceptingOnly('new-token');
    const drafts = labOrderDrafts(REPORT, CONTEXT).map((d) => d.resource);
    const outcomes = await writeBackFor(sessionClient({ refreshToken: 'r1', expiresAt: past() })).orderLabs!.place(drafts);
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    expect(outcomes).toHaveLength(drafts.length);
    expect(ehr.refreshes).toEqual(['refresh_token']);
  });

  it('says the note was not saved, without a token request, when the session has no refresh token', async () => {
    const ehr = ehrAcceptingOnly('new-token');
    const outcome = await writeBackFor(sessionClient({ expiresAt: past() })).saveNote!.save(NOTE);
    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? '' : outcome.reason).toBe('the sign-in to the EHR has ended; open the app from the chart again (HTTP 401)');
    expect(ehr.refreshes).toEqual([]);
    expect(ehr.created).toEqual([]);
  });

  it('says the note was not saved when the refresh is refused', async () => {
    const ehr = ehrAcceptingOnly('new-token');
    // Handlers added later answer first: the EHR refuses the refresh token.
    fhirServer.use(http.post(TOKEN_URI, () => HttpResponse.json({ error: 'invalid_grant' }, { status: 403 })));
    const outcome = await writeBackFor(sessionClient({ refreshToken: 'r1', expiresAt: past() })).saveNote!.save(NOTE);
    expect(outcome.ok).toBe(false);
    expect(ehr.created).toEqual([]);
  });
});
