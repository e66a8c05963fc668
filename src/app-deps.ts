/**
 * The app's real dependencies, for an entry point to mount: the SMART session, the site's
 * settings (public/site-config.json, read at launch), the assessment engine (fetched as its own
 * chunk while the FHIR searches run) and a record loader chosen by the entry point.
 */
import type Client from 'fhirclient/lib/Client';
import type { ConfigOverrides } from './engine/config';
import { SessionExpiredError } from './fhir/errors';
import { startSession } from './fhir/session';
import { clearStoredSession } from './fhir/session-storage';
import { forgetSessionOnRestore } from './fhir/launch-binding';
import { writeBackFor } from './fhir/write-back';
import { readUserName } from './fhir/user-name';
import type { AppDeps, UiLoadedData } from './ui/deps';
import { fetchSiteConfig } from './ui/site-config';

/** Today in the user's own time zone: windows are counted in the clinic's days, not UTC's. */
export function today(): string {
  const now = new Date();
  const month = String(now.getMonth() + 1).padStart(2, '0');
  const day = String(now.getDate()).padStart(2, '0');
  return `${now.getFullYear()}-${month}-${day}`;
}

export type RecordLoader = (client: Client, config: ConfigOverrides, asOf: string) => Promise<UiLoadedData>;
/** "Try again": the failed searches of `previous` only, merged into it (src/fhir/retry-load.ts). */
export type RecordRetry = (client: Client, config: ConfigOverrides, asOf: string, previous: UiLoadedData) => Promise<UiLoadedData>;

type Engine = typeof import('./engine/index');

export function createAppDeps(loadRecord: RecordLoader, retryRecord?: RecordRetry): AppDeps<Client> {
  // The session belongs to its launch: a page restored from the back/forward cache forgets it.
  forgetSessionOnRestore(window, () => clearStoredSession());
  // The engine and its code lists are the largest part of the app: fetch them as a separate chunk
  // while the SMART session and the FHIR searches are under way, not before them.
  const enginePromise: Promise<Engine> = import('./engine/index');
  let engine: Engine | undefined;
  const loadedEngine = (): Engine => {
    if (!engine) throw new Error('the assessment engine has not loaded');
    return engine;
  };
  // Next to the app page (the SMART redirect URI), so a site edits it without a rebuild.
  const siteConfigUrl = new URL('site-config.json', document.baseURI).href;

  return {
    startSession,
    loadSiteConfig: () => fetchSiteConfig(siteConfigUrl),
    loadPatientData: async (client, config) => {
      const [data, loaded] = await Promise.all([loadRecord(client, config, today()), enginePromise]);
      engine = loaded;
      return data;
    },
    ...(retryRecord ? { retryFailedSearches: (client: Client, config: ConfigOverrides, previous: UiLoadedData) => retryRecord(client, config, today(), previous) } : {}),
    buildRecord: (input) => loadedEngine().buildRecord(input as Parameters<Engine['buildRecord']>[0]),
    assess: (record, options) => loadedEngine().assess(record, options),
    preselectTherapy: (record) => loadedEngine().preselectTherapy(record, today()),
    today,
    isSessionExpired: (error) => error instanceof SessionExpiredError,
    clearSession: () => clearStoredSession(),
    devSandboxUrl: import.meta.env.DEV ? '/ehr/' : undefined,
    writeBack: (client) => {
      const user = client.getFhirUser?.();
      return { writeBack: writeBackFor(client, window), ...(typeof user === 'string' && user ? { user } : {}) };
    },
    userName: (client) => readUserName(client as unknown as Parameters<typeof readUserName>[0]),
  };
}
