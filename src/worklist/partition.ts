/**
 * Pass one over a bulk export: stream every NDJSON line and append it to one of a few bucket
 * files chosen by the patient it belongs to, so that pass two can assess a bucket's patients
 * without ever holding the whole export. Lines stay text: each is parsed only to find its
 * patient, then dropped. Both passes run on the worker threads: pass one in slices (a gzip
 * file whole, a plain file in byte ranges), each worker writing its own part of every bucket.
 *
 * Medication resources are shared between patients: the main thread first copies them to a
 * side file with an index (id -> byte range), and each MedicationRequest/Statement that
 * references one carries a copy into its patient's bucket.
 *
 * Bucket line format (tab-separated, the JSON last so it may hold anything):
 *   <patient key> R<slice> <resource JSON>              a resource of that patient, from that slice
 *   <patient key> M <Medication JSON>                    a Medication one of its orders references
 *   <patient key> E <type> <slice> <line> <file name>   a line of that patient that could not be read
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { readLines } from '../bulk/ndjson';
import type { ExportFile, ExportType } from '../bulk/export-folder';
import { relativeReference } from '../engine/normalise/references';
import { LOADED_RESOURCE_TYPES } from '../engine/record';

/** A piece of pass one's work: a whole file, or a byte range of a plain one. */
export interface Slice {
  file: string;
  name: string;
  type: ExportType;
  range?: { start: number; end: number };
}

/** A problem with a line, numbered within its slice until the main thread knows where slices start. */
export interface SliceProblem {
  name: string;
  slice: number;
  line?: number;
  message: string;
}

export interface SliceResult {
  slice: number;
  /** Lines in the slice (blank ones included), to number the lines of the slices after it. */
  lines: number;
  /** Resources read (valid JSON with a resourceType). */
  resources: number;
  /** Lines that were not blank (resources and unreadable lines): what a manifest's count counts. */
  nonBlank: number;
  problems: SliceProblem[];
  problemCount: number;
  /** Unreadable lines whose patient could not be told (every patient's data gap), by count. */
  unattributed: number;
  unattributedLines: number[];
  /** Unreadable Patient lines whose patient could not be told: no row for them. */
  patientsLost: number;
  unlinked: number;
  /** The slice could not be read to its end. */
  cutShort?: string;
}

export interface MedicationIndex {
  path: string;
  where: Map<string, [number, number]>;
  /** Non-blank lines of each Medication file, to check against the manifest's count. */
  lines: Record<string, number>;
}

const BUFFER_BYTES = 256 * 1024;
const PROBLEMS_PER_SLICE = 50;
const READ_TYPES: ReadonlySet<string> = new Set<string>(LOADED_RESOURCE_TYPES);
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

/** Slices for pass one: plain files above `sliceBytes` in ranges, so both cores share a big file. */
export function planSlices(files: readonly ExportFile[], sliceBytes: number): Slice[] {
  const slices: Slice[] = [];
  for (const f of files) {
    if (f.type === 'Medication') continue;
    if (f.gzip || f.bytes <= sliceBytes) {
      slices.push({ file: f.path, name: f.name, type: f.type });
      continue;
    }
    for (let start = 0; start < f.bytes; start += sliceBytes) {
      slices.push({ file: f.path, name: f.name, type: f.type, range: { start, end: Math.min(f.bytes, start + sliceBytes) } });
    }
  }
  // Largest first, so the last slice to finish is a small one.
  return slices.sort((a, b) => sliceSize(b, files) - sliceSize(a, files));
}

