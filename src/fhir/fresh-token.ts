/**
 * A write from the open sidebar (save the note, order labs) with a token that is still good.
 *
 * fhirclient 2.6's `create()` goes through `FhirClient.fhirRequest`, which sends the stored access
 * token as it is: unlike `Client.request()` it never refreshes. A clinician who reads the checklist
 * longer than the token lives (30 s at the SMART reference launcher with a short lifetime, often an
 * hour at an EHR) then clicks "Save to chart" and gets "Not saved: 401", although the session holds a
 * refresh token. So a write refreshes first when the stored expiry has passed, and once after a 401
 * (a revoked token, or a browser clock that is wrong). Without a way to refresh, the write goes out
 * as it is and the EHR's answer is reported.
 */

/** The slice of fhirclient's Client a refreshing write needs. */
export interface RefreshableClient {
  state: { tokenResponse?: Record<string, unknown>; expiresAt?: unknown; tokenUri?: unknown };
  refresh?: (requestOptions?: object) => Promise<unknown>;
}

/** fhirclient refreshes a token this close to its expiry too (Client.refreshIfNeeded). */
const EXPIRY_MARGIN_SECONDS = 10;

/** As fhirclient's refresh() requires: a refresh token, an online/offline grant, a token endpoint. */
function canRefresh(client: RefreshableClient): boolean {
  const token = client.state.tokenResponse;
  const scope = typeof token?.scope === 'string' ? token.scope : '';
  return (
    typeof client.refresh === 'function' &&
    typeof token?.refresh_token === 'string' &&
    token.refresh_token !== '' &&
    typeof client.state.tokenUri === 'string' &&
    /\b(online|offline)_access\b/.test(scope)
  );
}

const accessToken = (client: RefreshableClient): unknown => client.state.tokenResponse?.access_token;

function expired(client: RefreshableClient): boolean {
  const expiresAt = client.state.expiresAt;
  return typeof expiresAt === 'number' && expiresAt - EXPIRY_MARGIN_SECONDS <= Date.now() / 1000;
}

const isUnauthorized = (error: unknown): boolean => (error as { status?: unknown } | null)?.status === 401;

/**
 * Writes made together (one create per lab order) share one refresh: `refresh` is kept per
 * token it replaces, so the second write that meets the same expired token waits for the first's.
 */
export function freshTokenWriter(client: RefreshableClient): <T>(write: () => Promise<T>) => Promise<T> {
  let pending: { replaces: unknown; done: Promise<void> } | undefined;
  const refreshOnce = (): Promise<void> => {
    const current = accessToken(client);
    if (pending === undefined || pending.replaces !== current) {
      pending = { replaces: current, done: client.refresh!().then(() => undefined) };
    }
    return pending.done;
  };

  return async (write) => {
    if (expired(client) && canRefresh(client)) {
      // A refused refresh leaves the token as it is; the EHR's answer to the write says the rest.
      await refreshOnce().catch(() => undefined);
    }
    const sentWith = accessToken(client);
    try {
      return await write();
    } catch (error) {
      if (!isUnauthorized(error)) throw error;
      // Another write of this batch may have refreshed meanwhile: then just try again.
      if (accessToken(client) === sentWith) {
        if (!canRefresh(client)) throw error;
        try {
          await refreshOnce();
        } catch {
          throw error;
        }
        if (accessToken(client) === sentWith) throw error;
      }
      return write();
    }
  };
}
