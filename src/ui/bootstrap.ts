/**
 * From page load to an assessable record: session, load, normalise. Every failure becomes a
 * screen with plain words; nothing here throws.
 */
import type { Resource } from 'fhir/r4';
import type { PatientRecord } from '../engine/record';
import type { TherapyId } from '../contract/report';
import type { ConfigOverrides } from '../engine/config';
import type { AppDeps, UiLoadedData } from './deps';

export type BootResult =
  | {
      kind: 'ready';
      record: PatientRecord;
      needPatientBanner: boolean;
      /** The date every assessment in this session uses, so a therapy change compares like with like. */
      now: string;
      preselected?: TherapyId;
      observationsSince?: string;
      /** The site's settings every assessment of this session uses. */
      config: ConfigOverrides;
      /** The session's client, for write-back actions the token allows. */
      client?: unknown;
      grantedScopes?: string[];
    }
  | { kind: 'no-launch' }
  | { kind: 'config-error'; message: string }
  | { kind: 'auth-error'; error: string; description?: string }
  | { kind: 'expired'; message: string }
  | { kind: 'failed'; message: string; detail?: string };

export const PATIENT_MISMATCH_MESSAGE =
  'The EHR returned a different patient than the one this session was opened for, so nothing is shown. Launch the app again from the patient’s chart.';

const SESSION_KINDS = new Set(['ready', 'no-launch', 'auth-error', 'expired', 'failed']);

type ConfigResult = { ok: true; config: ConfigOverrides } | { ok: false; message: string };

/** Fetched while the session starts: it decides how far back labs are searched. */
function readSiteConfig<C>(deps: AppDeps<C>): Promise<ConfigResult> {
  if (!deps.loadSiteConfig) return Promise.resolve({ ok: true, config: {} });
  return deps.loadSiteConfig().then(
    (config) => ({ ok: true as const, config }),
    (error: unknown) => ({ ok: false as const, message: errorDetail(error) ?? 'the site configuration could not be read' }),
  );
}

/** Error text for the user: the message only (never a stack), bounded in length. */
export function errorDetail(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : undefined;
  if (!message) return undefined;
  const firstLine = message.split('\n')[0]!.trim();
  return firstLine.length > 300 ? `${firstLine.slice(0, 297)}…` : firstLine;
}

function looksExpired(error: unknown): boolean {
  return error instanceof Error && error.name === 'SessionExpiredError';
}

/** The loader may or may not include the Patient in `resources`; the record needs it once. */
function withPatient(data: UiLoadedData): Resource[] {
  const { patient, resources } = data;
  if (!patient) return resources;
  const present = resources.some((resource) => resource.resourceType === 'Patient' && resource.id === patient.id);
  return present ? resources : [patient, ...resources];
}

export async function bootstrap<C>(deps: AppDeps<C>): Promise<BootResult> {
  const configWork = readSiteConfig(deps);
  let session;
  try {
    session = await deps.startSession();
  } catch (error) {
    return { kind: 'failed', message: 'The connection to the EHR could not be set up.', detail: errorDetail(error) };
  }
  if (!session || !SESSION_KINDS.has(session.kind)) {
    return { kind: 'failed', message: 'The connection to the EHR gave an unexpected answer.' };
  }
  if (session.kind !== 'ready') return session;

  // A site setting that cannot be used stops here: no result under rules the site did not choose.
  const site = await configWork;
  if (!site.ok) return { kind: 'config-error', message: site.message };

  let data: UiLoadedData;
  try {
    data = await deps.loadPatientData(session.client, site.config);
  } catch (error) {
    const expired = deps.isSessionExpired ? deps.isSessionExpired(error) : looksExpired(error);
    if (expired) return { kind: 'expired', message: 'The EHR session has expired.' };
    return { kind: 'failed', message: 'The patient record could not be loaded.', detail: errorDetail(error) };
  }

  // The record must be the patient the token is for: a server answering with another patient is
  // refused rather than shown under the wrong name.
  if (data.patient?.id && data.patient.id !== session.patientId) {
    return { kind: 'failed', message: PATIENT_MISMATCH_MESSAGE };
  }

  let record: PatientRecord;
  try {
    record = deps.buildRecord({
      resources: withPatient(data),
      patientId: session.patientId,
      loads: data.loads,
      ...(data.observationsSince ? { observationsSince: data.observationsSince } : {}),
    });
  } catch (error) {
    return { kind: 'failed', message: 'The patient record could not be read.', detail: errorDetail(error) };
  }

  let preselected: TherapyId | undefined;
  try {
    preselected = deps.preselectTherapy(record);
  } catch {
    // Preselection is a convenience; the default therapy is a safe fallback.
    preselected = undefined;
  }

  return {
    kind: 'ready',
    record,
    needPatientBanner: session.needPatientBanner,
    now: deps.today(),
    preselected,
    observationsSince: data.observationsSince,
    config: site.config,
    client: session.client,
    ...(session.grantedScopes ? { grantedScopes: session.grantedScopes } : {}),
  };
}
