/**
 * Orders in flight (issue 18): which lab orders already placed stand for a to-do's test, what
 * the to-do then says, and when a performed order without a result stops being "awaited".
 * Data, not rules: the engine (src/engine/assess/orders-in-flight.ts) reads it.
 */
import { ORDERABLE } from './orderables';

/** Orders that are still to be carried out: a result is expected. */
export const OPEN_ORDER_STATUSES: ReadonlySet<string> = new Set(['draft', 'active', 'on-hold']);

/**
 * A performed (completed) order with no result in the record is awaited this long (the result
 * is being filed); after it, the to-do says "ordered …, no result yet": find the result or order again.
 */
export const COMPLETED_ORDER_AWAIT_DAYS = 30;

/**
 * Per orderable LOINC: the short name the to-do uses ("CBC ordered 2026-12-07, awaiting result")
 * and the checklist family whose results answer it (a result of that family dated on or after
 * the order day means the order has come back). Other LOINC codes an EHR uses for the same
 * order can be added to `alsoOrderedAs`.
 */
export interface OrderableInFlight {
  short: string;
  family: string;
  alsoOrderedAs?: readonly string[];
}

export const ORDERABLE_IN_FLIGHT: Readonly<Record<string, OrderableInFlight>> = {
  [ORDERABLE.cbc.code]: { short: 'CBC', family: 'cbc', alsoOrderedAs: ['58410-2'] },
  [ORDERABLE.liverEnzymes.code]: { short: 'Liver panel', family: 'liver-enzymes' },
  [ORDERABLE.lipidPanel.code]: { short: 'Lipid panel', family: 'lipid-panel' },
  [ORDERABLE.igra.code]: { short: 'TB blood test', family: 'tb-screening' },
  [ORDERABLE.hbsag.code]: { short: 'HBsAg', family: 'hepatitis-b' },
  [ORDERABLE.antiHbc.code]: { short: 'Anti-HBc', family: 'hepatitis-b' },
  [ORDERABLE.hbvDna.code]: { short: 'HBV DNA', family: 'hepatitis-b' },
  [ORDERABLE.hcvAntibody.code]: { short: 'HCV antibody', family: 'hepatitis-c' },
  [ORDERABLE.hcvRna.code]: { short: 'HCV RNA', family: 'hepatitis-c' },
  [ORDERABLE.hcg.code]: { short: 'Pregnancy test', family: 'pregnancy-test' },
};

export const ORDERS_IN_FLIGHT_SOURCE =
  'Orders in flight (issue 18): open ServiceRequests (draft, active, on-hold) are awaited; completed ones for 30 days; CBC is also ordered as 58410-2 (CBC panel, automated; label-facts §B)';
