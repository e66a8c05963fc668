/**
 * Access control in front of the FHIR engine: the token's scopes must cover the resource type
 * and interaction, and a patient-scoped token sees only its own patient's compartment.
 * Searches without a patient parameter are narrowed to the token's patient; a search or read
 * that names another patient is refused with 403.
 */
import type { OperationOutcome } from '@medplum/fhirtypes';
import type { FhirCall } from './fhir-engine';
import type { PatientIndexedRepository } from './patient-repository';
import { permittedContexts, type Interaction } from './scopes';

export interface AccessGrant {
  clientId: string;
  /** Granted scopes, space-separated. */
  scope: string;
  /** Patient in context (EHR launch or standalone pick). */
  patient?: string;
  /** Absolute URL of the user's resource, when openid fhirUser was granted. */
  fhirUser?: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export type AccessDecision =
  | {
      allowed: true;
      call: FhirCall;
      /** Only patient scopes allowed it: the answer may hold nothing of another patient (`confineAnswer`). */
      confineTo?: string;
    }
  | { allowed: false; status: number; outcome: OperationOutcome };

export function outcome(code: string, text: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: code as never, details: { text } }] };
}

function deny(status: number, text: string): AccessDecision {
  return { allowed: false, status, outcome: outcome(status === 403 ? 'forbidden' : 'not-supported', text) };
}

const PATIENT_KEYS = ['patient', 'subject', 'patient:Patient', 'subject:Patient', 'beneficiary'];

export function authorizeFhirCall(
  call: FhirCall,
  grant: AccessGrant,
  repo: PatientIndexedRepository,
  knownTypes: ReadonlySet<string>,
): AccessDecision {
  const [type, id, ...more] = call.path;
  if (!type) {
    // Batch/transaction and system-wide search: for loading data with a system token only.
    const contexts = permittedContexts(grant.scope, '*', call.method === 'GET' ? 'search' : 'create', knownTypes);
    return contexts.has('system') ? { allowed: true, call } : deny(403, 'Batch, transaction and system search need a system/*.* token');
  }
  if (!knownTypes.has(type)) return deny(404, `Unknown resource type: ${type}`);
  if (type.startsWith('$') || id?.startsWith('$') || more.some((m) => m.startsWith('$'))) {
    return deny(403, 'Operations are not available in this sandbox');
  }

  const interaction = interactionOf(call);
  const contexts = permittedContexts(grant.scope, type, interaction, knownTypes);
  if (contexts.size === 0) return deny(403, `The granted scopes do not permit ${interaction} on ${type}`);
  if (contexts.has('user') || contexts.has('system')) return { allowed: true, call };

  // Only patient-context scopes allow this: confine to the patient in context.
  const patient = grant.patient;
  if (!patient) return deny(403, 'A patient-level scope was granted without a patient in context');
  if (interaction === 'create') return createForPatient(call, type, patient, repo);
  if (interaction !== 'read' && interaction !== 'search') return deny(403, 'Patient-scoped tokens may read, search and create, nothing else, here');
  // Even a search of a type outside the compartment (Medication) can `_include` one inside it.
  if (type !== 'Patient' && !repo.isPatientScopedType(type)) return { allowed: true, call, confineTo: patient };

  if (interaction === 'read') {
    const owner = type === 'Patient' ? id : id ? repo.patientOf(type, id) : undefined;
    // An unknown id falls through to the engine's 404; a known one of another patient is refused.
    if (type === 'Patient' ? owner !== patient : owner !== undefined && owner !== patient) {
      return deny(403, 'The resource belongs to a patient outside the token context');
    }
    return { allowed: true, call, confineTo: patient };
  }
  const narrowed = narrowSearch(call, type, patient);
  return narrowed.allowed ? { ...narrowed, confineTo: patient } : narrowed;
}

/** Whether a resource in an answer is outside the patient's compartment (its own patient, or none known for a compartment type). */
function outsideCompartment(resource: unknown, patient: string, repo: PatientIndexedRepository): boolean {
  if (typeof resource !== 'object' || resource === null) return false;
  const { resourceType, id } = resource as { resourceType?: unknown; id?: unknown };
  if (typeof resourceType !== 'string') return false;
  if (resourceType === 'Patient') return id !== patient;
  if (!repo.isPatientScopedType(resourceType)) return false;
  const owner = typeof id === 'string' ? repo.patientOf(resourceType, id) : undefined;
  return owner !== patient;
}

