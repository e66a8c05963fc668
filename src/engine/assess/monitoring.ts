/**
 * The schedule after the real start (clinical/spec.md R2.6 `monitoring`): when the record shows
 * the patient on a JAK inhibitor, each test the label asks for is dated from the earliest current
 * order or statement and read against the results that came after it — what a nurse checks at
 * weeks 4, 8, 12 and 16.
 */
import type { ObservationFact } from '../record';
import type { AgentId, MonitoringEntry, MonitoringSchedule, MonitoringStatus, OnTreatmentResult, PlannedTherapy } from '../../contract/report';
import { MONITORING_RULES, PLATELETS_AFTER_DOSE_INCREASE, REASSESSMENT_SOURCE, TB_RESCREEN_SOURCE, type MonitoredTest, type MonitoringRule } from '../../kb/monitoring';
import { COURSE_SOURCE, type AnalyteName } from '../../kb/on-treatment';
import { THERAPIES } from '../../kb/therapies';
import { addDays, daysBetween } from '../normalise/dates';
import type { AssessContext, LabConcept } from './context';
import { medicationEvidence, observationEvidence } from './evidence';
import { withLinks } from './sources';
import { courseOf, plannedJakUses, takenJakUses, type JakUse } from './on-treatment/course';
import { analyteReadings, type AnalyteReading } from './on-treatment/lab-values';
import { afterStart, ANALYTES_OF, beforeStart, onTreatmentResults, SHOWN_WITH, trends } from './on-treatment/results';

/** TB screening is read by any of its tests (the other tests are read analyte by analyte, R3.1). */
const TB_TESTS: LabConcept[] = ['igra', 'tspot', 'tuberculinSkinTest'];

/** How far ahead periodic checks are listed: the current one and the next. */
const PERIODS_SHOWN = 2;

/** The agent the patient is on now, if any (the sidebar's monitoring view, the worklist's "on therapy"). */
export function currentJakAgent(ctx: AssessContext): JakUse | undefined {
  return takenJakUses(ctx)[0];
}

/** A JAK inhibitor planned (draft order, proposal or plan) and not yet taken (R3.3). */
export function plannedTherapy(ctx: AssessContext): PlannedTherapy | undefined {
  const taken = new Set(takenJakUses(ctx).map((u) => u.drug));
  const planned = plannedJakUses(ctx).filter((u) => !taken.has(u.drug));
  const first = planned.find((u) => u.agent) ?? planned[0];
  if (!first) return undefined;
  const same = planned.filter((u) => u.drug === first.drug);
  return { drug: first.drug, ...(first.agent ? { therapy: first.agent } : {}), evidence: same.map((u) => medicationEvidence(u.med, { name: u.drug }, 'planned: not yet taken')) };
}

