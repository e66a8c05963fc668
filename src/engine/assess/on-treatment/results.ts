/**
 * Results during treatment get the label's action (clinical/spec.md R3.2): the newest result of
 * each monitored analyte after the start, read against the dose-modification table of the drug
 * being taken (src/kb/on-treatment.ts). A value that cannot be read needs a person (R3.4).
 * Also the short trend of each analyte: the last three values, in words and numbers.
 */
import type { AgentId, AnalyteTrend, OnTreatmentResult } from '../../../contract/report';
import { ACTION_RANK, LDL_RISE_PERCENT, LDL_RISE_SOURCE, ON_TREATMENT_THRESHOLDS, TREND_POINTS, TREND_STABLE_PERCENT, URGENT_ACTIONS, type AnalyteName, type OnTreatmentThreshold } from '../../../kb/on-treatment';
import type { AssessContext } from '../context';
import { analyteReadings, ANALYTES, formatAnalyte, type AnalyteReading } from './lab-values';
import { withLinks } from '../sources';

/** The analytes each monitored test names (R3.1): CBC = Hb, platelets, ANC, ALC; liver = ALT, AST; lipids = LDL. */
export const ANALYTES_OF: Readonly<Record<string, readonly AnalyteName[]>> = {
  cbc: ['Hemoglobin', 'Platelets', 'ANC', 'ALC'],
  'liver-enzymes': ['ALT', 'AST'],
  'lipid-panel': ['LDL'],
  platelets: ['Platelets'],
};

/** Shown beside an entry's analytes when the record has them, never required: the rest of the lipid panel. */
export const SHOWN_WITH: Readonly<Record<string, readonly AnalyteName[]>> = {
  'lipid-panel': ['Total cholesterol', 'HDL', 'Triglycerides'],
};

const AGENT_WORDS: Record<AgentId, string> = {
  abrocitinib: 'abrocitinib', upadacitinib: 'upadacitinib', baricitinib: 'baricitinib', 'ruxolitinib-cream': 'ruxolitinib cream', 'delgocitinib-cream': 'delgocitinib cream',
};

/** Whether a reading crosses a threshold; a bound crosses only when the bound itself is past it. */
function crossing(ctx: AssessContext, r: AnalyteReading, t: OnTreatmentThreshold): string | undefined {
  if (r.value === undefined) return undefined;
  const c = r.comparator;
  if (t.below !== undefined) {
    const crossed = c === '<' ? r.value <= t.below : c === '<=' ? r.value < t.below : c === '>' || c === '>=' ? false : r.value < t.below;
    return crossed ? `below ${formatAnalyte(t.analyte, t.below)}` : undefined;
  }
  const limit = t.aboveUlnMultiple !== undefined ? t.aboveUlnMultiple * (r.uln ?? ctx.config.thresholds.liverEnzymeDefaultUln) : t.atOrAbove;
  if (limit === undefined) return undefined;
  const crossed = c === '<' || c === '<=' ? false : t.aboveUlnMultiple !== undefined ? (c === '>=' || c === '>' ? r.value >= limit : r.value > limit) : r.value >= limit;
  if (!crossed) return undefined;
  if (t.aboveUlnMultiple !== undefined) {
    return `above ${t.aboveUlnMultiple} × the upper limit of normal (${formatAnalyte(t.analyte, limit)}${r.uln === undefined ? ', default limit' : ''})`;
  }
  return `at or above ${formatAnalyte(t.analyte, limit)}`;
}

