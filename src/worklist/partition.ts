/**
 * Pass one over a bulk export: stream every NDJSON line and append it to one of a few bucket
 * files chosen by the patient it belongs to, so that pass two (worker threads) can assess a
 * bucket's patients without ever holding the whole export. Lines stay text here: each is parsed
 * only to find its patient, then dropped.
 *
 * Medication resources are shared between patients: they are copied to a side file with an
 * index (id -> offset), and each MedicationRequest/Statement that references one carries a copy
 * into its patient's bucket.
 *
 * Bucket line format (tab-separated, the JSON last so it may hold anything):
 *   <patient key> R <resource JSON>           a resource of that patient
 *   <patient key> M <Medication JSON>          a Medication one of its orders references
 *   <patient key> E <resource type> <message>  a line of that patient that could not be read
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { readLines } from '../bulk/ndjson';
import type { ExportFile, ExportType } from '../bulk/export-folder';
import { relativeReference } from '../engine/normalise/references';
import { ProblemLog } from './problems';

export interface PartitionOptions {
  files: ExportFile[];
  /** Where the bucket files go (a fresh temporary folder). */
  workDir: string;
  buckets: number;
  onProgress?: (progress: { file: string; lines: number; filesDone: number; files: number }) => void;
}

export interface PartitionResult {
  bucketFiles: string[];
  /** Patients with a Patient resource in the export (distinct keys). */
  patients: number;
  /** Resources read per file name. */
  fileLines: Map<string, number>;
  problems: ProblemLog;
  /** Unreadable Patient lines whose patient could not be told: those patients have no row. */
  patientsLost: number;
  /** Valid resources that name no patient (or a Group, a Location): not on any row. */
  unlinked: number;
  /** Faults that concern every patient: a file not read to its end, lines whose patient is unknown. */
  faults: Partial<Record<ExportType, string[]>>;
}

