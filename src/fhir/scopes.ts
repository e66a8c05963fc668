/**
 * SMART scopes: what the app asks for at launch and what a granted scope string allows.
 *
 * Pure functions only, so the launch page and the loader agree on one reading of a scope.
 * Scope grammar: SMART App Launch 1.0 (`patient/Observation.read`) and 2.0
 * (`patient/Observation.rs`, https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html).
 */

export type LaunchKind = 'ehr' | 'standalone';
export type ScopeVersion = 'v1' | 'v2';
export type Access = 'read' | 'search' | 'create';

/** Types searched for the patient: v2 needs read + search (`rs`). */
export const SEARCHED_TYPES = [
  'Condition',
  'Observation',
  'MedicationRequest',
  'MedicationStatement',
  'Immunization',
  // Lab orders already placed (issue 18): read only, to say "awaiting result".
  'ServiceRequest',
] as const;

/** Types only read by id (the patient in context; Medications referenced by prescriptions). */
export const READ_ONLY_TYPES = ['Patient', 'Medication'] as const;

/**
 * The narrowest scope string that lets the app do its job: read-only, patient-compartment,
 * plus the launch context and the user's identity (fhirUser, shown nowhere but needed by
 * EHRs that audit who opened the app).
 */
export function buildScopes(kind: LaunchKind, version: ScopeVersion, options: { onlineAccess?: boolean } = {}): string {
  const launchContext = kind === 'ehr' ? 'launch' : 'launch/patient';
  const readSuffix = version === 'v2' ? 'r' : 'read';
  const searchSuffix = version === 'v2' ? 'rs' : 'read';
  const resourceScopes = [
    ...READ_ONLY_TYPES.map((type) => `patient/${type}.${readSuffix}`),
    ...SEARCHED_TYPES.map((type) => `patient/${type}.${searchSuffix}`),
    // The signed-in user's own Practitioner (fhirUser), for "printed by" on paper; nothing else of it is read.
    `user/Practitioner.${readSuffix}`,
  ];
  // A sidebar stays open for a whole clinic while tokens last 5-60 minutes: online_access gives a
  // refresh token that lives as long as the user's EHR session (never offline_access: no
  // access after the user has left).
  const session = options.onlineAccess ? ['online_access'] : [];
  return [launchContext, 'openid', 'fhirUser', ...session, ...resourceScopes].join(' ');
}

/** What a site lets the app write (smart-config.json `writeBack`); all off by default. */
export interface WriteBackSettings {
  /** "Order missing labs": create draft ServiceRequests. */
  orderLabs: boolean;
  /** "Save to chart": file the note as a DocumentReference. */
  saveNote: boolean;
  /** Also ask for SMART Web Messaging's scratchpad (only EHRs that offer it know the scope). */
  webMessaging: boolean;
}

export const NO_WRITE_BACK: WriteBackSettings = { orderLabs: false, saveNote: false, webMessaging: false };

/** The scopes a site's write-back settings add: create only, on the two types, for the patient in context. */
export function writeBackScopes(settings: WriteBackSettings, version: ScopeVersion): string[] {
  const create = version === 'v2' ? 'c' : 'write';
  return [
    ...(settings.orderLabs ? [`patient/ServiceRequest.${create}`] : []),
    ...(settings.orderLabs && settings.webMessaging ? ['messaging/scratchpad'] : []),
    // Filing the note, and reading this app's newest note back at the next launch (its to-do marks).
    ...(settings.saveNote ? [`patient/DocumentReference.${create}`, `patient/DocumentReference.${version === 'v2' ? 'rs' : 'read'}`] : []),
  ];
}

/** The types each write-back setting creates. */
const WRITE_BACK_TYPES: Record<'orderLabs' | 'saveNote', string> = { orderLabs: 'ServiceRequest', saveNote: 'DocumentReference' };

/**
 * Takes write access the site turned off out of a configured scope string (`issuers[].scopes`
 * replaces the computed scopes, and may carry `patient/DocumentReference.write` or
 * `patient/*.*`): a scope naming such a type, or any type (`*`), keeps only its read part
 * (v1 `*` → `read`, v2 `cruds` → `rs`) and is dropped when nothing is left. With both settings
 * on, the string is returned as it is.
 */
