/**
 * What the app shell needs from the rest of the app. The shell takes these as injected
 * dependencies so the UI can be tested with fakes and the SMART/FHIR layer swapped; main.tsx
 * wires the real modules. The shapes mirror src/fhir/session.ts and src/fhir/loader.ts but only
 * as far as the UI reads them.
 */
import type { Patient, Resource } from 'fhir/r4';
import type { LoadedResourceType, LoadStatus, PatientRecord } from '../engine/record';
import type { ReadinessReport, TherapyId } from '../contract/report';
import type { ConfigOverrides } from '../engine/config';
import type { WriteBack } from '../fhir/write-back';
import type { SavedMarks } from '../fhir/saved-marks';

export type UiSessionResult<C> =
  | {
      kind: 'ready';
      client: C;
      patientId: string;
      needPatientBanner: boolean;
      grantedScopes?: string[];
      /** The agent of the order a CDS Hooks card was about, when the app was opened from its link. */
      orderedTherapy?: TherapyId;
    }
  | { kind: 'no-launch' }
  | { kind: 'auth-error'; error: string; description?: string; unverified?: boolean }
  | { kind: 'expired'; message: string }
  | { kind: 'failed'; message: string };

export interface UiLoadedData {
  patient?: Patient;
  resources: Resource[];
  loads: Partial<Record<LoadedResourceType, LoadStatus>>;
  observationsSince?: string;
  /** The order being written, from the launch context (`fhirContext`). */
  orders?: Resource[];
  /** The searches that failed and may work a second time: what "Try again" re-runs (issue 18). */
  failedSearches?: string[];
  /** The to-do marks saved with this app's newest note, when the loader could look for them. */
  savedMarks?: SavedMarks;
}

export interface AppDeps<C> {
  startSession(): Promise<UiSessionResult<C>>;
  /**
   * The site's windows and thresholds (public/site-config.json), read at launch. Rejects with the
   * reason when the file cannot be used: the app then stops on the configuration screen rather
   * than silently using defaults. Absent: the specification's defaults.
   */
  loadSiteConfig?(): Promise<ConfigOverrides>;
  /** Loads the record; the site settings decide how far back labs are searched. */
  loadPatientData(client: C, config: ConfigOverrides): Promise<UiLoadedData>;
  /**
   * "Try again": re-runs only `previous.failedSearches` and returns `previous` with their answers
   * merged in (src/fhir/retry-load.ts). Absent: no "Try again" is offered on the data-gap banner.
   */
  retryFailedSearches?(client: C, config: ConfigOverrides, previous: UiLoadedData): Promise<UiLoadedData>;
  buildRecord(input: {
    resources: Resource[];
    patientId?: string;
    loads?: Partial<Record<LoadedResourceType, LoadStatus>>;
    observationsSince?: string;
  }): PatientRecord;
  assess(record: PatientRecord, options: { now: string; therapy?: TherapyId; config?: ConfigOverrides }): ReadinessReport;
  preselectTherapy(record: PatientRecord): TherapyId | undefined;
  /** Today's date in the user's time zone, YYYY-MM-DD. */
  today(): string;
  /** Tells a 401 from the FHIR server (the loader's SessionExpiredError) from other failures. */
  isSessionExpired?(error: unknown): boolean;
  /** In development, where the sandbox EHR lives, for the "opened without a launch" screen. */
  devSandboxUrl?: string;
  /** Forgets the SMART session (token, verifier, patient id): called before any error or expired screen. */
  clearSession?(): void;
  /** What this launch may write to the chart (from its granted scopes and SMART Web Messaging); none when absent. */
  writeBack?(client: C): { writeBack: WriteBack; user?: string };
  /** The signed-in user's name (their fhirUser Practitioner), for "printed by"; undefined when not granted or unreadable. */
  userName?(client: C): Promise<string | undefined>;
}