/**
 * What a patient-scoped token gets back: a search Bundle keeps only entries in the patient's
 * compartment. The search itself is narrowed to the patient, but `_include` (and `:iterate`)
 * follows any reference a resource holds: a DocumentReference whose `context.related` names
 * another patient's Observation would bring that Observation, and its patient, along.
 */
export function confineAnswer(body: unknown, patient: string, repo: PatientIndexedRepository): unknown {
  if (typeof body !== 'object' || body === null) return body;
  if ((body as { resourceType?: unknown }).resourceType !== 'Bundle') return outsideCompartment(body, patient, repo) ? undefined : body;
  const bundle = body as { entry?: Array<{ resource?: unknown }> };
  if (!Array.isArray(bundle.entry)) return body;
  return { ...bundle, entry: bundle.entry.filter((entry) => !outsideCompartment(entry.resource, patient, repo)) };
}

/** Every `reference` string in a resource, however deep (contained resources and extensions included). */
function referencesIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) referencesIn(item, found);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'reference' && typeof inner === 'string') found.push(inner);
      else referencesIn(inner, found);
    }
  }
  return found;
}

/** `Type/id` of a relative or absolute (`…/fhir/Type/id`, `…/_history/n`) reference; undefined for `#contained`, urn: and the like. */
function referenceTarget(reference: string): { type: string; id: string } | undefined {
  const match = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(reference);
  return match ? { type: match[1]!, id: match[2]! } : undefined;
}

/**
 * A patient-scoped create (an app ordering labs or filing a note, with `patient/X.c` granted):
 * only a resource of the named type, in the compartment of the patient in context.
 */
function createForPatient(call: FhirCall, type: string, patient: string, repo: PatientIndexedRepository): AccessDecision {
  if (call.path.length !== 1) return deny(403, 'A create names no id');
  const body = call.body as { resourceType?: unknown; subject?: { reference?: unknown }; patient?: { reference?: unknown } } | undefined;
  if (!body || typeof body !== 'object' || body.resourceType !== type) return deny(400, `The body must be a ${type}`);
  if (!repo.isPatientScopedType(type)) return deny(403, `A patient-scoped token cannot create ${type}`);
  const reference = body.subject?.reference ?? body.patient?.reference;
  if (reference !== `Patient/${patient}`) return deny(403, 'The new resource must belong to the patient in context');
  // Every other reference too (DocumentReference.context.related, ServiceRequest.supportingInfo,
  // …): a resource filed for this patient must not point into another patient's record, where an
  // `_include` or a reader following it would cross the compartment.
  for (const other of referencesIn(body)) {
    const target = referenceTarget(other);
    if (!target) continue;
    const owner = target.type === 'Patient' ? target.id : repo.isPatientScopedType(target.type) ? repo.patientOf(target.type, target.id) : undefined;
    if (owner !== undefined && owner !== patient) return deny(403, `The new resource refers to ${target.type}/${target.id}, which belongs to a patient outside the token context`);
  }
  return { allowed: true, call };
}

function interactionOf(call: FhirCall): Interaction {
  const { method, path } = call;
  if (method === 'GET') return path.length === 1 ? 'search' : 'read';
  if (method === 'POST') return path[1] === '_search' ? 'search' : 'create';
  if (method === 'DELETE') return 'delete';
  return 'update';
}

function narrowSearch(call: FhirCall, type: string, patient: string): AccessDecision {
  const query = new URLSearchParams(call.query);
  if (call.method === 'POST' && call.body && typeof call.body === 'object') {
    for (const [k, v] of Object.entries(call.body as Record<string, string>)) query.append(k, v);
  }
  for (const key of query.keys()) {
    // Chains and reverse chains can reach other patients' data; not offered to patient tokens.
    if (key.includes('.') || key.startsWith('_has') || key.startsWith('_revinclude')) {
      return deny(403, `Search parameter ${key} is not allowed with a patient-scoped token`);
    }
  }
  const isSelf = (value: string): boolean =>
    value.split(',').every((v) => v === patient || v === `Patient/${patient}` || v.endsWith(`/Patient/${patient}`));

  if (type === 'Patient') {
    const ids = query.getAll('_id');
    if (ids.some((v) => !v.split(',').every((one) => one === patient))) {
      return deny(403, 'The search names a patient outside the token context');
    }
    if (ids.length === 0) query.set('_id', patient);
  } else {
    const named = PATIENT_KEYS.flatMap((k) => query.getAll(k));
    if (named.some((v) => !isSelf(v))) return deny(403, 'The search names a patient outside the token context');
    if (named.length === 0) query.set('patient', `Patient/${patient}`);
  }
  return { allowed: true, call: { ...call, method: 'GET', path: [type], query, body: undefined } };
}