export function withoutWriteScopes(scopes: string, settings: WriteBackSettings): string {
  const off = (Object.keys(WRITE_BACK_TYPES) as Array<keyof typeof WRITE_BACK_TYPES>).filter((key) => !settings[key]).map((key) => WRITE_BACK_TYPES[key]);
  if (off.length === 0) return parseScopes(scopes).join(' ');
  const kept: string[] = [];
  for (const scope of parseScopes(scopes)) {
    const match = /^(patient|user|system)\/([A-Za-z*]+)\.([a-z*]+)(\?.*)?$/.exec(scope);
    const type = match?.[2];
    if (!match || (type !== '*' && !off.includes(type!)) || !scopeAllows([scope], type === '*' ? off[0]! : type!, 'create')) {
      kept.push(scope);
      continue;
    }
    const [, context, , permission, query = ''] = match;
    const readPart = permission === '*' ? 'read' : permission === 'write' ? '' : permission!.replace(/[cud]/g, '');
    if (readPart) kept.push(`${context}/${type}.${readPart}${query}`);
  }
  return kept.join(' ');
}

/**
 * Adds scopes once, keeping the order of the string they are added to. A read scope the string
 * already covers (`patient/*.read` covers `patient/DocumentReference.read`) is not added again:
 * the request stays as narrow as the site wrote it.
 */
export function withScopes(scopes: string, extra: readonly string[]): string {
  const list = parseScopes(scopes);
  for (const scope of extra) if (!list.includes(scope) && !readAlreadyCovered(list, scope)) list.push(scope);
  return list.join(' ');
}

function readAlreadyCovered(list: readonly string[], scope: string): boolean {
  const match = /^patient\/([A-Za-z]+)\.(read|rs)$/.exec(scope);
  return match !== null && scopeAllows(list, match[1]!, 'read') && scopeAllows(list, match[1]!, 'search');
}

/**
 * Makes sure a configured scope string still carries the launch context the flow needs;
 * without it the EHR would not tell us which patient is open.
 */
export function withLaunchContext(scopes: string, kind: LaunchKind): string {
  const list = parseScopes(scopes);
  const needed = kind === 'ehr' ? 'launch' : 'launch/patient';
  return list.includes(needed) ? list.join(' ') : [needed, ...list].join(' ');
}

/** `.well-known/smart-configuration` advertises SMART v2 scope syntax via `permission-v2`. */
export function scopeVersionFor(smartConfiguration: unknown): ScopeVersion {
  if (typeof smartConfiguration !== 'object' || smartConfiguration === null) return 'v1';
  const capabilities = (smartConfiguration as { capabilities?: unknown }).capabilities;
  return Array.isArray(capabilities) && capabilities.includes('permission-v2') ? 'v2' : 'v1';
}

/** `permission-online`: the server issues refresh tokens for `online_access`. */
export function offersOnlineAccess(smartConfiguration: unknown): boolean {
  if (typeof smartConfiguration !== 'object' || smartConfiguration === null) return false;
  const capabilities = (smartConfiguration as { capabilities?: unknown }).capabilities;
  return Array.isArray(capabilities) && capabilities.includes('permission-online');
}

export function parseScopes(scope: string | undefined | null): string[] {
  return (scope ?? '').split(/\s+/).filter((s) => s.length > 0);
}

const V1_PERMISSION: Record<string, Access[]> = {
  read: ['read', 'search'],
  '*': ['read', 'search', 'create'],
  write: ['create'],
};

/**
 * Whether the granted scopes let the app read (by id), search or create a resource type for
 * the patient in context. `user/` and `system/` scopes cover the patient's data too.
 * v2 scopes with a query (`patient/Observation.rs?category=laboratory`) count as allowing
 * the type: the server narrows the results itself.
 */
export function scopeAllows(granted: readonly string[], resourceType: string, access: Access): boolean {
  return granted.some((scope) => {
    const match = /^(patient|user|system)\/([A-Za-z*]+)\.([a-z*]+)(\?.*)?$/.exec(scope);
    if (!match) return false;
    const [, , type, permission] = match;
    if (type !== '*' && type !== resourceType) return false;
    if (permission === undefined) return false;
    const v1 = V1_PERMISSION[permission];
    if (v1) return v1.includes(access);
    // v2: any combination of c r u d s, in that order.
    if (!/^c?r?u?d?s?$/.test(permission)) return false;
    return permission.includes(access === 'read' ? 'r' : access === 'search' ? 's' : 'c');
  });
}
