/**
 * The missing baseline labs as draft orders: one ServiceRequest per orderable panel of the
 * to-do list (`report.todo[].orders`, LOINC). One builder for every way they are placed — the
 * CDS Hooks suggestion, the sidebar's "Order missing labs" (FHIR create or the EHR's SMART Web
 * Messaging scratchpad) — so they are the same drafts whichever way they reach the EHR.
 */
import type { Reference, ServiceRequest } from 'fhir/r4';
import { LOINC, SNOMED } from '../contract/codes';
import type { ReadinessReport } from '../contract/report';

export interface LabOrder {
  code: string;
  display: string;
  /** The to-do entry it comes from ("Order CBC with automated differential"). */
  why: string;
}

/** Each orderable panel once, in to-do order; codes already drafted alongside are left out. */
export function missingLabOrders(report: Pick<ReadinessReport, 'todo'>, alreadyDrafted: ReadonlySet<string> = new Set()): LabOrder[] {
  const seen = new Set<string>(alreadyDrafted);
  const orders: LabOrder[] = [];
  for (const entry of report.todo) {
    if (entry.kind !== 'order-lab') continue;
    for (const test of entry.orders ?? []) {
      if (test.system !== LOINC || seen.has(test.code)) continue;
      seen.add(test.code);
      orders.push({ code: test.code, display: test.display, why: entry.text });
    }
  }
  return orders;
}

export interface DraftContext {
  patientId: string;
  /** YYYY-MM-DD. */
  today: string;
  /** The planned agent in words, for the order's reason ("Abrocitinib (Cibinqo)"). */
  agentLabel: string;
  encounter?: Reference;
  requester?: Reference;
}

/** A draft lab order (status draft, intent order): the prescriber's EHR signs or discards it. */
export function labOrderDraft(order: LabOrder, context: DraftContext): ServiceRequest {
  const request: ServiceRequest = {
    resourceType: 'ServiceRequest',
    status: 'draft',
    intent: 'order',
    category: [{ coding: [{ system: SNOMED, code: '108252007', display: 'Laboratory procedure' }] }],
    code: { coding: [{ system: LOINC, code: order.code, display: order.display }], text: order.display },
    subject: { reference: `Patient/${context.patientId}` },
    authoredOn: context.today,
    reasonCode: [{ text: `Baseline before starting ${context.agentLabel}` }],
  };
  if (context.encounter) request.encounter = context.encounter;
  if (context.requester) request.requester = context.requester;
  return request;
}

/** The to-do list's lab orders as drafts, ready to send. */
export function labOrderDrafts(report: Pick<ReadinessReport, 'todo'>, context: DraftContext, alreadyDrafted?: ReadonlySet<string>): Array<{ order: LabOrder; resource: ServiceRequest }> {
  return missingLabOrders(report, alreadyDrafted).map((order) => ({ order, resource: labOrderDraft(order, context) }));
}
