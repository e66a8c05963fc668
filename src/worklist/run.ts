/**
 * The worklist from a bulk-export folder: pass one partitions the lines by patient into bucket
 * files, pass two assesses the buckets, both on worker threads (one per core); then the rows are
 * sorted. Memory is bounded by the largest bucket per worker, not by the export.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigOverrides } from '../engine/config';
import type { TherapyId } from '../contract/report';
import { ExportFolderError, readExportFolder, type ExportFolder } from '../bulk/export-folder';
import { readLines } from '../bulk/ndjson';
import { exportLoads, typeNamed, withFaults, type ExportError } from './loads';
import { checkAgainstManifest } from './integrity';
import type { AssessSettings } from './assess-patient';
import { indexMedications, partPath, planSlices, type Slice, type SliceProblem, type SliceResult } from './partition';
import { runAll, WorkerPool } from './pool';
import type { FromWorker, ToWorker } from './worker';
import { describeProblem, ProblemLog } from './problems';
import { compareRows, type WorklistRow } from './row';

export { ExportFolderError };

/** The export failed where the worklist cannot do without (the Patient file): no worklist; the command line exits 1. */
export class ExportFailedError extends Error {}

export interface WorklistOptions {
  dir: string;
  now: string;
  therapy: TherapyId;
  config?: ConfigOverrides;
  /** Worker threads; default one per core, fewer for a small export (defaultWorkers). */
  workers?: number;
  /** Where the temporary bucket files go; default the system's temporary folder. */
  tmpDir?: string;
  /** Target size of one bucket (bytes of NDJSON); smaller means less memory per worker. */
  bucketBytes?: number;
  /** Size of pass one's byte ranges of a plain file (default: the export shared in 4 per worker, at least 8 MB). */
  sliceBytes?: number;
  /** The worker thread's compiled script (default: found next to this code, else the source through tsx). */
  workerScript?: string;
  onProgress?: (text: string) => void;
}

export interface WorklistSummary {
  patients: number;
  rows: number;
  /** Patients by priority: 0 blockers/overdue, 1 could not check, 2 work to do, 3 nothing to do. */
  byPriority: [number, number, number, number];
  files: Array<{ name: string; type: string; lines: number }>;
  ignoredFiles: string[];
  /** Why types without a file count as they do. */
  typeNotes: string[];
  /** Errors the server wrote into the export (OperationOutcome files). */
  exportErrors: string[];
  /**
   * Why the export is incomplete: files short of the manifest's count, cut short or unreadable,
   * lines that could not be read, files the server lists as failed. The worklist is written
   * (the rows concerned say "could not check") and the command line exits 3.
   */
  incomplete: string[];
  /** Files with resource ids repeated (one copy of each kept): "Observation.2.ndjson: 50 repeated ids". */
  repeatedIds: string[];
  /** Lines that could not be read: the count, and the first ones in words. */
  skippedLines: number;
  problems: string[];
  /** Unreadable Patient lines whose patient could not be told: no row for them. */
  patientsLost: number;
  /** Resources of patients without a Patient resource in the export, and resources naming no patient. */
  orphans: { patients: number; resources: number };
  unlinked: number;
  /** Patients whose assessment failed (they have a row that says so). */
  failures: Array<{ patientId: string; message: string }>;
  /** Faults that concern every patient (the rows' data gaps say so too). */
  wholeExportFaults: string[];
  workers: number;
  buckets: number;
  /** Lines read in the export's files (blank ones included). */
  linesRead: number;
  elapsedMs: number;
  /** Pass one (reading and partitioning) and pass two (assessing on workers). */
  timings: { partitionMs: number; assessMs: number };
}

const DEFAULT_BUCKET_BYTES = 16 * 1024 * 1024;
/** Pass one's slices: big enough that starting one costs nothing, small enough to share a file between cores. */
const SLICE_MIN_BYTES = 8 * 1024 * 1024;
const GZIP_RATIO = 8; // NDJSON of FHIR compresses about 8-15x: assume the low end

async function readExportErrors(folder: ExportFolder, problems: ProblemLog): Promise<ExportError[]> {
  const errors: ExportError[] = [];
  for (const path of folder.errorFiles) {
    const name = path.slice(folder.dir.length + 1);
    // The type an error concerns: named in its text, else in the file name or URL the manifest gives for it.
    const entry = folder.manifest?.error.find((e) => e.name === name);
    const entryType = entry && entry.type !== 'OperationOutcome' ? entry.type : entry ? typeNamed(entry.url) : undefined;
    try {
      await readLines(path, {
        line(text, lineNo) {
          let outcome: { issue?: Array<{ severity?: string; diagnostics?: string; details?: { text?: string } }> };
          try {
            outcome = JSON.parse(text);
          } catch {
            problems.add({ file: name, line: lineNo, message: 'not valid JSON; skipped' });
            return;
          }
          for (const issue of Array.isArray(outcome?.issue) ? outcome.issue : []) {
            if (issue?.severity !== 'error' && issue?.severity !== 'fatal') continue;
            const words = String(issue.diagnostics ?? issue.details?.text ?? 'no details given').replace(/\s+/g, ' ').slice(0, 300);
            const type = typeNamed(words) ?? entryType;
            errors.push({ text: words, ...(type ? { type } : {}) });
          }
        },
      });
    } catch (error) {
      problems.add({ file: name, message: `could not be read (${(error as Error).message})` });
      errors.push({ text: `${name} could not be read`, ...(entryType ? { type: entryType } : {}) });
    }
  }
  return errors;
}

