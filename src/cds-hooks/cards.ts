/**
 * The report the sidebar shows, as CDS Hooks cards for the agent being ordered:
 * - one `critical` card per do-not-start caution (the first one offers a switch to an agent
 *   whose verdict is not do-not-start),
 * - one `warning` card for the warnings and for anything that could not be checked,
 * - one `info` card with the to-do list, offering "Order missing baseline labs".
 * Pure: report in, cards out; ids come from `newUuid`.
 */
import { randomUUID } from 'node:crypto';
import type { MedicationRequest, Resource } from 'fhir/r4';
import { formatAppContext } from '../contract/app-context';
import type { AgentId, AgentVerdict, Caution, CautionId, Evidence, ReadinessReport, ReportRef } from '../contract/report';
import { labOrderDrafts } from '../fhir/lab-orders';
import { CAUTION_RULES } from '../kb/cautions';
import { switchOrderCoding } from '../kb/switch-orders';
import { THERAPIES } from '../kb/therapies';
import { capitalise, clip, md, plural } from './text';
import type { CdsCard, CdsCoding, CdsLink, CdsSuggestion } from './types';
import { onTreatmentCards } from './on-treatment-cards';

export const OVERRIDE_REASON_SYSTEM = 'urn:jak-readiness:cds-hooks:override-reason';
export const TOPIC_SYSTEM = 'urn:jak-readiness:cds-hooks:topic';
const PRODUCT = 'jak-readiness';

const reason = (code: string, display: string): CdsCoding => ({ system: OVERRIDE_REASON_SYSTEM, code, display });
export const OVERRIDE_REASONS = {
  doneElsewhere: reason('done-elsewhere', 'Done at another facility'),
  benefitOutweighsRisk: reason('benefit-outweighs-risk', 'Benefit outweighs risk — documented'),
  patientDeclined: reason('patient-declined', 'Patient declined'),
  notApplicable: reason('not-applicable', 'Does not apply: the record is wrong or out of date'),
  alreadyDiscussed: reason('already-discussed', 'Already discussed with the patient'),
  later: reason('order-later', 'Will order later'),
} as const;

const CRITICAL_REASONS = [OVERRIDE_REASONS.benefitOutweighsRisk, OVERRIDE_REASONS.notApplicable, OVERRIDE_REASONS.patientDeclined];
const WARNING_REASONS = [OVERRIDE_REASONS.benefitOutweighsRisk, OVERRIDE_REASONS.alreadyDiscussed, OVERRIDE_REASONS.notApplicable];
const TODO_REASONS = [OVERRIDE_REASONS.doneElsewhere, OVERRIDE_REASONS.patientDeclined, OVERRIDE_REASONS.later];

export interface CardInput {
  report: ReadinessReport;
  /** The agent being ordered (the report was assessed for it). */
  agent: AgentId;
  /** The draft MedicationRequest as the client sent it. */
  draft: Resource;
  /** "MedicationRequest/<id>", when the draft has an id (needed to suggest replacing it). */
  draftReference?: string;
  /** Further drafts for the same agent in this call ("MedicationRequest/<id>"): a switch removes them too. */
  sameAgentReferences?: readonly string[];
  patientId: string;
  /** The app's SMART launch URL: a `smart` link to the sidebar, when configured. */
  appLaunchUrl?: string;
  /** LOINC codes already drafted as ServiceRequests alongside: not suggested again. */
  alreadyDrafted?: ReadonlySet<string>;
  /** YYYY-MM-DD, for authoredOn of suggested drafts. */
  today: string;
  newUuid?: () => string;
}

/** "Abrocitinib (Cibinqo)", "Ruxolitinib cream (Opzelura)": the agent in a summary's few words. */
export function agentName(agent: AgentId): string {
  const therapy = THERAPIES[agent];
  const base = `${capitalise(therapy.ingredient ?? agent)}${therapy.route === 'topical' ? ' cream' : ''}`;
  return therapy.brand ? `${base} (${therapy.brand})` : base;
}

export function evidenceLine(e: Evidence): string {
  const parts = [md(e.display)];
  if (e.value) parts.push(md(e.value));
  if (e.date) parts.push(md(e.date));
  let line = `- ${parts.join(', ')}`;
  if (e.note) line += ` (${md(e.note)})`;
  // The record id (e.reference) stays in the report's JSON: a clinician reads the finding, not the id.
  return line;
}

