/** Shown whenever the SMART session is gone: the only fix is a new launch from the chart. */
export const SESSION_EXPIRED_MESSAGE = "Your session has ended. Launch the app again from the patient's chart.";

/**
 * Thrown by the loader when the FHIR server answers 401: no partial data is returned, since
 * every other request made with the same token will fail the same way.
 */
export class SessionExpiredError extends Error {
  override name = 'SessionExpiredError';
  constructor(message: string = SESSION_EXPIRED_MESSAGE) {
    super(message);
  }
}

/**
 * A thrown error as one line with its whole cause, bounded. fhirclient's errors put the cause
 * after a "URL:" line ("401 Unauthorized / URL: … / invalid_client: Simulated invalid client
 * error"): the first line alone says nothing useful.
 */
export function wholeCause(error: unknown, max = 500): string {
  const message = error instanceof Error ? error.message : String(error);
  const text = message
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '' && !/^URL: /.test(line))
    .join(' — ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
