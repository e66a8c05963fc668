/**
 * The schedule after the real start (clinical/spec.md R2.6 `monitoring`): when the record shows
 * the patient on a JAK inhibitor, each test the label asks for is dated from the earliest current
 * order or statement and read against the results that came after it — what a nurse checks at
 * weeks 4, 8, 12 and 16.
 */
import type { MedicationFact, ObservationFact } from '../record';
import type { AgentId, MonitoringEntry, MonitoringSchedule, MonitoringStatus } from '../../contract/report';
import { jakInhibitors } from '../../kb/drugs';
import { MONITORING_RULES, PLATELETS_AFTER_DOSE_INCREASE, REASSESSMENT_SOURCE, TB_RESCREEN_SOURCE, type MonitoredTest, type MonitoringRule } from '../../kb/monitoring';
import { THERAPIES } from '../../kb/therapies';
import { addDays, daysBetween } from '../normalise/dates';
import type { AssessContext, LabConcept } from './context';
import { medicationEvidence, observationEvidence } from './evidence';
import { currentMedications, isLocalForm, matchDrug } from './facts';

/** The results that count for each monitored test. */
const RESULTS_OF: Record<MonitoredTest, LabConcept[]> = {
  cbc: ['hemoglobin', 'platelets', 'wbc', 'neutrophilsAbsolute', 'lymphocytesAbsolute'],
  'liver-enzymes': ['alt', 'ast'],
  'lipid-panel': ['ldl', 'hdl', 'totalCholesterol', 'triglycerides'],
  'tb-screening': ['igra', 'tspot', 'tuberculinSkinTest'],
  platelets: ['platelets'],
};

/** How far ahead periodic checks are listed: the current one and the next. */
const PERIODS_SHOWN = 2;

interface JakUse { med: MedicationFact; agent?: AgentId; drug: string }

/** Current JAK-inhibitor orders and statements, with the eczema agent each one is. */
function currentJakUse(ctx: AssessContext): JakUse[] {
  return currentMedications(ctx).flatMap((med) => {
    const match = matchDrug(med, jakInhibitors.drugs);
    if (!match) return [];
    const ingredient = match.drug.ingredient;
    const therapy = Object.values(THERAPIES).find((t) => t.ingredient === ingredient && t.agents.length === 1);
    let agent = therapy?.id as AgentId | undefined;
    if (ingredient === 'ruxolitinib') agent = isLocalForm(med) ? 'ruxolitinib-cream' : undefined;
    return [{ med, drug: ingredient, ...(agent ? { agent } : {}) }];
  });
}

/** The agent the patient is on now, if any (the sidebar's monitoring view, the worklist's "on therapy"). */
export function currentJakAgent(ctx: AssessContext): JakUse | undefined {
  const uses = currentJakUse(ctx);
  return uses.find((u) => u.agent) ?? uses[0];
}

function newestResultBetween(ctx: AssessContext, test: MonitoredTest, from: string, to: string | undefined): ObservationFact | undefined {
  let best: ObservationFact | undefined;
  for (const concept of RESULTS_OF[test]) {
    const hit = ctx.observationsOf(concept).find((o) => o.date !== undefined && o.date.slice(0, 10) >= from && (to === undefined || o.date.slice(0, 10) < to));
    if (hit && (!best || hit.date! > best.date!)) best = hit;
  }
  return best;
}

function statusOf(ctx: AssessContext, due: string, found: boolean): { status: MonitoringStatus; detail: string } {
  const tolerance = ctx.config.monitoring.toleranceDays;
  if (found) return { status: 'done', detail: '' };
  if (!ctx.loadedFully('Observation')) return { status: 'unknown', detail: `Could not check: ${ctx.loadProblem('Observation') ?? 'results did not load completely'}` };
  const days = daysBetween(ctx.now, due); // positive: due in the future
  if (days < -tolerance) return { status: 'overdue', detail: `overdue since ${due}` };
  if (days <= tolerance) return { status: 'due', detail: days > 0 ? `due ${due}, in ${days} day${days === 1 ? '' : 's'}` : days === 0 ? `due today` : `due ${due}` };
  return { status: 'not-yet', detail: `due ${due}` };
}

function entry(ctx: AssessContext, rule: MonitoringRule, id: string, label: string, start: string, due: string, until: string | undefined, week?: number): MonitoringEntry {
  // A result counts from the tolerance before the due date (never before the start) until the next check.
  const from = [start, addDays(due, -ctx.config.monitoring.toleranceDays)].sort().pop()!;
  const result = newestResultBetween(ctx, rule.test, from, until);
  const { status, detail } = statusOf(ctx, due, result !== undefined);
  const e: MonitoringEntry = { id, test: rule.test, label, due, status, source: rule.source };
  if (week !== undefined) e.week = week;
  if (result) {
    e.result = observationEvidence(result);
    e.detail = `done ${result.date!.slice(0, 10)}`;
  } else if (detail) e.detail = detail;
  return e;
}

