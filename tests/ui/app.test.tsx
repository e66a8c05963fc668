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
    expect(deps.loadPatientData).toHaveBeenCalledWith(CLIENT, {});
    expect(deps.buildRecord).toHaveBeenCalledWith({ resources: [patient], patientId: 'p1', loads: {} });
    expect(deps.assess).toHaveBeenCalledWith(RECORD, { now: '2026-11-27', therapy: 'oral', config: {} });
    expect(screen.getByTestId('todo').textContent).toContain('Order CBC with automated differential');
  });

  it('reads the site settings at launch, loads and assesses with them', async () => {
    const config = { windows: { pregnancyTest: 3 } };
    const deps = fakeDeps({ loadSiteConfig: vi.fn(async () => config) });
    await renderApp(deps);
    expect(deps.loadSiteConfig).toHaveBeenCalledTimes(1);
    expect(deps.loadPatientData).toHaveBeenCalledWith(CLIENT, config);
    expect(deps.assess).toHaveBeenCalledWith(RECORD, { now: '2026-11-27', therapy: 'oral', config });
  });

  it('stops on the configuration screen when the site settings cannot be used, without loading or assessing', async () => {
    const deps = fakeDeps({ loadSiteConfig: vi.fn(async () => Promise.reject(new Error('site-config.json: windows.cbc must be a number ≥ 0, got "90"'))) });
    await renderApp(deps);
    const screenText = screen.getByRole('alert').textContent!;
    expect(screenText).toContain('The site settings cannot be used');
    expect(screenText).toContain('windows.cbc must be a number ≥ 0, got "90"');
    expect(screenText).toContain('Nothing was assessed with default settings instead');
    expect(deps.loadPatientData).not.toHaveBeenCalled();
    expect(deps.assess).not.toHaveBeenCalled();
    expect(screen.queryByTestId('verdicts')).toBeNull();
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
    expect(deps.assess).toHaveBeenLastCalledWith(RECORD, { now: '2026-11-27', therapy: 'topical', config: {} });
    expect(screen.getByTestId('item-cbc').textContent).toContain('Not applicable');
    expect(deps.startSession).toHaveBeenCalledTimes(1);
    expect(deps.loadPatientData).toHaveBeenCalledTimes(1);
    expect(deps.buildRecord).toHaveBeenCalledTimes(1);
  });

  it('preselects the agent of an existing order', async () => {
    const deps = fakeDeps({ preselectTherapy: () => 'upadacitinib' });
    await renderApp(deps);
    expect((screen.getByLabelText('Planned therapy') as HTMLSelectElement).value).toBe('upadacitinib');
    expect(deps.assess).toHaveBeenCalledWith(RECORD, { now: '2026-11-27', therapy: 'upadacitinib', config: {} });
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

describe('"Try again" (issue 18)', () => {
  const failedLabs = { state: 'failed' as const, reason: 'lab results: HTTP 503' };
  const gapReport = (loads: PatientRecord['loads']) =>
    report({
      checklist: [item({ id: 'cbc', status: loads.Observation?.state === 'failed' ? 'unknown' : 'missing' })],
      dataGaps: loads.Observation?.state === 'failed' ? [{ resourceType: 'Observation', reason: 'lab results: HTTP 503' }] : [],
      todo: [],
    });

  it('on the data-gap banner: re-runs only the failed searches, then shows the new result', async () => {
    const first: UiLoadedData = { resources: [], loads: { Observation: failedLabs }, failedSearches: ['labResults'] };
    const retried: UiLoadedData = { resources: [], loads: { Observation: { state: 'complete' } }, failedSearches: [] };
    const retryFailedSearches = vi.fn(async () => retried);
    const deps = fakeDeps({
      loadPatientData: vi.fn(async () => first),
      retryFailedSearches,
      buildRecord: vi.fn((input: { loads?: PatientRecord['loads'] }) => ({ ...RECORD, loads: input.loads ?? {} })),
      assess: vi.fn((record: PatientRecord) => gapReport(record.loads)),
    });
    await renderApp(deps);
    const buttons = screen.getAllByRole('button', { name: 'Try again' });
    expect(buttons.length).toBeGreaterThan(0);
    await act(async () => {
      fireEvent.click(buttons[0]!);
    });
    expect(retryFailedSearches).toHaveBeenCalledTimes(1);
    expect(retryFailedSearches).toHaveBeenCalledWith(CLIENT, {}, first);
    expect(deps.loadPatientData).toHaveBeenCalledTimes(1); // not the whole load again
    expect(screen.queryByTestId('data-gaps')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    expect(screen.getByTestId('retry-outcome').textContent).toBe('Read again: everything that failed has now loaded.');
  });

  it('keeps the planned therapy the user chose; an expired session during the retry shows the session-expired screen', async () => {
    const first: UiLoadedData = { resources: [], loads: { Observation: failedLabs }, failedSearches: ['labResults'] };
    let calls = 0;
    const expired = new Error('token expired');
    const deps = fakeDeps({
      loadPatientData: vi.fn(async () => first),
      retryFailedSearches: vi.fn(async () => {
        calls += 1;
        if (calls === 2) throw expired;
        return first;
      }),
      isSessionExpired: (error) => error === expired,
      assess: vi.fn(() => gapReport({ Observation: failedLabs })),
    });
    await renderApp(deps);
    fireEvent.change(screen.getByLabelText('Planned therapy'), { target: { value: 'topical' } });
    await act(async () => {
      fireEvent.click(screen.getAllByRole('button', { name: 'Try again' })[0]!);
    });
    expect((screen.getByLabelText('Planned therapy') as HTMLSelectElement).value).toBe('topical');
    expect(deps.assess).toHaveBeenLastCalledWith(expect.anything(), expect.objectContaining({ therapy: 'topical' }));
    await act(async () => {
      fireEvent.click(screen.getAllByRole('button', { name: 'Try again' })[0]!);
    });
    expect(screen.getByRole('alert').textContent).toContain('Session expired');
  });

  it('is not offered when nothing a second attempt could fix failed (a scope not granted)', async () => {
    const deps = fakeDeps({
      loadPatientData: vi.fn(async (): Promise<UiLoadedData> => ({ resources: [], loads: { Observation: failedLabs }, failedSearches: [] })),
      retryFailedSearches: vi.fn(),
      assess: vi.fn(() => gapReport({ Observation: failedLabs })),
    });
    await renderApp(deps);
    expect(screen.getByTestId('data-gaps')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });

  it('still failing: the banner stays and says so', async () => {
    const first: UiLoadedData = { resources: [], loads: { Observation: failedLabs }, failedSearches: ['labResults'] };
    const deps = fakeDeps({
      loadPatientData: vi.fn(async () => first),
      retryFailedSearches: vi.fn(async () => first),
      assess: vi.fn(() => gapReport({ Observation: failedLabs })),
    });
    await renderApp(deps);
    await act(async () => {
      fireEvent.click(screen.getAllByRole('button', { name: 'Try again' })[0]!);
    });
    expect(screen.getByTestId('data-gaps')).toBeTruthy();
    expect(screen.getAllByRole('button', { name: 'Try again' }).length).toBeGreaterThan(0);
    expect(screen.getAllByText('Read again: one search still could not be loaded.').length).toBeGreaterThan(0);
  });

  it('on the load-failure screen: loads again and shows the sidebar', async () => {
    let calls = 0;
    const deps = fakeDeps({
      loadPatientData: vi.fn(async (): Promise<UiLoadedData> => {
        calls += 1;
        if (calls === 1) throw new Error('network error');
        return { resources: [], loads: {} };
      }),
    });
    await renderApp(deps);
    expect(screen.getByRole('heading', { name: 'Something went wrong' })).toBeTruthy();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    });
    expect(deps.loadPatientData).toHaveBeenCalledTimes(2);
    expect(deps.startSession).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('heading', { name: 'Baseline checklist' })).toBeTruthy();
  });
});
