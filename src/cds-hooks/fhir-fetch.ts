/**
 * When the EHR did not prefetch: the service reads the record itself with the `fhirAuthorization`
 * token the hook sent, through the app's own loader (same searches, paging, 429 retry, fallbacks,
 * per-type load status), driven by fhirclient's Node adapter instead of the browser's.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import NodeAdapterImport from 'fhirclient/lib/adapters/NodeAdapter.js';
import type Client from 'fhirclient/lib/Client';
import { loadPatientData, LOADER_DEFAULTS, type LoadedData } from '../fhir/loader';
import { parseScopes } from '../fhir/scopes';

// fhirclient is CommonJS: depending on the loader a default import is the class or the module object.
const NodeAdapter = (NodeAdapterImport as unknown as { default?: typeof NodeAdapterImport }).default ?? NodeAdapterImport;

export interface FhirAccess {
  fhirServer: string;
  accessToken: string;
  /** The scopes the EHR says the token grants (types outside them load as `denied`). */
  scope?: string;
  patientId: string;
}

export interface FetchOptions {
  asOf: string;
  lookbackDays: number;
  timeoutMs: number;
  /** Only these prefetch keys' searches ('patient' for the Patient read); default all. */
  searches?: readonly string[];
  /** Cancels the reads (the call's deadline). */
  signal?: AbortSignal;
}

/** A fhirclient Client for one token, with no storage and no refresh: the token lives for this call only. */
export function clientFor(access: FhirAccess): Client {
  // The adapter reads the request only to build redirect URLs; fhirclient clears its state on a
  // 401, so it gets a storage of its own that lives and dies with this call.
  const memory = new Map<string, unknown>();
  const storage = {
    get: async (key: string) => memory.get(key),
    set: async (key: string, value: unknown) => {
      memory.set(key, value);
      return value;
    },
    unset: async (key: string) => memory.delete(key),
  };
  const adapter = new NodeAdapter({ request: {} as IncomingMessage, response: {} as ServerResponse, storage });
  return adapter.getSmartApi().client({
    serverUrl: access.fhirServer,
    tokenResponse: {
      access_token: access.accessToken,
      token_type: 'Bearer',
      patient: access.patientId,
      ...(access.scope ? { scope: access.scope } : {}),
    },
  });
}

/** Throws SessionExpiredError when the FHIR server refuses the token (401). */
export function fetchRecordData(access: FhirAccess, options: FetchOptions): Promise<LoadedData> {
  const granted = parseScopes(access.scope ?? '');
  return loadPatientData(clientFor(access), {
    asOf: options.asOf,
    lookbackDays: options.lookbackDays,
    timeoutMs: options.timeoutMs,
    // A hook must answer in seconds: wait at most 2 s for a 429's Retry-After.
    maxRetryWaitMs: Math.min(2000, LOADER_DEFAULTS.maxRetryWaitMs),
    // The same statuses as the sidebar and the command line: an old result is "outdated", not "missing".
    newestOlderResults: true,
    ...(granted.length ? { grantedScopes: granted } : {}),
    ...(options.searches ? { searches: options.searches } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
