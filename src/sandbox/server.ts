/**
 * The local EHR sandbox: one HTTP server with the app (Vite or dist/), the EHR pages (/ehr/),
 * the SMART authorization server (/auth/*) and a FHIR R4 server (/fhir) holding the scenario
 * patients. `startSandbox` is what `npm start` and the browser tests call.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Resource as MedplumResource } from '@medplum/fhirtypes';
import type { Patient } from 'fhir/r4';
import { createDistHost, createViteHost, type AppHost } from './app-host';
import { sandboxIssuers, sandboxSmartConfig } from './app-config';
import { redirectUrisOf } from './clients';
import { allowedHostnames, checkHost, handleCors } from './guard';
import { EhrPages, displayName, type ChartListing } from './ehr-pages';
import { authorizeFhirCall, confineAnswer, outcome } from './fhir-access';
import { CardLaunchTickets } from './card-launches';
import { FhirEngine, type FhirCall, type FhirResult } from './fhir-engine';
import { handleFaultControls, faultControlsPanel } from './fault-controls';
import { FaultSwitch, type FaultPlan, type FhirFaultHook } from './faults';
import { HttpError, readBody, requestOrigin, sendJson } from './http-util';
import { buildScenarios, sharedResources, type Scenario } from './scenarios';
import { mountCdsHooks, type SandboxCds, type SandboxCdsOptions } from './cds-mount';
import { handleCdsPages, orderBox } from './cds-pages';
import { loadSampleCharts } from './scenarios/samples';
import { SmartAuth, type IssueTokenOptions, type LaunchOptions } from './smart-auth';

export interface SandboxOptions {
  /** 0 = any free port. Default: env PORT, else 5173. */
  port?: number;
  /** Default: env HOST, else 127.0.0.1. */
  host?: string;
  /** Serve the built app from dist/ instead of Vite. */
  dist?: boolean;
  /** With `dist`: serve this built app folder instead of dist/ (the bench serves its own builds). */
  distDir?: string;
  /** false: serve no app at all (FHIR, auth and EHR pages only; fast, for server tests). */
  app?: boolean;
  /** Access token lifetime. Default: env TOKEN_TTL_SECONDS, else 3600. */
  tokenTtlSeconds?: number;
  /**
   * Refresh tokens for `online_access`/`offline_access`, advertised as `permission-online` /
   * `permission-offline` (default true). false: an EHR without refresh (the Epic sandbox).
   */
  refreshTokens?: boolean;
  /**
   * Where the chart page's app iframe points: another loopback name than the chart's own
   * (`127.0.0.1` for a chart opened on `localhost`) puts the EHR page and the app on different
   * sites, as in a real EHR. Default: the chart's own origin.
   */
  appHostname?: string;
  /** App paths (redirect URIs) beyond `/` on this origin; the bench serves a second build at `/naive/`. */
  extraAppPaths?: string[];
  /**
   * Whole redirect URIs of the app served from another origin (the deploy test's nginx), added to
   * the registrations that use the sandbox's app paths, as an EHR registers a hosted app.
   */
  extraRedirectUris?: string[];
  /** The day scenario dates are relative to. Default: now. */
  today?: Date;
  /**
   * The authorization server's clock in ms (launch, code and token expiry). Default: Date.now.
   * Tests move it forward to expire a token at once instead of sleeping past a short lifetime.
   */
  clock?: () => number;
  /** No console output. */
  quiet?: boolean;
  /** Load the real-world sample bundles as extra patients (default true). */
  samples?: boolean;
  /** Fault injection in front of the FHIR engine (default: none). */
  faults?: FhirFaultHook;
  /** Declarative faults per resource type (src/sandbox/faults.ts); wins over `faults`. */
  faultPlan?: FaultPlan;
  /** The CDS Hooks service mounted at /cds-services (src/sandbox/cds-mount.ts). */
  cdsHooks?: SandboxCdsOptions;
}

