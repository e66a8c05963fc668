/**
 * The launch context beyond the patient: an EHR that opens the app while an order is being
 * written passes it in the token response's `fhirContext` (SMART App Launch 2.x,
 * "fhirContext": `[{ "reference": "MedicationRequest/123" }]`; early 2.0 drafts used plain
 * strings). The app reads that MedicationRequest so the sidebar can preselect its agent.
 */
import type { MedicationRequest } from 'fhir/r4';
import type Client from 'fhirclient/lib/Client';
import { getWithRetry, type RequestContext } from './request-context';

/** More than a few orders in one context is not a drug being written: ignore the rest. */
const MAX_ORDERS = 5;

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** `MedicationRequest/<id>` (relative, or absolute on this FHIR server) → the id. */
function medicationRequestId(reference: string, serverUrl: string): string | undefined {
  const base = serverUrl.replace(/\/+$/, '');
  const relative = reference.startsWith(`${base}/`) ? reference.slice(base.length + 1) : reference;
  const match = /^MedicationRequest\/([^/]+)$/.exec(relative);
  return match && ID.test(match[1]!) ? match[1] : undefined;
}

/** The ids of the MedicationRequests in the launch context, in the EHR's order, at most five. */
export function orderIdsInContext(client: Client): string[] {
  const context = (client.state.tokenResponse as { fhirContext?: unknown } | undefined)?.fhirContext;
  if (!Array.isArray(context)) return [];
  const ids: string[] = [];
  for (const item of context) {
    const reference = typeof item === 'string' ? item : (item as { reference?: unknown } | null)?.reference;
    if (typeof reference !== 'string') continue;
    const id = medicationRequestId(reference, String(client.state.serverUrl ?? ''));
    if (id && !ids.includes(id)) ids.push(id);
    if (ids.length === MAX_ORDERS) break;
  }
  return ids;
}

export interface OrderReads {
  orders: MedicationRequest[];
  trips: number;
  notes: string[];
}

function subjectIs(order: MedicationRequest, patientId: string): boolean {
  const reference = order.subject?.reference;
  return typeof reference === 'string' && (reference === `Patient/${patientId}` || reference.endsWith(`/Patient/${patientId}`));
}

/** Reads the orders in parallel; one that fails to load or is for another patient is left out, with a note. */
export async function readOrders(ctx: RequestContext, ids: readonly string[], patientId: string): Promise<OrderReads> {
  const results = await Promise.all(ids.map((id) => getWithRetry(ctx, `MedicationRequest/${encodeURIComponent(id)}`)));
  const orders: MedicationRequest[] = [];
  const notes: string[] = [];
  for (const { response } of results) {
    const body = response.ok ? (response.body as MedicationRequest | undefined) : undefined;
    if (!body || typeof body !== 'object' || body.resourceType !== 'MedicationRequest') {
      notes.push('The order in the launch context could not be read; the therapy was not preselected from it.');
    } else if (!subjectIs(body, patientId)) {
      notes.push('The order in the launch context is for another patient; it was ignored.');
    } else {
      orders.push(body);
    }
  }
  return { orders, trips: results.reduce((max, r) => Math.max(max, r.trips), 0), notes };
}
