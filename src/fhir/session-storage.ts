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

/** The stored state of a launch this tab started under `key`, if any. */
export function storedLaunchState(key: string, storage: Storage = window.sessionStorage): Record<string, unknown> | undefined {
  try {
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
export function clearStoredSession(storage: Storage = window.sessionStorage): void {
  try {
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
