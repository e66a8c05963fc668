/** The screens shown instead of the sidebar: loading and each way a launch can fail. */
import type { ReactNode } from 'react';
import { TryAgainButton, type Retry } from './TryAgain';

export function LoadingScreen() {
  return (
    <main className="sidebar screen">
      <h1 className="sidebar__title">JAK inhibitor readiness</h1>
      <p role="status" aria-live="polite" className="screen__loading">
        Loading the record…
      </p>
    </main>
  );
}

function ScreenFrame({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="sidebar screen">
      <h1 className="sidebar__title">JAK inhibitor readiness</h1>
      <section className="panel screen__message" role="alert" aria-labelledby="screen-heading">
        <h2 id="screen-heading">{title}</h2>
        {children}
      </section>
    </main>
  );
}

export function NoLaunchScreen({ devSandboxUrl }: { devSandboxUrl?: string }) {
  return (
    <ScreenFrame title="Open this app from a patient's chart">
      <p>
        This app reads the record of the patient open in the EHR, so it has to be launched from there: open the
        patient's chart and choose “JAK inhibitor readiness” from the apps or sidebar menu.
      </p>
      {devSandboxUrl ? (
        <p>
          Development: <a href={devSandboxUrl}>open the sandbox EHR</a> and launch the app from a test patient.
        </p>
      ) : null}
    </ScreenFrame>
  );
}

export function AuthErrorScreen({ error, description, unverified }: { error: string; description?: string; unverified?: boolean }) {
  return (
    <ScreenFrame title="The EHR did not authorize the app">
      <p>The EHR answered the sign-in request with an error:</p>
      <dl className="screen__facts">
        <div className="fact">
          <dt>Error</dt>
          <dd>{error}</dd>
        </div>
        {description ? (
          <div className="fact">
            <dt>Description</dt>
            <dd>{description}</dd>
          </div>
        ) : null}
      </dl>
      {unverified ? (
        <p className="muted">This answer does not belong to a sign-in started in this window, so its description is not shown.</p>
      ) : null}
      <p>Relaunch the app from the patient's chart. If it happens again, show this message to your EHR support team.</p>
    </ScreenFrame>
  );
}

export function ExpiredScreen({ message }: { message: string }) {
  return (
    <ScreenFrame title="Session expired">
      <p>{message}</p>
      <p>Relaunch the app from the patient's chart to continue.</p>
    </ScreenFrame>
  );
}

export function FailedScreen({ message, detail, retry }: { message: string; detail?: string; retry?: Retry }) {
  return (
    <ScreenFrame title="Something went wrong">
      <p>{message}</p>
      {detail ? (
        <p className="muted">
          <span className="label">Details:</span> {detail}
        </p>
      ) : null}
      {retry ? (
        <>
          <p>No readiness result is shown, because it could not be checked. Try again, or relaunch the app from the patient's chart.</p>
          <TryAgainButton retry={retry} />
        </>
      ) : (
        <p>No readiness result is shown, because it could not be checked. Relaunch the app from the patient's chart to try again.</p>
      )}
    </ScreenFrame>
  );
}

/** The site's settings file cannot be used: no result under rules the site did not choose. */
export function ConfigErrorScreen({ message }: { message: string }) {
  return (
    <ScreenFrame title="The site settings cannot be used">
      <p>The app's site settings (site-config.json: windows and thresholds) have a problem, so no readiness result is shown:</p>
      <p className="screen__detail">{message}</p>
      <p>Nothing was assessed with default settings instead. Ask the team that installed the app to correct the file; then relaunch it from the patient's chart.</p>
    </ScreenFrame>
  );
}
