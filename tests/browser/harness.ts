/**
 * Shared set-up for the browser tests: the built app (dist/), one sandbox EHR serving it, and
 * Debian's Chromium driven by playwright-core. Each file's tests share one page, reset between
 * tests (see useBrowserHarness), so no session, storage or permission leaks from one into the next.
 *
 * Console messages, page errors and Content-Security-Policy violations of every page (and its
 * frames) are collected, so a test can assert on what the app printed as well as what it showed.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Frame, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import { REPO_ROOT, startSandbox, type SandboxHandle, type SandboxOptions } from '../../src/sandbox/server';
import { ensureBuilt } from './build';
import { chromiumArgs, chromiumPath, type ChromiumOptions } from './chromium';

/** Upper bound for the app to reach a final screen; generous for 2 slow cores, never asserted on. */
export const APP_READY_TIMEOUT = 45_000;

// dist/ is built once per run by the browser project's global setup (tests/browser/build.ts);
// ensureBuilt() here only confirms it (a file run on its own builds it then).

// ---------------------------------------------------------------------------------------------
// Browser

export function assertChromiumInstalled(options: ChromiumOptions = {}): void {
  const path = chromiumPath(options);
  if (!existsSync(path)) {
    throw new Error(
      `Chromium was not found at ${path}. The browser tests drive Debian's Chromium and never download one: ` +
        'install it with `apt-get install -y chromium chromium-headless-shell` (`.ci/run` does this on a fresh machine).',
    );
  }
}

/**
 * The run's shared Chromium (tests/browser/global-setup.ts) when there is one and the default
 * switches will do, else a Chromium of this file's own. Closing a shared one only disconnects.
 */
export function launchChromium(options: ChromiumOptions = {}): Promise<Browser> {
  assertChromiumInstalled(options);
  const shared = inject('chromiumWsEndpoint');
  if (shared && !options.storagePartitioning && !options.fullBrowser) return chromium.connect(shared);
  return chromium.launch({ executablePath: chromiumPath(options), args: chromiumArgs(options) });
}

export interface ConsoleEntry {
  type: string;
  text: string;
  /** The document that printed it. */
  url: string;
}

export interface PageLog {
  console: ConsoleEntry[];
  pageErrors: string[];
  /** `securitypolicyviolation` events seen in any frame ("directive blocked-uri"). */
  cspViolations: string[];
}

/** Marker the init script prints so violations can be told apart from ordinary console output. */
const CSP_MARK = '[csp-violation]';

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  log: PageLog;
}

export interface BrowserHarness {
  readonly sandbox: SandboxHandle;
  readonly browser: Browser;
  /**
   * A page for one test, reset to a clean start. By default it is the file's one page, reused
   * from test to test; `freshContext` (or any context option other than `viewport`) gives a new
   * browser context instead, closed after the test.
   */
  open(options?: OpenOptions): Promise<OpenedPage>;
}

export interface OpenOptions extends BrowserContextOptions {
  /** A new browser context: for tests of what a launch leaves in the browser (cookies, storage). */
  freshContext?: boolean;
}

export interface HarnessOptions {
  sandbox?: Partial<SandboxOptions>;
  chromium?: ChromiumOptions;
}

const DEFAULT_VIEWPORT = { width: 1280, height: 900 };

/** Prints CSP violations with a marker, so the harness can tell them from the app's own console output. */
async function reportCspViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(
    ({ mark }) => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(`${mark} ${event.effectiveDirective} ${event.blockedURI || 'inline'}`);
      });
    },
    { mark: CSP_MARK },
  );
}

function collectLog(page: Page): PageLog {
  const log: PageLog = { console: [], pageErrors: [], cspViolations: [] };
  page.on('console', (message) => {
    const text = message.text();
    if (text.startsWith(CSP_MARK)) log.cspViolations.push(text.slice(CSP_MARK.length).trim());
    else log.console.push({ type: message.type(), text, url: message.location().url });
  });
  page.on('pageerror', (error) => log.pageErrors.push(`${error.name}: ${error.message}`));
  return log;
}

