/**
 * Hook for fault injection in front of the FHIR engine (latency, 5xx, 429 with Retry-After,
 * malformed JSON, per resource type). It runs after authentication and access control, so a
 * fault never leaks data a token could not read. No faults are injected yet.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface FhirFaultContext {
  method: string;
  /** First path segment after the FHIR base ('' for batch/system requests). */
  resourceType: string;
  /** Path segments after the FHIR base. */
  path: string[];
  query: URLSearchParams;
  /** Patient in the token context, when any. */
  patient?: string;
}

/**
 * Return true when the hook has answered the request itself (the engine is then skipped);
 * false to let the engine answer (after any delay the hook awaited).
 */
export type FhirFaultHook = (context: FhirFaultContext, req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export const noFaults: FhirFaultHook = () => false;