function newestTbBetween(ctx: AssessContext, from: string, to: string | undefined): ObservationFact | undefined {
  let best: ObservationFact | undefined;
  for (const concept of TB_TESTS) {
    const hit = ctx.observationsOf(concept).find((o) => o.date !== undefined && o.date.slice(0, 10) >= from && (to === undefined || o.date.slice(0, 10) < to));
    if (hit && (!best || hit.date! > best.date!)) best = hit;
  }
  return best;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** Due, overdue or not yet, with how late ("overdue since 2026-11-13, 14 days"). */
function timing(ctx: AssessContext, due: string): { status: MonitoringStatus; detail: string; daysLate?: number } {
  const tolerance = ctx.config.monitoring.toleranceDays;
  const days = daysBetween(ctx.now, due); // positive: due in the future
  const late = days < 0 ? { daysLate: -days } : {};
  if (days < -tolerance) return { status: 'overdue', detail: `overdue since ${due}, ${plural(-days, 'day')}`, ...late };
  if (days <= tolerance) return { status: 'due', detail: days > 0 ? `due ${due}, in ${plural(days, 'day')}` : days === 0 ? 'due today' : `due since ${due}, ${plural(-days, 'day')}`, ...late };
  return { status: 'not-yet', detail: `due ${due}` };
}

interface EntrySpec { rule: MonitoringRule; id: string; label: string; start: string; due: string; until?: string; week?: number }

function entry(ctx: AssessContext, spec: EntrySpec, abnormal: readonly OnTreatmentResult[]): MonitoringEntry {
  const { rule, id, label, start, due, until, week } = spec;
  // A result counts from the tolerance before the due date (never before the start) until the next check.
  const from = [start, addDays(due, -ctx.config.monitoring.toleranceDays)].sort().pop()!;
  const inWindow = (day: string) => day >= from && (until === undefined || day < until);
  // R3.8: the label's public page beside its name, as on cautions and dosing.
  const e: MonitoringEntry = withLinks({ id, test: rule.test, label, due, status: 'not-yet', source: rule.source });
  if (week !== undefined) e.week = week;

  if (rule.test === 'tb-screening') {
    const hit = newestTbBetween(ctx, from, until);
    if (hit) return { ...e, status: 'done', result: observationEvidence(hit), detail: `done ${hit.date!.slice(0, 10)}` };
    if (!ctx.loadedFully('Observation')) return { ...e, status: 'unknown', detail: `Could not check: ${ctx.loadProblem('Observation') ?? 'results did not load completely'}` };
    const t = timing(ctx, due);
    return { ...e, status: t.status, detail: t.detail, ...(t.daysLate !== undefined && t.status !== 'not-yet' ? { daysLate: t.daysLate } : {}) };
  }

  // R3.1: every analyte the entry names, each with its last value and its baseline.
  const analytes = ANALYTES_OF[rule.test] ?? [];
  const found: AnalyteReading[] = [];
  const missing: string[] = [];
  e.values = analytes.map((name) => {
    const all = analyteReadings(ctx, name as AnalyteName);
    const hit = all.find((r) => inWindow(r.day) && r.day <= ctx.now);
    if (hit) found.push(hit);
    else missing.push(name);
    const last = afterStart(all, start).find((r) => r.day <= ctx.now);
    const baseline = beforeStart(all, start)[0];
    return { name, ...(last ? { last: last.evidence[0]! } : {}), ...(baseline ? { baseline: baseline.evidence[0]! } : {}) };
  });
  // The rest of a panel is shown when present (total cholesterol, HDL, triglycerides), never required.
  for (const name of SHOWN_WITH[rule.test] ?? []) {
    const all = analyteReadings(ctx, name);
    const last = afterStart(all, start).find((r) => r.day <= ctx.now);
    const baseline = beforeStart(all, start)[0];
    if (last || baseline) e.values.push({ name, ...(last ? { last: last.evidence[0]! } : {}), ...(baseline ? { baseline: baseline.evidence[0]! } : {}) });
  }
  if (found.some((r) => r.preliminary)) e.preliminary = true;
  const newest = [...found].sort((a, b) => (a.obs.date! < b.obs.date! ? 1 : -1))[0];
  if (newest) e.result = newest.evidence[0]!;

  // R3.1/R3.2: an abnormal result in the window comes first, whatever else.
  const crossing = abnormal.find((a) => analytes.includes(a.analyte as AnalyteName) && found.some((r) => r.evidence[0] === a.evidence || (r.obs.reference === a.evidence.reference && r.day === a.evidence.date?.slice(0, 10))));
  if (crossing) {
    e.status = 'abnormal';
    e.abnormal = crossing;
    e.detail = crossing.text;
    if (missing.length) e.missing = missing;
    return e;
  }
  if (missing.length === 0 && found.length > 0) {
    e.status = 'done';
    e.detail = `done ${newest!.day}${e.preliminary ? ' (preliminary)' : ''}`;
    return e;
  }
  if (!ctx.loadedFully('Observation')) {
    e.status = 'unknown';
    e.detail = `Could not check: ${ctx.loadProblem('Observation') ?? 'results did not load completely'}`;
    return e;
  }
  const t = timing(ctx, due);
  e.missing = missing;
  if (found.length > 0) {
    e.status = 'incomplete';
    e.detail = `still needed: ${missing.join(', ')}${t.status === 'not-yet' ? '' : ` (${t.detail})`}`;
  } else {
    e.status = t.status;
    e.detail = t.detail;
  }
  if (t.daysLate !== undefined && e.status !== 'not-yet') e.daysLate = t.daysLate;
  return e;
}

function scheduleFor(ctx: AssessContext, rule: MonitoringRule, start: string): EntrySpec[] {
  const slug = rule.test;
  if (rule.atWeeks) {
    const weeks = rule.atWeeks(ctx.config);
    return [{ rule, id: `${slug}-week-${weeks}`, label: `${rule.label} at week ${weeks}`, start, due: addDays(start, weeks * 7), week: weeks }];
  }
  const every = rule.everyWeeks?.(ctx.config) ?? 0;
  if (every <= 0) return [];
  // Periodic: the check whose window has opened most recently, and the next one.
  const elapsedWeeks = Math.max(0, daysBetween(start, ctx.now) + ctx.config.monitoring.toleranceDays) / 7;
  const current = Math.max(1, Math.floor(elapsedWeeks / every));
  const out: EntrySpec[] = [];
  for (let k = current; k < current + PERIODS_SHOWN; k++) {
    const weeks = k * every;
    const next = addDays(start, (weeks + every) * 7 - ctx.config.monitoring.toleranceDays);
    out.push({ rule, id: `${slug}-week-${weeks}`, label: `${rule.label} at week ${weeks}`, start, due: addDays(start, weeks * 7), until: next, week: weeks });
  }
  return out;
}

export function monitoringSchedule(ctx: AssessContext): MonitoringSchedule | null {
  return ctx.once('monitoring', () => {
    const on = takenJakUses(ctx)[0];
    if (!on) return null;
    const course = courseOf(ctx, on);
    const start = course.start;
    const schedule: MonitoringSchedule = {
      drug: on.drug,
      startEvidence: course.members.map((m) => medicationEvidence(m, { name: on.drug })),
      entries: [],
      visits: [],
      source: on.agent ? MONITORING_RULES[on.agent].map((r) => r.source).filter((s, i, all) => all.indexOf(s) === i).join('; ') || REASSESSMENT_SOURCE : REASSESSMENT_SOURCE,
      abnormal: [],
      trends: [],
    };
    if (on.agent) schedule.therapy = on.agent;
    if (course.members.length > 1) schedule.startEvidence = schedule.startEvidence.map((e, i) => (i === 0 ? { ...e, note: [e.note, COURSE_SOURCE].filter(Boolean).join('; ') } : e));
    if (!start) return withLinks(schedule);
    schedule.start = start;
    const rules = on.agent ? MONITORING_RULES[on.agent] : [];
    const specs = rules.flatMap((rule) => scheduleFor(ctx, rule, start));
    const increase = on.agent === 'abrocitinib' ? course.doseIncrease : undefined;
    if (increase?.med.date) {
      const weeks = PLATELETS_AFTER_DOSE_INCREASE.atWeeks!(ctx.config);
      specs.push({ rule: PLATELETS_AFTER_DOSE_INCREASE, id: 'platelets-after-dose-increase', label: `Platelets ${weeks} weeks after the dose increase (${increase.med.date})`, start: increase.med.date, due: addDays(increase.med.date, weeks * 7) });
    }
    if (course.doseIncrease?.med.date) {
      schedule.doseIncrease = {
        date: course.doseIncrease.med.date,
        ...(course.doseIncrease.fromMg !== undefined ? { from: `${course.doseIncrease.fromMg} mg` } : {}),
        to: `${course.doseIncrease.toMg} mg`,
        evidence: [medicationEvidence(course.doseIncrease.med, { name: on.drug })],
      };
    }
    const analytes = [...new Set(rules.flatMap((r) => ANALYTES_OF[r.test] ?? []))] as AnalyteName[];
    if (on.agent) schedule.abnormal = onTreatmentResults(ctx, on.agent as AgentId, analytes, start);
    schedule.trends = trends(ctx, analytes);
    schedule.entries = specs.map((spec) => entry(ctx, spec, schedule.abnormal!));
    const rescreen = ctx.config.monitoring.tbRescreenDays;
    if (rescreen > 0 && on.agent && THERAPIES[on.agent].route === 'oral') {
      const years = Math.max(1, Math.floor((daysBetween(start, ctx.now) + ctx.config.monitoring.toleranceDays) / rescreen));
      const tbRule: MonitoringRule = { test: 'tb-screening', label: 'TB screening', source: TB_RESCREEN_SOURCE };
      schedule.entries.push(entry(ctx, { rule: tbRule, id: `tb-screening-year-${years}`, label: `TB screening, year ${years}`, start, due: addDays(start, years * rescreen) }, []));
    }
    schedule.visits = ctx.config.reassessmentWeeks.map((week) => ({ week, date: addDays(start, week * 7) }));
    return withLinks(schedule);
  });
}

export type { MonitoredTest };
