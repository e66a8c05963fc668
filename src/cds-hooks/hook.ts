/**
 * One hook call, after authentication: validate the request, find the draft for one of the five
 * agents, gather the record (prefetch first, then the `fhirAuthorization` token for what is
 * missing), assess it for that agent with the engine, and map the report to cards.
 */
import type { Resource } from 'fhir/r4';
import { assess, buildRecord } from '../engine';
import { labLookbackDays } from '../engine/config';
import type { LoadedResourceType, LoadStatus } from '../engine/record';
import type { AgentId } from '../contract/report';
import type { LoadedData } from '../fhir/loader';
import { addDays } from '../engine/normalise';
import type { CdsServiceConfig } from './config';
import type { VerifiedClient } from './auth';
import { randomUUID } from 'node:crypto';
import { cardsFor } from './cards';
import { onTreatmentCards } from './on-treatment-cards';
import { agentDrafts, asDraft, draftedLabCodes, DraftOrdersError, readDraftOrders, type AgentDraft, type DraftOrders } from './draft-orders';
import { fetchRecordData, type FhirAccess } from './fhir-fetch';
import { PREFETCH_KEYS, readPrefetchEntry, type PrefetchEntry } from './prefetch';
import type { ServiceDefinition } from './services';
import { HOOKS, type CdsCard, type CdsResponse, type HookName } from './types';

/** A request the service will not run: the status and a message for the integrator. */
export class HookError extends Error {
  constructor(
    readonly status: 400 | 412,
    message: string,
  ) {
    super(message);
  }
}

