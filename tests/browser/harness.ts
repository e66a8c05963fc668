/**
 * Shared set-up for the browser tests: the built app (dist/), one sandbox EHR serving it, and
 * Debian's Chromium driven by playwright-core. Each test gets a fresh browser context, so no
 * session, storage or permission leaks from one test into the next.
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
import { CHROMIUM_PATH, chromiumArgs, type ChromiumOptions } from './chromium';

export { CHROMIUM_PATH, ensureBuilt, type ChromiumOptions };

/** Upper bound for the app to reach a final screen; generous for 2 slow cores, never asserted on. */
export const APP_READY_TIMEOUT = 45_000;

// dist/ is built once per run by the browser project's global setup (tests/browser/build.ts);
// ensureBuilt() here only confirms it (a file run on its own builds it then).

// ---------------------------------------------------------------------------------------------
// Browser

export function assertChromiumInstalled(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium was not found at ${CHROMIUM_PATH}. The browser tests drive Debian's Chromium and never download one: ` +
        'install it with `apt-get install -y chromium` (`.ci/run` does this on a fresh machine).',
    );
  }
}

/**
 * The run's shared Chromium (tests/browser/global-setup.ts) when there is one and the default
 * switches will do, else a Chromium of this file's own. Closing a shared one only disconnects.
 */
export function launchChromium(options: ChromiumOptions = {}): Promise<Browser> {
  assertChromiumInstalled();
  const shared = inject('chromiumWsEndpoint');
  if (shared && !options.storagePartitioning) return chromium.connect(shared);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs(options) });
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
  /** A page in a fresh context (closed after the test). */
  open(options?: BrowserContextOptions): Promise<OpenedPage>;
}

export interface HarnessOptions {
  sandbox?: Partial<SandboxOptions>;
  chromium?: ChromiumOptions;
}

/**
 * Registers beforeAll/afterEach/afterAll hooks for one test file and returns the harness.
 * Call at the top level of a describe block (or the file).
 */
export function useBrowserHarness(options: HarnessOptions = {}): BrowserHarness {
  let sandbox: SandboxHandle | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    assertChromiumInstalled();
    await ensureBuilt();
    sandbox = await startSandbox({ port: 0, quiet: true, samples: false, ...options.sandbox, dist: true, app: true });
    browser = await launchChromium(options.chromium);
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close().catch(() => undefined)));
  });

  afterAll(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close().catch(() => undefined)));
    await browser?.close();
    await sandbox?.close();
  });

  return {
    get sandbox() {
      if (!sandbox) throw new Error('the sandbox is not running (beforeAll failed?)');
      return sandbox;
    },
    get browser() {
      if (!browser) throw new Error('Chromium is not running (beforeAll failed?)');
      return browser;
    },
    async open(contextOptions: BrowserContextOptions = {}) {
      if (!browser) throw new Error('Chromium is not running (beforeAll failed?)');
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
      contexts.push(context);
      await context.addInitScript(
        ({ mark }) => {
          document.addEventListener('securitypolicyviolation', (event) => {
            console.error(`${mark} ${event.effectiveDirective} ${event.blockedURI || 'inline'}`);
          });
        },
        { mark: CSP_MARK },
      );
      const page = await context.newPage();
      const log: PageLog = { console: [], pageErrors: [], cspViolations: [] };
      page.on('console', (message) => {
        const text = message.text();
        if (text.startsWith(CSP_MARK)) log.cspViolations.push(text.slice(CSP_MARK.length).trim());
        else log.console.push({ type: message.type(), text, url: message.location().url });
      });
      page.on('pageerror', (error) => log.pageErrors.push(`${error.name}: ${error.message}`));
      return { context, page, log };
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