const BUFFER_BYTES = 256 * 1024;
const PATIENT_REF = /"reference"\s*:\s*"(?:[^"]*\/)?Patient\/([A-Za-z0-9\-.]{1,64})"/g;
const PATIENT_ID = /^\s*\{.*?"id"\s*:\s*"([A-Za-z0-9\-.]{1,64})"/;

/** FNV-1a: a stable, fast spread of patient keys over buckets. */
export function bucketOf(key: string, buckets: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % buckets;
}

/** Buffered appends to many files at once (synchronous: no back-pressure to manage). */
class BucketWriter {
  private readonly fds: number[];
  private readonly pending: string[][];
  private readonly sizes: number[];

  constructor(readonly paths: string[]) {
    this.fds = paths.map((p) => openSync(p, 'w'));
    this.pending = paths.map(() => []);
    this.sizes = paths.map(() => 0);
  }

  write(bucket: number, text: string): void {
    this.pending[bucket]!.push(text);
    this.sizes[bucket]! += text.length;
    if (this.sizes[bucket]! >= BUFFER_BYTES) this.flush(bucket);
  }

  private flush(bucket: number): void {
    if (this.pending[bucket]!.length === 0) return;
    writeSync(this.fds[bucket]!, this.pending[bucket]!.join(''));
    this.pending[bucket] = [];
    this.sizes[bucket] = 0;
  }

  close(): void {
    this.fds.forEach((fd, i) => {
      this.flush(i);
      closeSync(fd);
    });
  }
}

/** Medication resources by id, kept on disk; a small cache serves the common drugs. */
class MedicationIndex {
  private readonly fd: number;
  private offset = 0;
  private readonly where = new Map<string, [number, number]>();
  private readonly cache = new Map<string, string>();

  constructor(path: string) {
    this.fd = openSync(path, 'w+');
  }

  add(id: string, line: string): void {
    const bytes = Buffer.from(line, 'utf8');
    writeSync(this.fd, bytes, 0, bytes.length, this.offset);
    this.where.set(id, [this.offset, bytes.length]);
    this.offset += bytes.length;
  }

  get(id: string): string | undefined {
    const cached = this.cache.get(id);
    if (cached !== undefined) return cached;
    const at = this.where.get(id);
    if (!at) return undefined;
    const buffer = Buffer.alloc(at[1]);
    readSync(this.fd, buffer, 0, at[1], at[0]);
    const line = buffer.toString('utf8');
    if (this.cache.size >= 2000) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(id, line);
    return line;
  }

  close(): void {
    closeSync(this.fd);
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** "Patient/123" for the patient a resource belongs to, or undefined. */
export function patientKeyOf(resource: Record<string, unknown>): string | undefined {
  if (resource.resourceType === 'Patient') {
    const id = str(resource.id);
    return id ? `Patient/${id}` : undefined;
  }
  const holder = resource.resourceType === 'Immunization' ? resource.patient : resource.subject;
  const reference = str((holder as { reference?: unknown } | undefined)?.reference);
  const relative = reference ? relativeReference(reference) : undefined;
  return relative?.startsWith('Patient/') ? relative : undefined;
}

function medicationId(resource: Record<string, unknown>): string | undefined {
  const reference = str((resource.medicationReference as { reference?: unknown } | undefined)?.reference);
  const relative = reference ? relativeReference(reference) : undefined;
  return relative?.startsWith('Medication/') ? relative.slice('Medication/'.length) : undefined;
}

/** The one patient a line that is not valid JSON mentions, if exactly one can be found in its text. */
function patientOfBrokenLine(type: ExportType, text: string): string | undefined {
  const found = new Set<string>();
  if (type === 'Patient') {
    const m = PATIENT_ID.exec(text);
    if (m) found.add(m[1]!);
  } else {
    for (const m of text.matchAll(PATIENT_REF)) found.add(m[1]!);
  }
  return found.size === 1 ? `Patient/${[...found][0]}` : undefined;
}

function oneLine(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ');
}

export async function partitionExport(options: PartitionOptions): Promise<PartitionResult> {
  const bucketFiles = Array.from({ length: options.buckets }, (_, i) => join(options.workDir, `bucket-${i}.tsv`));
  const writer = new BucketWriter(bucketFiles);
  const medications = new MedicationIndex(join(options.workDir, 'medications.ndjson'));
  const problems = new ProblemLog();
  const fileLines = new Map<string, number>();
  const faults: PartitionResult['faults'] = {};
  const patientKeys = new Set<string>();
  const unattributed = new Map<string, { type: ExportType; count: number; lines: number[] }>();
  let patientsLost = 0;
  let unlinked = 0;

  const fault = (type: ExportType, message: string) => (faults[type] ??= []).push(message);
  const write = (key: string, tag: 'R' | 'M' | 'E', text: string) => writer.write(bucketOf(key, options.buckets), `${key}\t${tag}\t${text}\n`);

  // Medication first, so every order can find the drug it references.
  const ordered = [...options.files].sort((a, b) => Number(b.type === 'Medication') - Number(a.type === 'Medication'));
  let filesDone = 0;
  let totalLines = 0;
  try {
    for (const file of ordered) {
      const broken = (lineNo: number, message: string, text?: string) => {
        problems.add({ file: file.name, line: lineNo, message });
        if (file.type === 'Medication') return; // an unreadable drug shows as "not resolved" on its order
        const key = text === undefined ? undefined : patientOfBrokenLine(file.type, text);
        if (key) {
          write(key, 'E', `${file.type}\t${oneLine(`${file.name} line ${lineNo} could not be read`)}`);
          return;
        }
        // A lost Patient line loses that patient's row (counted in the summary), not other patients' data.
        if (file.type === 'Patient') {
          patientsLost += 1;
          return;
        }
        const seen = unattributed.get(file.name) ?? { type: file.type, count: 0, lines: [] };
        seen.count += 1;
        if (seen.lines.length < 5) seen.lines.push(lineNo);
        unattributed.set(file.name, seen);
      };
      try {
        await readLines(file.path, {
          line(text, lineNo) {
            totalLines += 1;
            if (totalLines % 20000 === 0) options.onProgress?.({ file: file.name, lines: totalLines, filesDone, files: ordered.length });
            let resource: unknown;
            try {
              resource = JSON.parse(text);
            } catch (error) {
              broken(lineNo, `not valid JSON (${(error as Error).message.slice(0, 120)}); skipped`, text);
              return;
            }
            if (!resource || typeof resource !== 'object' || Array.isArray(resource) || typeof (resource as { resourceType?: unknown }).resourceType !== 'string') {
              broken(lineNo, 'not a FHIR resource (no resourceType); skipped', text);
              return;
            }
            const r = resource as Record<string, unknown>;
            const type = r.resourceType as string;
            fileLines.set(file.name, (fileLines.get(file.name) ?? 0) + 1);
            if (type === 'Medication') {
              const id = str(r.id);
              if (id) medications.add(id, text);
              return;
            }
            if (!['Patient', 'Condition', 'Observation', 'MedicationRequest', 'MedicationStatement', 'Immunization'].includes(type)) {
              unlinked += 1;
              return;
            }
            const key = patientKeyOf(r);
            if (!key) {
              if (type === 'Patient') broken(lineNo, 'a Patient without an id; skipped');
              else unlinked += 1;
              return;
            }
            if (type === 'Patient') patientKeys.add(key);
            write(key, 'R', text);
            if (type === 'MedicationRequest' || type === 'MedicationStatement') {
              const id = medicationId(r);
              const medication = id ? medications.get(id) : undefined;
              if (medication) write(key, 'M', medication);
            }
          },
          tooLong(lineNo, bytes) {
            totalLines += 1;
            broken(lineNo, `line of ${(bytes / 1048576).toFixed(0)} MB is longer than any resource should be; skipped`);
          },
        });
      } catch (error) {
        const message = `${file.name} could not be read to the end (${(error as Error).message})`;
        problems.add({ file: file.name, message: 'could not be read to the end; the rest of the file is missing' });
        if (file.type !== 'Medication') fault(file.type, message);
      }
      filesDone += 1;
      options.onProgress?.({ file: file.name, lines: totalLines, filesDone, files: ordered.length });
    }
  } finally {
    writer.close();
    medications.close();
  }
  for (const [name, seen] of unattributed) {
    const which = `line${seen.count === 1 ? '' : 's'} ${seen.lines.join(', ')}${seen.count > seen.lines.length ? ', …' : ''}`;
    fault(seen.type, `${seen.count} unreadable line${seen.count === 1 ? '' : 's'} in ${name} (${which}) may belong to this patient`);
  }
  return { bucketFiles, patients: patientKeys.size, patientsLost, fileLines, problems, unlinked, faults };
}
