/**
 * The launch step: turns the EHR's `iss` (+ `launch`) into an authorization redirect.
 *
 * Everything that touches the page (location, fetch, fhirclient's authorize) comes in through
 * `LaunchEnvironment`, so the decision logic is testable and the entry script stays tiny.
 */
import type { fhirclient } from 'fhirclient/lib/types';
import { buildScopes, offersOnlineAccess, scopeVersionFor, withLaunchContext, withoutWriteScopes, withScopes, writeBackScopes, type LaunchKind } from './scopes';
import { wholeCause } from './errors';
import { STORAGE_BLOCKED_MESSAGE } from './session-storage';
import {
  EMPTY_SMART_CONFIG,
  parseSmartConfig,
  resolveLaunchSettings,
  SmartConfigError,
  type BuildOverrides,
  type SmartConfigFile,
} from './smart-config';

export interface LaunchEnvironment {
  /** The launch page's URL as opened by the EHR (or the user). */
  url: URL;
  /** The redirect URI used when the config gives none: the app's root page. */
  appUrl: string;
  /** Same-origin URL of smart-config.json. */
  configUrl: string;
  overrides: BuildOverrides;
  fetch: typeof fetch;
  /** fhirclient's `oauth2.authorize` (it redirects the page away). */
  authorize: (params: fhirclient.AuthorizeParams) => Promise<unknown>;
  /** Upper bound for each setup request (config, smart-configuration). */
  setupTimeoutMs?: number;
  /**
   * A production build (`import.meta.env.PROD`): only the FHIR servers listed in
   * smart-config.json may launch it, whatever `restrictToListedIssuers` says.
   */
  production?: boolean;
  /** Whether the SMART session can be kept (sessionStorage); default: assumed. */
  sessionStorageUsable?: () => boolean;
}

export type LaunchOutcome =
  | { kind: 'redirecting'; params: fhirclient.AuthorizeParams }
  | { kind: 'no-launch' }
  | { kind: 'error'; message: string };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Launch URL parameters fhirclient reads and lets override the app's own settings: `clientId`
 * replaces the configured client id, `patientId` fixes the patient without the EHR, and
 * `fhirServiceUrl` skips authorization altogether. No EHR sends them; a crafted link would.
 */
export const REFUSED_LAUNCH_PARAMETERS = ['clientId', 'patientId', 'fhirServiceUrl'] as const;

/** Text from the URL shown on screen: one line, bounded. */
function shown(text: string, max = 200): string {
  const single = text.replace(/\s+/g, ' ').trim();
  return single.length > max ? `${single.slice(0, max - 1)}…` : single;
}


/** Tokens go to whatever `iss` says, so plain http is only tolerated on this machine. */
export function checkIssuer(iss: string): string | undefined {
  let url: URL;
  try {
    url = new URL(iss);
  } catch {
    return `The EHR sent an invalid FHIR server address ("${shown(iss)}").`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return `The FHIR server address must use https (got "${shown(iss)}").`;
}

async function fetchJson(env: LaunchEnvironment, url: string): Promise<{ status: number; body?: unknown }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), env.setupTimeoutMs ?? 5000);
  try {
    const response = await env.fetch(url, { headers: { accept: 'application/json' }, signal: controller.signal });
    if (!response.ok) return { status: response.status };
    return { status: response.status, body: await response.json() };
  } finally {
    clearTimeout(timer);
  }
}

/** A missing file means "use the defaults"; a broken one is a deployment error worth showing. */
async function loadSmartConfig(env: LaunchEnvironment): Promise<SmartConfigFile> {
  let result: { status: number; body?: unknown };
  try {
    result = await fetchJson(env, env.configUrl);
  } catch (error) {
    if (error instanceof SyntaxError) throw new SmartConfigError('smart-config.json is not valid JSON');
    return EMPTY_SMART_CONFIG;
  }
  if (result.status === 404 || result.body === undefined) return EMPTY_SMART_CONFIG;
  return parseSmartConfig(result.body);
}

/** Falls back to SMART v1 scope syntax when the server's metadata cannot be read. */
async function fetchSmartConfiguration(env: LaunchEnvironment, iss: string): Promise<unknown> {
  try {
    const result = await fetchJson(env, `${iss.replace(/\/+$/, '')}/.well-known/smart-configuration`);
    return result.body;
  } catch {
    return undefined;
  }
}

