import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type Client from 'fhirclient/lib/Client';
import { startSession } from './fhir/session';
import { loadPatientData } from './fhir/loader';
import { SessionExpiredError } from './fhir/errors';
import { buildRecord } from './engine/normalise/index';
import { assess, preselectTherapy } from './engine/assess/index';
import { App } from './ui/App';
import type { AppDeps } from './ui/deps';

/** Today in the user's own time zone: windows are counted in the clinic's days, not UTC's. */
function today(): string {
  const now = new Date();
  const month = String(now.getMonth() + 1).padStart(2, '0');
  const day = String(now.getDate()).padStart(2, '0');
  return `${now.getFullYear()}-${month}-${day}`;
}

const deps: AppDeps<Client> = {
  startSession,
  loadPatientData: (client) => loadPatientData(client),
  buildRecord,
  assess,
  preselectTherapy,
  today,
  isSessionExpired: (error) => error instanceof SessionExpiredError,
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
