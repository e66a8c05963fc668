/**
 * Which of the worklist's types to ask a Bulk Data server for. The server's CapabilityStatement
 * (`<base>/metadata`) lists the resource types it serves; asking for one it lacks makes sign-in
 * (`invalid_scope`) or the kick-off (HTTP 400) fail for the whole export. So the worklist asks
 * only for the types the server lists, and each type it leaves out carries the reason, which
 * the rows show as "could not check" (never as "none found"). `--types` overrides the choice.
 */
import { EXPORT_TYPES, neededWith, type ExportType } from './export-types';
import { describeUrl, request } from './http';

export interface TypeChoice {
  /** The types to put in `_type` and in the scopes. */
  ask: string[];
  /** Types the worklist reads but will not ask for, each with the reason in words. */
  notAsked: Array<{ type: string; reason: string }>;
  /** How the choice was made, for the summary. */
  source: string;
}

/** The resource types a CapabilityStatement lists for its server mode, or undefined. */
export function capabilityTypes(json: unknown): Set<string> | undefined {
  const statement = json as { resourceType?: unknown; rest?: Array<{ mode?: unknown; resource?: Array<{ type?: unknown }> }> };
  if (statement?.resourceType !== 'CapabilityStatement' || !Array.isArray(statement.rest)) return undefined;
  const types = new Set<string>();
  for (const rest of statement.rest) {
    if (rest?.mode !== undefined && rest.mode !== 'server') continue;
    for (const resource of Array.isArray(rest?.resource) ? rest.resource : []) if (typeof resource?.type === 'string') types.add(resource.type);
  }
  return types.size ? types : undefined;
}

/** Reads the CapabilityStatement; a server that has none readable is asked for every type. */
export async function readServerTypes(base: string): Promise<{ types?: Set<string>; problem?: string }> {
  const url = `${base.replace(/\/+$/, '')}/metadata`;
  try {
    const response = await request(url, { headers: { accept: 'application/fhir+json' }, timeoutMs: 30_000 });
    if (!response.ok) {
      await response.body?.cancel();
      return { problem: `its CapabilityStatement (${describeUrl(url)}) answered HTTP ${response.status}` };
    }
    const types = capabilityTypes(await response.json().catch(() => undefined));
    return types ? { types } : { problem: 'its CapabilityStatement lists no resource types' };
  } catch (error) {
    return { problem: `its CapabilityStatement could not be read (${(error as Error).message})` };
  }
}

export function chooseTypes(serverTypes: Set<string> | undefined, override?: readonly string[], problem?: string): TypeChoice {
  if (override) {
    const ask = EXPORT_TYPES.filter((t) => override.includes(t) && neededWith(t, override));
    return {
      ask,
      notAsked: EXPORT_TYPES.filter((t) => !ask.includes(t)).map((type) => ({ type, reason: `${type} was left out of the export by --types` })),
      source: 'the types given with --types',
    };
  }
  if (!serverTypes) {
    return { ask: [...EXPORT_TYPES], notAsked: [], source: `every type the worklist reads (${problem ?? 'the server lists no types'})` };
  }
  const offered = EXPORT_TYPES.filter((t) => serverTypes.has(t));
  const ask = offered.filter((t: ExportType) => neededWith(t, offered));
  return {
    ask,
    notAsked: EXPORT_TYPES.filter((t) => !ask.includes(t)).map((type) => ({
      type,
      reason: serverTypes.has(type) ? `${type} was not asked for (nothing read needs it)` : `the EHR's bulk export does not offer ${type}`,
    })),
    source: `the types the server's CapabilityStatement lists${ask.length < EXPORT_TYPES.length ? ` (it does not list ${EXPORT_TYPES.filter((t) => !serverTypes.has(t)).join(', ')}; --types overrides)` : ''}`,
  };
}
