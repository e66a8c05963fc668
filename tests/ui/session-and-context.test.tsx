/**
 * The app shell around the session: every error and expired screen forgets the SMART session;
 * an unverified authorization error shows no free text; the order being written preselects
 * its agent (through the engine's own drug matching); a shortened evidence text is one click
 * from its full text.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { MedicationRequest, Observation, Resource } from 'fhir/r4';
import { App } from '../../src/ui/App';
import type { AppDeps, UiLoadedData, UiSessionResult } from '../../src/ui/deps';
import { assess, buildRecord, preselectTherapy } from '../../src/engine';
import type { TherapyId } from '../../src/contract/report';

afterEach(cleanup);

const CLIENT = { fake: 'client' };
const PATIENT = { resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1990-01-01' } as const;

/** The real engine behind the shell: the same deps main.tsx wires. */
function engineDeps(overrides: Partial<AppDeps<typeof CLIENT>> = {}) {
  const clearSession = vi.fn<() => void>();
  const deps: AppDeps<typeof CLIENT> = {
    startSession: async (): Promise<UiSessionResult<typeof CLIENT>> => ({ kind: 'ready', client: CLIENT, patientId: 'p1', needPatientBanner: false }),
    loadPatientData: async (): Promise<UiLoadedData> => ({ patient: PATIENT, resources: [], loads: {} }),
    buildRecord: (input) => buildRecord(input as Parameters<typeof buildRecord>[0]),
    assess: (record, options) => assess(record, options),
    preselectTherapy: (record) => preselectTherapy(record, '2026-11-27'),
    today: () => '2026-11-27',
    ...overrides,
  };
  return { ...deps, clearSession };
}

async function renderApp(deps: AppDeps<typeof CLIENT>) {
  await act(async () => {
    render(<App deps={deps} />);
  });
}

const order = (id: string, text: string, status: MedicationRequest['status'] = 'draft'): MedicationRequest => ({
  resourceType: 'MedicationRequest',
  id,
  status,
  intent: 'order',
  subject: { reference: 'Patient/p1' },
  authoredOn: '2026-11-27',
  medicationCodeableConcept: { text },
});

describe('the session is forgotten on every error and expired screen', () => {
  const failures: Array<[string, Partial<AppDeps<typeof CLIENT>>]> = [
    ['an authorization error', { startSession: async () => ({ kind: 'auth-error', error: 'access_denied' }) }],
    ['an expired session', { startSession: async () => ({ kind: 'expired', message: 'Your session has ended.' }) }],
    ['a failed sign-in', { startSession: async () => ({ kind: 'failed', message: 'Sign-in could not be completed.' }) }],
    [
      'a 401 while loading',
      {
        loadPatientData: async () => {
          throw Object.assign(new Error('401'), { name: 'SessionExpiredError' });
        },
      },
    ],
    [
      'a load failure',
      {
        loadPatientData: async () => {
          throw new Error('boom');
        },
      },
    ],
  ];

  it.each(failures)('%s', async (_name, overrides) => {
    const deps = engineDeps(overrides);
    await renderApp(deps);
    expect(screen.getByRole('alert')).toBeTruthy();
    expect(deps.clearSession).toHaveBeenCalledTimes(1);
  });

  it('but not while the sidebar is in use, nor on the "open from a chart" page', async () => {
    const ready = engineDeps();
    await renderApp(ready);
    expect(screen.getByTestId('verdicts')).toBeTruthy();
    expect(ready.clearSession).not.toHaveBeenCalled();
    cleanup();
    const noLaunch = engineDeps({ startSession: async () => ({ kind: 'no-launch' }) });
    await renderApp(noLaunch);
    expect(noLaunch.clearSession).not.toHaveBeenCalled();
  });
});

describe('an authorization error that no launch of this window asked for', () => {
  it('shows the error code and says why there is no description', async () => {
    await renderApp(engineDeps({ startSession: async () => ({ kind: 'auth-error', error: 'access_denied', unverified: true }) }));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('access_denied');
    expect(alert.textContent).toContain('does not belong to a sign-in started in this window');
    expect(alert.textContent).not.toContain('Description');
  });
});

