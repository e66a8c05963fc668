/**
 * SMART Web Messaging (HL7 SMART Web Messaging STU1): requests from the embedded app to the EHR
 * window through `postMessage`, each answered by exactly one response that names the request's
 * `messageId` in `responseToMessageId`. Used for `scratchpad.create`: the EHR puts the draft in
 * the clinician's order scratchpad instead of the app writing it over the FHIR API.
 *
 * The EHR gives the app a `smart_web_messaging_handle` and its `smart_web_messaging_origin` in
 * the token response; messages go only to that origin (never "*"), answers are accepted only
 * from it and only from the window messages were sent to.
 */

export interface MessagingChannel {
  /** The EHR window: the parent when embedded, else the opener. */
  target: Pick<Window, 'postMessage'>;
  /** The EHR's origin from the token response: the only target origin and the only sender accepted. */
  origin: string;
  /** The token response's `smart_web_messaging_handle`. */
  handle: string;
  /** Where answers arrive (the app's own window). */
  listen: Pick<Window, 'addEventListener' | 'removeEventListener'>;
  timeoutMs?: number;
  newId?: () => string;
}

/** A `Bundle.entry.response`-shaped answer: status ("201 Created"), location of the new entry. */
export interface ScratchpadResponse {
  status: string;
  location?: string;
  outcome?: unknown;
}

export class MessagingError extends Error {
  override name = 'MessagingError';
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** The channel for this launch, when the EHR offered one and there is a window to talk to. */
export function messagingChannel(tokenResponse: Record<string, unknown> | undefined, win: Window): MessagingChannel | undefined {
  const handle = tokenResponse?.smart_web_messaging_handle;
  const origin = tokenResponse?.smart_web_messaging_origin;
  if (typeof handle !== 'string' || handle === '' || typeof origin !== 'string') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return undefined;
  }
  if (parsed.origin !== origin.replace(/\/$/, '') || !/^https?:$/.test(parsed.protocol)) return undefined;
  const target = win.parent && win.parent !== win ? win.parent : win.opener;
  if (!target) return undefined;
  return { target, origin: parsed.origin, handle, listen: win };
}

function newMessageId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** Sends one request and waits for its one answer (or gives up after the timeout). */
export function sendMessage(channel: MessagingChannel, messageType: string, payload: Record<string, unknown>): Promise<Record<string, unknown>> {
  const messageId = (channel.newId ?? newMessageId)();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      channel.listen.removeEventListener('message', onMessage as EventListener);
      reject(new MessagingError('the EHR did not answer'));
    }, channel.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    function onMessage(event: MessageEvent): void {
      if (event.origin !== channel.origin) return;
      if (event.source !== null && event.source !== undefined && event.source !== (channel.target as unknown)) return;
      const data = event.data as { responseToMessageId?: unknown; payload?: unknown } | null;
      if (!data || typeof data !== 'object' || data.responseToMessageId !== messageId) return;
      clearTimeout(timer);
      channel.listen.removeEventListener('message', onMessage as EventListener);
      const answer = data.payload;
      if (!answer || typeof answer !== 'object') reject(new MessagingError('the EHR answered without a payload'));
      else resolve(answer as Record<string, unknown>);
    }
    channel.listen.addEventListener('message', onMessage as EventListener);
    channel.target.postMessage({ messagingHandle: channel.handle, messageId, messageType, payload }, channel.origin);
  });
}

/** `scratchpad.create`: the EHR's answer, refused unless its status is a 2xx. */
export async function scratchpadCreate(channel: MessagingChannel, resource: object): Promise<ScratchpadResponse> {
  const answer = await sendMessage(channel, 'scratchpad.create', { resource });
  const status = typeof answer.status === 'string' ? answer.status : '';
  if (!/^2\d\d\b/.test(status)) {
    throw new MessagingError(status ? `the EHR answered ${status.slice(0, 80)}` : 'the EHR answered without a status');
  }
  const response: ScratchpadResponse = { status };
  if (typeof answer.location === 'string') response.location = answer.location.slice(0, 200);
  if (answer.outcome !== undefined) response.outcome = answer.outcome;
  return response;
}
