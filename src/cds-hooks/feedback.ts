/**
 * The feedback endpoint (CDS Hooks 2.0 "Feedback"): which cards were accepted or overridden, and
 * why. Recorded as one structured JSON line per outcome with ids only: the card and suggestion
 * uuids, the override reason's code, the client's `iss`. A clinician's free-text comment may name
 * the patient, so only whether there was one is kept.
 */

export class FeedbackError extends Error {}

export interface FeedbackEntry {
  card: string;
  outcome: 'accepted' | 'overridden';
  acceptedSuggestions?: string[];
  overrideReason?: { system?: string; code: string };
  hasUserComment?: boolean;
  outcomeTimestamp: string;
}

/** Bounds: a real client sends a few entries; anything bigger is not feedback. */
export const MAX_FEEDBACK_ENTRIES = 50;
const MAX_ID = 128;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function id(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_ID) throw new FeedbackError(`${name} must be a non-empty id of at most ${MAX_ID} characters`);
  return value;
}

export function parseFeedback(body: unknown): FeedbackEntry[] {
  if (!isObject(body) || !Array.isArray(body.feedback)) throw new FeedbackError('The body must be {"feedback": [ ... ]}');
  if (body.feedback.length === 0) throw new FeedbackError('feedback is empty');
  if (body.feedback.length > MAX_FEEDBACK_ENTRIES) throw new FeedbackError(`at most ${MAX_FEEDBACK_ENTRIES} feedback entries per call`);
  return body.feedback.map((raw, i) => {
    const name = `feedback[${i}]`;
    if (!isObject(raw)) throw new FeedbackError(`${name} must be an object`);
    const entry: FeedbackEntry = {
      card: id(raw.card, `${name}.card`),
      outcome: raw.outcome === 'accepted' || raw.outcome === 'overridden' ? raw.outcome : failOutcome(name),
      outcomeTimestamp: timestamp(raw.outcomeTimestamp, `${name}.outcomeTimestamp`),
    };
    if (entry.outcome === 'accepted') {
      if (!Array.isArray(raw.acceptedSuggestions) || raw.acceptedSuggestions.length === 0 || raw.acceptedSuggestions.length > MAX_FEEDBACK_ENTRIES) {
        throw new FeedbackError(`${name}.acceptedSuggestions must list the accepted suggestions ({"id": "<suggestion uuid>"})`);
      }
      entry.acceptedSuggestions = raw.acceptedSuggestions.map((s, j) => id(isObject(s) ? s.id : undefined, `${name}.acceptedSuggestions[${j}].id`));
    }
    if (raw.overrideReason !== undefined) {
      if (entry.outcome !== 'overridden') throw new FeedbackError(`${name}.overrideReason is only for an overridden card`);
      const override = raw.overrideReason;
      if (!isObject(override)) throw new FeedbackError(`${name}.overrideReason must be an object`);
      if (override.reason !== undefined) {
        if (!isObject(override.reason)) throw new FeedbackError(`${name}.overrideReason.reason must be a Coding`);
        const reason: { system?: string; code: string } = { code: id(override.reason.code, `${name}.overrideReason.reason.code`) };
        if (override.reason.system !== undefined) reason.system = id(override.reason.system, `${name}.overrideReason.reason.system`);
        entry.overrideReason = reason;
      }
      if (override.userComment !== undefined) {
        if (typeof override.userComment !== 'string') throw new FeedbackError(`${name}.overrideReason.userComment must be text`);
        entry.hasUserComment = override.userComment.trim() !== '';
      }
    }
    return entry;
  });
}

function failOutcome(name: string): never {
  throw new FeedbackError(`${name}.outcome must be "accepted" or "overridden"`);
}

function timestamp(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length > 40 || !/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new FeedbackError(`${name} must be an ISO 8601 date-time (e.g. 2025-06-15T10:00:00Z)`);
  }
  return value;
}

/**
 * Feedback is taken only for cards (and suggestions) this service issued: otherwise anyone with a
 * client key could fill the log with outcomes for cards that never existed. The message for the
 * first id that was not issued, or undefined when all were.
 */
export function unissuedIds(entries: FeedbackEntry[], issued: (id: string) => boolean): string | undefined {
  for (const [i, entry] of entries.entries()) {
    if (!issued(entry.card)) return `feedback[${i}].card is not a card this service issued (or it was issued by another copy or before a restart, without a shared card-id secret); nothing was recorded.`;
    for (const [j, suggestion] of (entry.acceptedSuggestions ?? []).entries()) {
      if (!issued(suggestion)) return `feedback[${i}].acceptedSuggestions[${j}] is not a suggestion this service issued; nothing was recorded.`;
    }
  }
  return undefined;
}

/** One log line per feedback entry: ids and codes only. */
export function feedbackLogLines(serviceId: string, iss: string, entries: FeedbackEntry[], receivedAt: string): string[] {
  return entries.map((entry) =>
    JSON.stringify({
      event: 'cds-hooks.feedback',
      service: serviceId,
      client: iss,
      card: entry.card,
      outcome: entry.outcome,
      ...(entry.acceptedSuggestions ? { acceptedSuggestions: entry.acceptedSuggestions } : {}),
      ...(entry.overrideReason ? { overrideReason: entry.overrideReason } : {}),
      ...(entry.hasUserComment !== undefined ? { userComment: entry.hasUserComment ? 'given (not recorded)' : 'empty' } : {}),
      outcomeTimestamp: entry.outcomeTimestamp,
      receivedAt,
    }),
  );
}
