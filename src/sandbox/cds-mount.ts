/**
 * The CDS Hooks service inside the sandbox, at `<origin>/cds-services`, trusting the sandbox's own
 * CDS client (its key made at start) and, with CDS_HOOKS_CONFIG, the issuers of a site's trust
 * file too (e.g. the HL7 reference sandbox).
 */
import type { Resource } from 'fhir/r4';
import { loadTrustConfig, normaliseBaseUrl, parseTrustConfig, type CdsServiceConfig } from '../cds-hooks/config';
import { createCdsHooksService, type CdsHooksService } from '../cds-hooks/handler';
import { CdsClientIdentity, SandboxCdsClient } from './cds-client';

export interface SandboxCdsOptions {
  /** A trust configuration file whose issuers and settings are added (default: env CDS_HOOKS_CONFIG). */
  configFile?: string;
  /** Turn the patient-view service on. */
  patientViewEnabled?: boolean;
  /** Structured log lines (feedback, calls); default stdout. */
  log?: (line: string) => void;
}

export interface SandboxCds {
  identity: CdsClientIdentity;
  client: SandboxCdsClient;
  service: CdsHooksService;
  /** The service's base URL as this EHR calls it (no /cds-services). */
  baseUrl: string;
  /** Writes a resource into the sandbox's FHIR server (what accepting a suggestion does). */
  store(resource: Resource): Promise<string>;
}

export interface MountDeps {
  /** The origin the sandbox is bound to, e.g. http://127.0.0.1:5173. */
  origin: string;
  issueToken(patientId: string): string;
  store(resource: Resource): Promise<string>;
  today(): string;
}

/** The same server under the other loopback name: `localhost` and `127.0.0.1` are different audiences. */
function aliases(origin: string): string[] {
  const url = new URL(origin);
  const out = [url.origin];
  for (const host of ['127.0.0.1', 'localhost']) {
    if (host !== url.hostname && (url.hostname === '127.0.0.1' || url.hostname === 'localhost')) out.push(`${url.protocol}//${host}:${url.port}`);
  }
  return out;
}

export async function mountCdsHooks(deps: MountDeps, options: SandboxCdsOptions = {}): Promise<SandboxCds> {
  const origins = aliases(deps.origin);
  const identity = await CdsClientIdentity.create(`${deps.origin}/ehr`, `${deps.origin}/ehr/cds/jwks.json`);
  const file = options.configFile ?? process.env.CDS_HOOKS_CONFIG;
  const site: CdsServiceConfig = file ? loadTrustConfig(file) : parseTrustConfig({ issuers: [] });
  const config: CdsServiceConfig = {
    ...site,
    baseUrls: [...new Set([...origins, ...site.baseUrls].map(normaliseBaseUrl))],
    issuers: [identity.trustedIssuer(origins.map((o) => `${o}/fhir`)), ...site.issuers.filter((i) => i.iss !== identity.iss)],
    appLaunchUrl: site.appLaunchUrl ?? `${deps.origin}/launch/`,
    patientViewEnabled: options.patientViewEnabled ?? site.patientViewEnabled,
  };
  const service = createCdsHooksService({ config, today: deps.today, ...(options.log ? { log: options.log } : {}) });
  const client = new SandboxCdsClient({
    identity,
    serviceBase: () => deps.origin,
    fhirBase: () => `${deps.origin}/fhir`,
    issueToken: deps.issueToken,
    store: deps.store,
  });
  return { identity, client, service, baseUrl: deps.origin, store: deps.store };
}
