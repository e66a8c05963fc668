/**
 * The to-do list (clinical/spec.md R2.6 `todo`): the one list a nurse works from — labs to order
 * with the orderable panel's LOINC, vaccines due, things to confirm or ask — each naming the item,
 * caution or monitoring entry it comes from. The sidebar, the note and every integration read this;
 * nothing else recomputes it.
 */
import type { Caution, ChecklistItem, MonitoringSchedule, OrderableTest, ReportRef, TodoEntry, TodoKind } from '../../contract/report';
import type { LoadedResourceType } from '../record';
import { ORDER_FOR_COMPONENT, ORDERABLE, ZOSTER_VACCINE } from '../../kb/orderables';
import type { MonitoredTest } from '../../kb/monitoring';
import type { AssessContext } from './context';
import { concerns, type Finding } from './cautions/resolve';
import { ABNORMAL_FOLLOW_UP, DEFAULT_ACTION, DO_NOT_START_ACTIONS, REVIEW_FOLLOW_UP } from '../../kb/actions';
import { abnormalShort } from './open-items';
import { pregnancyState } from './pregnancy';
import { onTreatmentTodos } from './on-treatment/todo';
import { awaitingEntry, noResultSuffix, placedOrders, splitByOrdersInFlight } from './orders-in-flight';
import type { PlacedOrder } from '../../contract/report';

/** In the order a nurse works: what could not be checked, then orders, vaccines, confirmations, questions. */
// Revision 3: `urgent` (tell the prescriber today) always first; the next visit last. Orders
// already placed and awaited (issue 18) just before it: nothing to do but wait for the result.
const KIND_ORDER: Record<TodoKind, number> = { urgent: -1, recheck: 0, 'order-lab': 1, vaccinate: 2, confirm: 3, ask: 4, awaiting: 5, visit: 6 };

const MONITORING_ORDER: Record<MonitoredTest, OrderableTest> = {
  cbc: ORDERABLE.cbc,
  platelets: ORDERABLE.cbc,
  'liver-enzymes': ORDERABLE.liverEnzymes,
  'lipid-panel': ORDERABLE.lipidPanel,
  'tb-screening': ORDERABLE.igra,
};

const item = (id: string): ReportRef => ({ kind: 'item', id });

/** "Hepatic function panel" inside a sentence: "Order hepatic function panel"; acronyms stay ("CBC"). */
const inSentence = (display: string) => (/^[A-Z][a-z]/.test(display) ? display[0]!.toLowerCase() + display.slice(1) : display);

function uniqueOrders(orders: OrderableTest[]): OrderableTest[] {
  return orders.filter((o, i) => orders.findIndex((x) => x.code === o.code) === i);
}

function zosterEntry(ctx: AssessContext, it: ChecklistItem): TodoEntry | undefined {
  if (it.status !== 'missing' && it.status !== 'incomplete' && it.status !== 'outdated') return undefined;
  // No recombinant zoster vaccine during a pregnancy (R3.7): defer it, never suggest it.
  if (pregnancyState(ctx).pregnant) return { id: 'vaccinate-zoster', kind: 'confirm', text: `Defer the ${ZOSTER_VACCINE.display} until after the pregnancy`, from: [item(it.id), { kind: 'caution', id: 'pregnancy' }], ...(it.advisory ? { advisory: true } : {}) };
  const dose = it.missing?.includes('Dose 1') ? 'dose 1 of 2' : 'dose 2';
  return { id: 'vaccinate-zoster', kind: 'vaccinate', text: `${it.advisory ? 'Consider: give' : 'Give'} the ${ZOSTER_VACCINE.display}, ${dose}`, from: [item(it.id)], ...(it.advisory ? { advisory: true } : {}) };
}

