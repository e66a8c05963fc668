/**
 * The drug the patient is taking (clinical/spec.md R3.3): current therapy is an active or
 * on-hold order or an active statement; a draft order or one with intent proposal/plan is the
 * planned therapy, never "on treatment since today". Orders of the same ingredient with gaps of
 * up to 30 days form one course, whose first order is the real start; a later order at a higher
 * daily strength is a dose increase.
 */
import type { MedicationFact } from '../../record';
import type { AgentId } from '../../../contract/report';
import { jakInhibitors } from '../../../kb/drugs';
import { COURSE_GAP_DAYS, ORDER_COVERS_DAYS } from '../../../kb/on-treatment';
import { THERAPIES } from '../../../kb/therapies';
import { addDays, daysBetween } from '../../normalise/dates';
import type { AssessContext } from '../context';
import { isLocalForm, matchDrug } from '../facts';

export interface JakUse { med: MedicationFact; agent?: AgentId; drug: string }

export interface Course {
  drug: string;
  agent?: AgentId;
  /** The orders and statements of the course, oldest first. */
  members: MedicationFact[];
  /** The first member's date: the real start. */
  start?: string;
  /** The newest order at a higher daily strength than every earlier one, if any. */
  doseIncrease?: { med: MedicationFact; fromMg?: number; toMg: number };
}

const CURRENT_REQUEST = new Set(['active', 'on-hold']);
const PLANNED_INTENTS = new Set(['proposal', 'plan']);
/** Never taken: do not make or extend a course. */
const NEVER_TAKEN = new Set(['cancelled', 'not-taken', 'entered-in-error']);

/** A draft order, an order with intent proposal/plan, or an intended statement: planned, not taken. */
export function isPlanned(med: MedicationFact): boolean {
  if (med.kind === 'MedicationRequest') return med.status === 'draft' || (PLANNED_INTENTS.has(med.intent ?? '') && !NEVER_TAKEN.has(med.status ?? ''));
  return med.status === 'intended';
}

/** Being taken now: an active or on-hold order (not a proposal or plan), or an active statement, not ended. */
export function isTaken(med: MedicationFact, now: string): boolean {
  if (isPlanned(med)) return false;
  const current = med.kind === 'MedicationRequest' ? CURRENT_REQUEST.has(med.status ?? '') : med.status === 'active';
  return current && !(med.periodEnd && med.periodEnd < now);
}

function agentOf(med: MedicationFact, ingredient: string): AgentId | undefined {
  if (ingredient === 'ruxolitinib') return isLocalForm(med) ? 'ruxolitinib-cream' : undefined;
  const therapy = Object.values(THERAPIES).find((t) => t.ingredient === ingredient && t.agents.length === 1);
  return therapy?.id as AgentId | undefined;
}

function jakUse(med: MedicationFact): JakUse | undefined {
  const match = matchDrug(med, jakInhibitors.drugs);
  if (!match) return undefined;
  const agent = agentOf(med, match.drug.ingredient);
  return { med, drug: match.drug.ingredient, ...(agent ? { agent } : {}) };
}

/** JAK inhibitors being taken now, eczema agents first. */
export function takenJakUses(ctx: AssessContext): JakUse[] {
  return ctx.once('jak-taken', () => {
    const uses = ctx.record.medications.filter((m) => isTaken(m, ctx.now)).flatMap((m) => jakUse(m) ?? []);
    return [...uses.filter((u) => u.agent), ...uses.filter((u) => !u.agent)];
  });
}

/** JAK inhibitors planned (draft, proposal, plan), not yet taken. */
export function plannedJakUses(ctx: AssessContext): JakUse[] {
  return ctx.once('jak-planned', () => ctx.record.medications.filter((m) => isPlanned(m) && !(m.periodEnd && m.periodEnd < ctx.now)).flatMap((m) => jakUse(m) ?? []));
}

const doseOf = (m: MedicationFact) => m.dailyDoseMg ?? m.strengthMg;

/** When a member stops covering: its end, now for a current one, else a usual supply after it. */
function coveredUntil(med: MedicationFact, now: string): string | undefined {
  if (med.periodEnd) return med.periodEnd;
  if (isTaken(med, now)) return now;
  return med.date ? addDays(med.date, ORDER_COVERS_DAYS) : undefined;
}

/** The course of `use`'s ingredient that contains the current order. */
export function courseOf(ctx: AssessContext, use: JakUse): Course {
  return ctx.once(`course:${use.drug}:${use.agent ?? ''}`, () => {
    const same = ctx.record.medications
      .filter((m) => m.date !== undefined && !isPlanned(m) && !NEVER_TAKEN.has(m.status ?? ''))
      .filter((m) => {
        const u = jakUse(m);
        return u !== undefined && u.drug === use.drug && u.agent === use.agent;
      })
      .sort((a, b) => (a.date! < b.date! ? -1 : a.date! > b.date! ? 1 : 0));
    // Walk oldest to newest; a gap longer than the limit starts a new course.
    let members: MedicationFact[] = [];
    let until: string | undefined;
    let found: MedicationFact[] | undefined;
    for (const med of same) {
      if (members.length && until !== undefined && daysBetween(until, med.date!) > COURSE_GAP_DAYS) {
        if (members.includes(use.med)) found = members;
        members = [];
        until = undefined;
      }
      members.push(med);
      const end = coveredUntil(med, ctx.now);
      if (end && (until === undefined || end > until)) until = end;
    }
    if (!found && members.includes(use.med)) found = members;
    const course: Course = { drug: use.drug, members: found ?? [use.med] };
    if (use.agent) course.agent = use.agent;
    if (course.members[0]?.date) course.start = course.members[0].date;
    // The newest member whose daily strength exceeds every earlier one.
    let highest: number | undefined;
    for (const med of course.members) {
      const dose = doseOf(med);
      if (dose === undefined) continue;
      if (highest !== undefined && dose > highest) course.doseIncrease = { med, fromMg: highest, toMg: dose };
      if (highest === undefined || dose > highest) highest = dose;
    }
    return course;
  });
}
