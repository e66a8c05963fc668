/**
 * A SMART session belongs to the launch that started it. fhirclient keeps the session (token,
 * refresh token, patient) in the tab's sessionStorage and resumes it whenever the app page opens
 * without `code`/`state`: so after leaving the app, opening its address again in that tab showed
 * the last patient's checklist with no launch, and the refresh token kept working.
 *
 * Only a reload of the app page resumes the session (the Navigation Timing API tells a reload
 * from a new navigation: https://www.w3.org/TR/navigation-timing-2/#dom-navigationtimingtype).
 * Any other arrival (typed or linked address, back/forward, a page restored from the
 * back/forward cache) forgets it and asks for a launch from the chart.
 */

/** Whether this document was loaded by a reload; false when the browser cannot say (fail closed). */
export function openedByReload(perf: Pick<Performance, 'getEntriesByType'> | undefined = globalThis.performance): boolean {
  try {
    const entry = perf?.getEntriesByType('navigation')[0] as { type?: unknown } | undefined;
    return entry?.type === 'reload';
  } catch {
    return false;
  }
}

/**
 * A page restored from the back/forward cache runs no script again: it would show the last
 * checklist as it was. It is forgotten and loaded afresh (as a reload of a page with no session
 * left, it then asks for a launch).
 */
export function forgetSessionOnRestore(win: Window, forget: () => void): void {
  win.addEventListener('pageshow', (event) => {
    if (!(event as PageTransitionEvent).persisted) return;
    forget();
    win.location.reload();
  });
}
