/**
 * Orders in flight (issue 18): lab orders already placed (ServiceRequest) for a test the to-do
 * list would offer. An order with no result of its test since it was placed is awaited: the
 * to-do says "CBC ordered 2026-12-07, awaiting result" (kind `awaiting`) and the test leaves
 * "Order missing labs", the CDS order suggestions and the counts. A performed order still
 * without a result after 30 days keeps the order offered, saying "ordered …, no result yet".
 */
import type { OrderableTest, PlacedOrder, ReportRef, TodoEntry } from '../../contract/report';
import { LOINC } from '../../contract/codes';
import { ORDERABLE } from '../../kb/orderables';
import { COMPLETED_ORDER_AWAIT_DAYS, OPEN_ORDER_STATUSES, ORDERABLE_IN_FLIGHT } from '../../kb/orders-in-flight';
import { LAB_FAMILY_CODES } from '../../kb/observation-codes';
import type { LabOrderFact } from '../record';
import type { AssessContext } from './context';

const ORDERABLE_BY_CODE = new Map<string, OrderableTest>(Object.values(ORDERABLE).map((o) => [o.code, o]));

/** LOINC code an order carries → the orderable it stands for. */
const ORDERED_AS = new Map<string, string>(
  Object.entries(ORDERABLE_IN_FLIGHT).flatMap(([code, info]) => [[code, code] as const, ...(info.alsoOrderedAs ?? []).map((alias) => [alias, code] as const)]),
);

function orderableOf(order: LabOrderFact): OrderableTest | undefined {
  for (const coding of order.codes) {
    if (coding.system !== LOINC) continue;
    const code = ORDERED_AS.get(coding.code);
    if (code) return ORDERABLE_BY_CODE.get(code);
  }
  return undefined;
}

/** Newest result day per checklist family (lab results of any date in the record). */
function resultDays(ctx: AssessContext): Map<string, string[]> {
  const familyOf = new Map<string, string[]>();
  for (const [family, tokens] of Object.entries(LAB_FAMILY_CODES)) {
    for (const token of tokens) familyOf.set(token, [...(familyOf.get(token) ?? []), family]);
  }
  const days = new Map<string, string[]>();
  for (const obs of ctx.record.observations) {
    if (!obs.date) continue;
    const families = new Set(obs.codes.flatMap((c) => familyOf.get(`${c.system}|${c.code}`) ?? []));
    for (const family of families) days.set(family, [...(days.get(family) ?? []), obs.date.slice(0, 10)]);
  }
  return days;
}

/**
 * The orders still awaited or without a result, one per orderable (the newest order wins), in
 * the orderables' order. Computed once per assessment.
 */
export function placedOrders(ctx: AssessContext): PlacedOrder[] {
  return ctx.once('orders-in-flight', () => {
    const orders = ctx.record.labOrders ?? [];
    if (orders.length === 0) return [];
    const results = resultDays(ctx);
    const newest = new Map<string, PlacedOrder>();
    for (const order of orders) {
      const test = orderableOf(order);
      if (!test) continue;
      const open = OPEN_ORDER_STATUSES.has(order.status);
      // An undated performed order cannot be compared with the results: it says nothing.
      if (!open && !order.date) continue;
      const family = ORDERABLE_IN_FLIGHT[test.code]!.family;
      if (order.date && (results.get(family) ?? []).some((day) => day >= order.date!)) continue; // answered
      const state = open || ctx.daysAgo(order.date!) <= COMPLETED_ORDER_AWAIT_DAYS ? 'awaiting' : 'no-result-yet';
      const placed: PlacedOrder = { reference: order.reference, test, status: order.status, state, ...(order.date ? { date: order.date } : {}) };
      const current = newest.get(test.code);
      if (!current || rank(placed) > rank(current)) newest.set(test.code, placed);
    }
    const order = Object.values(ORDERABLE).map((o) => o.code);
    return [...newest.values()].sort((a, b) => order.indexOf(a.test.code) - order.indexOf(b.test.code));
  });
}

/** An awaited order beats one without a result; then the newer one. */
const rank = (p: PlacedOrder) => `${p.state === 'awaiting' ? 1 : 0}${p.date ?? ''}`;

const shortName = (test: OrderableTest) => ORDERABLE_IN_FLIGHT[test.code]?.short ?? test.display;

/** "CBC ordered 2026-12-07", "HBsAg and Anti-HBc ordered 2026-12-07" (same day grouped). */
function orderedWords(placed: readonly PlacedOrder[]): string {
  const byDay = new Map<string, string[]>();
  for (const p of placed) byDay.set(p.date ?? '', [...(byDay.get(p.date ?? '') ?? []), shortName(p.test)]);
  return [...byDay.entries()]
    .map(([day, names]) => `${names.join(' and ')} ordered${day ? ` ${day}` : ' (date not recorded)'}`)
    .join(', ');
}

export interface OrderSplit {
  /** Still to order. */
  toOrder: OrderableTest[];
  /** Ordered earlier, performed over 30 days ago, no result: offered again with that said. */
  noResult: PlacedOrder[];
  /** Ordered and awaited. */
  awaiting: PlacedOrder[];
}

export function splitByOrdersInFlight(orders: readonly OrderableTest[], placed: readonly PlacedOrder[]): OrderSplit {
  const find = (test: OrderableTest) => placed.find((p) => p.test.code === test.code);
  const awaiting = orders.map(find).filter((p): p is PlacedOrder => p?.state === 'awaiting');
  const noResult = orders.map(find).filter((p): p is PlacedOrder => p?.state === 'no-result-yet');
  return { toOrder: orders.filter((o) => find(o)?.state !== 'awaiting'), noResult, awaiting };
}

/** " (CBC ordered 2026-10-01, no result yet)" for an order offered again; empty when none. */
export function noResultSuffix(noResult: readonly PlacedOrder[]): string {
  return noResult.length ? ` (${orderedWords(noResult)}, no result yet)` : '';
}

/** The `awaiting` to-do for tests already ordered: "CBC ordered 2026-12-07, awaiting result". */
export function awaitingEntry(id: string, awaiting: readonly PlacedOrder[], from: ReportRef[], extra: { advisory?: boolean; context?: string } = {}): TodoEntry {
  const results = awaiting.length === 1 ? 'result' : 'results';
  return {
    id,
    kind: 'awaiting',
    text: `${orderedWords(awaiting)}, awaiting ${results}${extra.context ? ` (${extra.context})` : ''}`,
    orders: awaiting.map((p) => p.test),
    placed: [...awaiting],
    from,
    ...(extra.advisory ? { advisory: true } : {}),
  };
}
