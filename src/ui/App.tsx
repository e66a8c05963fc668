import { useCallback, useEffect, useMemo, useState } from 'react';
import type { TodoMark, TodoMarks } from '../contract/todo-marks';
import type { SavedMarks } from '../fhir/saved-marks';
import type { PatientRecord } from '../engine/record';
import type { ReadinessReport, TherapyId } from '../contract/report';
import { bootstrap, errorDetail, type BootResult } from './bootstrap';
import type { AppDeps } from './deps';
import type { ConfigOverrides } from '../engine/config';
import type { FullTextLookup } from './full-text';
import { FullTextContext } from './FullText';
import { AuthErrorScreen, ConfigErrorScreen, ExpiredScreen, FailedScreen, LoadingScreen, NoLaunchScreen } from './Screens';
import { Sidebar } from './Sidebar';
import { TherapySelector } from './TherapySelector';
import { RetryContext, type Retry } from './TryAgain';
import './sidebar.css';

const DEFAULT_THERAPY: TherapyId = 'oral';

/*
 * One boot per deps object. React.StrictMode runs effects twice in development, and a SMART
 * authorization code can only be exchanged once, so the second run must reuse the first.
 */
const boots = new WeakMap<object, Promise<BootResult>>();

function bootOnce<C>(deps: AppDeps<C>): Promise<BootResult> {
  let boot = boots.get(deps);
  if (!boot) {
    boot = bootstrap(deps);
    boots.set(deps, boot);
  }
  return boot;
}

export interface AppProps<C> {
  deps: AppDeps<C>;
}

export function App<C>({ deps }: AppProps<C>) {
  const [boot, setBoot] = useState<BootResult | undefined>(undefined);

  useEffect(() => {
    let current = true;
    void bootOnce(deps).then((result) => {
      if (current) setBoot(result);
    });
    return () => {
      current = false;
    };
  }, [deps]);

  const retryWork = boot && (boot.kind === 'ready' || boot.kind === 'failed') ? boot.retry : undefined;
  // "Try again": the new result replaces the screen; the sidebar keeps its place and therapy.
  const runRetry = useCallback(async () => {
    if (!retryWork) return;
    setBoot(await retryWork());
  }, [retryWork]);
  const outcome = boot?.kind === 'ready' ? boot.retryOutcome : undefined;
  const retry = useMemo<Retry | undefined>(() => (retryWork ? { run: runRetry, ...(outcome ? { outcome } : {}) } : undefined), [retryWork, runRetry, outcome]);

  if (!boot) return <LoadingScreen />;
  switch (boot.kind) {
    case 'ready':
      return (
        <RetryContext.Provider value={retry}>
        <ReadyView
          deps={deps}
          record={boot.record}
          now={boot.now}
          needPatientBanner={boot.needPatientBanner}
          preselected={boot.preselected}
          preselectedFrom={boot.preselectedFrom}
          observationsSince={boot.observationsSince}
          fullText={boot.fullText}
          config={boot.config}
          client={boot.client as C}
          retryOutcome={retryWork ? undefined : boot.retryOutcome}
          {...(boot.savedMarks ? { savedMarks: boot.savedMarks } : {})}
        />
        </RetryContext.Provider>
      );
    case 'config-error':
      return <ConfigErrorScreen message={boot.message} />;
    case 'no-launch':
      return <NoLaunchScreen devSandboxUrl={deps.devSandboxUrl} />;
    case 'auth-error':
      return <AuthErrorScreen error={boot.error} description={boot.description} unverified={boot.unverified} />;
    case 'expired':
      return <ExpiredScreen message={boot.message} />;
    case 'failed':
      return <FailedScreen message={boot.message} detail={boot.detail} {...(retry ? { retry } : {})} />;
  }
}

