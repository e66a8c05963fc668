/**
 * From page load to an assessable record: session, load, normalise. Every failure becomes a
 * screen with plain words; nothing here throws.
 */
import type { Resource } from 'fhir/r4';
import type { PatientRecord } from '../engine/record';
import type { TherapyId } from '../contract/report';
import type { ConfigOverrides } from '../engine/config';
import type { AppDeps, UiLoadedData, UiSessionResult } from './deps';
import { fullTextLookup, type FullTextLookup } from './full-text';
import type { SavedMarks } from '../fhir/saved-marks';

export type BootResult =
  | {
      kind: 'ready';
      record: PatientRecord;
      needPatientBanner: boolean;
      /** The date every assessment in this session uses, so a therapy change compares like with like. */
      now: string;
      preselected?: TherapyId;
      /** Where the preselection came from: the order being written (launch context) or the record. */
      preselectedFrom?: 'order' | 'record';
      observationsSince?: string;
      /** The loaded resources' long texts, for evidence the record shortened. */
      fullText?: FullTextLookup;
      /** The site's settings every assessment of this session uses. */
      config: ConfigOverrides;
      /** The session's client, for write-back actions the token allows. */
      client?: unknown;
      grantedScopes?: string[];
      /** "Try again": re-runs only the searches that failed, then reads and assesses again. */
      retry?: () => Promise<BootResult>;
      /** What the last "Try again" found, in words. */
      retryOutcome?: string;
      /** The to-do marks saved with this app's newest note (absent when not looked for). */
      savedMarks?: SavedMarks;
    }
  | { kind: 'no-launch' }
  | { kind: 'config-error'; message: string }
  | { kind: 'auth-error'; error: string; description?: string; unverified?: boolean }
  | { kind: 'expired'; message: string }
  | { kind: 'failed'; message: string; detail?: string; retry?: () => Promise<BootResult> };

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

/**
 * Error text for the user: the message only (never a stack), every line of it but a "URL:" one
 * (the cause is often on a later line), bounded in length.
 */
export function errorDetail(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : undefined;
  if (!message) return undefined;
  const text = message
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '' && !/^URL: /.test(line) && !/^\s*at /.test(line))
    .join(' — ');
  if (!text) return undefined;
  return text.length > 500 ? `${text.slice(0, 499)}…` : text;
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

/**
 * Every screen but the sidebar ends the session for good: fhirclient's stored state (token,
 * PKCE verifier, patient id) is cleared first, so nothing of it outlives the error.
 */
export async function bootstrap<C>(deps: AppDeps<C>): Promise<BootResult> {
  return settled(deps, await boot(deps));
}

/**
 * Clears the stored session for every screen but the sidebar, and does the same for whatever a
 * "Try again" leads to. A retry keeps the client in memory only, for as long as the page is open.
 */
function settled<C>(deps: AppDeps<C>, result: BootResult): BootResult {
  if (result.kind !== 'ready' && result.kind !== 'no-launch') {
    try {
      deps.clearSession?.();
    } catch {
      // Storage may be blocked; the screen matters more.
    }
  }
  if ((result.kind === 'ready' || result.kind === 'failed') && result.retry) {
    const retry = result.retry;
    result.retry = () => retry().then((next) => settled(deps, next));
  }
  return result;
}

/** The order in context, judged as what it is: a draft being written, whatever status it was stored with. */
function asDraft(order: Resource): Resource {
  return { ...order, status: 'draft' } as Resource;
}

async function boot<C>(deps: AppDeps<C>): Promise<BootResult> {
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
  return loadAndRead(deps, session, site.config);
}

type ReadySession<C> = Extract<UiSessionResult<C>, { kind: 'ready' }>;

/** The whole load (first time, or "Try again" after it failed as a whole), then the record. */
async function loadAndRead<C>(deps: AppDeps<C>, session: ReadySession<C>, config: ConfigOverrides): Promise<BootResult> {
  let data: UiLoadedData;
  try {
    data = await deps.loadPatientData(session.client, config);
  } catch (error) {
    const expired = deps.isSessionExpired ? deps.isSessionExpired(error) : looksExpired(error);
    if (expired) return { kind: 'expired', message: 'The EHR session has expired.' };
    return { kind: 'failed', message: 'The patient record could not be loaded.', detail: errorDetail(error), retry: () => loadAndRead(deps, session, config) };
  }
  return readLoaded(deps, session, config, data);
}

/** "Try again" on the sidebar: only the failed searches; a failure of the retry itself keeps what was shown. */
async function retryFailed<C>(deps: AppDeps<C>, session: ReadySession<C>, config: ConfigOverrides, data: UiLoadedData, shown: BootResult): Promise<BootResult> {
  let merged: UiLoadedData;
  try {
    merged = await deps.retryFailedSearches!(session.client, config, data);
  } catch (error) {
    const expired = deps.isSessionExpired ? deps.isSessionExpired(error) : looksExpired(error);
    if (expired) return { kind: 'expired', message: 'The EHR session has expired.' };
    return { ...shown, retryOutcome: `Trying again did not work${errorDetail(error) ? `: ${errorDetail(error)}` : ''}.` } as BootResult;
  }
  const next = readLoaded(deps, session, config, merged);
  if (next.kind === 'ready') {
    const still = merged.failedSearches?.length ?? 0;
    next.retryOutcome = still ? `Read again: ${still === 1 ? 'one search' : `${still} searches`} still could not be loaded.` : 'Read again: everything that failed has now loaded.';
  }
  return next;
}

function readLoaded<C>(deps: AppDeps<C>, session: ReadySession<C>, config: ConfigOverrides, data: UiLoadedData): BootResult {
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

  // The order being written names the agent best (from the launch's fhirContext, else from the
  // CDS card that opened the app); else an active or draft order in the record.
  let preselected: TherapyId | undefined;
  let preselectedFrom: 'order' | 'record' | undefined;
  try {
    if (data.orders?.length) {
      const orderRecord = deps.buildRecord({
        resources: [
          ...(data.patient ? [data.patient] : []),
          ...data.orders.map(asDraft),
          ...data.resources.filter((resource) => resource.resourceType === 'Medication'),
        ],
        patientId: session.patientId,
      });
      preselected = deps.preselectTherapy(orderRecord);
      if (preselected) preselectedFrom = 'order';
    }
    if (!preselected && session.orderedTherapy) {
      preselected = session.orderedTherapy;
      preselectedFrom = 'order';
    }
    if (!preselected) {
      preselected = deps.preselectTherapy(record);
      if (preselected) preselectedFrom = 'record';
    }
  } catch {
    // Preselection is a convenience; the default therapy is a safe fallback.
    preselected = undefined;
    preselectedFrom = undefined;
  }

  const ready: BootResult = {
    kind: 'ready',
    record,
    needPatientBanner: session.needPatientBanner,
    now: deps.today(),
    preselected,
    ...(preselectedFrom ? { preselectedFrom } : {}),
    observationsSince: data.observationsSince,
    fullText: fullTextLookup(data.resources),
    config,
    client: session.client,
    ...(session.grantedScopes ? { grantedScopes: session.grantedScopes } : {}),
    ...(data.savedMarks ? { savedMarks: data.savedMarks } : {}),
  };
  if (data.failedSearches?.length && deps.retryFailedSearches) ready.retry = () => retryFailed(deps, session, config, data, ready);
  return ready;
}