function sliceSize(s: Slice, files: readonly ExportFile[]): number {
  if (s.range) return s.range.end - s.range.start;
  const f = files.find((x) => x.path === s.file);
  return f ? f.bytes * (f.gzip ? 8 : 1) : 0;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** An id usable as a bucket key: no white space or control characters (the bucket format is tab-separated). */
const KEY_ID = /^[^\s\u0000-\u001f\u007f]{1,200}$/;

/** "Patient/123" for the patient a resource belongs to, or undefined. */
export function patientKeyOf(resource: Record<string, unknown>): string | undefined {
  let id: string | undefined;
  if (resource.resourceType === 'Patient') id = str(resource.id);
  else {
    const holder = resource.resourceType === 'Immunization' ? resource.patient : resource.subject;
    const reference = str((holder as { reference?: unknown } | undefined)?.reference);
    const relative = reference ? relativeReference(reference) : undefined;
    id = relative?.startsWith('Patient/') ? relative.slice('Patient/'.length) : undefined;
  }
  return id && KEY_ID.test(id) ? `Patient/${id}` : undefined;
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

/** Main thread, before pass one: Medication files to a side file with an index by id. */
export async function indexMedications(files: readonly ExportFile[], workDir: string, onProblem: (p: SliceProblem) => void): Promise<MedicationIndex> {
  const path = join(workDir, 'medications.ndjson');
  const fd = openSync(path, 'w');
  const where = new Map<string, [number, number]>();
  const lines: Record<string, number> = {};
  let offset = 0;
  try {
    for (const f of files.filter((x) => x.type === 'Medication')) {
      lines[f.name] = 0;
      try {
        await readLines(f.path, {
          tooLong() {
            lines[f.name]! += 1;
          },
          line(text, lineNo) {
            lines[f.name]! += 1;
            let r: { resourceType?: unknown; id?: unknown };
            try {
              r = JSON.parse(text);
            } catch (error) {
              onProblem({ name: f.name, slice: -1, line: lineNo, message: `not valid JSON (${(error as Error).message.slice(0, 120)}); skipped` });
              return;
            }
            const id = r && typeof r === 'object' ? str(r.id) : undefined;
            if (r?.resourceType !== 'Medication' || !id) return;
            const bytes = Buffer.from(text, 'utf8');
            writeSync(fd, bytes);
            where.set(id, [offset, bytes.length]);
            offset += bytes.length;
          },
        });
      } catch (error) {
        onProblem({ name: f.name, slice: -1, message: `could not be read to the end (${(error as Error).message}); orders naming the rest show as not resolved` });
      }
    }
  } finally {
    closeSync(fd);
  }
  return { path, where, lines };
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

/** One worker's side of pass one: its own part of every bucket. */
export class Partitioner {
  private readonly writer: BucketWriter;
  private readonly medicationFd: number;
  private readonly cache = new Map<string, string>();
  private readonly patientKeys = new Set<string>();

  constructor(
    workDir: string,
    part: number,
    private readonly buckets: number,
    private readonly medications: MedicationIndex,
  ) {
    this.writer = new BucketWriter(Array.from({ length: buckets }, (_, i) => partPath(workDir, i, part)));
    this.medicationFd = openSync(medications.path, 'r');
  }

  private medication(id: string): string | undefined {
    const cached = this.cache.get(id);
    if (cached !== undefined) return cached;
    const at = this.medications.where.get(id);
    if (!at) return undefined;
    const buffer = Buffer.alloc(at[1]);
    readSync(this.medicationFd, buffer, 0, at[1], at[0]);
    const line = buffer.toString('utf8');
    if (this.cache.size >= 2000) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(id, line);
    return line;
  }

  /** Tags: `R<slice>` a resource (its slice names its file), `M` a Medication, `E` an unreadable line. */
  private write(key: string, tag: `R${number}` | 'M' | 'E', text: string): void {
    this.writer.write(bucketOf(key, this.buckets), `${key}\t${tag}\t${text}\n`);
  }

  async run(slice: Slice, sliceNo: number): Promise<SliceResult> {
    const result: SliceResult = { slice: sliceNo, lines: 0, resources: 0, nonBlank: 0, problems: [], problemCount: 0, unattributed: 0, unattributedLines: [], patientsLost: 0, unlinked: 0 };
    const broken = (lineNo: number, message: string, text?: string) => {
      result.problemCount += 1;
      if (result.problems.length < PROBLEMS_PER_SLICE) result.problems.push({ name: slice.name, slice: sliceNo, line: lineNo, message });
      const key = text === undefined ? undefined : patientOfBrokenLine(slice.type, text);
      if (key) {
        this.write(key, 'E', `${slice.type}\t${sliceNo}\t${lineNo}\t${slice.name.replace(/[\t\n\r]/g, ' ')}`);
        return;
      }
      // A lost Patient line loses that patient's row (counted in the summary), not other patients' data.
      if (slice.type === 'Patient') {
        result.patientsLost += 1;
        return;
      }
      result.unattributed += 1;
      if (result.unattributedLines.length < 5) result.unattributedLines.push(lineNo);
    };
    try {
      result.lines = await readLines(slice.file, {
        line: (text, lineNo) => {
          result.nonBlank += 1;
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
          result.resources += 1;
          const r = resource as Record<string, unknown>;
          const type = r.resourceType as string;
          if (!READ_TYPES.has(type)) {
            result.unlinked += 1;
            return;
          }
          const key = patientKeyOf(r);
          if (!key) {
            if (type === 'Patient') broken(lineNo, 'a Patient without a usable id; skipped');
            else result.unlinked += 1;
            return;
          }
          if (type === 'Patient') this.patientKeys.add(key);
          this.write(key, `R${sliceNo}`, text);
          if (type === 'MedicationRequest' || type === 'MedicationStatement') {
            const id = medicationId(r);
            const medication = id ? this.medication(id) : undefined;
            if (medication) this.write(key, 'M', medication);
          }
        },
        tooLong: (lineNo, bytes) => {
          result.nonBlank += 1;
          broken(lineNo, `a line of ${(bytes / 1048576).toFixed(0)} MB is longer than any resource should be; skipped`);
        },
      }, slice.range ? { range: slice.range } : {});
    } catch (error) {
      result.cutShort = (error as Error).message;
    }
    return result;
  }

  /** Closes this worker's bucket parts; returns the patients it saw. */
  close(): string[] {
    this.writer.close();
    closeSync(this.medicationFd);
    return [...this.patientKeys];
  }
}

export function partPath(workDir: string, bucket: number, part: number): string {
  return join(workDir, `bucket-${bucket}.part-${part}.tsv`);
}
