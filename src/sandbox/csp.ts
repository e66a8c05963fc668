/**
 * The Content-Security-Policy header the sandbox sends with the built app's pages: what a
 * production web server should send. It narrows the `<meta>` policy in index.html (a browser
 * enforces both, so the header can only tighten): styles from files only, network access only to
 * this origin plus the FHIR servers the deployment is configured for, framing only by the EHR.
 *
 * connect-src comes from configuration, not from the build: the origins of the issuers listed in
 * smart-config.json (the same file the launch page reads), plus `CSP_CONNECT_SRC` for anything
 * else the browser must reach (an authorization server on another origin, for the token call).
 */

export interface AppPolicyOptions {
  /** Extra connect-src sources beyond 'self' (FHIR servers, token endpoints). */
  connectSrc?: readonly string[];
  /** Who may frame the app (the EHR's origin). Default 'self': the sandbox chart page. */
  frameAncestors?: readonly string[];
}

export function appContentSecurityPolicy(options: AppPolicyOptions = {}): string {
  const connect = unique(["'self'", ...(options.connectSrc ?? [])]);
  const ancestors = options.frameAncestors && options.frameAncestors.length > 0 ? options.frameAncestors : ["'self'"];
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect.join(' ')}`,
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${ancestors.join(' ')}`,
  ].join('; ');
}

/** Origins of the FHIR servers (`issuers` keys) in smart-config.json; malformed entries are skipped. */
export function issuerOrigins(smartConfig: unknown): string[] {
  const issuers = (smartConfig as { issuers?: unknown } | null)?.issuers;
  if (typeof issuers !== 'object' || issuers === null) return [];
  const origins: string[] = [];
  for (const key of Object.keys(issuers)) {
    if (key.startsWith('$')) continue;
    try {
      const url = new URL(key);
      if (url.protocol === 'https:' || url.protocol === 'http:') origins.push(url.origin);
    } catch {
      // Not a URL: the launch page reports a broken config; the policy just leaves it out.
    }
  }
  return unique(origins);
}

/** Sources an operator may add: 'self', a scheme, or an http(s)/ws(s) origin (optionally a path). */
const SOURCE = /^(?:'self'|(?:https?|wss?):|(?:https?|wss?):\/\/(?:\*\.)?[A-Za-z0-9.-]+(?::\d+|:\*)?(?:\/[^\s;,']*)?)$/;

/**
 * A space-separated source list from the environment. Anything else (a `;` that would start
 * another directive, a keyword such as 'unsafe-inline', `*`) is dropped rather than trusted.
 */
export function sourcesFromEnv(value: string | undefined): string[] {
  return (value ?? '').split(/\s+/).filter((source) => SOURCE.test(source));
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
