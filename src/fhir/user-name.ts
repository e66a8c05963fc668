/**
 * The signed-in user's name for "printed by": their own resource (fhirUser), read only when the
 * EHR granted it. Any failure gives no name: paper then says nothing of the user.
 */
import { parseScopes, scopeAllows } from './scopes';

/** The slice of fhirclient's Client this uses. */
export interface UserClient {
  getFhirUser?(): string | null;
  request(url: string): Promise<unknown>;
  state: { tokenResponse?: Record<string, unknown>; scope?: string };
}

const USER_REFERENCE = /^(Practitioner|Person)\/[A-Za-z0-9\-.]{1,64}$/;
const MAX_NAME = 80;

function textOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  // eslint-disable-next-line no-control-regex
  const line = value.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]+/g, ' ').replace(/\s+/g, ' ').trim();
  return line === '' ? undefined : line;
}

/** "Dr. Sandbox Clinician": the first usable HumanName (official first), from text or its parts. */
export function personName(resource: unknown): string | undefined {
  const names = (resource as { name?: unknown })?.name;
  if (!Array.isArray(names)) return undefined;
  const ordered = [...names.filter((n) => n?.use === 'official'), ...names.filter((n) => n?.use !== 'official')];
  for (const name of ordered) {
    if (typeof name !== 'object' || name === null) continue;
    const text = textOf(name.text);
    const parts = [
      ...(Array.isArray(name.prefix) ? name.prefix : []),
      ...(Array.isArray(name.given) ? name.given : []),
      name.family,
      ...(Array.isArray(name.suffix) ? name.suffix : []),
    ]
      .map(textOf)
      .filter(Boolean)
      .join(' ');
    const full = text ?? (parts || undefined);
    if (full) return full.length > MAX_NAME ? `${full.slice(0, MAX_NAME - 1)}…` : full;
  }
  return undefined;
}

export async function readUserName(client: UserClient): Promise<string | undefined> {
  try {
    const user = client.getFhirUser?.();
    if (typeof user !== 'string' || !USER_REFERENCE.test(user)) return undefined;
    const granted = parseScopes((client.state.tokenResponse?.scope as string | undefined) ?? client.state.scope);
    if (!scopeAllows(granted, user.split('/')[0]!, 'read')) return undefined;
    const resource = await client.request(user);
    if ((resource as { resourceType?: unknown })?.resourceType !== user.split('/')[0]) return undefined;
    return personName(resource);
  } catch {
    return undefined;
  }
}
