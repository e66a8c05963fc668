/**
 * SMART scopes: which requested scopes the sandbox knows (and so grants), and whether a set
 * of granted scopes permits one FHIR interaction.
 *
 * Source: SMART App Launch 2.x, "Scopes and Launch Context"
 * (http://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html). v1 `read`/`write`/`*`
 * and v2 `cruds` permissions are both accepted. Granular v2 query suffixes
 * (`?category=...`) are accepted but not enforced: the sandbox grants the whole type.
 */

import type { ClientRegistration } from './clients';

export type ScopeContext = 'patient' | 'user' | 'system';
export type Interaction = 'read' | 'search' | 'create' | 'update' | 'delete';

export interface ResourceScope {
  context: ScopeContext;
  /** A resource type, or '*'. */
  resourceType: string;
  permissions: ReadonlySet<Interaction>;
}

const CONTEXT_SCOPES = new Set([
  'openid',
  'fhirUser',
  'profile',
  'launch',
  'launch/patient',
  'launch/encounter',
  'offline_access',
  'online_access',
]);

const RESOURCE_SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]+)\.(read|write|\*|c?r?u?d?s?)(\?.*)?$/;

export function parseResourceScope(scope: string, knownTypes: ReadonlySet<string>): ResourceScope | undefined {
  const match = RESOURCE_SCOPE.exec(scope);
  if (!match) return undefined;
  const [, context, resourceType, perm] = match;
  if (!context || !resourceType || !perm) return undefined;
  if (resourceType !== '*' && !knownTypes.has(resourceType)) return undefined;
  const permissions = new Set<Interaction>();
  if (perm === 'read' || perm === '*') permissions.add('read').add('search');
  if (perm === 'write' || perm === '*') permissions.add('create').add('update').add('delete');
  if (perm !== 'read' && perm !== 'write' && perm !== '*') {
    if (perm.length === 0) return undefined;
    if (perm.includes('c')) permissions.add('create');
    if (perm.includes('r')) permissions.add('read');
    if (perm.includes('u')) permissions.add('update');
    if (perm.includes('d')) permissions.add('delete');
    if (perm.includes('s')) permissions.add('search');
  }
  return { context: context as ScopeContext, resourceType, permissions };
}

/** What a registered client may be granted on one resource type, in any context it may use. */
function allowedPermissions(client: ClientRegistration, context: ScopeContext, resourceType: string): Set<Interaction> {
  const allowed = new Set<Interaction>();
  // No backend (system) client is registered: a user-facing app never gets system/ access.
  if (context === 'system') return allowed;
  if (client.read) allowed.add('read').add('search');
  if (resourceType !== '*' && client.create.includes(resourceType)) allowed.add('create');
  return allowed;
}

/** The requested permission narrowed to what is allowed, in the syntax it was asked in; undefined if nothing is left. */
function narrowedPermission(perm: string, requested: ReadonlySet<Interaction>, allowed: ReadonlySet<Interaction>): string | undefined {
  const kept = [...requested].filter((p) => allowed.has(p));
  if (kept.length === 0) return undefined;
  if (perm === 'read' || perm === 'write' || perm === '*') {
    // v1 cannot say "read and create only": grant what the v1 words cover in full.
    const all = (list: Interaction[]) => list.every((p) => allowed.has(p));
    if (perm === '*' && all(['read', 'search', 'create', 'update', 'delete'])) return '*';
    if (perm === 'write') return all(['create', 'update', 'delete']) ? 'write' : undefined;
    return all(['read', 'search']) ? 'read' : undefined;
  }
  const letters: Array<[Interaction, string]> = [['create', 'c'], ['read', 'r'], ['update', 'u'], ['delete', 'd'], ['search', 's']];
  return letters.filter(([p]) => kept.includes(p)).map(([, letter]) => letter).join('');
}

/**
 * The granted scope string: the requested scopes this client's registration allows, narrowed
 * (`patient/*.*` → `patient/*.read` for a read-only client), unknown ones dropped, order kept.
 */
export function grantScopes(requested: string, client: ClientRegistration, knownTypes: ReadonlySet<string>): string {
  const granted: string[] = [];
  const grant = (scope: string) => {
    if (!granted.includes(scope)) granted.push(scope);
  };
  for (const scope of requested.split(/\s+/).filter(Boolean)) {
    if (CONTEXT_SCOPES.has(scope)) {
      grant(scope);
      continue;
    }
    const parsed = parseResourceScope(scope, knownTypes);
    if (!parsed) continue;
    const perm = RESOURCE_SCOPE.exec(scope)![3]!;
    const narrowed = narrowedPermission(perm, parsed.permissions, allowedPermissions(client, parsed.context, parsed.resourceType));
    if (narrowed) grant(`${parsed.context}/${parsed.resourceType}.${narrowed}${scope.includes('?') ? scope.slice(scope.indexOf('?')) : ''}`);
  }
  return granted.join(' ');
}

/**
 * The scope string without its `user/` resource scopes (for a launch with a patient in context),
 * except reading Practitioner records: the app reads the signed-in user's own name (`fhirUser`)
 * for "printed by", and a Practitioner holds no patient's data.
 */
export function withoutUserScopes(scope: string): string {
  return scope
    .split(/\s+/)
    .filter((s) => s && (!s.startsWith('user/') || /^user\/Practitioner\.(read|r|rs)$/.test(s)))
    .join(' ');
}

export function hasScope(scope: string, wanted: string): boolean {
  return scope.split(/\s+/).includes(wanted);
}

/**
 * Which contexts allow this interaction on this type. The caller restricts to the token's
 * patient when only `patient` contexts do.
 */
export function permittedContexts(
  scope: string,
  resourceType: string,
  interaction: Interaction,
  knownTypes: ReadonlySet<string>,
): Set<ScopeContext> {
  const contexts = new Set<ScopeContext>();
  for (const s of scope.split(/\s+/)) {
    const parsed = parseResourceScope(s, knownTypes);
    if (!parsed) continue;
    if (parsed.resourceType !== '*' && parsed.resourceType !== resourceType) continue;
    if (parsed.permissions.has(interaction)) contexts.add(parsed.context);
  }
  return contexts;
}
