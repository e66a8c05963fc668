/// <reference types="vite/client" />
/**
 * Entry of the SMART launch page (`<origin>/launch/`). The EHR opens it with `iss` and
 * `launch`; a standalone launch passes `iss` only. Everything shown is plain text.
 */
import FHIR from 'fhirclient/lib/entry/browser';
import { beginLaunch } from '../src/fhir/launch';
import { clearStoredSession, sessionStorageUsable } from '../src/fhir/session-storage';
import { renderLaunchMessage } from './render';

const root = document.getElementById('launch') ?? document.body;
const base = new URL(import.meta.env.BASE_URL, window.location.origin);

void beginLaunch({
  url: new URL(window.location.href),
  appUrl: base.href,
  configUrl: new URL('smart-config.json', base).href,
  overrides: {
    clientId: import.meta.env.VITE_SMART_CLIENT_ID as string | undefined,
    scopes: import.meta.env.VITE_SMART_SCOPES as string | undefined,
  },
  fetch: (input, init) => window.fetch(input, init),
  authorize: (params) => FHIR.oauth2.authorize(params),
  production: import.meta.env.PROD,
  sessionStorageUsable,
}).then((outcome) => {
  if (outcome.kind === 'no-launch') {
    renderLaunchMessage(root, {
      kind: 'no-launch',
      sandboxUrl: import.meta.env.DEV ? new URL('ehr/', base).href : undefined,
    });
  } else if (outcome.kind === 'error') {
    clearStoredSession();
    renderLaunchMessage(root, { kind: 'error', message: outcome.message });
  }
  // 'redirecting': fhirclient has already sent the page to the authorization server.
});
