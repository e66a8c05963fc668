/**
 * A Bulk Data export on disk: which NDJSON files hold which resource type. Servers and clients
 * name files `Observation.ndjson`, `Observation.1.ndjson` (or `-1`, `_1`), `1.Observation.ndjson`,
 * optionally `.gz`. `OperationOutcome` files are the export's error files. A `manifest.json`
 * (the export's completion manifest, kept by `worklist --fhir`) says which types were asked for.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The types the worklist reads (Medication only to resolve medicationReference). */
export const EXPORT_TYPES = [
  'Patient',
  'Condition',
  'Observation',
  'MedicationRequest',
  'MedicationStatement',
  'Medication',
  'Immunization',
  // Lab orders already placed (issue 18): a test ordered and awaited is not offered again.
  'ServiceRequest',
] as const;
export type ExportType = (typeof EXPORT_TYPES)[number];

export interface ExportFile {
  type: ExportType;
  path: string;
  /** The name as shown to the user in messages ("Observation.2.ndjson.gz"). */
  name: string;
  bytes: number;
  gzip: boolean;
}

export interface ExportFolder {
  dir: string;
  files: ExportFile[];
  /** OperationOutcome NDJSON files: the export's error files (manifest `error`). */
  errorFiles: string[];
  /** NDJSON files of types the worklist does not read (Encounter, Procedure...). */
  ignored: string[];
  /** From manifest.json when present. */
  manifest?: {
    /** The types the export asked for (`_type`); undefined when it asked for every type. */
    requestedTypes?: string[];
  };
}

const NAME = /^(?:\d+[._-])?([A-Z][A-Za-z]+)(?:[._-]\d+)?\.ndjson(\.gz)?$/;

/** Thrown when the folder cannot be used at all (the command line exits 2). */
export class ExportFolderError extends Error {}

export function readExportFolder(dir: string): ExportFolder {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new ExportFolderError(`${dir} is not a folder`);
    names = readdirSync(dir);
  } catch (error) {
    if (error instanceof ExportFolderError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ExportFolderError(`cannot read folder ${dir}${code === 'ENOENT' ? ': no such folder' : code ? ` (${code})` : ''}`);
  }
  const files: ExportFile[] = [];
  const ignored: string[] = [];
  const errorFiles: string[] = [];
  for (const name of names.sort(naturalOrder)) {
    const m = NAME.exec(name);
    if (!m) continue;
    const type = m[1] as ExportType;
    if ((m[1] as string) === 'OperationOutcome') {
      errorFiles.push(join(dir, name));
      continue;
    }
    if (!EXPORT_TYPES.includes(type)) {
      ignored.push(name);
      continue;
    }
    const path = join(dir, name);
    let bytes: number;
    try {
      const stat = statSync(path);
      if (!stat.isFile()) continue;
      bytes = stat.size;
    } catch {
      continue;
    }
    files.push({ type, path, name, bytes, gzip: Boolean(m[2]) });
  }
  const folder: ExportFolder = { dir, files, errorFiles, ignored };
  const manifest = readManifest(join(dir, 'manifest.json'));
  if (manifest) folder.manifest = manifest;
  return folder;
}

/** "Observation.2.ndjson" before "Observation.10.ndjson". */
function naturalOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

function readManifest(path: string): ExportFolder['manifest'] | undefined {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  if (!json || typeof json !== 'object') return undefined;
  const m = json as { request?: unknown };
  const result: NonNullable<ExportFolder['manifest']> = {};
  if (typeof m.request === 'string') {
    try {
      const types = new URL(m.request).searchParams.get('_type');
      if (types) result.requestedTypes = types.split(',').map((t) => t.trim()).filter(Boolean);
    } catch {
      /* a request that is not a URL tells nothing about types */
    }
  }
  return result;
}