function scheduleFor(ctx: AssessContext, rule: MonitoringRule, start: string): MonitoringEntry[] {
  const slug = rule.test;
  if (rule.atWeeks) {
    const weeks = rule.atWeeks(ctx.config);
    return [entry(ctx, rule, `${slug}-week-${weeks}`, `${rule.label} at week ${weeks}`, start, addDays(start, weeks * 7), undefined, weeks)];
  }
  const every = rule.everyWeeks?.(ctx.config) ?? 0;
  if (every <= 0) return [];
  // Periodic: the check whose window has opened most recently, and the next one.
  const elapsedWeeks = Math.max(0, daysBetween(start, ctx.now) + ctx.config.monitoring.toleranceDays) / 7;
  const current = Math.max(1, Math.floor(elapsedWeeks / every));
  const out: MonitoringEntry[] = [];
  for (let k = current; k < current + PERIODS_SHOWN; k++) {
    const weeks = k * every;
    const next = addDays(start, (weeks + every) * 7 - ctx.config.monitoring.toleranceDays);
    out.push(entry(ctx, rule, `${slug}-week-${weeks}`, `${rule.label} at week ${weeks}`, start, addDays(start, weeks * 7), next, weeks));
  }
  return out;
}

/** Abrocitinib dose increase: a later order or statement with a higher strength than an earlier one. */
function doseIncrease(ctx: AssessContext, start: string): MedicationFact | undefined {
  const abrocitinib = ctx.record.medications
    .filter((m) => m.date && m.date >= start && m.strengthMg !== undefined && matchDrug(m, jakInhibitors.drugs)?.drug.ingredient === 'abrocitinib')
    .sort((a, b) => (a.date! < b.date! ? -1 : 1));
  return abrocitinib.find((m, i) => abrocitinib.slice(0, i).some((earlier) => earlier.strengthMg! < m.strengthMg!));
}

export function monitoringSchedule(ctx: AssessContext): MonitoringSchedule | null {
  return ctx.once('monitoring', () => {
    const uses = currentJakUse(ctx);
    const on = uses.find((u) => u.agent) ?? uses[0];
    if (!on) return null;
    const sameDrug = uses.filter((u) => u.drug === on.drug);
    const dates = sameDrug.map((u) => u.med.date).filter((d): d is string => d !== undefined).sort();
    const start = dates[0];
    const schedule: MonitoringSchedule = {
      drug: on.drug,
      startEvidence: sameDrug.map((u) => medicationEvidence(u.med, { name: u.drug })),
      entries: [],
      visits: [],
      source: on.agent ? MONITORING_RULES[on.agent].map((r) => r.source).filter((s, i, all) => all.indexOf(s) === i).join('; ') || REASSESSMENT_SOURCE : REASSESSMENT_SOURCE,
    };
    if (on.agent) schedule.therapy = on.agent;
    if (!start) return schedule;
    schedule.start = start;
    const rules = on.agent ? MONITORING_RULES[on.agent] : [];
    for (const rule of rules) schedule.entries.push(...scheduleFor(ctx, rule, start));
    if (on.agent === 'abrocitinib') {
      const increase = doseIncrease(ctx, start);
      if (increase?.date) {
        const weeks = PLATELETS_AFTER_DOSE_INCREASE.atWeeks!(ctx.config);
        schedule.entries.push(entry(ctx, PLATELETS_AFTER_DOSE_INCREASE, `platelets-after-dose-increase`, `Platelets ${weeks} weeks after the dose increase (${increase.date})`, increase.date, addDays(increase.date, weeks * 7), undefined));
      }
    }
    const rescreen = ctx.config.monitoring.tbRescreenDays;
    if (rescreen > 0 && on.agent && THERAPIES[on.agent].route === 'oral') {
      const years = Math.max(1, Math.floor((daysBetween(start, ctx.now) + ctx.config.monitoring.toleranceDays) / rescreen));
      const tbRule: MonitoringRule = { test: 'tb-screening', label: 'TB screening', source: TB_RESCREEN_SOURCE };
      schedule.entries.push(entry(ctx, tbRule, `tb-screening-year-${years}`, `TB screening, year ${years}`, start, addDays(start, years * rescreen), undefined));
    }
    schedule.visits = ctx.config.reassessmentWeeks.map((week) => ({ week, date: addDays(start, week * 7) }));
    return schedule;
  });
}
