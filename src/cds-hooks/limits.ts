/**
 * Bounds on one call, whatever its body: how deeply its JSON may nest and how long it may take.
 * With these and the drafts cap (draft-orders.ts) and body size (trust file `maxRequestBytes`),
 * every call answers in bounded time, and the service yields between assessments so one long
 * call does not hold up discovery or the others.
 */

/** A CDS Hooks request nests about 10 deep (context → draftOrders → entry → resource → …). */
export const MAX_JSON_DEPTH = 64;

/** The longest a hook call may take, reading the FHIR server included; then 503 and no cards. */
export const CALL_DEADLINE_MS = 20_000;

export class CallTooLongError extends Error {
  constructor(readonly ms: number) {
    super(`The service could not answer within ${Math.round(ms / 1000)} s; no cards were produced. Try again, or send the data as prefetch.`);
  }
}

/** True when `text` (JSON) nests arrays/objects deeper than `max`: one pass, strings skipped. */
export function nestsDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/**
 * `work` or CallTooLongError after `ms`, whichever comes first; `abort` is fired on the deadline so
 * requests still in flight to the FHIR server are cancelled.
 */
export async function withinDeadline<T>(work: (signal: AbortSignal) => Promise<T>, ms = CALL_DEADLINE_MS): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new CallTooLongError(ms));
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
