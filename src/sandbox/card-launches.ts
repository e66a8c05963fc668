/**
 * The CDS card's SMART link in the sandbox chart: `/ehr/cds/launch?ticket=…` opens the app for a
 * patient only with a ticket this EHR issued to its own chart page (a same-origin POST when the
 * user clicks the link), used once, within two minutes. Without it, any site could open the app
 * on any patient the sandbox holds, with an appContext of its choosing (`?patient=…` was enough).
 */
import { randomBytes } from 'node:crypto';

export const CARD_LAUNCH_TTL_MS = 2 * 60_000;
const MAX_PENDING = 1000;

export interface CardLaunch {
  patient: string;
  appContext?: string;
}

export class CardLaunchTickets {
  private readonly pending = new Map<string, CardLaunch & { expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A fresh one-time ticket for this patient (and the card's appContext). */
  issue(launch: CardLaunch): string {
    this.prune();
    // Bounded: the oldest tickets go first when a page asks for too many.
    while (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
    const ticket = randomBytes(24).toString('base64url');
    this.pending.set(ticket, { ...launch, expiresAt: this.now() + CARD_LAUNCH_TTL_MS });
    return ticket;
  }

  /** The launch the ticket stands for, once; undefined for an unknown, used or expired ticket. */
  redeem(ticket: string): CardLaunch | undefined {
    const found = this.pending.get(ticket);
    this.pending.delete(ticket);
    if (!found || this.now() >= found.expiresAt) return undefined;
    return { patient: found.patient, ...(found.appContext !== undefined ? { appContext: found.appContext } : {}) };
  }

  private prune(): void {
    const now = this.now();
    for (const [ticket, launch] of this.pending) if (now >= launch.expiresAt) this.pending.delete(ticket);
  }
}