function topic(code: string, display: string): CdsCoding {
  return { system: TOPIC_SYSTEM, code, display };
}

/** The card's source: the one behind it, or the first with a count (each line of the detail names its own). */
function sourceLabel(sources: readonly string[]): string {
  const unique = [...new Set(sources.filter(Boolean))];
  if (unique.length === 0) return PRODUCT;
  if (unique.length === 1) return `${PRODUCT}: ${unique[0]}`;
  return `${PRODUCT}: ${unique[0]} (+${plural(unique.length - 1, 'more source')} in the detail)`;
}

function smartLink(input: CardInput): CdsLink[] | undefined {
  if (!input.appLaunchUrl) return undefined;
  const appContext = formatAppContext({ therapy: input.agent, ...(input.draftReference ? { draftOrder: input.draftReference } : {}) });
  return [{ label: 'Open JAK readiness to see the evidence', url: input.appLaunchUrl, type: 'smart', appContext }];
}

/** Why an alternative is worth a look, in the prescriber's words, with what it is not. */
function switchLabel(ordered: AgentId, alternative: AgentVerdict): string {
  const from = THERAPIES[ordered];
  const to = THERAPIES[alternative.therapy];
  let label = `Switch to ${agentName(alternative.therapy)}`;
  const notes: string[] = [];
  if (from.route === 'oral' && to.route === 'topical') {
    notes.push('topical: for limited areas of mild to moderate eczema, not a substitute for systemic therapy');
  } else if (from.route === 'topical' && to.route === 'oral') {
    notes.push('oral: systemic therapy for moderate to severe eczema');
  }
  if (alternative.therapy === 'delgocitinib-cream') notes.push('approved for chronic hand eczema only');
  // A not-approved agent is never an alternative (R3.5): baricitinib is offered only where its label covers eczema.
  notes.push(alternative.verdict === 'ready' ? 'no do-not-start finding, baseline complete' : 'no do-not-start finding; still has work to do');
  label += ` (${notes.join('; ')})`;
  return label;
}

/** Agents with a verdict known not to block (ready or needs work); `unknown` is not offered: it may block. */
function alternatives(report: ReadinessReport, agent: AgentId): AgentVerdict[] {
  const route = THERAPIES[agent].route;
  const rank = (v: AgentVerdict) => (THERAPIES[v.therapy].route === route ? 0 : 2) + (v.verdict === 'ready' ? 0 : 1);
  return report.byAgent
    .filter((v) => v.therapy !== agent && (v.verdict === 'ready' || v.verdict === 'needs-work'))
    .sort((a, b) => rank(a) - rank(b));
}

function switchSuggestions(input: CardInput, uuid: () => string): CdsSuggestion[] {
  if (!input.draftReference) return []; // without an id the draft cannot be named for removal
  const draft = input.draft as MedicationRequest;
  return alternatives(input.report, input.agent).map((alternative) => {
    const replacement: MedicationRequest = {
      resourceType: 'MedicationRequest',
      status: 'draft',
      intent: typeof draft.intent === 'string' ? draft.intent : 'order',
      subject: draft.subject ?? { reference: `Patient/${input.patientId}` },
      medicationCodeableConcept: medicationFor(alternative.therapy),
      authoredOn: input.today,
      note: [{ text: `Suggested by ${PRODUCT} instead of ${agentName(input.agent)}; choose the dose from the label.` }],
    };
    if (draft.encounter) replacement.encounter = draft.encounter;
    if (draft.requester) replacement.requester = draft.requester;
    return {
      label: switchLabel(input.agent, alternative),
      uuid: uuid(),
      // The create first: a client that applies only the first action it can (the HL7 sandbox)
      // then swaps the drug rather than only clearing it.
      actions: [
        { type: 'create', description: `Draft an order for ${THERAPIES[alternative.therapy].label}`, resource: replacement },
        ...[input.draftReference!, ...(input.sameAgentReferences ?? [])].map((resourceId) => ({
          type: 'delete' as const,
          description: `Remove the draft order for ${agentName(input.agent)}`,
          resourceId,
        })),
      ],
    };
  });
}

