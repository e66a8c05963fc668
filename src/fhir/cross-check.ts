/**
 * "Suspiciously empty is not missing", for every search the loader sends.
 *
 * A proxy that collapses `//` (smart-launcher-v2), or one that decodes the query first, turns
 * `http://loinc.org|751-8` into `http:/loinc.org|751-8`, which matches nothing: the server answers
 * an empty 200 and the record would read "missing". So every search whose criteria name a code
 * system is sent with a `_summary=count` search beside it, in the same round trip: the same
 * criteria with the codes' systems left out (`751-8` matches the code in any system, and has no
 * `//` to mangle). When every search of the check found nothing, yet the count finds results,
 * the empty answers are not believed: they become failed loads, and the items say "could not
 * check" with a data gap instead of "missing".
 *
 * Searches that differ only in their codes (the newest older results, one per checklist item)
 * share one count: the union of their codes. Searches with no system-qualified value (status,
 * `_include`) have nothing a proxy can mangle this way and are not checked.
 */
import type { LoadStatus } from '../engine/record';
import type { SearchParam, SearchPlan, SearchValue } from './search-plan';
import type { SearchOutcome } from './search-runner';

/** Result-shaping parameters: a count does not need them. */
const SHAPING = new Set(['_sort', '_count', '_include', '_revinclude', '_elements', '_summary', '_total']);

/** `system|code` with a system that holds `//` or `:` (a URI): the part a proxy can change. */
const SYSTEM_QUALIFIED = /^[^|]*[:/][^|]*\|.+$/;

export interface CrossCheck {
  type: string;
  plans: SearchPlan[];
  /** The `_summary=count` search's parameters. */
  params: SearchParam[];
  /** How a reason names the searches ("the lab search", "the older lab results searches"). */
  what: string;
}

const values = (value: SearchValue): readonly string[] => (typeof value === 'string' ? [value] : value);

function systemQualified(value: SearchValue): boolean {
  return values(value).some((one) => SYSTEM_QUALIFIED.test(one));
}

function bare(value: SearchValue): string[] {
  return [...new Set(values(value).map((one) => one.slice(one.indexOf('|') + 1)).filter((code) => code !== ''))];
}

function describe(plans: readonly SearchPlan[]): string {
  const first = plans[0]!;
  if (plans.length > 1) return `the ${first.checkGroup ?? `${first.type} searches`}`;
  return first.label === 'lab results' ? 'the lab search' : `the ${first.label ?? first.type} search`;
}

/**
 * The checks for a set of plans: one per group of plans that differ only in their
 * system-qualified values; none for a plan with nothing to mangle. A plan's own `countCheck`
 * is used as it is.
 */
export function crossChecks(plans: readonly SearchPlan[]): CrossCheck[] {
  const groups = new Map<string, { type: string; plans: SearchPlan[]; fixed: SearchParam[]; tokens: Map<string, Set<string>> }>();
  const checks: CrossCheck[] = [];
  for (const plan of plans) {
    if (plan.countCheck) {
      checks.push({ type: plan.type, plans: [plan], params: plan.countCheck, what: describe([plan]) });
      continue;
    }
    const params = plan.levels[0]?.params ?? [];
    const kept = params.filter(([name]) => !SHAPING.has(name));
    const qualified = kept.filter(([, value]) => systemQualified(value));
    if (qualified.length === 0) continue;
    const fixed = kept.filter(([, value]) => !systemQualified(value));
    const key = JSON.stringify([plan.type, plan.checkGroup ?? plan.name, fixed, qualified.map(([name]) => name)]);
    let group = groups.get(key);
    if (!group) {
      group = { type: plan.type, plans: [], fixed, tokens: new Map() };
      groups.set(key, group);
    }
    group.plans.push(plan);
    for (const [name, value] of qualified) {
      const codes = group.tokens.get(name) ?? new Set<string>();
      for (const code of bare(value)) codes.add(code);
      group.tokens.set(name, codes);
    }
  }
  for (const group of groups.values()) {
    const params: SearchParam[] = [...group.fixed, ...[...group.tokens].map(([name, codes]) => [name, [...codes]] as const), ['_summary', 'count']];
    checks.push({ type: group.type, plans: group.plans, params, what: describe(group.plans) });
  }
  return checks;
}

/** The failed status an unbelievable empty answer becomes. */
export function alteredStatus(check: CrossCheck, count: number): LoadStatus {
  return {
    state: 'failed',
    reason: `the server's answer to ${check.what} looks altered (no results for the tests' codes with their code systems, ${count} without)`,
  };
}

/**
 * Applies a check's count to its plans' outcomes: when every one of them came back complete and
 * empty, yet the count without systems found results, each becomes a failed load (returns true). A
 * server that could not count (undefined) gives no evidence either way.
 */
export function judged(check: CrossCheck, count: number | undefined, outcomes: Map<SearchPlan, SearchOutcome>): boolean {
  if (!count) return false;
  const mine = check.plans.map((plan) => outcomes.get(plan));
  if (!mine.every((outcome) => outcome && outcome.status.state === 'complete' && outcome.resources.length === 0)) return false;
  for (const plan of check.plans) outcomes.set(plan, { ...outcomes.get(plan)!, status: alteredStatus(check, count) });
  return true;
}
