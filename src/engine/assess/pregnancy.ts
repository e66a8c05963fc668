/**
 * Is the patient pregnant now? (clinical/spec.md `pregnancy`, R2.3.) Every dated fact of the
 * last 42 weeks (configurable) is an event: a pregnancy diagnosis or a positive test starts a
 * pregnancy, a negative test, a "not pregnant" status, a resolved diagnosis or a delivery /
 * pregnancy-outcome code ends one; the newest event decides. Delivery codes never start one.
 * The checklist item and the caution both read this, so they can never disagree.
 */
import type { Evidence } from '../../contract/report';
import { conditions } from '../../kb/conditions';
import type { AssessContext } from './context';
import { conditionEvidence, observationEvidence } from './evidence';
import { conditionsIn } from './facts';
import { pregnancyReading } from './results';

export interface PregnancyEvent {
  date: string;
  pregnant: boolean;
  /** What the event is: a diagnosis, a test result, a pregnancy-status answer, or an end of pregnancy. */
  kind: 'diagnosis' | 'test' | 'status' | 'ended';
  evidence: Evidence;
  /** In clinic words: "positive pregnancy test", "delivery (Z37.0)". */
  why: string;
  unconfirmed?: boolean;
}

export interface PregnancyState {
  pregnant: boolean;
  /** The newest event: the one that decides. */
  decisive?: PregnancyEvent;
  /** Events that say "pregnant", newest first (the evidence of a current pregnancy). */
  pregnantEvents: PregnancyEvent[];
  /** The newest delivery, any time within the recent-delivery window. */
  lastDelivery?: { date: string; evidence: Evidence };
}

/** On the same day an end of pregnancy beats a start, and a start beats a negative test (never under-call). */
const SAME_DAY_RANK: Record<PregnancyEvent['kind'], (pregnant: boolean) => number> = {
  ended: () => 3,
  diagnosis: (p) => (p ? 2 : 1),
  test: (p) => (p ? 2 : 1),
  status: (p) => (p ? 2 : 1),
};

function newestFirst(a: PregnancyEvent, b: PregnancyEvent): number {
  if (a.date !== b.date) return a.date < b.date ? 1 : -1;
  return SAME_DAY_RANK[b.kind](b.pregnant) - SAME_DAY_RANK[a.kind](a.pregnant);
}

/** The newest events up to the first that says "not pregnant": the current pregnancy's evidence. */
function currentRun(events: PregnancyEvent[]): PregnancyEvent[] {
  const end = events.findIndex((e) => !e.pregnant);
  return end === -1 ? events : events.slice(0, end);
}

export function pregnancyState(ctx: AssessContext): PregnancyState {
  return ctx.once('pregnancy-state', () => {
    const days = ctx.config.pregnancy.conditionWeeks * 7;
    const events: PregnancyEvent[] = [];
    for (const m of conditionsIn(ctx, conditions.pregnancy)) {
      const onset = m.condition.onset ?? m.condition.recordedDate;
      if (!onset || !ctx.withinDays(onset, days)) continue;
      const evidence = conditionEvidence(m.condition, m.matched);
      events.push({ date: onset, pregnant: true, kind: 'diagnosis', evidence, why: `pregnancy on the problem list (${m.condition.display})`, ...(m.unconfirmed ? { unconfirmed: true } : {}) });
      // A resolved pregnancy ends at its abatement date (or at onset, when resolved without one).
      if (!m.active) events.push({ date: m.condition.abatement ?? onset, pregnant: false, kind: 'ended', evidence, why: 'pregnancy resolved' });
    }
    for (const m of conditionsIn(ctx, conditions.pregnancyEnded)) {
      const date = m.condition.onset ?? m.condition.recordedDate;
      if (!date || !ctx.withinDays(date, days)) continue;
      events.push({ date, pregnant: false, kind: 'ended', evidence: conditionEvidence(m.condition, m.matched), why: `end of pregnancy (${m.condition.display})` });
    }
    const statuses = new Set(ctx.observationsOf('pregnancyStatus'));
    for (const obs of [...ctx.observationsOf('hcg'), ...statuses]) {
      if (!obs.date || !ctx.withinDays(obs.date, days)) continue;
      const { result } = pregnancyReading(obs, ctx);
      const kind = statuses.has(obs) ? 'status' : 'test';
      if (result === 'positive') events.push({ date: obs.date, pregnant: true, kind, evidence: observationEvidence(obs), why: kind === 'status' ? 'pregnancy status "pregnant"' : 'positive pregnancy test' });
      if (result === 'negative') events.push({ date: obs.date, pregnant: false, kind, evidence: observationEvidence(obs), why: kind === 'status' ? 'pregnancy status "not pregnant"' : 'negative pregnancy test' });
    }
    events.sort(newestFirst);
    const decisive = events[0];
    const deliveries = conditionsIn(ctx, conditions.delivery)
      .map((m) => ({ date: m.condition.onset ?? m.condition.recordedDate, evidence: conditionEvidence(m.condition, m.matched) }))
      .filter((d): d is { date: string; evidence: Evidence } => d.date !== undefined && ctx.withinDays(d.date, ctx.config.pregnancy.recentDeliveryDays))
      .sort((a, b) => (a.date < b.date ? 1 : -1));
    const state: PregnancyState = {
      pregnant: decisive?.pregnant === true,
      pregnantEvents: decisive?.pregnant ? currentRun(events) : [],
    };
    if (decisive) state.decisive = decisive;
    if (deliveries[0]) state.lastDelivery = deliveries[0];
    return state;
  });
}