/**
 * One worker thread per core, but no more than the export has slices to read: a thread costs its
 * start and its own copy of the engine (about 0.25 s of CPU on this project's machine), which a
 * clinic's export of a few megabytes never wins back.
 */
export function defaultWorkers(inputBytes: number, cores = availableParallelism()): number {
  return Math.max(1, Math.min(cores, Math.ceil(inputBytes / SLICE_MIN_BYTES)));
}

export async function makeWorklist(options: WorklistOptions): Promise<{ rows: WorklistRow[]; summary: WorklistSummary }> {
  const started = Date.now();
  const folder = readExportFolder(options.dir);
  const problems = new ProblemLog();
  const exportErrors = await readExportErrors(folder, problems);
  const { loads, notes, incomplete, patientFailed } = exportLoads(folder, exportErrors);
  if (patientFailed) throw new ExportFailedError(`${patientFailed}; without patients there is no worklist`);
  if (!folder.files.some((f) => f.type === 'Patient')) {
    throw new ExportFolderError(
      folder.files.length
        ? `no Patient file in ${options.dir}: the worklist has one row per Patient of the export`
        : `no NDJSON files of the types the worklist reads in ${options.dir} (Patient.ndjson, Observation.ndjson, …)`,
    );
  }

  const inputBytes = folder.files.reduce((sum, f) => sum + f.bytes * (f.gzip ? GZIP_RATIO : 1), 0);
  const workers = Math.max(1, options.workers ?? defaultWorkers(inputBytes));
  const buckets = Math.min(256, Math.max(workers * 2, Math.ceil(inputBytes / (options.bucketBytes ?? DEFAULT_BUCKET_BYTES))));
  const workDir = mkdtempSync(join(options.tmpDir ?? tmpdir(), 'jak-worklist-'));
  let pool: WorkerPool | undefined;
  try {
    const sliceProblems: SliceProblem[] = [];
    const medications = await indexMedications(folder.files, workDir, (p) => sliceProblems.push(p));
    pool = new WorkerPool(workers, (part) => ({ workDir, part, buckets, medications }), options.workerScript);

    // Pass one: slices of the export -> bucket parts, on every worker.
    const slices = planSlices(folder.files, options.sliceBytes ?? Math.max(SLICE_MIN_BYTES, Math.ceil(inputBytes / (workers * 4))));
    let linesRead = 0;
    const sliceResults = (await runAll(pool, slices.map((slice, sliceNo) => ({ kind: 'slice', slice, sliceNo })), (done) => {
      options.onProgress?.(`reading the export: ${done}/${slices.length} parts`);
    })).map((reply) => (reply as Extract<FromWorker, { kind: 'slice' }>).result);
    const closed = await pool.each({ kind: 'close-partition' });
    const patientKeys = new Set<string>();
    for (const reply of closed) for (const key of (reply as Extract<FromWorker, { kind: 'closed' }>).patientKeys) patientKeys.add(key);
    const partitioned = Date.now();

    // Number lines across the slices of a file, and gather what went wrong.
    const sliceLineStarts = numberSlices(slices, sliceResults);
    const faults = new Map<string, string[]>();
    const fault = (type: string, message: string) => faults.set(type, [...(faults.get(type) ?? []), message]);
    let patientsLost = 0;
    let unlinked = 0;
    const unreadable = new Map<string, { type: string; count: number; lines: number[] }>();
    const fileResources = new Map<string, number>();
    const fileLines = new Map<string, number>(Object.entries(medications.lines));
    for (const r of sliceResults) {
      const slice = slices[r.slice]!;
      linesRead += r.lines;
      fileResources.set(slice.name, (fileResources.get(slice.name) ?? 0) + r.resources);
      fileLines.set(slice.name, (fileLines.get(slice.name) ?? 0) + r.nonBlank);
      patientsLost += r.patientsLost;
      unlinked += r.unlinked;
      sliceProblems.push(...r.problems);
      problems.count += r.problemCount - r.problems.length;
      if (r.unattributed) {
        const seen = unreadable.get(slice.name) ?? { type: slice.type, count: 0, lines: [] };
        seen.count += r.unattributed;
        seen.lines.push(...r.unattributedLines.map((l) => sliceLineStarts[r.slice]! + l));
        unreadable.set(slice.name, seen);
      }
      if (r.cutShort !== undefined) {
        problems.add({ file: slice.name, message: `could not be read to the end (${r.cutShort}); the rest of the file is missing` });
        incomplete.push(`${slice.name} could not be read to the end`);
        if (slice.type !== 'Patient') fault(slice.type, `${slice.name} could not be read to the end (${r.cutShort})`);
        else notes.push(`${slice.name} could not be read to the end: patients after the fault are not on the list`);
      }
    }
    // The files against the manifest's counts: a short file is a gap for every patient it could hold.
    for (const gap of checkAgainstManifest(folder, fileLines)) {
      incomplete.push(gap.message);
      if (gap.type === 'Patient') notes.push(`${gap.message}: patients missing from it are not on the list`);
      else if (gap.type === 'Medication') {
        fault('MedicationRequest', gap.message);
        fault('MedicationStatement', gap.message);
      } else fault(gap.type, gap.message);
    }
    for (const p of sliceProblems
      .map((p) => ({ file: p.name, ...(p.line !== undefined ? { line: p.slice >= 0 ? sliceLineStarts[p.slice]! + p.line : p.line } : {}), message: p.message }))
      .sort((a, b) => a.file.localeCompare(b.file, 'en', { numeric: true }) || (a.line ?? 0) - (b.line ?? 0))) {
      problems.add(p);
    }
    const brokenLines = sliceResults.reduce((n, r) => n + r.problemCount, 0) + sliceProblems.filter((p) => p.slice < 0 && p.line !== undefined).length;
    if (brokenLines > 0) incomplete.push(`${brokenLines} line${brokenLines === 1 ? '' : 's'} could not be read`);
    for (const [name, seen] of unreadable) {
      const lines = seen.lines.sort((a, b) => a - b).slice(0, 5);
      fault(seen.type, `${seen.count} unreadable line${seen.count === 1 ? '' : 's'} in ${name} (line${seen.count === 1 ? '' : 's'} ${lines.join(', ')}${seen.count > lines.length ? ', …' : ''}) may belong to this patient`);
    }

    // Pass two: each bucket (its parts from every worker) -> rows.
    const settings: AssessSettings = {
      now: options.now,
      therapy: options.therapy,
      ...(options.config ? { config: options.config } : {}),
      loads: withFaults(loads, Object.fromEntries(faults)),
      sliceLineStarts,
    };
    const bucketTasks: ToWorker[] = Array.from({ length: buckets }, (_, b) => ({
      kind: 'bucket',
      parts: Array.from({ length: pool!.size }, (_, part) => partPath(workDir, b, part)).filter((p) => existsSync(p)),
      settings,
    }));
    const results = (await runAll(pool, bucketTasks, (done) => options.onProgress?.(`assessing patients: ${done}/${buckets} parts done`))).map(
      (reply) => (reply as Extract<FromWorker, { kind: 'bucket' }>).result,
    );
    const rows = results.flatMap((r) => r.rows).sort(compareRows);
    const byPriority: WorklistSummary['byPriority'] = [0, 0, 0, 0];
    for (const row of rows) byPriority[row.priority] += 1;
    return {
      rows,
      summary: {
        patients: patientKeys.size,
        rows: rows.length,
        byPriority,
        files: folder.files.map((f) => ({ name: f.name, type: f.type, lines: fileResources.get(f.name) ?? 0 })),
        ignoredFiles: folder.ignored,
        typeNotes: notes,
        exportErrors: exportErrors.map((e) => e.text),
        incomplete: [...new Set(incomplete)],
        repeatedIds: repeatedIdLines(results.map((r) => r.repeated), slices),
        skippedLines: problems.count,
        problems: problems.first.map(describeProblem),
        patientsLost,
        orphans: results.reduce((o, r) => ({ patients: o.patients + r.orphans.patients, resources: o.resources + r.orphans.resources }), { patients: 0, resources: 0 }),
        unlinked,
        failures: results.flatMap((r) => r.failures),
        wholeExportFaults: [...faults.values()].flat(),
        workers: pool.size,
        buckets,
        linesRead,
        elapsedMs: Date.now() - started,
        timings: { partitionMs: partitioned - started, assessMs: Date.now() - partitioned },
      },
    };
  } finally {
    await pool?.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** For each slice, the number of lines of its file before it (slices of a file are consecutive ranges). */
function numberSlices(slices: readonly Slice[], results: readonly SliceResult[]): number[] {
  const starts = new Array<number>(slices.length).fill(0);
  const byFile = new Map<string, number[]>();
  slices.forEach((s, i) => byFile.set(s.file, [...(byFile.get(s.file) ?? []), i]));
  for (const indexes of byFile.values()) {
    indexes.sort((a, b) => (slices[a]!.range?.start ?? 0) - (slices[b]!.range?.start ?? 0));
    let before = 0;
    for (const i of indexes) {
      starts[i] = before;
      before += results.find((r) => r.slice === i)?.lines ?? 0;
    }
  }
  return starts;
}

/** Repeated ids counted per slice by pass two -> one short line per file. */
function repeatedIdLines(counts: ReadonlyArray<Record<number, number>>, slices: readonly Slice[]): string[] {
  const byFile = new Map<string, number>();
  for (const c of counts) for (const [slice, n] of Object.entries(c)) {
    const name = slices[Number(slice)]?.name ?? 'a file';
    byFile.set(name, (byFile.get(name) ?? 0) + n);
  }
  return [...byFile]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([name, n]) => `${name}: ${n.toLocaleString('en')} repeated id${n === 1 ? '' : 's'}`);
}