function labEntries(it: ChecklistItem, placed: readonly PlacedOrder[]): TodoEntry[] {
  const orders = uniqueOrders((it.missing ?? []).map((name) => ORDER_FOR_COMPONENT[name]).filter((o): o is OrderableTest => o !== undefined));
  const repeat = it.id === 'tb-screening' && it.status === 'abnormal' && (it.notes ?? []).some((n) => /indeterminate/i.test(n));
  const from = [item(it.id)];
  const advisory = it.advisory ? { advisory: true } : {};
  const wanted = repeat ? [ORDERABLE.igra] : orders;
  if (wanted.length === 0) return [];
  // Orders already placed (issue 18): awaited tests leave the order, one without a result says so.
  const { toOrder, noResult, awaiting } = splitByOrdersInFlight(wanted, placed);
  const out: TodoEntry[] = [];
  if (toOrder.length) {
    const suffix = noResultSuffix(noResult);
    const withPlaced = noResult.length ? { placed: noResult } : {};
    if (repeat) out.push({ id: 'order-tb-screening', kind: 'order-lab', text: `Repeat the TB blood test (indeterminate result)${suffix}`, orders: toOrder, from, ...withPlaced });
    else {
      const verb = it.advisory ? 'Consider ordering' : it.status === 'outdated' ? 'Repeat' : 'Order';
      out.push({ id: `order-${it.id}`, kind: 'order-lab', text: `${verb} ${toOrder.map((o) => inSentence(o.display)).join(', ')}${suffix}`, orders: toOrder, from, ...advisory, ...withPlaced });
    }
  }
  if (awaiting.length) out.push(awaitingEntry(`awaiting-${it.id}`, awaiting, from, advisory));
  return out;
}

/** One "could not check" line per resource type that failed, naming the items it leaves open. */
function recheckEntries(ctx: AssessContext, checklist: readonly ChecklistItem[], monitoring: MonitoringSchedule | null): TodoEntry[] {
  const unknownItems = checklist.filter((it) => it.status === 'unknown').map((it) => item(it.id));
  const unknownChecks = (monitoring?.entries ?? []).filter((e) => e.status === 'unknown').map((e): ReportRef => ({ kind: 'monitoring', id: e.id }));
  const out: TodoEntry[] = [];
  const types: Array<[LoadedResourceType, string]> = [
    ['Observation', 'lab results'], ['Condition', 'diagnoses'], ['MedicationRequest', 'medication orders'],
    ['MedicationStatement', 'medication statements'], ['Immunization', 'immunizations'], ['Patient', 'patient details'],
  ];
  for (const [type, words] of types) {
    const problem = ctx.loadProblem(type);
    if (!problem) continue;
    const from: ReportRef[] = [{ kind: 'data-gap', id: type }, ...(type === 'Observation' ? [...unknownItems, ...unknownChecks] : type === 'Immunization' ? unknownItems.filter((r) => r.id === 'zoster-vaccine') : [])];
    out.push({ id: `recheck-${type.toLowerCase()}`, kind: 'recheck', text: `Check the ${words} in the chart: they could not be loaded (${problem})`, from });
  }
  return out;
}

/** The same words as the schedule: "overdue since …" only for what the schedule calls overdue. */
function whenDue(e: MonitoringSchedule['entries'][number]): string {
  if (e.status === 'overdue' || /overdue since/.test(e.detail ?? '')) return `overdue since ${e.due}`;
  return (e.daysLate ?? 0) > 0 ? `due since ${e.due}` : `due ${e.due}`;
}

function monitoringEntries(monitoring: MonitoringSchedule, placed: readonly PlacedOrder[]): TodoEntry[] {
  // An incomplete entry whose due date is near or past needs its missing analytes ordered (R3.1).
  const incompleteDue = (e: MonitoringSchedule['entries'][number]) => e.status === 'incomplete' && /\b(due|overdue)\b/.test(e.detail ?? '');
  return monitoring.entries
    .filter((e) => e.status === 'due' || e.status === 'overdue' || incompleteDue(e))
    .map((e): TodoEntry => {
      const test = MONITORING_ORDER[e.test as MonitoredTest];
      const when = `${e.label}, ${e.status === 'incomplete' ? `still needed: ${(e.missing ?? []).join(', ')}; ` : ''}${whenDue(e)}`;
      const from: ReportRef[] = [{ kind: 'monitoring', id: e.id }];
      // Already ordered and awaited (issue 18): said so, not offered again.
      const { awaiting, noResult } = splitByOrdersInFlight([test], placed);
      if (awaiting.length) return awaitingEntry(`awaiting-${e.id}`, awaiting, from, { context: when });
      return {
        id: `order-${e.id}`, kind: 'order-lab',
        text: `Order ${inSentence(test.display)} (${when})${noResultSuffix(noResult)}`,
        orders: [test], from, ...(noResult.length ? { placed: noResult } : {}),
      };
    });
}