/** Labs are searched back as far as the app searches them for the same site settings (one rule, src/engine/config.ts). */
export function lookbackDays(config: CdsServiceConfig): number {
  return labLookbackDays(config.siteConfig);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

export interface HookRequest {
  hook: HookName;
  hookInstance: string;
  patientId: string;
  context: Record<string, unknown>;
  prefetch?: Record<string, unknown>;
  fhirServer?: string;
  fhirAuthorization?: { accessToken: string; scope?: string };
}

/** Checks the body of a hook call; throws HookError(400) naming the first thing wrong. */
export function parseHookRequest(body: unknown, service: ServiceDefinition): HookRequest {
  if (!isObject(body)) throw new HookError(400, 'The request body must be a JSON object (a CDS Hooks request).');
  const hook = body.hook;
  if (typeof hook !== 'string' || hook === '') throw new HookError(400, 'The request has no "hook".');
  if (!(HOOKS as readonly string[]).includes(hook)) throw new HookError(400, `Unknown hook "${hook.slice(0, 64)}" (this server knows ${HOOKS.join(', ')}).`);
  if (hook !== service.hook) throw new HookError(400, `Service ${service.id} answers the ${service.hook} hook, not ${hook}.`);
  if (typeof body.hookInstance !== 'string' || body.hookInstance.trim() === '' || body.hookInstance.length > 200) {
    throw new HookError(400, 'The request has no "hookInstance" (a UUID for this hook call).');
  }
  if (!isObject(body.context)) throw new HookError(400, 'The request has no "context" object.');
  const patientId = body.context.patientId;
  if (typeof patientId !== 'string' || !FHIR_ID.test(patientId)) throw new HookError(400, 'context.patientId must be the FHIR id of the patient.');
  if (body.prefetch !== undefined && body.prefetch !== null && !isObject(body.prefetch)) throw new HookError(400, '"prefetch" must be an object of prefetch keys.');

  const request: HookRequest = { hook: hook as HookName, hookInstance: body.hookInstance, patientId, context: body.context };
  if (isObject(body.prefetch)) request.prefetch = body.prefetch;
  if (body.fhirServer !== undefined) {
    if (typeof body.fhirServer !== 'string' || !/^https?:\/\/[^\s]+$/i.test(body.fhirServer)) throw new HookError(400, '"fhirServer" must be the http(s) base URL of the FHIR server.');
    request.fhirServer = body.fhirServer.replace(/\/+$/, '');
  }
  if (body.fhirAuthorization !== undefined && body.fhirAuthorization !== null) {
    const auth = body.fhirAuthorization;
    if (!isObject(auth) || typeof auth.access_token !== 'string' || auth.access_token === '') {
      throw new HookError(400, '"fhirAuthorization" must carry an access_token.');
    }
    if (auth.token_type !== undefined && String(auth.token_type).toLowerCase() !== 'bearer') throw new HookError(400, 'fhirAuthorization.token_type must be "Bearer".');
    if (!request.fhirServer) throw new HookError(400, '"fhirAuthorization" needs "fhirServer" (the FHIR base URL the token is for).');
    request.fhirAuthorization = { accessToken: auth.access_token, ...(typeof auth.scope === 'string' ? { scope: auth.scope } : {}) };
  }
  if (hook !== 'patient-view') {
    try {
      readDraftOrders(body.context.draftOrders);
    } catch (error) {
      if (error instanceof DraftOrdersError) throw new HookError(400, error.message);
      throw error;
    }
  }
  return request;
}

export interface HookDeps {
  config: CdsServiceConfig;
  /** Today, YYYY-MM-DD (the clinic's date). */
  today: string;
  fetchData?: typeof fetchRecordData;
  newUuid?: () => string;
  /** The call's deadline: cancels reads still in flight. */
  signal?: AbortSignal;
}

interface Gathered {
  resources: Resource[];
  loads: Partial<Record<LoadedResourceType, LoadStatus>>;
  observationsSince: string;
}

const SEVERITY: Record<LoadStatus['state'], number> = { complete: 0, truncated: 1, failed: 2, denied: 3 };

/** Types whose absence does not stop the service (issue 18: lab orders already placed). */
const OPTIONAL_TYPES: ReadonlySet<LoadedResourceType> = new Set(['ServiceRequest']);
const worst = (a: LoadStatus | undefined, b: LoadStatus): LoadStatus => (!a || SEVERITY[b.state] > SEVERITY[a.state] ? b : a);

/**
 * Where the service may send the hook's token: only a FHIR server the trust file lists for this
 * client's issuer. No list means no outbound call at all (prefetch only): otherwise any caller
 * holding a client key could make the service call any address it names.
 */
function listedServer(client: VerifiedClient, fhirServer: string | undefined): 'listed' | 'no-list' | 'not-listed' {
  const listed = client.issuer.fhirServers ?? [];
  if (listed.length === 0) return 'no-list';
  return fhirServer !== undefined && listed.includes(fhirServer) ? 'listed' : 'not-listed';
}

/**
 * Prefetch first; the token for the keys the EHR did not send (or could not fill), and only
 * those; 412 when something needed is missing and cannot be read, or when nothing about the
 * patient could be read at all. What the FHIR server answered never goes into a message: one
 * generic sentence for every failure, so the service is no probe of other servers or ports.
 */
async function gather(request: HookRequest, client: VerifiedClient, deps: HookDeps): Promise<Gathered> {
  const lookback = lookbackDays(deps.config);
  const entries = new Map<string, PrefetchEntry>(PREFETCH_KEYS.map((spec) => [spec.key, readPrefetchEntry(request.prefetch, spec)]));
  const patientEntry = entries.get('patient');
  if (patientEntry?.kind === 'loaded') {
    const patient = patientEntry.resources[0]!;
    if (patient.id === undefined || patient.id === null) patientEntry.resources[0] = { ...patient, id: request.patientId };
    else if (patient.id !== request.patientId) {
      throw new HookError(400, `prefetch "patient" is Patient/${String(patient.id).slice(0, 64)}, not the patient in context (${request.patientId}).`);
    }
  }
  const needed = PREFETCH_KEYS.filter((spec) => entries.get(spec.key)?.kind !== 'loaded');
  // The orders already placed only refine the order suggestions: an EHR configured before the
  // key existed is not refused for lacking it; the card then says the orders could not be checked.
  const mustFetch = needed.filter((spec) => entries.get(spec.key)?.kind === 'absent' && !OPTIONAL_TYPES.has(spec.type));

  let fetched: LoadedData | undefined;
  if (needed.length > 0) {
    let problem: string | undefined;
    const server = listedServer(client, request.fhirServer);
    if (!request.fhirAuthorization || !request.fhirServer) problem = 'no fhirAuthorization token to read them';
    else if (server === 'no-list') problem = `the trust file lists no FHIR server for ${client.iss} (fhirServers), so this service reads only what the EHR prefetches`;
    else if (server === 'not-listed') problem = `fhirServer is not among the FHIR servers the trust file lists for ${client.iss}`;
    else {
      const fhirAccess: FhirAccess = {
        fhirServer: request.fhirServer,
        accessToken: request.fhirAuthorization.accessToken,
        patientId: request.patientId,
        ...(request.fhirAuthorization.scope ? { scope: request.fhirAuthorization.scope } : {}),
      };
      try {
        fetched = await (deps.fetchData ?? fetchRecordData)(fhirAccess, {
          asOf: deps.today,
          lookbackDays: lookback,
          timeoutMs: deps.config.fhirTimeoutMs,
          searches: needed.map((spec) => spec.key),
          ...(deps.signal ? { signal: deps.signal } : {}),
        });
      } catch (error) {
        problem = (error as Error)?.name === 'SessionExpiredError' ? 'the FHIR server refused the fhirAuthorization token (HTTP 401)' : 'the FHIR server could not be read';
      }
    }
    if (!fetched && mustFetch.length > 0) {
      throw new HookError(412, `Missing prefetch ${mustFetch.map((s) => `"${s.key}"`).join(', ')} and ${problem}.`);
    }
    if (!fetched) {
      for (const spec of needed.filter((s) => OPTIONAL_TYPES.has(s.type) && entries.get(s.key)?.kind === 'absent')) {
        entries.set(spec.key, { kind: 'failed', status: { state: 'failed', reason: `the EHR sent no prefetch "${spec.key}" and ${problem}` } });
      }
    }
  }

  const resources: Resource[] = [];
  const loads: Partial<Record<LoadedResourceType, LoadStatus>> = {};
  for (const spec of PREFETCH_KEYS) {
    const entry = entries.get(spec.key)!;
    if (entry.kind === 'loaded') {
      resources.push(...entry.resources, ...entry.included);
      loads[spec.type] = worst(loads[spec.type], { state: 'complete' });
    } else if (entry.kind === 'failed' && !fetched) {
      loads[spec.type] = worst(loads[spec.type], entry.status);
    }
  }
  if (fetched) {
    if (fetched.patient?.id && fetched.patient.id !== request.patientId) {
      // As the sidebar does: another patient's data is never shown under this one's order.
      throw new HookError(412, `The FHIR server answered with Patient/${String(fetched.patient.id).slice(0, 64)}, not the patient in context (${request.patientId}).`);
    }
    if (fetched.patient) resources.push(fetched.patient);
    // The loader ran only the missing keys' searches: everything it brings is theirs.
    resources.push(...fetched.resources);
    for (const [type, status] of Object.entries(fetched.loads) as Array<[LoadedResourceType, LoadStatus]>) loads[type] = worst(loads[type], status);
  }
  const patientLoad = loads.Patient;
  const readSomething = Object.values(loads).some((status) => status.state === 'complete' || status.state === 'truncated');
  if (!readSomething || (patientLoad && patientLoad.state !== 'complete' && !resources.some((r) => r.resourceType === 'Patient'))) {
    const fromPrefetch = patientEntry?.kind === 'failed' && !fetched ? patientEntry.status : undefined;
    throw new HookError(412, `The patient's record could not be read: ${fromPrefetch && 'reason' in fromPrefetch ? fromPrefetch.reason : 'no data could be loaded'}.`);
  }
  return { resources: dedupe(resources), loads, observationsSince: fetched?.observationsSince ?? addDays(deps.today, -lookback) };
}

function dedupe(resources: Resource[]): Resource[] {
  const seen = new Set<string>();
  return resources.filter((r) => {
    if (!r.id) return true;
    const key = `${r.resourceType}/${r.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The record's resources with the drafts as the EHR now holds them: the drafts for the agent being
 * judged out (they are the order being written), the others in.
 */
function withDrafts(gathered: Gathered, orders: DraftOrders | undefined, ordered: readonly AgentDraft[]): Resource[] {
  const drafts = (orders?.resources ?? []).filter((r) => r.resourceType === 'MedicationRequest');
  const draftIds = new Set(drafts.map((r) => r.id).filter(Boolean));
  for (const draft of ordered) if (draft.resource.id) draftIds.add(draft.resource.id);
  const originals = new Set<Resource>(ordered.map((d) => d.original));
  const orderedIds = new Set(ordered.map((d) => d.resource.id).filter((id) => id !== undefined));
  const kept = gathered.resources.filter((r) => !(r.resourceType === 'MedicationRequest' && r.id && draftIds.has(r.id)));
  const others = drafts.filter((r) => !originals.has(r) && (r.id === undefined || !orderedIds.has(r.id))).map(asDraft);
  const medications = (orders?.resources ?? []).filter((r) => r.resourceType === 'Medication');
  return dedupe([...kept, ...others, ...medications]);
}

/** Drafts grouped by agent, in order of first appearance: one assessment and one set of cards per agent, however many drafts name it. */
function byAgent(drafts: readonly AgentDraft[]): AgentDraft[][] {
  const groups = new Map<AgentId, AgentDraft[]>();
  for (const draft of drafts) {
    const group = groups.get(draft.agent);
    if (group) group.push(draft);
    else groups.set(draft.agent, [draft]);
  }
  return [...groups.values()];
}

/** Lets other calls (discovery, feedback) run between two assessments of one long call. */
const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

function assessFor(gathered: Gathered, resources: Resource[], request: HookRequest, agent: AgentId, deps: HookDeps, orders?: DraftOrders) {
  const record = buildRecord({
    resources: resources as never,
    patientId: request.patientId,
    loads: gathered.loads,
    observationsSince: gathered.observationsSince,
    ...(orders ? { fullUrls: orders.fullUrls as never } : {}),
  });
  return assess(record, { now: deps.today, therapy: agent, config: deps.config.siteConfig });
}

export async function runHook(request: HookRequest, client: VerifiedClient, deps: HookDeps): Promise<CdsResponse> {
  if (request.hook === 'patient-view') return patientView(request, client, deps);

  const orders = readDraftOrders(request.context.draftOrders);
  if (!orders) return { cards: [] }; // e.g. order-sign re-sent without drafts: nothing to judge
  const drafts = agentDrafts(orders, request.patientId, deps.today, request.context.selections);
  if (drafts.length === 0) return { cards: [] };

  const gathered = await gather(request, client, deps);
  const alreadyDrafted = draftedLabCodes(orders);
  const cards: CdsCard[] = [];
  for (const group of byAgent(drafts)) {
    await yieldToOthers();
    const report = assessFor(gathered, withDrafts(gathered, orders, group), request, group[0]!.agent, deps, orders);
    cards.push(...cardsFor(cardInput(report, group, request, deps, alreadyDrafted)));
  }
  return { cards };
}

/** Chart open: off unless the site enables it; then cards only for an agent drafted in the record. */
async function patientView(request: HookRequest, client: VerifiedClient, deps: HookDeps): Promise<CdsResponse> {
  if (!deps.config.patientViewEnabled) return { cards: [] };
  const gathered = await gather(request, client, deps);
  const planned: DraftOrders = {
    resources: gathered.resources.filter(
      (r) => (r.resourceType === 'MedicationRequest' && (r as { status?: unknown }).status === 'draft') || r.resourceType === 'Medication',
    ),
    fullUrls: new Map(),
  };
  const [draft] = agentDrafts(planned, request.patientId, deps.today);
  if (!draft) {
    // On a JAK inhibitor already: a result during treatment the label acts on is a card (R3.2).
    const record = buildRecord({ resources: gathered.resources as never, patientId: request.patientId, loads: gathered.loads, observationsSince: gathered.observationsSince });
    const report = assess(record, { now: deps.today, config: deps.config.siteConfig });
    return { cards: onTreatmentCards({ report, newUuid: deps.newUuid ?? randomUUID, ...(deps.config.appLaunchUrl ? { appLaunchUrl: deps.config.appLaunchUrl } : {}) }) };
  }
  const report = assessFor(gathered, withDrafts(gathered, undefined, [draft]), request, draft.agent, deps);
  return { cards: cardsFor(cardInput(report, [draft], request, deps)) };
}

function cardInput(report: ReturnType<typeof assess>, group: readonly AgentDraft[], request: HookRequest, deps: HookDeps, alreadyDrafted?: Set<string>) {
  const draft = group[0]!;
  const references = group.map((d) => d.reference).filter((r): r is string => r !== undefined);
  return {
    report,
    agent: draft.agent,
    draft: draft.resource,
    ...(draft.reference ? { draftReference: draft.reference } : {}),
    // Further drafts for the same agent: a switch removes them too.
    ...(draft.reference && references.length > 1 ? { sameAgentReferences: references.slice(1) } : {}),
    patientId: request.patientId,
    ...(deps.config.appLaunchUrl ? { appLaunchUrl: deps.config.appLaunchUrl } : {}),
    ...(alreadyDrafted ? { alreadyDrafted } : {}),
    today: deps.today,
    ...(deps.newUuid ? { newUuid: deps.newUuid } : {}),
  };
}