export interface SandboxHandle {
  origin: string;
  fhirBase: string;
  close(): Promise<void>;
  patients: Array<{ id: string; title: string }>;
  /** A launch id for an EHR launch of this patient (what the chart page does), optionally with an order in context. */
  createLaunch(patientId: string, options?: Pick<LaunchOptions, 'fhirContext' | 'appContext'>): string;
  /** An access token without the OAuth dance (tests; `system/*.*` for loading data). */
  issueToken(options: IssueTokenOptions): string;
  /** A CDS card's SMART link as the chart renders it: a one-time ticket (tests). */
  cardLaunchUrl(patientId: string, appContext?: string): string;
  /** Replaces the faults in force (validated; throws FaultPlanError); `{}` switches them off. */
  setFaultPlan(plan: FaultPlan): void;
  /** The plan in force (undefined while a custom `faults` hook is in force). */
  faultPlan(): FaultPlan | undefined;
  /** The CDS Hooks service at /cds-services and the sandbox's own CDS client. */
  cdsHooks: SandboxCds;
}

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const host = options.host ?? process.env.HOST ?? '127.0.0.1';
  const port = options.port ?? (process.env.PORT ? Number(process.env.PORT) : 5173);
  const envTtl = Number(process.env.TOKEN_TTL_SECONDS);
  // A malformed env value must not yield tokens that never expire (NaN compares false).
  const tokenTtlSeconds = options.tokenTtlSeconds ?? (Number.isFinite(envTtl) && envTtl >= 0 && process.env.TOKEN_TTL_SECONDS ? envTtl : 3600);
  const today = options.today ?? new Date();
  const faults = new FaultSwitch(options.faultPlan ? { plan: options.faultPlan } : options.faults ? { hook: options.faults } : {});
  const log = options.quiet ? () => {} : (line: string) => console.log(line);

  const engine = new FhirEngine();
  const scenarios: Scenario[] = buildScenarios(today);
  if (options.samples !== false) scenarios.push(...(await loadSampleCharts(join(REPO_ROOT, 'tests', 'fixtures', 'samples'), today)));
  await engine.load(sharedResources() as MedplumResource[]);
  for (const scenario of scenarios) await engine.load(scenario.resources as MedplumResource[]);

  const listings: ChartListing[] = scenarios.map(({ id, title, summary }) => ({ id, title, summary }));
  const pickable = await Promise.all(
    listings.map(async (l) => {
      const patient = (await engine.repo.readResource('Patient', l.id)) as unknown as Patient;
      return { id: l.id, title: l.title, name: displayName(patient) };
    }),
  );

  const appPaths = ['/', ...(options.extraAppPaths ?? [])];
  let boundPort = port;
  const auth = new SmartAuth({
    tokenTtlSeconds,
    ...(options.clock ? { now: options.clock } : {}),
    refreshTokens: options.refreshTokens !== false,
    redirectUrisOf: (client) => [...redirectUrisOf(client, boundPort, appPaths), ...(client.redirectPaths ? [] : (options.extraRedirectUris ?? []))],
    knownResourceTypes: engine.knownResourceTypes,
    listPatients: () => pickable,
    patientExists: (id) => listings.some((l) => l.id === id) || engine.repo.patientOf('Patient', id) === id,
  });
  const ehr = new EhrPages({
    repo: engine.repo,
    listings: () => listings,
    createLaunch: (p, o) => auth.createLaunch(p, o),
    today,
    listControls: () => faultControlsPanel(faults),
    ...(options.appHostname ? { appOrigin: () => `http://${options.appHostname}:${boundPort}` } : {}),
    chartExtras: (patientId) => orderBox(patientId),
  });
  const patientExists = (id: string) => listings.some((l) => l.id === id) || engine.repo.patientOf('Patient', id) === id;
  const cardLaunches = new CardLaunchTickets(options.clock ?? Date.now);
  let cds: SandboxCds | undefined;

  const server = createServer();
  let appHost: AppHost | undefined;
  let boundOrigin = `http://${host}:${port}`;

  async function handleFhir(req: IncomingMessage, res: ServerResponse, url: URL, origin: string): Promise<void> {
    const base = `${origin}/fhir`;
    const path = url.pathname.slice('/fhir'.length).split('/').filter(Boolean).map(decodeURIComponent);
    if (req.method === 'GET' && path.length === 1 && path[0] === 'metadata') {
      sendFhir(res, 200, engine.capabilityStatement(base, { authorize: `${origin}/auth/authorize`, token: `${origin}/auth/token` }));
      return;
    }
    const authn = auth.authenticate(req.headers.authorization);
    if ('error' in authn) {
      sendFhir(res, 401, outcome('login', authn.error), {
        'WWW-Authenticate': `Bearer realm="jak-readiness sandbox", error="invalid_token", error_description="${authn.error}"`,
      });
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) {
      sendFhir(res, 405, outcome('not-supported', `Method ${method} not supported`));
      return;
    }
    let body: unknown;
    if (method !== 'GET' && method !== 'DELETE') {
      const text = await readBody(req);
      const type = req.headers['content-type'] ?? '';
      try {
        body = type.includes('application/x-www-form-urlencoded')
          ? Object.fromEntries(new URLSearchParams(text))
          : text
            ? JSON.parse(text)
            : undefined;
      } catch {
        sendFhir(res, 400, outcome('structure', 'Request body is not valid JSON'));
        return;
      }
    }
    const call: FhirCall = {
      method: method as FhirCall['method'],
      path,
      query: url.searchParams,
      body,
      base,
      headers: req.headers,
    };
    const decision = authorizeFhirCall(call, authn.grant, engine.repo, engine.knownResourceTypes);
    if (!decision.allowed) {
      sendFhir(res, decision.status, decision.outcome);
      return;
    }
    const confineTo = decision.confineTo;
    // A patient-scoped answer keeps only the patient's compartment (included resources too).
    const execute = async (one: FhirCall): Promise<FhirResult> => {
      const result = await engine.execute(one);
      if (!confineTo || result.status >= 300) return result;
      const body = confineAnswer(result.body, confineTo, engine.repo) as FhirResult['body'] | undefined;
      return body === undefined ? { ...result, status: 403, body: outcome('forbidden', 'The resource belongs to a patient outside the token context') as FhirResult['body'] } : { ...result, body };
    };
    const answered = await faults.hook(
      {
        method,
        resourceType: path[0] ?? '',
        path,
        query: decision.call.query,
        ...(authn.grant.patient ? { patient: authn.grant.patient } : {}),
        forward: (query) => execute(query ? { ...decision.call, query } : decision.call),
      },
      req,
      res,
    );
    if (answered) return;
    const result = await execute(decision.call);
    sendFhir(res, result.status, result.body, result.headers);
  }

  /** smart-config.json of the app: the shipped file plus the sandbox's own FHIR base (app-config.ts). */
  async function handleSmartConfig(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const appPath = appPaths.find((path) => url.pathname === `${path}smart-config.json`);
    if (!appPath || options.app === false) return false;
    const file = options.dist
      ? join(options.distDir ?? join(REPO_ROOT, 'dist'), url.pathname)
      : join(REPO_ROOT, 'public', 'smart-config.json');
    const text = await sandboxSmartConfig(file, sandboxIssuers(boundPort));
    if (text === undefined) return false;
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : text);
    return true;
  }

  const allowedHosts = allowedHostnames(host);

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      if (!checkHost(req, res, allowedHosts)) return;
      const origin = requestOrigin(req, boundOrigin);
      const url = new URL(req.url ?? '/', origin);
      try {
        if (handleCors(req, res, url.pathname, allowedHosts)) return;
        if (await auth.handle(req, res, url, origin)) return;
        if (await handleSmartConfig(req, res, url)) return;
        if (url.pathname === '/fhir' || url.pathname.startsWith('/fhir/')) return await handleFhir(req, res, url, origin);
        if (cds && (await cds.service.handle(req, res, url))) return;
        if (url.pathname === '/ehr' || url.pathname.startsWith('/ehr/')) {
          if (await handleFaultControls(req, res, url, origin, faults)) return;
          if (cds && (await handleCdsPages(req, res, url, origin, { client: cds.client, identity: cds.identity, patientExists, createLaunch: (p, appContext) => auth.createLaunch(p, appContext ? { appContext } : {}), tickets: cardLaunches }))) return;
          if (await ehr.handle(req, res, url, origin)) return;
        }
        if (appHost) return await appHost.handle(req, res);
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Not found (app serving is off)');
      } catch (err) {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        const status = err instanceof HttpError ? err.status : 500;
        // Never echo internals (or patient data) back; the status says enough.
        sendJson(res, status, { error: status === 500 ? 'server_error' : 'invalid_request', error_description: status === 500 ? 'Internal error' : String((err as Error).message) });
        if (status === 500 && !options.quiet) console.error('sandbox: internal error', (err as Error).stack);
      }
    })();
  });

  if (options.app !== false) {
    appHost = options.dist
      ? createDistHost(options.distDir ?? join(REPO_ROOT, 'dist'), {
          connectSrc: () => sandboxIssuers(boundPort).map((iss) => new URL(iss).origin),
          frameAncestors: () => sandboxIssuers(boundPort).map((iss) => new URL(iss).origin),
        })
      : await createViteHost(REPO_ROOT, server);
  }

  await listen(server, port, host);
  const address = server.address() as AddressInfo;
  boundPort = address.port;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  boundOrigin = `http://${shownHost}:${address.port}`;
  const origin = boundOrigin;
  cds = await mountCdsHooks(
    {
      origin,
      issueToken: (patient) => auth.issueToken({ scope: 'patient/*.read', patient, clientId: 'jak-readiness-cds', ttlSeconds: 300 }),
      store: async (resource) => {
        const saved = await engine.repo.createResource(resource as MedplumResource);
        return `${saved.resourceType}/${saved.id}`;
      },
      today: () => localDay(today),
    },
    { ...(options.quiet && !options.cdsHooks?.log ? { log: () => {} } : {}), ...options.cdsHooks },
  );

  log(`Sandbox EHR running (${options.app === false ? 'no app' : options.dist ? 'built app from dist/' : 'Vite dev server'})`);
  log(`  EHR patient list:  ${origin}/ehr/`);
  log(`  Standalone launch: ${origin}/launch/?iss=${encodeURIComponent(`${origin}/fhir`)}`);
  log(`  FHIR base:         ${origin}/fhir  (${scenarios.length} patients)`);
  log(`  SMART config:      ${origin}/fhir/.well-known/smart-configuration`);
  log(`  CDS Hooks:         ${origin}/cds-services  (order box on every chart page)`);
  const plan = faults.plan;
  if (plan && Object.keys(plan).length > 0) log(`  FHIR faults:       ${JSON.stringify(plan)}  (change at ${origin}/ehr/)`);

  return {
    origin,
    fhirBase: `${origin}/fhir`,
    patients: listings.map(({ id, title }) => ({ id, title })),
    createLaunch: (patientId, launchOptions) => auth.createLaunch(patientId, launchOptions),
    issueToken: (opts) => auth.issueToken(opts),
    cardLaunchUrl: (patientId, appContext) =>
      `${origin}/ehr/cds/launch?${new URLSearchParams({ ticket: cardLaunches.issue({ patient: patientId, ...(appContext ? { appContext } : {}) }) })}`,
    setFaultPlan: (plan) => {
      faults.set(plan);
    },
    faultPlan: () => faults.plan,
    cdsHooks: cds,
    async close() {
      await appHost?.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** The clinic's calendar day of `date` (local time), as the app counts it. */
function localDay(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      done();
    });
  });
}

function sendFhir(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/fhir+json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}
