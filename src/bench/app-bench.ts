/**
 * `npm run bench`: this app's loading strategy against the naive one most SMART apps use, on a
 * heavy patient served by the local sandbox with latency added to every FHIR request, measured
 * in headless Chromium; then the same launch against a replay server (the sandbox run's answers
 * served again, same latency, no search work: src/bench/replay.ts), which leaves the app's own
 * time. Prints one Markdown table (for docs/development.md, "Benchmarks") and the budgets, PASS/FAIL.
 * Numbers are printed, never asserted: they depend on the machine.
 */
import { availableParallelism, loadavg } from 'node:os';
import { faultsFromPlan, type FhirFaultHook } from '../sandbox/faults';
import { replayHook, ResponseRecorder } from './replay';
import { startSandbox, type SandboxHandle } from '../sandbox/server';
import { launchBrowser, timeLaunch, type BrowserRun } from './browser-run';
import { buildApps, type BenchBuilds } from './builds';
import { heavyRecordResources } from './heavy-record';
import { measurePageJs, type PageJs } from './js-size';
import { uploadResources } from './upload';
import { WireMeter, type WireSummary } from './wire-meter';
import { printReport, type StrategyRow } from './report';

export const LATENCY_MS = 150;
export const PATIENT_ID = 'bench-heavy';
/** Whole-bench watchdog: the naive row alone takes about a minute here. */
const BENCH_LIMIT_MS = 10 * 60_000;
/** Generous: the sandbox's in-memory search is slow on this record (see the footnotes). */
const APP_TIMEOUT_MS = 3 * 60_000;
const NAIVE_TIMEOUT_MS = 5 * 60_000;

async function measure(sandbox: SandboxHandle, meter: WireMeter, patientId: string, base: string, run: (url: string) => Promise<BrowserRun>): Promise<{ run: BrowserRun; wire: WireSummary }> {
  const launchUrl = `${sandbox.origin}${base}launch/?iss=${encodeURIComponent(sandbox.fhirBase)}&launch=${sandbox.createLaunch(patientId)}`;
  meter.reset();
  const result = await run(launchUrl);
  return { run: result, wire: meter.summary() };
}

async function main(): Promise<void> {
  const today = new Date();
  const loadAtStart = loadavg()[0]!;
  let builds: BenchBuilds | undefined;
  let sandbox: SandboxHandle | undefined;
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  try {
    process.stderr.write('bench: building the app (production, and a naive-loader copy)…\n');
    builds = await buildApps();
    const appJs: PageJs = await measurePageJs(builds.root, 'index.html');

    // The sandbox run is recorded; the replay row answers the same requests from the recording.
    const recorder = new ResponseRecorder();
    let current: FhirFaultHook = recorder.wrap(faultsFromPlan({ '*': { latencyMs: LATENCY_MS } }));
    const meter = new WireMeter((context, req, res) => current(context, req, res));
    // The naive build is a second app on this origin: its redirect URI is registered too.
    sandbox = await startSandbox({ port: 0, quiet: true, samples: false, dist: true, distDir: builds.root, extraAppPaths: [builds.naiveBase], faults: meter.hook, today });
    process.stderr.write('bench: loading the heavy patient into the sandbox…\n');
    const resources = heavyRecordResources({ patientId: PATIENT_ID, today });
    await uploadResources(sandbox, resources);
    const counts = countByType(resources);

    browser = await launchBrowser();
    const launch = (patientId: string, base: string, timeoutMs: number) =>
      measure(sandbox!, meter, patientId, base, (url) => timeLaunch(browser!, url, base, timeoutMs));

    // Warm-up (not reported), with a small scenario patient and each build: starts Chromium's
    // processes and the server's code paths without caching anything the measured runs reuse
    // (every launch gets a fresh browser context).
    const small = sandbox.patients[0]?.id;
    if (small) {
      process.stderr.write('bench: warm-up launches…\n');
      await launch(small, '/', APP_TIMEOUT_MS);
      await launch(small, builds.naiveBase, APP_TIMEOUT_MS);
    }
    process.stderr.write('bench: this app…\n');
    recorder.recording = true;
    const app = await launch(PATIENT_ID, '/', APP_TIMEOUT_MS);
    recorder.recording = false;
    process.stderr.write(`bench: this app: ${Math.round(app.run.msToChecklist)} ms; naive strategy next (pages one after another; a minute or two)…\n`);
    const naive = await launch(PATIENT_ID, builds.naiveBase, NAIVE_TIMEOUT_MS);

    process.stderr.write(`bench: this app on the replay server (${recorder.responses.size} recorded answers)…\n`);
    const misses: string[] = [];
    current = replayHook(recorder.responses, LATENCY_MS, misses);
    const replay = await launch(PATIENT_ID, '/', APP_TIMEOUT_MS);

    const rows: [StrategyRow, StrategyRow] = [
      { name: 'this app', ...app.wire, msToChecklist: app.run.msToChecklist, checklist: app.run.checklist },
      { name: 'naive (all pages of every type)', ...naive.wire, msToChecklist: naive.run.msToChecklist, checklist: naive.run.checklist },
    ];
    printReport({
      rows,
      replay: { name: 'this app, replay server', ...replay.wire, msToChecklist: replay.run.msToChecklist, checklist: replay.run.checklist },
      replayMisses: misses,
      appJs,
      latencyMs: LATENCY_MS,
      counts,
      chromium: browser.version(),
      machine: `node ${process.version}, ${availableParallelism()} CPU cores, 1-minute load average ${loadAtStart.toFixed(1)} at the start and ${loadavg()[0]!.toFixed(1)} at the end (the sandbox's search work is CPU-bound: other processes on the machine slow the app row most)`,
    });
  } finally {
    await browser?.close().catch(() => {});
    await sandbox?.close().catch(() => {});
    await builds?.dispose().catch(() => {});
  }
}

function countByType(resources: Array<{ resourceType: string }>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { resourceType } of resources) counts[resourceType] = (counts[resourceType] ?? 0) + 1;
  return counts;
}

const watchdog = setTimeout(() => {
  process.stderr.write(`bench: gave up after ${BENCH_LIMIT_MS / 60_000} minutes\n`);
  process.exit(2);
}, BENCH_LIMIT_MS);
watchdog.unref();

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
