import { afterEach, describe, expect, it, vi } from 'vitest';
import { StrictMode } from 'react';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { Resource } from 'fhir/r4';
import { App } from '../../src/ui/App';
import type { AppDeps, UiLoadedData, UiSessionResult } from '../../src/ui/deps';
import type { PatientRecord } from '../../src/engine/record';
import type { ReadinessReport, TherapyId } from '../../src/contract/report';
import { item, orderTodo, report } from './fixtures';

afterEach(cleanup);

const CLIENT = { fake: 'client' };
const RECORD: PatientRecord = {
  patient: { id: 'p1', sex: 'female' },
  conditions: [],
  observations: [],
  medications: [],
  immunizations: [],
  loads: {},
  issues: [],
};

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function fakeDeps(overrides: Partial<AppDeps<typeof CLIENT>> = {}) {
  const deps = {
    startSession: vi.fn(
      async (): Promise<UiSessionResult<typeof CLIENT>> => ({ kind: 'ready', client: CLIENT, patientId: 'p1', needPatientBanner: true }),
    ),
    loadPatientData: vi.fn(async (): Promise<UiLoadedData> => ({ resources: [], loads: { Observation: { state: 'complete' } } })),
    buildRecord: vi.fn(() => RECORD),
    assess: vi.fn(
      (_record: PatientRecord, options: { now: string; therapy?: TherapyId }): ReadinessReport =>
        report({
          asOf: options.now,
          therapy: options.therapy ?? 'oral',
          checklist: [item({ id: 'cbc', status: options.therapy === 'topical' ? 'not-applicable' : 'missing' })],
          todo: options.therapy === 'topical' ? [] : [orderTodo('cbc')],
        }),
    ),
    preselectTherapy: vi.fn((): TherapyId | undefined => undefined),
    today: () => '2026-11-27',
    ...overrides,
  };
  return deps;
}

async function renderApp(deps: AppDeps<typeof CLIENT>) {
  await act(async () => {
    render(<App deps={deps} />);
  });
}

describe('app shell', () => {
  it('shows "Loading the record…" in a live region until the record is ready', async () => {
    const session = deferred<UiSessionResult<typeof CLIENT>>();
    const deps = fakeDeps({ startSession: () => session.promise });
    render(<App deps={deps} />);
    const loading = screen.getByRole('status');
    expect(loading.textContent).toBe('Loading the record…');
    expect(loading.getAttribute('aria-live')).toBe('polite');
    await act(async () => {
      session.resolve({ kind: 'ready', client: CLIENT, patientId: 'p1', needPatientBanner: false });
    });
    expect(screen.getByRole('heading', { name: 'Baseline checklist' })).toBeTruthy();
  });

  it('loads with the session client, builds the record for the launch patient and assesses for today', async () => {
    const patient = { resourceType: 'Patient', id: 'p1' } as const;
    const deps = fakeDeps({ loadPatientData: vi.fn(async () => ({ patient, resources: [] as Resource[], loads: {} })) });
    await renderApp(deps);
    expect(deps.loadPatientData).toHaveBeenCalledWith(CLIENT);
    expect(deps.buildRecord).toHaveBeenCalledWith({ resources: [patient], patientId: 'p1', loads: {} });
    expect(deps.assess).toHaveBeenCalledWith(RECORD, { now: '2026-11-27', therapy: 'oral' });
    expect(screen.getByTestId('summary').textContent).toBe('1 lab to order');
  });

  it('hides the patient banner when the EHR shows its own', async () => {
    const deps = fakeDeps({
      startSession: async () => ({ kind: 'ready', client: CLIENT, patientId: 'p1', needPatientBanner: false }),
    });
    await renderApp(deps);
    expect(screen.queryByRole('region', { name: 'Patient' })).toBeNull();
  });

  it('shows the patient banner when the EHR asks for it', async () => {
    await renderApp(fakeDeps());
    expect(screen.getByRole('region', { name: 'Patient' })).toBeTruthy();
  });

  it('re-runs assess with the new therapy on the same record, without reloading', async () => {
    const deps = fakeDeps();
    await renderApp(deps);
    fireEvent.change(screen.getByLabelText('Planned therapy'), { target: { value: 'topical' } });
    expect(deps.assess).toHaveBeenLastCalledWith(RECORD, { now: '2026-11-27', therapy: 'topical' });
    expect(screen.getByTestId('item-cbc').textContent).toContain('Not applicable');
    expect(deps.startSession).toHaveBeenCalledTimes(1);
    expect(deps.loadPatientData).toHaveBeenCalledTimes(1);
    expect(deps.buildRecord).toHaveBeenCalledTimes(1);
  });

  it('preselects the agent of an existing order', async () => {
    const deps = fakeDeps({ preselectTherapy: () => 'upadacitinib' });
    await renderApp(deps);
    expect((screen.getByLabelText('Planned therapy') as HTMLSelectElement).value).toBe('upadacitinib');
    expect(deps.assess).toHaveBeenCalledWith(RECORD, { now: '2026-11-27', therapy: 'upadacitinib' });
  });

  it('starts the session once under StrictMode (an authorization code exchanges only once)', async () => {
    const deps = fakeDeps();
    await act(async () => {
      render(
        <StrictMode>
          <App deps={deps} />
        </StrictMode>,
      );
    });
    expect(deps.startSession).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('heading', { name: 'Baseline checklist' })).toBeTruthy();
  });

  it('keeps the therapy selector when assess fails, with a plain message', async () => {
    const deps = fakeDeps({
      assess: vi.fn(() => {
        throw new Error('rule table broken\n    at assess (assess.ts:10:5)');
      }),
    });
    await renderApp(deps);
    expect(screen.getByRole('alert').textContent).toContain('could not be assessed');
    expect(screen.getByRole('alert').textContent).toContain('rule table broken');
    expect(document.body.textContent).not.toContain('assess.ts:10');
    expect(screen.getByLabelText('Planned therapy')).toBeTruthy();
  });
});

