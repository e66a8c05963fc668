/**
 * The redirect page's side of SMART: complete the authorization code flow (once) and say
 * what happened in terms the UI can show.
 */
import BrowserAdapterImport from 'fhirclient/lib/adapters/BrowserAdapter';
import type Client from 'fhirclient/lib/Client';
import { therapyFromAppContext } from '../contract/app-context';
import type { TherapyId } from '../contract/report';
import { SESSION_EXPIRED_MESSAGE, wholeCause } from './errors';
import { parseScopes } from './scopes';
import { openedByReload } from './launch-binding';
import { clearStoredSession, sessionStorageUsable, SMART_KEY, STORAGE_BLOCKED_MESSAGE, storedLaunchState } from './session-storage';

export { clearStoredSession };

export type SessionResult =
  | { kind: 'ready'; client: Client; patientId: string; needPatientBanner: boolean; grantedScopes: string[]; orderedTherapy?: TherapyId }
  | { kind: 'no-launch' }
  | { kind: 'auth-error'; error: string; description?: string; unverified?: boolean }
  | { kind: 'expired'; message: string }
  | { kind: 'failed'; message: string };

// fhirclient is CommonJS: Vite's dev server hands a default import the module object, builds and
// tests hand it the class. A fresh adapter per session (rather than the browser entry's singleton,
// which caches the page URL) keeps each completion tied to the URL it completes.
const BrowserAdapter = ((BrowserAdapterImport as unknown as { default?: typeof BrowserAdapterImport }).default ?? BrowserAdapterImport);

/** OAuth error codes are short ASCII words (RFC 6749 §4.1.2.1); anything else is not shown. */
const ERROR_CODE = /^[A-Za-z0-9_.-]{1,64}$/;
const MAX_DESCRIPTION_LENGTH = 300;

export const MISSING_VERIFIER_MESSAGE =
  'This sign-in cannot be verified (the launch holds no PKCE verifier), so it was refused. Launch the app again from the patient’s chart.';

let pending: Promise<SessionResult> | undefined;

/**
 * Memoised for the page's lifetime: an authorization code can be exchanged only once, and
 * React StrictMode runs effects twice.
 */
export function startSession(): Promise<SessionResult> {
  pending ??= completeSession();
  return pending;
}

/** Tests run several launches in one page; the app never calls this. */
export function resetSessionForTests(): void {
  pending = undefined;
}

function storedJson(key: string): unknown {
  const raw = window.sessionStorage.getItem(key);
  if (raw === null) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function expired(): SessionResult {
  return { kind: 'expired', message: SESSION_EXPIRED_MESSAGE };
}

/** The token endpoint refuses a code that is stale or already used with `invalid_grant`. */
function isStaleCode(error: unknown): boolean {
  const status = (error as { status?: unknown }).status;
  return status === 400 && /invalid_grant/.test(String((error as Error).message));
}

/**
 * An authorization server's error answer. Anyone can send a link to `/?error=…&error_description=…`,
 * so the description (free text) is shown only when `state` names a launch this tab started,
 * and then only its first 300 characters.
 */
function authError(params: URLSearchParams): SessionResult {
  const error = params.get('error')?.trim() ?? '';
  const description = params.get('error_description')?.replace(/\s+/g, ' ').trim() ?? '';
  const state = params.get('state');
  const ours = state !== null && storedLaunchState(state) !== undefined;
  const result: SessionResult = { kind: 'auth-error', error: ERROR_CODE.test(error) ? error : 'unknown_error' };
  if (!ours) result.unverified = true;
  else if (description) {
    result.description = description.length > MAX_DESCRIPTION_LENGTH ? `${description.slice(0, MAX_DESCRIPTION_LENGTH - 1)}…` : description;
  }
  return result;
}

async function completeSession(): Promise<SessionResult> {
  const params = new URL(window.location.href).searchParams;
  if (params.has('error') || params.has('error_description')) return authError(params);
  if (!sessionStorageUsable()) {
    return params.has('code') || params.has('state') ? { kind: 'failed', message: STORAGE_BLOCKED_MESSAGE } : { kind: 'no-launch' };
  }

  const state = params.get('state');
  const code = params.get('code');
  const storedKey = storedJson(SMART_KEY);
  if (!state && !code && typeof storedKey !== 'string') return { kind: 'no-launch' };
  // A stored session is resumed by a reload of the app page only (src/fhir/launch-binding.ts).
  if (!state && !code && !openedByReload()) {
    clearStoredSession();
    return { kind: 'no-launch' };
  }
  const key = state ?? (typeof storedKey === 'string' ? storedKey : undefined);
  // A state we never issued (or one from a tab that is gone) cannot be completed.
  if (!key || storedJson(key) === undefined) return expired();
  // PKCE is required: a code arriving for a launch that holds no verifier is refused before it is
  // exchanged (a forged or tampered session), rather than exchanged without proof.
  const stored = storedJson(key) as { codeVerifier?: unknown } | null;
  if (code && (!stored || typeof stored !== 'object' || typeof stored.codeVerifier !== 'string' || stored.codeVerifier === '')) {
    return { kind: 'failed', message: MISSING_VERIFIER_MESSAGE };
  }

  let client: Client;
  try {
    // A public client names itself on a refresh (RFC 6749 §6 allows it; some EHRs and the sandbox require it).
    client = await new BrowserAdapter({ refreshTokenWithClientId: true }).getSmartApi().ready();
  } catch (readyError) {
    if (isStaleCode(readyError)) return expired();
    return { kind: 'failed', message: `Sign-in could not be completed: ${wholeCause(readyError)}` };
  }

  const tokenResponse = client.state.tokenResponse ?? {};
  if (!tokenResponse.access_token) return expired();
  const expiresAt = client.state.expiresAt;
  if (typeof expiresAt === 'number' && expiresAt <= Date.now() / 1000 && !tokenResponse.refresh_token) {
    return expired();
  }
  const patientId = client.patient.id;
  if (!patientId) {
    return {
      kind: 'failed',
      message: 'The EHR did not say which patient is open. Launch the app from a patient’s chart.',
    };
  }
  const banner = tokenResponse.need_patient_banner as unknown;
  // Opened from a CDS Hooks card: the EHR passes the card's appContext in the token response.
  const orderedTherapy = therapyFromAppContext(tokenResponse.appContext);
  return {
    kind: 'ready',
    client,
    patientId: String(patientId),
    needPatientBanner: banner !== false && banner !== 'false',
    // OAuth: an omitted scope in the token response means "as requested".
    grantedScopes: parseScopes(tokenResponse.scope ?? client.state.scope),
    ...(orderedTherapy ? { orderedTherapy } : {}),
  };
}
