/** Pregnancy (newest evidence wins) and breastfeeding. */
import type { Evidence } from '../../../contract/report';
import { conditions } from '../../../kb/conditions';
import type { AssessContext } from '../context';
import { conditionEvidence, observationEvidence } from '../evidence';
import { conditionsIn } from '../facts';
import { pregnancyResult } from '../checklist/screening';
import type { Finding } from './resolve';

interface PregnancyEvent { date: string; pregnant: boolean; evidence: Evidence; why: string }

export function pregnancyFindings(ctx: AssessContext): Finding[] {
  const conditionDays = ctx.config.pregnancy.conditionWeeks * 7;
  const events: PregnancyEvent[] = [];
  for (const m of conditionsIn(ctx, conditions.pregnancy)) {
    const onset = m.condition.onset ?? m.condition.recordedDate;
    if (!onset || !ctx.withinDays(onset, conditionDays)) continue;
    events.push({ date: onset, pregnant: true, evidence: conditionEvidence(m.condition, m.matched), why: `pregnancy on the problem list (${m.condition.display})` });
    // A resolved pregnancy clears it from its abatement date (or now, when resolved without one).
    if (!m.active) events.push({ date: m.condition.abatement ?? onset, pregnant: false, evidence: conditionEvidence(m.condition, m.matched), why: 'pregnancy resolved' });
  }
  for (const obs of [...ctx.observationsOf('hcg'), ...ctx.observationsOf('pregnancyStatus')]) {
    if (!obs.date || !ctx.withinDays(obs.date, conditionDays)) continue;
    const result = pregnancyResult(obs);
    if (result === 'negative') events.push({ date: obs.date, pregnant: false, evidence: observationEvidence(obs), why: 'negative test / not pregnant' });
    // A positive hCG counts for 30 days (spec); a "pregnant" status like a condition.
    const isStatus = ctx.observationsOf('pregnancyStatus').includes(obs);
    if (result === 'positive' && (isStatus || ctx.withinDays(obs.date, ctx.config.windows.pregnancyTest))) {
      events.push({ date: obs.date, pregnant: true, evidence: observationEvidence(obs), why: isStatus ? 'pregnancy status "pregnant"' : 'positive pregnancy test' });
    }
  }
  events.sort((a, b) => (b.date < a.date ? -1 : b.date > a.date ? 1 : Number(b.pregnant) - Number(a.pregnant)));
  const newest = events[0];
  if (!newest?.pregnant) return [];
  const unconfirmed = conditionsIn(ctx, conditions.pregnancy).some((m) => m.unconfirmed && m.condition.reference === newest.evidence.reference);
  const finding: Finding = { id: 'pregnancy', text: `Pregnant: ${newest.why} (${newest.date})`, evidence: events.filter((e) => e.pregnant).map((e) => e.evidence) };
  if (unconfirmed) finding.unconfirmed = true;
  return [finding];
}

export function breastfeedingFindings(ctx: AssessContext): Finding[] {
  const evidence: Evidence[] = conditionsIn(ctx, conditions.breastfeeding)
    .filter((m) => m.active)
    .map((m) => conditionEvidence(m.condition, m.matched));
  for (const obs of ctx.record.observations) {
    const matched = conditions.breastfeeding.match(obs.valueCodes) ?? conditions.breastfeeding.match(obs.codes);
    if (matched && obs.date && ctx.withinDays(obs.date, 365)) evidence.push(observationEvidence(obs, { matched }));
  }
  return evidence.length ? [{ id: 'breastfeeding', text: 'Breastfeeding recorded: not during treatment (ruxolitinib cream: and 4 weeks after)', evidence }] : [];
}
