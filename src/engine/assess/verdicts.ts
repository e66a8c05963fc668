/**
 * One verdict per agent (clinical/spec.md R2.6 `byAgent`, R3.5), from the same assessment: the
 * dermatologist reads it first. Precedence: not-approved (the label in the site's region does not
 * cover this patient), do-not-start (a do-not-start caution for the agent), unknown (data it needs
 * could not be loaded), needs-work (anything open: checklist items, to-dos, confirmations,
 * warnings), ready (nothing open).
 */
import type { AgentVerdict, Caution, ChecklistItem, ReportRef, TodoEntry } from '../../contract/report';
import type { LoadedResourceType } from '../record';
import { THERAPIES } from '../../kb/therapies';
import type { AgentId } from '../../contract/report';
import { awaitingLabCount, labOrderCount } from './todo';
import type { AssessContext } from './context';
import { notApproved } from './indication';
import { abnormalReasons } from './open-items';

/** Resource types whose loss leaves cautions unjudged for every agent. */
const CAUTION_SOURCES: Array<[LoadedResourceType, string]> = [
  // Pregnancy, eGFR, TB tests and weight come from Observations too: topical agents need them.
  ['Observation', 'labs could not be loaded'],
  ['Condition', 'diagnoses could not be loaded'],
  ['MedicationRequest', 'medications could not be loaded'],
  ['MedicationStatement', 'medications could not be loaded'],
  ['Immunization', 'immunizations could not be loaded'],
  ['Patient', 'patient details could not be loaded'],
];

const AGENT_LABEL: Record<AgentId, string> = {
  abrocitinib: 'Abrocitinib', upadacitinib: 'Upadacitinib', baricitinib: 'Baricitinib',
  'ruxolitinib-cream': 'Ruxolitinib cream', 'delgocitinib-cream': 'Delgocitinib cream',
};

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const MAX_WARNING_REASONS = 2;

export function agentVerdict(ctx: AssessContext, agent: AgentId, checklist: readonly ChecklistItem[], cautions: readonly Caution[], todo: readonly TodoEntry[]): AgentVerdict {
  const label = AGENT_LABEL[agent] ?? THERAPIES[agent].label;
  const reasons: string[] = [];
  const causes: ReportRef[] = [];
  // Indication decides before readiness (R3.5): nothing else is asked of an agent not approved here.
  // A patient recorded as deceased leads (the chart needs checking first).
  const unapproved = ctx.record.patient.deceased ? undefined : notApproved(ctx, agent);
  if (unapproved) return { therapy: agent, label, verdict: 'not-approved', reasons: [unapproved.reason], causes: [{ kind: 'caution', id: 'label-indication' }] };
  if (ctx.record.patient.deceased) reasons.push('patient recorded as deceased');

  const blocking = cautions.filter((c) => c.severity === 'do-not-start');
  if (blocking.length) {
    for (const c of blocking) {
      reasons.push(c.short ?? c.id);
      causes.push({ kind: 'caution', id: c.id });
    }
    return { therapy: agent, label, verdict: 'do-not-start', reasons: unique(reasons), causes };
  }

  const unknownItems = checklist.filter((i) => i.status === 'unknown' && !i.advisory);
  const gaps = CAUTION_SOURCES.filter(([type]) => !ctx.loadedFully(type));
  const open = checklist.filter((i) => !i.advisory && i.status !== 'done' && i.status !== 'not-applicable' && i.status !== 'unknown');
  const warnings = cautions.filter((c) => c.severity === 'warning');
  const labs = labOrderCount(todo);
  const vaccines = todo.filter((t) => t.kind === 'vaccinate' && !t.advisory).length;
  const confirmations = todo.filter((t) => (t.kind === 'confirm' || t.kind === 'ask') && !t.advisory).length;
  // An abnormal result its label names is never beside "Ready" (R3.5): it leads the reasons.
  const abnormal = abnormalReasons(checklist);

  if (unknownItems.length) {
    reasons.push(unknownItems.some((i) => i.id !== 'zoster-vaccine') ? 'labs could not be loaded' : 'immunizations could not be loaded');
    causes.push(...unknownItems.map((i): ReportRef => ({ kind: 'item', id: i.id })));
  }
  for (const [type, words] of gaps) {
    reasons.push(words);
    causes.push({ kind: 'data-gap', id: type });
  }
  const unknown = unknownItems.length > 0 || gaps.length > 0;

  reasons.push(...abnormal);
  if (labs) reasons.push(`${plural(labs, 'lab', 'labs')} to order`);
  const awaited = awaitingLabCount(todo);
  if (awaited) reasons.push(`${plural(awaited, 'lab', 'labs')} awaiting results`);
  if (vaccines) reasons.push(`${plural(vaccines, 'vaccine', 'vaccines')} due`);
  causes.push(...open.map((i): ReportRef => ({ kind: 'item', id: i.id })));
  causes.push(...checklist.filter((i) => i.status === 'abnormal').map((i): ReportRef => ({ kind: 'item', id: i.id })));
  for (const w of warnings.slice(0, MAX_WARNING_REASONS)) reasons.push(w.short ?? w.id);
  if (warnings.length > MAX_WARNING_REASONS) reasons.push(`${plural(warnings.length - MAX_WARNING_REASONS, 'more warning', 'more warnings')}`);
  causes.push(...warnings.map((c): ReportRef => ({ kind: 'caution', id: c.id })));
  // The prescriber's confirmation of prior systemic therapy is named; other confirmations are counted.
  const prescriber = todo.filter((t) => t.audience === 'prescriber');
  for (const t of prescriber) reasons.push(t.id === 'confirm-prior-systemic-therapy' ? 'prior systemic therapy to confirm' : t.text);
  const others = confirmations - prescriber.length;
  if (others > 0) reasons.push(`${plural(others, 'thing', 'things')} to confirm`);
  causes.push(...todo.filter((t) => t.kind === 'confirm' || t.kind === 'ask' || t.kind === 'recheck').flatMap((t) => t.from));

  // A patient recorded as deceased is never "ready": the chart needs checking first.
  const deceased = Boolean(ctx.record.patient.deceased);
  // "Ready" means nothing is open for that agent (R3.5): a thing to confirm or ask is open too.
  const openTodos = todo.some((t) => !t.advisory);
  const verdict = unknown || deceased ? 'unknown' : open.length || abnormal.length || warnings.length || labs || vaccines || confirmations || openTodos ? 'needs-work' : 'ready';
  return { therapy: agent, label, verdict, reasons: unique(reasons), causes: uniqueRefs(causes) };
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

function uniqueRefs(list: ReportRef[]): ReportRef[] {
  return list.filter((r, i) => list.findIndex((x) => x.kind === r.kind && x.id === r.id) === i);
}
