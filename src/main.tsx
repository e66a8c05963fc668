import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type Client from 'fhirclient/lib/Client';
import { startSession } from './fhir/session';
import { loadPatientData } from './fhir/loader';
import { SessionExpiredError } from './fhir/errors';
import { clearStoredSession } from './fhir/session-storage';
import { App } from './ui/App';
import type { AppDeps } from './ui/deps';
import { fetchSiteConfig } from './ui/site-config';
import { longestLabWindowDays, resolveConfig } from './engine/config';

/** Labs are searched back to the longest window plus five weeks, so "outdated" can still show. */
const LOOKBACK_MARGIN_DAYS = 35;

/** Today in the user's own time zone: windows are counted in the clinic's days, not UTC's. */
function today(): string {
  const now = new Date();
  const month = String(now.getMonth() + 1).padStart(2, '0');
  const day = String(now.getDate()).padStart(2, '0');
  return `${now.getFullYear()}-${month}-${day}`;
}

// The engine and its code lists are the largest part of the app: fetch them as a separate chunk
// while the SMART session and the FHIR searches are under way, not before them.
type Engine = typeof import('./engine/index');
const enginePromise: Promise<Engine> = import('./engine/index');
let engine: Engine | undefined;
const loadedEngine = (): Engine => {
  if (!engine) throw new Error('the assessment engine has not loaded');
  return engine;
};

const deps: AppDeps<Client> = {
  startSession,
  loadPatientData: async (client) => {
    // `npm run bench` builds a copy in mode 'bench' that loads like a typical SMART app, for
    // comparison. MODE is replaced at build time, so production builds drop this branch.
    const loading =
      import.meta.env.MODE === 'bench'
        ? import('./bench/naive-loader').then(({ loadNaively }) => loadNaively(client))
        : loadPatientData(client, { asOf: today() });
    const [data, loaded] = await Promise.all([loading, enginePromise]);
    engine = loaded;
    return data;
  },
  buildRecord: (input) => loadedEngine().buildRecord(input as Parameters<Engine['buildRecord']>[0]),
  assess: (record, options) => loadedEngine().assess(record, options),
  preselectTherapy: (record) => loadedEngine().preselectTherapy(record, today()),
  today,
  isSessionExpired: (error) => error instanceof SessionExpiredError,
  clearSession: () => clearStoredSession(),
  devSandboxUrl: import.meta.env.DEV ? '/ehr/' : undefined,
};

const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <App deps={deps} />
    </StrictMode>,
  );
}
