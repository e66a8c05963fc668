/**
 * The orders being written (`context.draftOrders`), read leniently: real clients send Bundles
 * without `type`, `category` as an object, an empty Bundle on page load, or no Bundle at all on
 * a re-click. Which draft is for one of the five agents is decided by the engine itself
 * (`preselectTherapy`: RxNorm code, then ingredient/brand name, oral ruxolitinib excluded), on a
 * record that holds only that draft.
 */
import type { Patient, Resource } from 'fhir/r4';
import { buildRecord, preselectTherapy } from '../engine';
import { AGENT_IDS, type AgentId } from '../contract/report';

export class DraftOrdersError extends Error {}

/**
 * Entries of `context.draftOrders` one call may carry. An order being signed holds a handful; a
 * Bundle of hundreds is not a prescriber's order set but a load test or an attack, and is refused
 * (400) rather than worked through.
 */
export const MAX_DRAFT_ORDERS = 400;

export interface DraftOrders {
  /** Every resource of the Bundle (MedicationRequests, ServiceRequests, Medications...). */
  resources: Resource[];
  /** fullUrl → resource, so a draft's `medicationReference` to a Bundle entry resolves. */
  fullUrls: Map<string, Resource>;
}

export interface AgentDraft {
  /** The draft as the engine should read it: a current (draft) MedicationRequest. */
  resource: Resource & { resourceType: 'MedicationRequest' };
  /** The draft exactly as the client sent it. */
  original: Resource;
  agent: AgentId;
  /** "MedicationRequest/<id>" when the draft has an id. */
  reference?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Undefined when the context has no draftOrders; throws DraftOrdersError when it is not a Bundle. */
export function readDraftOrders(value: unknown): DraftOrders | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value) || value.resourceType !== 'Bundle') throw new DraftOrdersError('context.draftOrders must be a FHIR Bundle of the orders being written');
  const entries: unknown[] = Array.isArray(value.entry) ? value.entry : [];
  if (entries.length > MAX_DRAFT_ORDERS) {
    throw new DraftOrdersError(`context.draftOrders holds ${entries.length} entries; this service takes at most ${MAX_DRAFT_ORDERS} orders per call`);
  }
  const resources: Resource[] = [];
  const fullUrls = new Map<string, Resource>();
  for (const entry of entries) {
    if (!isObject(entry) || !isObject(entry.resource) || typeof entry.resource.resourceType !== 'string') continue;
    const resource = entry.resource as unknown as Resource;
    resources.push(resource);
    if (typeof entry.fullUrl === 'string') fullUrls.set(entry.fullUrl, resource);
  }
  return { resources, fullUrls };
}

/**
 * A draft as the engine reads current orders: status `draft` whatever the client wrote (it is in
 * draftOrders, so it is being written), `category` and `reasonCode` as lists.
 */
export function asDraft(resource: Resource): Resource & { resourceType: 'MedicationRequest' } {
  const copy: Record<string, unknown> = { ...(resource as unknown as Record<string, unknown>), status: 'draft' };
  for (const field of ['category', 'reasonCode']) {
    if (isObject(copy[field])) copy[field] = [copy[field]];
  }
  return copy as unknown as Resource & { resourceType: 'MedicationRequest' };
}

const referenceOf = (resource: Resource): string | undefined =>
  typeof resource.id === 'string' && resource.id !== '' ? `${resource.resourceType}/${resource.id}` : undefined;

/**
 * The drafts for one of the five agents. `selections` (order-select) narrows to the orders just
 * chosen when it names any of them.
 */
export function agentDrafts(orders: DraftOrders, patientId: string, now: string, selections?: unknown): AgentDraft[] {
  const patient: Patient = { resourceType: 'Patient', id: patientId };
  const medications = orders.resources.filter((r) => r.resourceType === 'Medication');
  let requests = orders.resources.filter((r) => r.resourceType === 'MedicationRequest');
  const selected = new Set(Array.isArray(selections) ? selections.filter((s): s is string => typeof s === 'string') : []);
  const chosen = requests.filter((r) => {
    const reference = referenceOf(r);
    return reference !== undefined && selected.has(reference);
  });
  if (chosen.length > 0) requests = chosen;

  const found: AgentDraft[] = [];
  for (const request of requests) {
    const draft = asDraft(request);
    let therapy;
    try {
      // Only the Medication this draft names: every draft read with every Medication is quadratic.
      const own = referencedMedication(draft, medications, orders.fullUrls);
      const record = buildRecord({ resources: [patient, draft, ...own.resources] as never, patientId, fullUrls: own.fullUrls as never });
      therapy = preselectTherapy(record, now);
    } catch {
      continue; // a draft the engine cannot read is not one it can judge
    }
    if (!therapy || !(AGENT_IDS as readonly string[]).includes(therapy)) continue;
    const entry: AgentDraft = { resource: draft, original: request, agent: therapy as AgentId };
    const reference = referenceOf(request);
    if (reference) entry.reference = reference;
    found.push(entry);
  }
  return found;
}

/** The Bundle's Medication a draft's `medicationReference` points at (by fullUrl, `Medication/<id>` or a URL ending so). */
function referencedMedication(draft: Resource, medications: Resource[], fullUrls: Map<string, Resource>): { resources: Resource[]; fullUrls: Map<string, Resource> } {
  const reference = (draft as { medicationReference?: { reference?: unknown } }).medicationReference?.reference;
  const none = { resources: [], fullUrls: new Map<string, Resource>() };
  if (typeof reference !== 'string' || reference === '' || reference.startsWith('#')) return none;
  const byUrl = fullUrls.get(reference);
  if (byUrl?.resourceType === 'Medication') return { resources: [byUrl], fullUrls: new Map([[reference, byUrl]]) };
  const match = medications.find((m) => typeof m.id === 'string' && (reference === `Medication/${m.id}` || reference.endsWith(`/Medication/${m.id}`)));
  return match ? { resources: [match], fullUrls: new Map() } : none;
}

/** LOINC codes of lab orders already drafted alongside (so the service does not suggest them twice). */
export function draftedLabCodes(orders: DraftOrders | undefined): Set<string> {
  const codes = new Set<string>();
  for (const resource of orders?.resources ?? []) {
    if (resource.resourceType !== 'ServiceRequest') continue;
    const coding = (resource as { code?: { coding?: unknown } }).code?.coding;
    for (const c of Array.isArray(coding) ? coding : []) {
      if (isObject(c) && c.system === 'http://loinc.org' && typeof c.code === 'string') codes.add(c.code);
    }
  }
  return codes;
}
