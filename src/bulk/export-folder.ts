/**
 * A Bulk Data export on disk: which NDJSON files hold which resource type. Servers and clients
 * name files `Observation.ndjson`, `Observation.1.ndjson` (or `-1`, `_1`), `1.Observation.ndjson`,
 * optionally `.gz`. `OperationOutcome` files are the export's error files. A `manifest.json`
 * (the export's completion manifest, kept by `worklist --fhir`) says which types were asked for.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { isExportType, type ExportType } from './export-types';

export { EXPORT_TYPES, type ExportType } from './export-types';

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
  manifest?: FolderManifest;
}

/** A file the manifest lists: its type, the file in this folder it should be, and how many resources it holds. */
export interface ManifestEntry {
  type: string;
  /** The file name in the folder (the client's `file`, else the URL's last segment, else `<type>.<n>.ndjson`); undefined when none is there. */
  name?: string;
  /** The name looked for, for messages. */
  expected: string;
  url: string;
  count?: number;
}

export interface FolderManifest {
  /** The types the export asked for (`_type`); undefined when it asked for every type. */
  requestedTypes?: string[];
  /** Types left out of the export and why (written by `worklist --fhir`). */
  typesNotAsked?: Array<{ type: string; reason: string }>;
  /** The manifest's `output` files. */
  output: ManifestEntry[];
  /** The manifest's `error` files (OperationOutcome NDJSON). */
  error: ManifestEntry[];
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
    if (m[1] === 'OperationOutcome') {
      errorFiles.push(join(dir, name));
      continue;
    }
    if (!isExportType(m[1]!)) {
      ignored.push(name);
      continue;
    }
    const type: ExportType = m[1];
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
  const manifest = readManifest(join(dir, 'manifest.json'), new Set(names));
  if (manifest) folder.manifest = manifest;
  return folder;
}

/** "Observation.2.ndjson" before "Observation.10.ndjson". */
function naturalOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

function readManifest(path: string, names: ReadonlySet<string>): FolderManifest | undefined {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  if (!json || typeof json !== 'object') return undefined;
  const m = json as { request?: unknown; output?: unknown; error?: unknown; typesNotAsked?: unknown };
  const result: FolderManifest = { output: manifestEntries(m.output, names, false), error: manifestEntries(m.error, names, true) };
  if (Array.isArray(m.typesNotAsked)) {
    result.typesNotAsked = m.typesNotAsked
      .filter((t): t is { type: string; reason: string } => typeof t?.type === 'string' && typeof t?.reason === 'string')
      .map((t) => ({ type: t.type, reason: t.reason.slice(0, 500) }));
  }
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

/** Which file of the folder each manifest entry is: the name the client saved it as, else the URL's last segment, else the client's naming. */
function manifestEntries(list: unknown, names: ReadonlySet<string>, error: boolean): ManifestEntry[] {
  const counters = new Map<string, number>();
  const entries: ManifestEntry[] = [];
  for (const raw of Array.isArray(list) ? list : []) {
    const e = raw as { type?: unknown; url?: unknown; count?: unknown; file?: unknown };
    if (!e || typeof e !== 'object' || typeof e.url !== 'string') continue;
    const type = error ? 'OperationOutcome' : typeof e.type === 'string' ? e.type : '';
    const n = (counters.get(type) ?? 0) + 1;
    counters.set(type, n);
    let last = '';
    try {
      last = decodeURIComponent(new URL(e.url, 'https://x/').pathname.split('/').pop() ?? '');
    } catch {
      /* not a URL: no name from it */
    }
    const candidates = [typeof e.file === 'string' ? e.file : '', `${type}.${n}.ndjson`, `${type}.${n}.ndjson.gz`, last, `${last}.gz`].filter(Boolean);
    const name = candidates.find((c) => names.has(c));
    entries.push({
      type: error && typeof e.type === 'string' && e.type !== 'OperationOutcome' ? e.type : type,
      ...(name ? { name } : {}),
      expected: candidates[0]!,
      url: e.url,
      ...(typeof e.count === 'number' && Number.isSafeInteger(e.count) && e.count >= 0 ? { count: e.count } : {}),
    });
  }
  return entries;
}