/**
 * Registers beforeAll/afterEach/afterAll hooks for one test file and returns the harness.
 * Call at the top level of a describe block (or the file).
 *
 * Why one page per file: on this 2-core machine a new page costs Chromium about 0.7 s of CPU (a
 * renderer process and a tab) and a launch in it 2.1 s, against 1.0 s for a launch in a page
 * already open; with some 50 launches that was a fifth of the whole suite. What a test could
 * leave behind is cleared before the next one gets the page: its listeners, routes, cookies,
 * permissions, other tabs, print emulation, viewport, and the SMART session in sessionStorage.
 */
export function useBrowserHarness(options: HarnessOptions = {}): BrowserHarness {
  let sandbox: SandboxHandle | undefined;
  let browser: Browser | undefined;
  let reused: { context: BrowserContext; page: Page } | undefined;
  const freshContexts: BrowserContext[] = [];

  beforeAll(async () => {
    assertChromiumInstalled(options.chromium);
    await ensureBuilt();
    sandbox = await startSandbox({ port: 0, quiet: true, samples: false, ...options.sandbox, dist: true, app: true });
    browser = await launchChromium(options.chromium);
  });

  afterEach(async () => {
    await Promise.all(freshContexts.splice(0).map((context) => context.close().catch(() => undefined)));
  });

  afterAll(async () => {
    await Promise.all(freshContexts.splice(0).map((context) => context.close().catch(() => undefined)));
    await reused?.context.close().catch(() => undefined);
    await browser?.close();
    await sandbox?.close();
  });

  async function newContextPage(contextOptions: BrowserContextOptions): Promise<{ context: BrowserContext; page: Page }> {
    if (!browser) throw new Error('Chromium is not running (beforeAll failed?)');
    const context = await browser.newContext({ viewport: DEFAULT_VIEWPORT, ...contextOptions });
    await reportCspViolations(context);
    return { context, page: await context.newPage() };
  }

  /** The file's page, with everything the last test set or stored taken away. */
  async function resetReusedPage(viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
    if (!reused || reused.page.isClosed()) {
      await reused?.context.close().catch(() => undefined);
      reused = await newContextPage({ viewport });
      return reused;
    }
    const { context, page } = reused;
    page.removeAllListeners();
    await Promise.all(context.pages().filter((other) => other !== page).map((other) => other.close()));
    await context.unrouteAll({ behavior: 'ignoreErrors' });
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await context.clearCookies();
    await context.clearPermissions();
    await page.emulateMedia({ media: null });
    await page.setViewportSize(viewport);
    // The SMART session lives in the tab's sessionStorage, per origin: clear it in every frame
    // still open (the chart page's and the app's), then leave them.
    await Promise.all(
      page.frames().map((frame) =>
        frame
          .evaluate(() => {
            window.sessionStorage.clear();
            window.localStorage.clear();
          })
          .catch(() => undefined),
      ),
    );
    await page.goto('about:blank');
    return reused;
  }

  return {
    get sandbox() {
      if (!sandbox) throw new Error('the sandbox is not running (beforeAll failed?)');
      return sandbox;
    },
    get browser() {
      if (!browser) throw new Error('Chromium is not running (beforeAll failed?)');
      return browser;
    },
    async open({ freshContext = false, ...contextOptions }: OpenOptions = {}) {
      const { viewport, ...otherOptions } = contextOptions;
      const fresh = freshContext || Object.keys(otherOptions).length > 0 || viewport === null;
      let opened: { context: BrowserContext; page: Page };
      if (fresh) {
        opened = await newContextPage(contextOptions);
        freshContexts.push(opened.context);
      } else {
        opened = await resetReusedPage(viewport ?? DEFAULT_VIEWPORT);
      }
      return { ...opened, log: collectLog(opened.page) };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Driving the sandbox and the app

/** The app's final states: the sidebar (verdicts, or the monitoring view) or one of the message screens. */
const OUTCOME = '[data-testid="verdicts"], [data-testid="monitoring-note"], .screen__message, #launch[data-kind]';

/** The iframe the chart page embeds the app in. */
export async function appFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('#app-frame');
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('the chart page has no app frame');
  return frame;
}

/** Waits until the app shows the sidebar or a message screen (never the loading screen). */
export async function waitForOutcome(frame: Frame | Page): Promise<void> {
  await frame.waitForSelector(OUTCOME, { timeout: APP_READY_TIMEOUT });
}

/** Opens a patient's chart in the sandbox EHR, which launches the app (SMART EHR launch). */
export async function openChart(page: Page, sandbox: SandboxHandle, patientId: string, width?: number): Promise<Frame> {
  const query = width ? `?width=${width}` : '';
  await page.goto(`${sandbox.origin}/ehr/patient/${patientId}${query}`);
  const frame = await appFrame(page);
  await waitForOutcome(frame);
  return frame;
}

/**
 * Launches the app in a page of its own (what the chart's "open in a tab" link does): an EHR
 * launch for the patient, so the app page is the top document.
 */
export async function openAppAlone(page: Page, sandbox: SandboxHandle, patientId: string): Promise<void> {
  const launch = sandbox.createLaunch(patientId);
  await page.goto(`${sandbox.origin}/launch/?${new URLSearchParams({ iss: sandbox.fhirBase, launch })}`);
  await waitForOutcome(page);
}

/**
 * Records the query string of every FHIR search the page (and its frames) sends, for the check
 * that none carries a raw `//`: a proxy that collapses `//` (smart-launcher-v2) would turn
 * `http://loinc.org|751-8` into `http:/loinc.org|751-8` and every lab into "missing".
 */
export function recordFhirQueries(page: Page): { queries: string[]; withRawDoubleSlash(): string[] } {
  const queries: string[] = [];
  page.on('request', (request) => {
    const url = request.url();
    if (new URL(url).pathname.startsWith('/fhir/') && url.includes('?')) queries.push(url.slice(url.indexOf('?') + 1));
  });
  return { queries, withRawDoubleSlash: () => queries.filter((query) => query.includes('//')) };
}

/**
 * A clock for the sandbox's authorization server (`sandbox: { clock: clock.now }`): moving it
 * forward expires the tokens it issued at once, where sleeping past a short token lifetime would
 * cost seconds and, on a busy machine, expire the token during the launch itself.
 */
export function sandboxClock(): { now: () => number; advance(seconds: number): void } {
  let offsetMs = 0;
  return {
    now: () => Date.now() + offsetMs,
    advance: (seconds) => {
      offsetMs += seconds * 1000;
    },
  };
}

/** The patient's display name as the FHIR server holds it ("Given Family"), for privacy checks. */
export async function patientNames(sandbox: SandboxHandle, patientId: string): Promise<string[]> {
  const token = sandbox.issueToken({ scope: 'system/*.*' });
  const res = await fetch(`${sandbox.fhirBase}/Patient/${patientId}`, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`Patient/${patientId}: HTTP ${res.status}`);
  const patient = (await res.json()) as { name?: Array<{ family?: string; given?: string[] }> };
  return (patient.name ?? []).flatMap((name) => [name.family ?? '', ...(name.given ?? [])]).filter((part) => part.length > 2);
}

// ---------------------------------------------------------------------------------------------
// Accessibility

const AXE_PATH = join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js');
let axeSource: Promise<string> | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core in a frame and returns its serious and critical violations. axe is evaluated
 * through the DevTools protocol rather than added as a <script> tag: the app's CSP (rightly)
 * refuses inline scripts.
 */
export async function seriousAxeViolations(target: Frame | Page): Promise<AxeViolation[]> {
  axeSource ??= readFile(AXE_PATH, 'utf8');
  const source = await axeSource;
  const hasAxe = await target.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!hasAxe) await target.evaluate(source);
  const violations = await target.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: any[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: String(v.id),
      impact: (v.impact as string | null) ?? null,
      help: String(v.help),
      nodes: (v.nodes as Array<{ target: unknown[]; failureSummary?: string }>).map(
        (node) => `${JSON.stringify(node.target)} ${node.failureSummary ?? ''}`.trim(),
      ),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.join('\n    ')}`).join('\n');
}