/** The screen of an app whose smart-config.json lists no FHIR server yet (as shipped). */
export function noIssuerMessage(iss: string): string {
  return `This app is not set up for the FHIR server ${shown(iss)}, nor for any other yet: its smart-config.json (next to the app's index.html) lists no FHIR server under "issuers", as shipped. To set it up, an administrator adds the EHR's FHIR server address there with the client id the EHR registered for this app, for example: "issuers": { "${shown(iss)}": { "clientId": "…" } }.`;
}

export async function beginLaunch(env: LaunchEnvironment): Promise<LaunchOutcome> {
  const refused = REFUSED_LAUNCH_PARAMETERS.filter((name) => env.url.searchParams.has(name));
  if (refused.length > 0) {
    return {
      kind: 'error',
      message: `The launch link carries ${refused.join(', ')}, which this app does not accept: it could change which client signs in or which patient is shown. Launch the app from the patient’s chart in the EHR.`,
    };
  }
  const iss = env.url.searchParams.get('iss')?.trim() || undefined;
  const launch = env.url.searchParams.get('launch')?.trim() || undefined;
  if (!iss && !launch) return { kind: 'no-launch' };
  if (!iss) {
    return {
      kind: 'error',
      message: 'The EHR sent a launch code but no FHIR server address (iss). Check the app registration in the EHR.',
    };
  }
  // fhirclient keeps the PKCE verifier in sessionStorage across the sign-in redirects.
  if (env.sessionStorageUsable && !env.sessionStorageUsable()) return { kind: 'error', message: STORAGE_BLOCKED_MESSAGE };
  const issuerProblem = checkIssuer(iss);
  if (issuerProblem) return { kind: 'error', message: issuerProblem };

  let config: SmartConfigFile;
  try {
    config = await loadSmartConfig(env);
  } catch (error) {
    return { kind: 'error', message: `The app's launch configuration is broken: ${(error as Error).message}` };
  }
  const settings = resolveLaunchSettings(config, iss, env.overrides);
  // Fail closed: an unlisted server could be anyone's, showing made-up patients with a checklist.
  if ((config.restrictToListedIssuers || env.production) && !settings.listed) {
    // As shipped, the file lists no server at all: say it is a setup step, not an attack.
    if (Object.keys(config.issuers).length === 0) return { kind: 'error', message: noIssuerMessage(iss) };
    return {
      kind: 'error',
      message: `This app is not set up for the FHIR server ${shown(iss)}. To allow it, an administrator adds that address under "issuers" in the app's smart-config.json, with the client id the EHR registered for this app, for example: "issuers": { "${shown(iss)}": { "clientId": "…" } }.`,
    };
  }

  const kind: LaunchKind = launch ? 'ehr' : 'standalone';
  const wantsWrites = settings.writeBack.orderLabs || settings.writeBack.saveNote;
  // The server's scope syntax matters for computed scopes, and for write scopes added to configured ones.
  const metadata = !settings.scopes || wantsWrites ? await fetchSmartConfiguration(env, iss) : undefined;
  const version = scopeVersionFor(metadata);
  // A configured scope string cannot ask for writes the site turned off.
  const base = settings.scopes
    ? withLaunchContext(withoutWriteScopes(settings.scopes, settings.writeBack), kind)
    : buildScopes(kind, version, { onlineAccess: offersOnlineAccess(metadata) });
  // Write scopes only when the site turned the feature on (smart-config.json `writeBack`).
  const scope = withScopes(base, writeBackScopes(settings.writeBack, version));

  const params: fhirclient.AuthorizeParams = {
    iss,
    clientId: settings.clientId,
    scope,
    redirectUri: settings.redirectUri ?? env.appUrl,
    pkceMode: 'required',
    // The sidebar usually runs in an EHR iframe: finish sign-in in that same frame.
    completeInTarget: true,
  };
  if (launch) params.launch = launch;

  try {
    await env.authorize(params);
  } catch (error) {
    return { kind: 'error', message: `Could not start sign-in with ${shown(iss)}: ${wholeCause(error)}` };
  }
  return { kind: 'redirecting', params };
}