interface ReadyViewProps<C> {
  deps: AppDeps<C>;
  record: PatientRecord;
  now: string;
  needPatientBanner: boolean;
  preselected?: TherapyId;
  preselectedFrom?: 'order' | 'record';
  observationsSince?: string;
  fullText?: FullTextLookup;
  config: ConfigOverrides;
  client: C;
  /** After a "Try again" that fixed every search: said once, where the button was. */
  retryOutcome?: string;
  savedMarks?: SavedMarks;
}

type Assessment = { ok: true; report: ReadinessReport } | { ok: false; detail?: string };

/** Holds the chosen therapy; a change re-runs `assess` on the same record, with no reload. */
function ReadyView<C>({ deps, record, now, needPatientBanner, preselected, preselectedFrom, observationsSince, fullText, config, client, retryOutcome, savedMarks }: ReadyViewProps<C>) {
  const [therapy, setTherapy] = useState<TherapyId>(preselected ?? DEFAULT_THERAPY);
  // The nurse's marks live in this component's memory for the session (never in localStorage);
  // "Save to chart" files them with the note, and the next launch starts from the saved ones.
  const [marks, setMarks] = useState<TodoMarks>(() => (savedMarks?.state === 'read' ? savedMarks.marks : {}));
  const onMark = useCallback((item: string, mark: TodoMark | undefined) => {
    setMarks((previous) => {
      const next = { ...previous };
      if (mark) next[item] = mark;
      else delete next[item];
      return next;
    });
  }, []);
  const [userName, setUserName] = useState<string | undefined>(undefined);
  useEffect(() => {
    let current = true;
    deps.userName?.(client).then(
      (name) => {
        if (current && name) setUserName(name);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [deps, client]);
  const savedSummary = useMemo(
    () =>
      savedMarks
        ? savedMarks.state === 'read'
          ? { state: 'read' as const, count: Object.keys(savedMarks.marks).length, ...(savedMarks.savedAt ? { savedAt: savedMarks.savedAt } : {}) }
          : { state: 'failed' as const, reason: savedMarks.reason }
        : undefined,
    [savedMarks],
  );
  // Decided once per session from the token: what the EHR lets the sidebar write.
  const writing = useMemo(() => {
    try {
      return deps.writeBack?.(client);
    } catch {
      return undefined; // never a crash: the buttons are simply not offered
    }
  }, [deps, client]);
  const assessment = useMemo<Assessment>(() => {
    try {
      return { ok: true, report: deps.assess(record, { now, therapy, config }) };
    } catch (error) {
      return { ok: false, detail: errorDetail(error) };
    }
  }, [deps, record, now, therapy, config]);

  if (!assessment.ok) {
    // Keep the selector: the failure may be specific to the chosen therapy.
    return (
      <main className="sidebar">
        <h1 className="sidebar__title">JAK inhibitor readiness</h1>
        <TherapySelector value={therapy} onChange={setTherapy} preselected={preselected} preselectedFrom={preselectedFrom} />
        <section className="panel screen__message" role="alert" aria-labelledby="assess-error-heading">
          <h2 id="assess-error-heading">Something went wrong</h2>
          <p>The record could not be assessed for this therapy, so no readiness result is shown.</p>
          {assessment.detail ? (
            <p className="muted">
              <span className="label">Details:</span> {assessment.detail}
            </p>
          ) : null}
        </section>
      </main>
    );
  }
  return (
    <FullTextContext.Provider value={fullText}>
      {retryOutcome ? (
        <p className="muted retry-outcome no-print" role="status" data-testid="retry-outcome">
          {retryOutcome}
        </p>
      ) : null}
      <Sidebar
        report={assessment.report}
        therapy={therapy}
        onTherapyChange={setTherapy}
        showPatientBanner={needPatientBanner}
        preselectedTherapy={preselected}
        preselectedFrom={preselectedFrom}
        observationsSince={observationsSince}
        {...(writing ? { writeBack: writing.writeBack, ...(writing.user ? { user: writing.user } : {}) } : {})}
        {...(userName ? { userName } : {})}
        marks={marks}
        onMark={onMark}
        {...(savedSummary ? { savedMarks: savedSummary } : {})}
      />
    </FullTextContext.Provider>
  );
}