describe('the order being written (fhirContext)', () => {
  it('preselects its agent, recognised by the engine, over another order in the record', async () => {
    const inRecord = order('old', 'baricitinib 2 MG Oral Tablet', 'active');
    const writing = order('draft-1', 'upadacitinib 15 MG Extended Release Oral Tablet', 'unknown');
    await renderApp(
      engineDeps({ loadPatientData: async () => ({ patient: PATIENT, resources: [inRecord], loads: {}, orders: [writing] }) }),
    );
    // At the moment of ordering the sidebar opens on the pre-start view, though the record shows baricitinib.
    expect(screen.queryByTestId('monitoring-note')).toBeNull();
    expect((screen.getByLabelText('Planned therapy') as HTMLSelectElement).value).toBe('upadacitinib');
    expect(screen.getByText('Preselected from the order being written.')).toBeTruthy();
  });

  it('falls back to the record when the order names no JAK inhibitor', async () => {
    const inRecord = order('old', 'baricitinib 2 MG Oral Tablet', 'active');
    await renderApp(
      engineDeps({ loadPatientData: async () => ({ patient: PATIENT, resources: [inRecord], loads: {}, orders: [order('d', 'amoxicillin 500 MG')] }) }),
    );
    // On baricitinib already: the sidebar opens on its monitoring schedule; the selector is under "Before starting".
    expect(screen.getByTestId('monitoring-note').textContent).toContain('On baricitinib');
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Before starting' }));
    });
    expect((screen.getByLabelText('Planned therapy') as HTMLSelectElement).value).toBe('baricitinib' satisfies TherapyId);
    expect(screen.getByText('Preselected from an order in the record.')).toBeTruthy();
  });
});

describe('opened from a CDS Hooks card (appContext)', () => {
  it("preselects the card's agent over the record's", async () => {
    const inRecord = order('old', 'baricitinib 2 MG Oral Tablet', 'active');
    await renderApp(
      engineDeps({
        startSession: async () => ({ kind: 'ready', client: CLIENT, patientId: 'p1', needPatientBanner: false, orderedTherapy: 'abrocitinib' }),
        loadPatientData: async () => ({ patient: PATIENT, resources: [inRecord], loads: {} }),
      }),
    );
    expect(screen.queryByTestId('monitoring-note')).toBeNull();
    expect((screen.getByLabelText('Planned therapy') as HTMLSelectElement).value).toBe('abrocitinib');
    expect(screen.getByText('Preselected from the order being written.')).toBeTruthy();
  });
});

describe('evidence the record shortened', () => {
  it('is one click from its full text, shown as plain text in a bounded box', async () => {
    const note = `Interferon-gamma release assay: negative. ${'Long pasted report line. '.repeat(3000)}<b>end</b>`;
    const igra: Observation = {
      resourceType: 'Observation',
      id: 'igra-1',
      status: 'final',
      subject: { reference: 'Patient/p1' },
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '71773-6' }], text: 'QuantiFERON' },
      effectiveDateTime: '2026-11-01',
      valueString: note,
    };
    await renderApp(engineDeps({ loadPatientData: async () => ({ patient: PATIENT, resources: [igra as Resource], loads: {} }) }));

    const tb = screen.getByTestId('item-tb-screening');
    fireEvent.click(tb.querySelector('.evidence__toggle')!);
    expect(tb.textContent).toContain('…');
    expect(tb.textContent).not.toContain('<b>end</b>');
    const button = screen.getByRole('button', { name: 'Show the full text' });
    fireEvent.click(button);
    const box = screen.getByRole('region', { name: 'Full text of valueString' });
    expect(box.textContent).toBe(note);
    expect(box.querySelector('b')).toBeNull();
    expect(tb.textContent).toContain(`valueString, ${note.length.toLocaleString('en-US')} characters`);
    fireEvent.click(screen.getByRole('button', { name: 'Hide the full text' }));
    expect(screen.queryByRole('region', { name: 'Full text of valueString' })).toBeNull();
  });
});
