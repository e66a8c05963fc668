/**
 * The worklist from a bulk-export folder: pass one partitions the lines by patient into bucket
 * files (main thread, streaming), pass two assesses the buckets on worker threads, then the rows
 * are sorted. Memory is bounded by the largest bucket per worker, not by the export.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigOverrides } from '../engine/config';
import type { TherapyId } from '../contract/report';
import { ExportFolderError, readExportFolder, type ExportFolder } from '../bulk/export-folder';
import { readLines } from '../bulk/ndjson';
import { exportLoads, withFaults } from './loads';
import { partitionExport } from './partition';
import { assessBuckets } from './pool';
import { describeProblem, ProblemLog } from './problems';
import { compareRows, type WorklistRow } from './row';

export { ExportFolderError };

export interface WorklistOptions {
  dir: string;
  now: string;
  therapy: TherapyId;
  config?: ConfigOverrides;
  /** Worker threads; default one per core. */
  workers?: number;
  /** Where the temporary bucket files go; default the system's temporary folder. */
  tmpDir?: string;
  /** Target size of one bucket (bytes of NDJSON); smaller means less memory per worker. */
  bucketBytes?: number;
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
  elapsedMs: number;
}

const DEFAULT_BUCKET_BYTES = 16 * 1024 * 1024;
const GZIP_RATIO = 8; // NDJSON of FHIR compresses about 8-15x: assume the low end

async function readExportErrors(folder: ExportFolder, problems: ProblemLog): Promise<string[]> {
  const errors: string[] = [];
  for (const path of folder.errorFiles) {
    const name = path.slice(folder.dir.length + 1);
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
            errors.push(String(issue.diagnostics ?? issue.details?.text ?? 'no details given').replace(/\s+/g, ' ').slice(0, 300));
          }
        },
      });
    } catch (error) {
      problems.add({ file: name, message: `could not be read (${(error as Error).message})` });
      errors.push(`${name} could not be read`);
    }
  }
  return errors;
}

export async function makeWorklist(options: WorklistOptions): Promise<{ rows: WorklistRow[]; summary: WorklistSummary }> {
  const started = Date.now();
  const folder = readExportFolder(options.dir);
  if (!folder.files.some((f) => f.type === 'Patient')) {
    throw new ExportFolderError(
      folder.files.length
        ? `no Patient file in ${options.dir}: the worklist has one row per Patient of the export`
        : `no NDJSON files of the types the worklist reads in ${options.dir} (Patient.ndjson, Observation.ndjson, …)`,
    );
  }
  const problems = new ProblemLog();
  const exportErrors = await readExportErrors(folder, problems);
  const { loads, notes } = exportLoads(folder, exportErrors);

  const workers = Math.max(1, options.workers ?? availableParallelism());
  const inputBytes = folder.files.reduce((sum, f) => sum + f.bytes * (f.gzip ? GZIP_RATIO : 1), 0);
  const buckets = Math.min(512, Math.max(workers * 2, Math.ceil(inputBytes / (options.bucketBytes ?? DEFAULT_BUCKET_BYTES))));
  const workDir = mkdtempSync(join(options.tmpDir ?? tmpdir(), 'jak-worklist-'));
  try {
    const partition = await partitionExport({
      files: folder.files,
      workDir,
      buckets,
      onProgress: (p) => options.onProgress?.(`reading the export: ${p.lines.toLocaleString('en-US')} lines, ${p.filesDone}/${p.files} files (${p.file})`),
    });
    for (const p of partition.problems.first) problems.add(p);
    problems.count += partition.problems.count - partition.problems.first.length;

    const settings = { now: options.now, therapy: options.therapy, ...(options.config ? { config: options.config } : {}), loads: withFaults(loads, partition.faults) };
    const results = await assessBuckets({
      buckets: partition.bucketFiles,
      settings,
      workers,
      onBucket: (_, done, total) => options.onProgress?.(`assessing patients: ${done}/${total} parts done`),
    });
    const rows = results.flatMap((r) => r.rows).sort(compareRows);
    const byPriority: WorklistSummary['byPriority'] = [0, 0, 0, 0];
    for (const row of rows) byPriority[row.priority] += 1;
    const summary: WorklistSummary = {
      patients: partition.patients,
      rows: rows.length,
      byPriority,
      files: folder.files.map((f) => ({ name: f.name, type: f.type, lines: 0 })),
      ignoredFiles: folder.ignored,
      typeNotes: notes,
      exportErrors,
      skippedLines: problems.count,
      problems: problems.first.map(describeProblem),
      patientsLost: partition.patientsLost,
      orphans: results.reduce((o, r) => ({ patients: o.patients + r.orphans.patients, resources: o.resources + r.orphans.resources }), { patients: 0, resources: 0 }),
      unlinked: partition.unlinked,
      failures: results.flatMap((r) => r.failures),
      wholeExportFaults: Object.values(partition.faults).flat() as string[],
      workers,
      buckets,
      elapsedMs: 0,
    };
    summary.files = folder.files.map((f) => ({ name: f.name, type: f.type, lines: partition.fileLines.get(f.name) ?? 0 }));
    summary.elapsedMs = Date.now() - started;
    return { rows, summary };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