/** RxNorm-coded when a verified code exists (src/kb/switch-orders.ts), so an EHR can apply the order; the agent's name as text always. */
function medicationFor(agent: AgentId): MedicationRequest['medicationCodeableConcept'] {
  const coding = switchOrderCoding(agent);
  const text = THERAPIES[agent].label;
  return coding ? { coding: [{ system: coding.system, code: coding.code }], text } : { text };
}

/** Card detail: Markdown blocks with a blank line between them, so each statement renders on its own. */
const blocks = (...parts: Array<string | undefined | false>): string => parts.filter((p): p is string => typeof p === 'string' && p !== '').join('\n\n');

/**
 * Blocks that end by themselves on a date the to-do list gives (a live vaccine: start four weeks
 * after it): the answer is to wait, not to change the drug, so no switch is suggested for them.
 */
const WAIT_RATHER_THAN_SWITCH: ReadonlySet<CautionId> = new Set<CautionId>(['recent-live-vaccine']);

function criticalCards(input: CardInput, uuid: () => string): CdsCard[] {
  const name = agentName(input.agent);
  const blocking = input.report.cautions.filter((c) => c.severity === 'do-not-start');
  const verdict = input.report.byAgent.find((v) => v.therapy === input.agent);
  const cards: CdsCard[] = blocking.map((caution) => criticalCard(caution, input, name, uuid));
  // A do-not-start verdict always shows, even when no single caution carries it (e.g. a blocking lab).
  if (cards.length === 0 && verdict?.verdict === 'do-not-start') {
    const reasons = verdict.reasons.length ? verdict.reasons.join('; ') : 'see the app';
    cards.push({
      uuid: uuid(),
      summary: clip(`Do not start ${name}: ${reasons}`),
      detail: `**Do not start ${md(name)}**: ${md(reasons)}`,
      indicator: 'critical',
      source: { label: sourceLabel(sourcesOf(input.report, verdict.causes)), topic: topic('do-not-start', 'Do not start') },
      overrideReasons: CRITICAL_REASONS,
    });
  }
  const waitOnly = blocking.length > 0 && blocking.every((c) => WAIT_RATHER_THAN_SWITCH.has(c.id));
  const suggestions = (verdict?.verdict === 'do-not-start' || blocking.length > 0) && !waitOnly ? switchSuggestions(input, uuid) : [];
  if (cards[0] && suggestions.length) {
    cards[0].suggestions = suggestions;
    cards[0].selectionBehavior = 'at-most-one';
  }
  const links = smartLink(input);
  if (links) for (const card of cards) card.links = [...links, ...(card.links ?? [])];
  return cards;
}

function criticalCard(caution: Caution, input: CardInput, name: string, uuid: () => string): CdsCard {
  const wording = caution.labelWording;
  // The label's verb leads, unless the finding's text already ends with it.
  const summary = !wording
    ? `Do not start ${name}: ${caution.text}`
    : caution.text.toLowerCase().includes(wording.toLowerCase())
      ? `${name}: ${caution.text}`
      : `${name}: ${wording} — ${caution.text}`;
  const detail = blocks(
    `**${md(CAUTION_RULES[caution.id]?.label ?? caution.id)}**: ${md(caution.text)}`,
    wording && `The label says: ${md(wording)}.`,
    caution.evidence.length > 0 && 'In the record:',
    caution.evidence.length > 0 && caution.evidence.map(evidenceLine).join('\n'),
  );
  return {
    uuid: uuid(),
    summary: clip(summary),
    detail,
    indicator: 'critical',
    source: { label: sourceLabel([caution.source]), topic: topic('do-not-start', 'Do not start') },
    overrideReasons: CRITICAL_REASONS,
    // The label's public page (DailyMed, EMA), where one exists (R3.8).
    ...(caution.links?.length ? { links: caution.links.map((l): CdsLink => ({ label: `Read the ${l.label}`, url: l.url, type: 'absolute' })) } : {}),
  };
}

function sourcesOf(report: ReadinessReport, refs: readonly ReportRef[]): string[] {
  return refs.flatMap((ref) => {
    if (ref.kind === 'item') return report.checklist.filter((i) => i.id === ref.id).map((i) => i.source);
    if (ref.kind === 'caution') return report.cautions.filter((c) => c.id === ref.id).map((c) => c.source);
    if (ref.kind === 'monitoring') return (report.monitoring?.entries ?? []).filter((m) => m.id === ref.id).map((m) => m.source);
    return ['the EHR record as loaded'];
  });
}

