/**
 * fhirclient keeps the SMART session in sessionStorage: `SMART_KEY` names the current state
 * key, and that key holds the state (server URL, PKCE verifier, token response with the access
 * token and patient id). Nothing else of the app lives there.
 */

/** fhirclient/lib/settings SMART_KEY. */
export const SMART_KEY = 'SMART_KEY';

function parse(raw: string | null): unknown {
  if (raw === null) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** A value fhirclient's authorize() stored: its own key plus the server it is for. */
function isSmartState(key: string, value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { key?: unknown }).key === key && 'serverUrl' in value;
}

/**
 * Shown when the browser denies the app its session storage: a cross-site EHR iframe in a
 * browser that blocks third-party storage instead of partitioning it. SMART sign-in cannot
 * survive its redirects without it.
 */
export const STORAGE_BLOCKED_MESSAGE =
  'This browser does not let the app keep its sign-in inside the EHR window (storage for embedded apps is blocked), so it cannot connect. Open the app in its own tab from the chart, or ask your EHR support team to allow storage for this app.';

/** Whether sessionStorage can be read and written here (it throws when a browser blocks it for this frame). */
export function sessionStorageUsable(): boolean {
  try {
    const storage = window.sessionStorage;
    const probe = '__jak_readiness_probe__';
    storage.setItem(probe, '1');
    storage.removeItem(probe);
    return true;
  } catch {
    return false;
  }
}

/** The stored state of a launch this tab started under `key`, if any. */
export function storedLaunchState(key: string, given?: Storage): Record<string, unknown> | undefined {
  try {
    const storage = given ?? window.sessionStorage;
    const value = parse(storage.getItem(key));
    return isSmartState(key, value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Forgets the session (token, verifier, patient id): called on every error and session-expired
 * screen, so nothing of a failed or ended session stays in the tab. Never throws (storage may be
 * blocked in a partitioned or sandboxed frame).
 */
export function clearStoredSession(given?: Storage): void {
  try {
    // Read inside the try: the getter itself throws where storage is blocked.
    const storage = given ?? window.sessionStorage;
    const keys = new Set<string>([SMART_KEY]);
    const pointer = parse(storage.getItem(SMART_KEY));
    if (typeof pointer === 'string') keys.add(pointer);
    for (let index = 0; index < storage.length; index += 1) {
      const key = storage.key(index);
      if (key !== null && isSmartState(key, parse(storage.getItem(key)))) keys.add(key);
    }
    for (const key of keys) storage.removeItem(key);
  } catch {
    // Nothing stored, or nothing we may touch.
  }
}
