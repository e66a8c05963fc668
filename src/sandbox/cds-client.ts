/**
 * The sandbox EHR as a CDS Hooks client: its own signing key (ES384, made at start; the public
 * key set is held in memory by the mounted service and served at /ehr/cds/jwks.json), the hook
 * calls an EHR makes while a medication is ordered (prefetch from its FHIR server, or a token for
 * the service to read with), and what an EHR does with the answer: apply an accepted suggestion
 * (lab orders go into the FHIR server) and post feedback.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JSONWebKeySet } from 'jose';
import type { Bundle, MedicationRequest, Resource } from 'fhir/r4';
import { AGENT_IDS, type AgentId } from '../contract/report';
import { THERAPIES } from '../kb/therapies';
import type { TrustedIssuer } from '../cds-hooks/config';
import type { CdsCard, CdsResponse } from '../cds-hooks/types';

const JWT_LIFETIME_SECONDS = 300;

/** The sandbox's identity towards CDS services: what the reference sandbox does, with our own key. */
export class CdsClientIdentity {
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicJwks: JSONWebKeySet,
    readonly kid: string,
    public iss: string,
    public jku: string,
  ) {}

  static async create(iss: string, jku: string): Promise<CdsClientIdentity> {
    const { privateKey, publicKey } = await generateKeyPair('ES384');
    const kid = randomUUID();
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES384', use: 'sig' };
    return new CdsClientIdentity(privateKey, { keys: [jwk] }, kid, iss, jku);
  }

  jwks(): JSONWebKeySet {
    return this.publicJwks;
  }

  /** A JWT for one call: `aud` is the exact URL called. */
  sign(aud: string): Promise<string> {
    return new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: 'ES384', typ: 'JWT', kid: this.kid, jku: this.jku })
      .setIssuer(this.iss)
      .setAudience(aud)
      .setIssuedAt()
      .setExpirationTime(`${JWT_LIFETIME_SECONDS}s`)
      .sign(this.privateKey);
  }

  trustedIssuer(fhirServers: string[]): TrustedIssuer {
    return { iss: this.iss, jwks: this.publicJwks, jku: [this.jku], fhirServers };
  }
}

/** What the EHR gives the service to read the record. */
export const DATA_MODES = ['prefetch+token', 'prefetch', 'token', 'none'] as const;
export type DataMode = (typeof DATA_MODES)[number];

/** Medications the order box offers: the five agents and one that is not a JAK inhibitor. */
export const ORDERABLE = [...AGENT_IDS, 'cetirizine'] as const;
export type Orderable = (typeof ORDERABLE)[number];

export function orderableLabel(item: Orderable): string {
  return item === 'cetirizine' ? 'Cetirizine 10 mg oral tablet (not a JAK inhibitor)' : THERAPIES[item].label;
}

export interface CdsClientDeps {
  identity: CdsClientIdentity;
  /** Base URL of the CDS service, without /cds-services. */
  serviceBase(): string;
  fhirBase(): string;
  /** A patient-scoped access token for this EHR's FHIR server. */
  issueToken(patientId: string): string;
  /** Stores a resource in the EHR's FHIR server; returns "Type/id". */
  store(resource: Resource): Promise<string>;
}

export interface HookCall {
  patientId: string;
  medication: Orderable;
  hook: 'order-select' | 'order-sign';
  data: DataMode;
}

export interface Exchange {
  hookInstance: string;
  serviceId: string;
  patientId: string;
  draft: MedicationRequest;
  status: number;
  request: Record<string, unknown>;
  response: unknown;
}

export interface AcceptResult {
  created: string[];
  removedDraft?: string;
  /** When the suggestion replaced the order with another agent: that agent, for the order box. */
  switchedTo?: AgentId;
  feedbackStatus: number;
}

/** Exchanges kept for accept/override (the EHR's memory of what it showed); oldest dropped first. */
const MAX_EXCHANGES = 100;
const MAX_PREFETCH_PAGES = 20;

export class SandboxCdsClient {
  private readonly exchanges = new Map<string, Exchange>();
  private discoveryCache?: { services: Array<{ id: string; hook: string; prefetch?: Record<string, string> }> };

  constructor(private readonly deps: CdsClientDeps) {}