export function todoList(
  ctx: AssessContext,
  checklist: readonly ChecklistItem[],
  cautions: readonly Caution[],
  findings: readonly Finding[],
  monitoring: MonitoringSchedule | null,
): TodoEntry[] {
  const entries: TodoEntry[] = [...recheckEntries(ctx, checklist, monitoring), ...onTreatmentTodos(ctx.now, monitoring, ctx.therapy.agents)];
  const placed = placedOrders(ctx);
  // On the agent already: the checks after the start replace the pre-start orders.
  const onThisAgent = monitoring?.therapy !== undefined && (ctx.therapy.agents as string[]).includes(monitoring.therapy);
  if (onThisAgent) entries.push(...monitoringEntries(monitoring!, placed));
  else {
    for (const it of checklist) {
      if (it.status === 'not-applicable' || it.status === 'done' || it.status === 'unknown') continue;
      if (it.id !== 'zoster-vaccine') {
        entries.push(...labEntries(it, placed));
        continue;
      }
      const entry = zosterEntry(ctx, it);
      if (entry) entries.push(entry);
    }
  }
  const raised = new Set(cautions.map((c) => c.id));
  for (const finding of findings) {
    if (!finding.todo || !raised.has(finding.id) || !concerns(finding, ctx.therapy)) continue;
    // Severity "info" for every agent (treated latent TB) needs nothing done.
    const id = finding.todo.id ?? `${finding.todo.kind}-${finding.id}`;
    const existing = entries.find((e) => e.id === id && e.text === finding.todo!.text);
    if (existing) continue;
    const from: ReportRef[] = [{ kind: 'caution', id: finding.id }, ...(finding.todo.items ?? []).map(item)];
    entries.push({
      id: entries.some((e) => e.id === id) ? `${id}-${entries.filter((e) => e.id.startsWith(id)).length + 1}` : id, kind: finding.todo.kind, text: finding.todo.text, from,
      ...(finding.todo.audience ? { audience: finding.todo.audience } : {}),
    });
  }
  entries.push(...followUps(cautions, checklist, entries));
  return entries.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
}

const names = (entry: TodoEntry, kind: ReportRef['kind'], id: string) => entry.from.some((r) => r.kind === kind && r.id === id);

/**
 * R3.5: every do-not-start caution gets one action, and every abnormal result one follow-up,
 * unless an entry already acts on it (an order for the missing part, a finding's own action).
 */
function followUps(cautions: readonly Caution[], checklist: readonly ChecklistItem[], entries: readonly TodoEntry[]): TodoEntry[] {
  const out: TodoEntry[] = [];
  const all = () => [...entries, ...out];
  for (const c of cautions) {
    if (c.severity !== 'do-not-start' || all().some((e) => names(e, 'caution', c.id))) continue;
    const action = DO_NOT_START_ACTIONS[c.id] ?? DEFAULT_ACTION;
    out.push({ id: `${action.kind}-${c.id}`, kind: action.kind, text: action.text(c.short ?? c.id), from: [{ kind: 'caution', id: c.id }, ...(action.items ?? []).filter((i) => checklist.some((x) => x.id === i && x.status === 'abnormal')).map(item)] });
  }
  for (const it of checklist) {
    if (it.status !== 'abnormal') continue;
    // R3.4: a result that cannot be read gets its own "review" line, whatever else is ordered.
    if (it.needsReview?.length) out.push({ id: `review-${it.id}`, kind: 'recheck', text: `${REVIEW_FOLLOW_UP}: ${it.needsReview.join('; ')}`, from: [item(it.id)], ...(it.advisory ? { advisory: true } : {}) });
    const onlyUnreadable = it.needsReview?.length && /needs review$/.test(it.short ?? '');
    if (onlyUnreadable || all().some((e) => names(e, 'item', it.id) && e.id !== `review-${it.id}`)) continue;
    out.push({ id: `recheck-${it.id}`, kind: 'recheck', text: `${abnormalShort(it)}: ${ABNORMAL_FOLLOW_UP[it.id]}`, from: [item(it.id)], ...(it.advisory ? { advisory: true } : {}) });
  }
  return out;
}

/** Distinct tests ordered and awaited: "2 labs awaiting results". */
export function awaitingLabCount(todo: readonly TodoEntry[]): number {
  return new Set(todo.filter((t) => t.kind === 'awaiting' && !t.advisory).flatMap((t) => (t.orders ?? []).map((o) => o.code))).size;
}

/** Distinct lab orders in a to-do list: "3 labs to order" (tests already ordered are not counted). */
export function labOrderCount(todo: readonly TodoEntry[]): number {
  return new Set(todo.filter((t) => t.kind === 'order-lab' && !t.advisory).flatMap((t) => (t.orders ?? []).map((o) => o.code))).size;
}
