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