  draftFor(medication: Orderable, patientId: string): MedicationRequest {
    return {
      resourceType: 'MedicationRequest',
      id: `draft-${randomBytes(6).toString('hex')}`,
      status: 'draft',
      intent: 'order',
      subject: { reference: `Patient/${patientId}` },
      medicationCodeableConcept: { text: orderableLabel(medication) },
      authoredOn: new Date().toISOString().slice(0, 10),
      requester: { reference: 'Practitioner/sandbox-clinician' },
    };
  }

  async discover(): Promise<NonNullable<SandboxCdsClient['discoveryCache']>> {
    const url = `${this.deps.serviceBase()}/cds-services`;
    const response = await fetch(url, { headers: { Accept: 'application/json', Authorization: `Bearer ${await this.deps.identity.sign(url)}` } });
    if (!response.ok) throw new Error(`discovery answered HTTP ${response.status}`);
    this.discoveryCache = (await response.json()) as SandboxCdsClient['discoveryCache'];
    return this.discoveryCache!;
  }

  async call(call: HookCall, draft = this.draftFor(call.medication, call.patientId)): Promise<Exchange> {
    const services = (this.discoveryCache ?? (await this.discover())).services;
    const service = services.find((s) => s.hook === call.hook);
    if (!service) throw new Error(`the CDS service offers no ${call.hook} hook`);
    const hookInstance = randomUUID();
    const request: Record<string, unknown> = {
      hookInstance,
      hook: call.hook,
      context: {
        userId: 'Practitioner/sandbox-clinician',
        patientId: call.patientId,
        draftOrders: { resourceType: 'Bundle', type: 'collection', entry: [{ resource: draft }] },
        ...(call.hook === 'order-select' ? { selections: [`MedicationRequest/${draft.id}`] } : {}),
      },
    };
    if (call.data === 'prefetch' || call.data === 'prefetch+token') {
      request.prefetch = await this.prefetch(service.prefetch ?? {}, call.patientId);
    }
    if (call.data === 'token' || call.data === 'prefetch+token') {
      const scope = 'patient/Patient.read patient/Condition.read patient/Observation.read patient/MedicationRequest.read patient/MedicationStatement.read patient/Medication.read patient/Immunization.read patient/ServiceRequest.read';
      request.fhirServer = this.deps.fhirBase();
      request.fhirAuthorization = { access_token: this.deps.issueToken(call.patientId), token_type: 'Bearer', expires_in: 300, scope, subject: 'jak-readiness-cds' };
    }
    const url = `${this.deps.serviceBase()}/cds-services/${service.id}`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${await this.deps.identity.sign(url)}` },
      body: JSON.stringify(request),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = { error: 'not_json', message: text.slice(0, 500) };
    }
    const exchange: Exchange = { hookInstance, serviceId: service.id, patientId: call.patientId, draft, status: response.status, request, response: body };
    this.remember(exchange);
    return exchange;
  }

  /**
   * Each template run against this EHR's FHIR server, every page merged into one Bundle (a
   * prefetch answer has no next page). A template that fails is left out, as the spec asks.
   */
  async prefetch(templates: Record<string, string>, patientId: string): Promise<Record<string, unknown>> {
    const token = this.deps.issueToken(patientId);
    const out: Record<string, unknown> = {};
    await Promise.all(
      Object.entries(templates).map(async ([key, template]) => {
        const value = await this.fetchAll(`${this.deps.fhirBase()}/${template.replaceAll('{{context.patientId}}', encodeURIComponent(patientId))}`, token);
        if (value !== undefined) out[key] = value;
      }),
    );
    return out;
  }

  private async fetchAll(url: string, token: string): Promise<unknown> {
    const headers = { Authorization: `Bearer ${token}`, Accept: 'application/fhir+json' };
    const first = await fetch(url, { headers });
    if (!first.ok) return undefined;
    const body = (await first.json().catch(() => undefined)) as Bundle | undefined;
    if (!body || body.resourceType !== 'Bundle') return body;
    const entries = [...(body.entry ?? [])];
    let next = body.link?.find((l) => l.relation === 'next')?.url;
    for (let page = 1; next && page < MAX_PREFETCH_PAGES; page += 1) {
      const response = await fetch(next, { headers });
      if (!response.ok) return undefined;
      const more = (await response.json().catch(() => undefined)) as Bundle | undefined;
      if (!more || more.resourceType !== 'Bundle') return undefined;
      entries.push(...(more.entry ?? []));
      next = more.link?.find((l) => l.relation === 'next')?.url;
    }
    if (next) return undefined; // could not send it whole: leave the key out
    return { resourceType: 'Bundle', type: 'searchset', total: entries.length, entry: entries };
  }

  exchange(hookInstance: string): Exchange | undefined {
    return this.exchanges.get(hookInstance);
  }

  private remember(exchange: Exchange): void {
    this.exchanges.set(exchange.hookInstance, exchange);
    while (this.exchanges.size > MAX_EXCHANGES) this.exchanges.delete(this.exchanges.keys().next().value!);
  }

  private card(hookInstance: string, cardUuid: string): { exchange: Exchange; card: CdsCard } {
    const exchange = this.exchanges.get(hookInstance);
    if (!exchange) throw new CdsClientError('That order is no longer on screen: draft it again.');
    const card = ((exchange.response as CdsResponse | undefined)?.cards ?? []).find((c) => c.uuid === cardUuid);
    if (!card) throw new CdsClientError('No such card in that answer.');
    return { exchange, card };
  }

  /** Applies a suggestion as an EHR would: lab orders stored, the draft replaced; then feedback. */
  async accept(hookInstance: string, cardUuid: string, suggestionUuid: string): Promise<AcceptResult> {
    const { exchange, card } = this.card(hookInstance, cardUuid);
    const suggestion = card.suggestions?.find((s) => s.uuid === suggestionUuid);
    if (!suggestion) throw new CdsClientError('No such suggestion on that card.');
    const result: AcceptResult = { created: [], feedbackStatus: 0 };
    for (const action of suggestion.actions ?? []) {
      const resource = action.resource as (Resource & { subject?: { reference?: string } }) | undefined;
      if (action.type === 'delete' && action.resourceId === `MedicationRequest/${exchange.draft.id}`) {
        result.removedDraft = action.resourceId;
      } else if (action.type === 'create' && resource?.resourceType === 'ServiceRequest') {
        // Only orders for the patient on screen are written, whatever the service sent.
        if (resource.subject?.reference !== `Patient/${exchange.patientId}`) throw new CdsClientError('A suggested order names another patient; nothing was created.');
        result.created.push(await this.deps.store(resource));
      } else if (action.type === 'create' && resource?.resourceType === 'MedicationRequest') {
        const text = (resource as MedicationRequest).medicationCodeableConcept?.text;
        const agent = AGENT_IDS.find((id) => THERAPIES[id].label === text);
        if (agent) result.switchedTo = agent;
      }
    }
    result.feedbackStatus = await this.feedback(exchange.serviceId, {
      card: cardUuid,
      outcome: 'accepted',
      acceptedSuggestions: [{ id: suggestionUuid }],
      outcomeTimestamp: new Date().toISOString(),
    });
    return result;
  }

  async override(hookInstance: string, cardUuid: string, reasonCode: string | undefined): Promise<number> {
    const { exchange, card } = this.card(hookInstance, cardUuid);
    const reason = reasonCode ? card.overrideReasons?.find((r) => r.code === reasonCode) : undefined;
    if (reasonCode && !reason) throw new CdsClientError('That override reason is not one the card offers.');
    return this.feedback(exchange.serviceId, {
      card: cardUuid,
      outcome: 'overridden',
      ...(reason ? { overrideReason: { reason: { code: reason.code, system: reason.system } } } : {}),
      outcomeTimestamp: new Date().toISOString(),
    });
  }

  private async feedback(serviceId: string, entry: Record<string, unknown>): Promise<number> {
    const url = `${this.deps.serviceBase()}/cds-services/${serviceId}/feedback`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await this.deps.identity.sign(url)}` },
      body: JSON.stringify({ feedback: [entry] }),
    });
    await response.arrayBuffer();
    return response.status;
  }
}

/** A user action the sandbox cannot carry out (stale card, unknown suggestion). */
export class CdsClientError extends Error {}