function result(agent: AgentId, r: AnalyteReading, action: OnTreatmentResult['action'], actionWords: string, threshold: string | undefined, source: string): OnTreatmentResult {
  const drug = AGENT_WORDS[agent];
  const urgent = URGENT_ACTIONS.has(action);
  const prelim = r.preliminary ? ', preliminary' : '';
  const value = action === 'review' ? `${r.analyte} needs review: "${r.shown}"` : `${r.analyte} ${r.shown}`;
  const now = urgent ? `; contact the prescriber today` : '';
  const text = action === 'review'
    ? `${value} (${r.day}${prelim}) on ${drug}: the value or unit could not be read; read it in the chart`
    : `${value} on ${drug} (${r.day}${prelim}) — label: ${actionWords}${now}`;
  const out: OnTreatmentResult = withLinks({ analyte: r.analyte, value: r.shown, action, text, urgent, evidence: r.evidence[0]!, source });
  if (threshold) out.threshold = threshold;
  if (r.preliminary) out.preliminary = true;
  return out;
}

/** The readings of an analyte after the start (the start day's result is the baseline). */
export const afterStart = (list: readonly AnalyteReading[], start: string) => list.filter((r) => r.day > start);
export const beforeStart = (list: readonly AnalyteReading[], start: string) => list.filter((r) => r.day <= start);

/** Every analyte whose newest result after the start crosses the label's threshold, most urgent first. */
export function onTreatmentResults(ctx: AssessContext, agent: AgentId, analytes: readonly AnalyteName[], start: string): OnTreatmentResult[] {
  const out: OnTreatmentResult[] = [];
  for (const analyte of analytes) {
    const all = analyteReadings(ctx, analyte);
    const newest = afterStart(all, start)[0];
    if (!newest) continue;
    if (newest.unreadable !== undefined) {
      out.push(result(agent, newest, 'review', 'needs review', undefined, 'Results as laboratories send them: a value or unit that cannot be read needs a person'));
      continue;
    }
    const rows = ON_TREATMENT_THRESHOLDS.filter((t) => t.analyte === analyte && t.agents.includes(agent as never));
    let found = false;
    for (const t of rows) {
      const threshold = crossing(ctx, newest, t);
      if (!threshold) continue;
      out.push(result(agent, newest, t.action, t.actionWords, threshold, t.source));
      found = true;
      break;
    }
    // LDL rise over the baseline (R3.2), where no absolute threshold was crossed.
    if (!found && analyte === 'LDL' && newest.value !== undefined && !newest.comparator) {
      const baseline = beforeStart(all, start).find((r) => r.value !== undefined && !r.comparator);
      if (baseline && baseline.value! > 0 && newest.value >= baseline.value! * (1 + LDL_RISE_PERCENT / 100)) {
        out.push(result(agent, newest, 'manage-lipids', 'manage per lipid guidelines', `risen ${Math.round(((newest.value - baseline.value!) / baseline.value!) * 100)} % from the baseline ${formatAnalyte('LDL', baseline.value!)}`, LDL_RISE_SOURCE));
      }
    }
  }
  return out.sort((a, b) => ACTION_RANK[a.action] - ACTION_RANK[b.action]);
}

/** The last three values of each analyte that has any, oldest first, in numbers and words. */
export function trends(ctx: AssessContext, analytes: readonly AnalyteName[]): AnalyteTrend[] {
  const out: AnalyteTrend[] = [];
  for (const analyte of analytes) {
    const readable = analyteReadings(ctx, analyte).filter((r) => r.value !== undefined && r.day <= ctx.now);
    if (readable.length === 0) continue;
    const last = readable.slice(0, TREND_POINTS).reverse();
    const points = last.map((r) => ({ date: r.day, value: r.shown, number: r.value!, ...(r.preliminary ? { preliminary: true } : {}) }));
    const first = last[0]!.value!;
    const end = last[last.length - 1]!.value!;
    const change = first === 0 ? 0 : ((end - first) / first) * 100;
    const direction = last.length < 2 ? '' : Math.abs(change) < TREND_STABLE_PERCENT ? ' stable' : change > 0 ? ' rising' : ' falling';
    const words = `${analyte}${direction}: ${points.map((p) => `${p.value} (${p.date}${p.preliminary ? ', preliminary' : ''})`).join(' → ')}`;
    out.push({ analyte, unit: ANALYTES[analyte].shownUnit, points, words });
  }
  return out;
}