function warningCard(input: CardInput, uuid: () => string): CdsCard | undefined {
  const { report } = input;
  const name = agentName(input.agent);
  // Results during treatment have their own cards (on-treatment-cards.ts).
  const warnings = report.cautions.filter((c) => c.severity === 'warning' && c.id !== 'on-treatment-result');
  const unknown = report.checklist.filter((i) => i.status === 'unknown');
  const gaps = report.dataGaps;
  if (warnings.length === 0 && gaps.length === 0 && unknown.length === 0) return undefined;

  const parts: string[] = [];
  if (warnings.length) {
    const labels = [...new Set(warnings.map((c) => CAUTION_RULES[c.id]?.label ?? c.id))];
    parts.push(`${plural(warnings.length, 'warning')} to weigh: ${labels.join(', ')}`);
  }
  if (unknown.length || gaps.length) {
    parts.push(unknown.length ? `could not check ${unknown.map((i) => i.label).join(', ')}` : 'part of the record could not be read');
  }
  const warningLines: string[] = [];
  for (const caution of warnings) {
    warningLines.push(`- **${md(CAUTION_RULES[caution.id]?.label ?? caution.id)}**: ${md(caution.text)} (${md(caution.source)})`);
    for (const e of caution.evidence.slice(0, 3)) warningLines.push(`  ${evidenceLine(e)}`);
  }
  const uncheckedLines: string[] = [];
  for (const gap of gaps) {
    uncheckedLines.push(`- ${md(gap.resourceType)}: ${md(gap.reason)}${gap.affects?.length ? ` — affects ${md(gap.affects.join(', '))}` : ''}`);
  }
  for (const item of unknown) uncheckedLines.push(`- ${md(item.label)}${item.detail ? `: ${md(item.detail)}` : ''}`);
  const detail = blocks(
    warningLines.join('\n'),
    uncheckedLines.length > 0 && '**Could not be checked** (the data did not load, so nothing here is an all-clear):',
    uncheckedLines.join('\n'),
  );
  const sources = [...warnings.map((c) => c.source), ...unknown.map((i) => i.source)];
  const card: CdsCard = {
    uuid: uuid(),
    summary: clip(`${name}: ${parts.join('; ')}`),
    detail,
    indicator: 'warning',
    source: { label: sourceLabel(sources), topic: topic('warnings', 'Warnings') },
    overrideReasons: WARNING_REASONS,
  };
  const links = smartLink(input);
  if (links) card.links = links;
  return card;
}

function orderLabsSuggestion(input: CardInput, uuid: () => string, taking = false): CdsSuggestion | undefined {
  const draft = input.draft as MedicationRequest;
  const drafts = labOrderDrafts(
    input.report,
    {
      patientId: input.patientId,
      today: input.today,
      agentLabel: THERAPIES[input.agent].label,
      ...(draft.encounter ? { encounter: draft.encounter } : {}),
      ...(draft.requester ? { requester: draft.requester } : {}),
    },
    input.alreadyDrafted,
  );
  if (drafts.length === 0) return undefined;
  return {
    label: taking ? 'Order the monitoring labs' : 'Order missing baseline labs',
    uuid: uuid(),
    actions: drafts.map(({ order, resource }) => ({ type: 'create' as const, description: `Order ${order.display} (LOINC ${order.code})`, resource })),
  };
}

/** Checklist items still open (unknown ones are on the warning card). */
const OPEN = new Set(['abnormal', 'incomplete', 'outdated', 'missing']);

