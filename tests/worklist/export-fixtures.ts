/**
 * Bulk exports for the tests, made the way a Bulk Data server lays one out: NDJSON per resource
 * type, references as `Type/id` (a bundle's `urn:uuid:` fullUrls rewritten), Medication in its
 * own file.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

type Json = Record<string, unknown>;

function walkBundle(bundle: Json, out: Array<{ resource: Json; fullUrl?: string }>): void {
  for (const entry of (bundle.entry as Json[] | undefined) ?? []) {
    const resource = entry.resource as Json | undefined;
    if (!resource) continue;
    if (resource.resourceType === 'Bundle') walkBundle(resource, out);
    else out.push({ resource, ...(typeof entry.fullUrl === 'string' ? { fullUrl: entry.fullUrl } : {}) });
  }
}

function rewriteReferences(value: unknown, map: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteReferences(v, map));
  if (!value || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [key, v] of Object.entries(value as Json)) {
    out[key] = key === 'reference' && typeof v === 'string' && map.has(v) ? map.get(v) : rewriteReferences(v, map);
  }
  return out;
}

/** The resources of a bundle file as a bulk server would export them. */
export function bundleAsExport(path: string): Json[] {
  const entries: Array<{ resource: Json; fullUrl?: string }> = [];
  walkBundle(JSON.parse(readFileSync(path, 'utf8')) as Json, entries);
  const map = new Map<string, string>();
  entries.forEach(({ resource, fullUrl }, i) => {
    if (typeof resource.id !== 'string') resource.id = fullUrl?.split(/[:/]/).pop() || `generated-${i}`;
    if (fullUrl) map.set(fullUrl, `${resource.resourceType}/${resource.id}`);
  });
  return entries.map(({ resource }) => rewriteReferences(resource, map) as Json);
}

export interface Layout {
  /** Split each type into numbered files of this many lines (Observation.1.ndjson, …). */
  linesPerFile?: number;
  /** Types written gzipped. */
  gzip?: string[];
  /** Write a manifest.json whose request asks for every type (so a missing file means "none"). */
  manifest?: boolean;
  /** Only these types. */
  types?: string[];
}

export function writeExport(dir: string, resources: readonly Json[], layout: Layout = {}): string[] {
  mkdirSync(dir, { recursive: true });
  const byType = new Map<string, string[]>();
  for (const r of resources) {
    const type = String(r.resourceType);
    if (layout.types && !layout.types.includes(type)) continue;
    byType.set(type, [...(byType.get(type) ?? []), JSON.stringify(r)]);
  }
  const files: string[] = [];
  for (const [type, lines] of byType) {
    const per = layout.linesPerFile ?? Infinity;
    const chunks: string[][] = [];
    for (let i = 0; i < lines.length; i += per === Infinity ? lines.length : per) chunks.push(lines.slice(i, i + (per === Infinity ? lines.length : per)));
    chunks.forEach((chunk, i) => {
      const gz = layout.gzip?.includes(type);
      const name = `${type}${chunks.length > 1 ? `.${i + 1}` : ''}.ndjson${gz ? '.gz' : ''}`;
      const text = `${chunk.join('\n')}\n`;
      writeFileSync(join(dir, name), gz ? gzipSync(text) : text);
      files.push(name);
    });
  }
  if (layout.manifest) {
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({
      transactionTime: '2026-11-27T00:00:00Z',
      request: 'https://ehr.example/fhir/Group/clinic/$export?_type=Patient,Condition,Observation,MedicationRequest,MedicationStatement,Medication,Immunization',
      requiresAccessToken: true,
      output: files.map((f) => ({ type: f.split('.')[0], url: `https://ehr.example/files/${f}` })),
      error: [],
    }));
  }
  return files;
}