describe('error screens', () => {
  it('explains how to launch when opened without a launch, with the sandbox link in development', async () => {
    await renderApp(fakeDeps({ startSession: async () => ({ kind: 'no-launch' }), devSandboxUrl: '/ehr/' }));
    expect(screen.getByRole('heading', { name: "Open this app from a patient's chart" })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'open the sandbox EHR' }).getAttribute('href')).toBe('/ehr/');
  });

  it('has no sandbox link outside development', async () => {
    await renderApp(fakeDeps({ startSession: async () => ({ kind: 'no-launch' }) }));
    expect(screen.queryByRole('link')).toBeNull();
  });

  it("shows the EHR's error and error_description on an authorization error", async () => {
    await renderApp(
      fakeDeps({
        startSession: async () => ({ kind: 'auth-error', error: 'access_denied', description: 'The user denied the request' }),
      }),
    );
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('The EHR did not authorize the app');
    expect(alert.textContent).toContain('access_denied');
    expect(alert.textContent).toContain('The user denied the request');
  });

  it('asks for a relaunch from the chart when the session expired', async () => {
    await renderApp(fakeDeps({ startSession: async () => ({ kind: 'expired', message: 'The token has expired.' }) }));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Session expired');
    expect(alert.textContent).toContain('The token has expired.');
    expect(alert.textContent).toContain("Relaunch the app from the patient's chart");
  });

  it('treats a 401 from the loader (SessionExpiredError) as an expired session', async () => {
    class SessionExpiredError extends Error {
      override name = 'SessionExpiredError';
    }
    await renderApp(
      fakeDeps({
        loadPatientData: async () => {
          throw new SessionExpiredError('401');
        },
        isSessionExpired: (error) => error instanceof SessionExpiredError,
      }),
    );
    expect(screen.getByRole('alert').textContent).toContain('Session expired');
  });

  it('shows the failure message from the session', async () => {
    await renderApp(fakeDeps({ startSession: async () => ({ kind: 'failed', message: 'The EHR did not answer.' }) }));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Something went wrong');
    expect(alert.textContent).toContain('The EHR did not answer.');
  });

  it('shows a plain message, never a stack trace, when loading throws', async () => {
    const error = new Error('Network failure');
    error.stack = 'Error: Network failure\n    at loadPatientData (loader.ts:42:7)';
    await renderApp(
      fakeDeps({
        loadPatientData: async () => {
          throw error;
        },
      }),
    );
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('The patient record could not be loaded.');
    expect(alert.textContent).toContain('Network failure');
    expect(document.body.textContent).not.toContain('loader.ts');
  });

  it('shows a failure screen when the session itself throws', async () => {
    await renderApp(
      fakeDeps({
        startSession: async () => {
          throw new TypeError('fetch failed');
        },
      }),
    );
    expect(screen.getByRole('alert').textContent).toContain('The connection to the EHR could not be set up.');
  });

  it('shows a failure screen when the record cannot be built', async () => {
    await renderApp(
      fakeDeps({
        buildRecord: () => {
          throw new Error('bad bundle');
        },
      }),
    );
    expect(screen.getByRole('alert').textContent).toContain('The patient record could not be read.');
  });
});