function todoCard(input: CardInput, uuid: () => string): CdsCard | undefined {
  const { report } = input;
  const name = agentName(input.agent);
  const todo = report.todo;
  // The to-do list is the engine's plan for the open items; should it ever be empty while items
  // are open, the items themselves are listed, so an open item never goes without a card.
  const open = todo.length === 0 ? report.checklist.filter((i) => OPEN.has(i.status) && !i.advisory) : [];
  const notes = report.cautions.filter((c) => c.severity === 'info');
  if (todo.length === 0 && open.length === 0 && notes.length === 0) return undefined;

  // R3.3: for the drug the patient already takes the to-dos are its monitoring, not a first dose.
  const taking = report.byAgent.some((v) => v.therapy === input.agent && (v.current || v.verdict === 'on-treatment'));
  const steps = todo.length ? todo.map((t) => t.text) : open.map((i) => `${i.label} ${i.status}`);
  const summary = steps.length
    ? `${taking ? `On ${name}` : `Before starting ${name}`}, ${plural(steps.length, 'thing')} to do: ${steps.join('; ')}`
    : `${name}: ${plural(notes.length, 'note')} — ${notes.map((c) => c.text).join('; ')}`;
  const cite = (sources: string[]) => ([...new Set(sources)].length ? ` (${md([...new Set(sources)].join('; '))})` : '');
  const detail = blocks(
    todo.length > 0 && (taking ? `**To do while on ${md(name)} (monitoring):**` : '**To do before the first dose:**'),
    todo.map((t) => `- ${md(t.text)}${cite(sourcesOf(report, t.from))}`).join('\n'),
    open.length > 0 && '**Still open on the pre-treatment checklist:**',
    open.map((i) => `- ${md(i.label)}: ${md(i.status)}${i.detail ? ` — ${md(i.detail)}` : ''}${cite([i.source])}`).join('\n'),
    notes.length > 0 && '**Also note:**',
    notes.map((c) => `- ${md(c.text)} (${md(c.source)})`).join('\n'),
  );
  const card: CdsCard = {
    uuid: uuid(),
    summary: clip(summary),
    detail,
    indicator: 'info',
    source: {
      label: sourceLabel([...todo.flatMap((t) => sourcesOf(report, t.from)), ...open.map((i) => i.source), ...notes.map((c) => c.source)]),
      topic: topic('to-do', taking ? 'To do during treatment' : 'To do before starting'),
    },
    overrideReasons: TODO_REASONS,
  };
  const order = orderLabsSuggestion(input, uuid, taking);
  if (order) {
    card.suggestions = [order];
    card.selectionBehavior = 'any';
  }
  const links = smartLink(input);
  if (links) card.links = links;
  return card;
}

/**
 * An order for an agent whose label does not cover this patient (R3.5: baricitinib for atopic
 * dermatitis under US labels, delgocitinib cream without hand eczema): a warning that says so,
 * with the label's page, offering the approved agents without a block.
 */
function notApprovedCard(input: CardInput, uuid: () => string): CdsCard | undefined {
  const verdict = input.report.byAgent.find((v) => v.therapy === input.agent);
  if (verdict?.verdict !== 'not-approved') return undefined;
  const name = agentName(input.agent);
  const reason = verdict.reasons.join('; ');
  const indication = input.report.cautions.find((c) => c.id === 'label-indication');
  const card: CdsCard = {
    uuid: uuid(),
    summary: clip(`${name}: ${reason}`),
    detail: [`**${md(name)}**: ${md(reason)}.`, ...(indication ? [`${md(indication.text)} (${md(indication.source)})`] : [])].join('\n\n'),
    indicator: 'warning',
    source: { label: sourceLabel(indication ? [indication.source] : []), topic: topic('not-approved', 'Not approved') },
    overrideReasons: WARNING_REASONS,
  };
  const labelLinks = (indication?.links ?? []).map((l): CdsLink => ({ label: `Read the ${l.label}`, url: l.url, type: 'absolute' }));
  const links = [...(smartLink(input) ?? []), ...labelLinks];
  if (links.length) card.links = links;
  const suggestions = switchSuggestions(input, uuid);
  if (suggestions.length) {
    card.suggestions = suggestions;
    card.selectionBehavior = 'at-most-one';
  }
  return card;
}

export function cardsFor(input: CardInput): CdsCard[] {
  const uuid = input.newUuid ?? randomUUID;
  // R3.2: a result during treatment the label acts on comes first, for the drug being taken; then
  // an order for an agent not approved for this patient (R3.5).
  const unapproved = notApprovedCard(input, uuid);
  const cards = [...onTreatmentCards({ report: input.report, newUuid: uuid, ...(input.appLaunchUrl ? { appLaunchUrl: input.appLaunchUrl } : {}) }), ...(unapproved ? [unapproved] : []), ...criticalCards(input, uuid)];
  const warning = warningCard(input, uuid);
  if (warning) cards.push(warning);
  const todo = todoCard(input, uuid);
  if (todo) cards.push(todo);
  return cards;
}
