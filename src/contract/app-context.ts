/**
 * The CDS Hooks card's `appContext` (CDS Hooks 2.0, Link): the CDS service writes it on the
 * card's `smart` link, the EHR hands it to the app in the token response, and the sidebar opens
 * on the agent the card was about. One shape for both ends, so neither guesses the other's.
 *
 * It arrives through the EHR from a card, so the app treats it as untrusted text: bounded in
 * length, JSON or ignored, and only a known therapy id is taken from it. It only preselects the
 * planned agent (the user can change it); it never adds data to the assessment.
 */
import { THERAPY_IDS, type TherapyId } from './report';

/** Longer than any context this service writes; anything longer is ignored unread. */
export const MAX_APP_CONTEXT_LENGTH = 2000;

export interface CardAppContext {
  /** The agent of the order the card was about. */
  therapy: TherapyId;
  /** The draft order the card was about (`MedicationRequest/<id>`), when the EHR named one. */
  draftOrder?: string;
}

export function formatAppContext(context: CardAppContext): string {
  return JSON.stringify(context.draftOrder ? { therapy: context.therapy, draftOrder: context.draftOrder } : { therapy: context.therapy });
}

/** The agent named by an `appContext` this service wrote; undefined for anything else. */
export function therapyFromAppContext(value: unknown): TherapyId | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_APP_CONTEXT_LENGTH) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const therapy = (parsed as { therapy?: unknown }).therapy;
  return (THERAPY_IDS as readonly unknown[]).includes(therapy) ? (therapy as TherapyId) : undefined;
}
