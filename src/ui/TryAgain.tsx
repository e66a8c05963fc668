/**
 * "Try again" (issue 18) on a load-failure screen and on the data-gap banner: it re-runs only the
 * searches that failed (src/fhir/retry-load.ts), then the record is assessed again. Offered only
 * where trying again can help: a failed or cut-short search, not a scope the EHR did not grant.
 */
import { createContext, useContext, useEffect, useRef, useState } from 'react';

export interface Retry {
  /** Re-runs the failed searches; resolves when the new result is on screen. */
  run(): Promise<void>;
  /** What the last attempt found, for the status line ("Read again: …"). */
  outcome?: string;
}

/** Provided by the ready view when some searches failed; the gap banner and panel read it. */
export const RetryContext = createContext<Retry | undefined>(undefined);

export function useRetry(): Retry | undefined {
  return useContext(RetryContext);
}

export function TryAgainButton({ retry, className = '' }: { retry: Retry; className?: string }) {
  const [busy, setBusy] = useState(false);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  async function run() {
    setBusy(true);
    try {
      await retry.run();
    } finally {
      if (mounted.current) setBusy(false);
    }
  }
  return (
    <button type="button" className={`button button--secondary try-again no-print ${className}`.trim()} disabled={busy} aria-busy={busy} onClick={() => void run()}>
      {busy ? 'Trying again…' : 'Try again'}
    </button>
  );
}

/** The button with what the last attempt found, announced to screen readers. */
export function TryAgain({ className }: { className?: string }) {
  const retry = useRetry();
  if (!retry) return null;
  return (
    <span className="try-again__wrap no-print">
      <TryAgainButton retry={retry} {...(className ? { className } : {})} />
      {retry.outcome ? (
        <span className="try-again__outcome muted" role="status">
          {retry.outcome}
        </span>
      ) : null}
    </span>
  );
}
