/**
 * The apps registered with the sandbox EHR, as a real EHR registers them: a client id, the exact
 * redirect URIs, and what the client may be granted. A scope outside the registration is not
 * granted, whatever the app asks for: never `system/` (no backend client is registered), never
 * write unless the registration lists the types it may create.
 *
 * To register a client that may write (e.g. a CDS or order feature filing a ServiceRequest or
 * a DocumentReference), add it with `create: ['ServiceRequest', 'DocumentReference']`; the
 * grant then includes `c` on those types (fhir-access.ts decides what a patient-scoped token
 * may do with it).
 */

export interface ClientRegistration {
  clientId: string;
  /** May read and search the patient's (`patient/`) or the user's (`user/`) data. */
  read: boolean;
  /** Resource types this client may create. */
  create: readonly string[];
  /**
   * Redirect URI paths on the sandbox's own origins (`http://127.0.0.1:<port>`,
   * `http://localhost:<port>`); `redirect_uri` must equal one of the resulting URLs exactly.
   * Undefined: the sandbox's app paths (`/`, plus any the sandbox was started with).
   */
  redirectPaths?: readonly string[];
}

const READ_ONLY = { read: true, create: [] } as const;

export const REGISTERED_CLIENTS: readonly ClientRegistration[] = [
  // The app itself may also place draft lab orders and file its note, when a site turns that on
  // (smart-config.json `writeBack`): registered for create on those two types, nothing else.
  { clientId: 'jak-readiness', read: true, create: ['ServiceRequest', 'DocumentReference'] },
  { clientId: 'jak-readiness-dev', ...READ_ONLY },
  { clientId: 'jak-readiness-test', ...READ_ONLY },
];

/** Client ids this EHR has registered. */
export const REGISTERED_CLIENT_IDS: readonly string[] = REGISTERED_CLIENTS.map((client) => client.clientId);

/** A client id the list page launches with to show the app's handling of an OAuth error. */
export const UNREGISTERED_CLIENT_ID = 'jak-readiness-unregistered';

export function registrationOf(clientId: string): ClientRegistration | undefined {
  return REGISTERED_CLIENTS.find((client) => client.clientId === clientId);
}

/** The loopback names the sandbox answers to (see server.ts: any other Host gets 403). */
export const LOOPBACK_HOSTNAMES: readonly string[] = ['127.0.0.1', 'localhost'];

/** The exact redirect URIs of a client on a sandbox listening on `port`. */
export function redirectUrisOf(client: ClientRegistration, port: number, appPaths: readonly string[]): string[] {
  const paths = client.redirectPaths ?? appPaths;
  return LOOPBACK_HOSTNAMES.flatMap((host) => paths.map((path) => `http://${host}:${port}${path}`));
}
