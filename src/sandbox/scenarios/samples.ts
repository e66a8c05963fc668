/**
 * Real-world sample bundles (tests/fixtures/samples, sources and licences in SOURCES.md there)
 * as extra sandbox patients. Each bundle's dates are shifted so its newest clinical event is
 * 30 days before today (the relative timeline is kept), ids are renamed so files cannot
 * collide, and references inside the bundle (urn:uuid, relative, absolute) are rewritten to
 * the new ids. Transaction, document and searchset bundles are all read the same way.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Bundle, Resource } from 'fhir/r4';
import type { Scenario } from './catalog';

const DAY_MS = 86_400_000;
/** The newest record of a sample lands this many days before today. */
const NEWEST_DAYS_AGO = 30;

/** Fields whose value is when something clinical happened: they fix how far to shift. */
const EVENT_KEYS = new Set([
  'effectiveDateTime',
  'effectiveInstant',
  'issued',
  'authoredOn',
  'recordedDate',
  'onsetDateTime',
  'occurrenceDateTime',
  'performedDateTime',
  'dateAsserted',
  'start',
]);

/** Never rewritten: identities, narrative, codes and metadata. */
const SKIP_KEYS = new Set(['meta', 'text', 'div', 'id', 'reference', 'url', 'system', 'code', 'fullUrl', 'identifier', 'display', 'valueString']);

const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})(T.*)?$/;
const YEAR_MONTH = /^(\d{4})-(\d{2})$/;
const YEAR = /^\d{4}$/;
const DATE_KEY = /(date|Date|DateTime|Instant|start|end|issued|authoredOn|recorded)$/;

export async function loadSampleCharts(dir: string, today: Date): Promise<Scenario[]> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
  const profile = await readFile(join(dir, 'PROFILE.md'), 'utf8').catch(() => '');
  const charts: Scenario[] = [];
  for (const [index, file] of files.entries()) {
    const bundle = JSON.parse(await readFile(join(dir, file), 'utf8')) as Bundle;
    const chart = sampleChart(bundle, index + 1, today);
    if (!chart) continue;
    const stem = file.replace(/\.json$/, '');
    const [source = stem, key = ''] = stem.split('__');
    charts.push({
      id: chart.patientId,
      title: `Real-world sample: ${source} ${key.slice(0, 8)}`,
      summary: summaryFromProfile(profile, file),
      resources: chart.resources,
    });
  }
  return charts;
}

/** Renames, re-links and date-shifts one bundle; undefined when it holds no Patient. */
export function sampleChart(bundle: Bundle, index: number, today: Date): { patientId: string; resources: Resource[] } | undefined {
  const entries = (bundle.entry ?? []).filter(
    (e): e is typeof e & { resource: Resource } => !!e.resource?.resourceType && e.resource.resourceType !== 'OperationOutcome',
  );
  const patientEntry = entries.find((e) => e.resource.resourceType === 'Patient');
  if (!patientEntry) return undefined;

  const newIds = new Map<string, string>(); // any old way of naming a resource -> "Type/newId"
  let n = 0;
  for (const entry of entries) {
    const r = entry.resource;
    const newId = entry === patientEntry ? `sample-${index}` : `smp${index}-${n++}`;
    const ref = `${r.resourceType}/${newId}`;
    if (entry.fullUrl) newIds.set(entry.fullUrl, ref);
    if (r.id) newIds.set(`${r.resourceType}/${r.id}`, ref);
  }

  const resources = entries.map((entry) => {
    const copy = structuredClone(entry.resource) as Resource;
    const ref = (entry.fullUrl && newIds.get(entry.fullUrl)) || newIds.get(`${copy.resourceType}/${copy.id}`);
    copy.id = ref?.split('/')[1] ?? copy.id;
    delete copy.meta;
    relink(copy, newIds);
    return copy;
  });

  const newest = newestEventDate(resources);
  if (newest !== undefined) {
    const target = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate()) - NEWEST_DAYS_AGO * DAY_MS;
    const days = Math.round((target - newest) / DAY_MS);
    for (const r of resources) shiftDates(r, days);
  }
  return { patientId: `sample-${index}`, resources };
}

function relink(node: unknown, newIds: Map<string, string>): void {
  if (Array.isArray(node)) {
    for (const item of node) relink(item, newIds);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  if (typeof obj.reference === 'string') {
    const ref = obj.reference;
    const tail = /([A-Z][A-Za-z]+\/[^/]+)$/.exec(ref)?.[1];
    const mapped = newIds.get(ref) ?? (tail ? newIds.get(tail) : undefined);
    if (mapped) obj.reference = mapped;
  }
  for (const [key, value] of Object.entries(obj)) if (key !== 'text') relink(value, newIds);
}

function newestEventDate(resources: Resource[]): number | undefined {
  let newest: number | undefined;
  const visit = (node: unknown, key: string) => {
    if (Array.isArray(node)) return node.forEach((n) => visit(n, key));
    if (typeof node === 'string') {
      const m = FULL_DATE.exec(node);
      if (m && EVENT_KEYS.has(key)) {
        const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
        if (newest === undefined || t > newest) newest = t;
      }
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) if (!SKIP_KEYS.has(k)) visit(v, k);
  };
  for (const r of resources) visit(r, '');
  return newest;
}

/** Shifts every date/dateTime/instant string (same precision kept) by `days`. */
function shiftDates(node: unknown, days: number): void {
  if (!node || typeof node !== 'object') return;
  const entries: [string | number, unknown][] = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node);
  for (const [key, value] of entries) {
    if (typeof key === 'string' && SKIP_KEYS.has(key)) continue;
    if (typeof value === 'string') {
      const keyName = typeof key === 'string' ? key : '';
      const shifted = shiftDate(value, days, DATE_KEY.test(keyName));
      if (shifted !== value) (node as Record<string | number, unknown>)[key] = shifted;
    } else {
      shiftDates(value, days);
    }
  }
}

function shiftDate(value: string, days: number, dateKey: boolean): string {
  const full = FULL_DATE.exec(value);
  if (full) {
    const t = Date.UTC(Number(full[1]), Number(full[2]) - 1, Number(full[3])) + days * DAY_MS;
    if (Number.isNaN(t)) return value;
    return new Date(t).toISOString().slice(0, 10) + (full[4] ?? '');
  }
  if (!dateKey) return value;
  const ym = YEAR_MONTH.exec(value);
  if (ym) {
    const t = Date.UTC(Number(ym[1]), Number(ym[2]) - 1, 15) + days * DAY_MS;
    return new Date(t).toISOString().slice(0, 7);
  }
  if (YEAR.test(value)) return String(Number(value) + Math.round(days / 365.25));
  return value;
}

function summaryFromProfile(profile: string, file: string): string {
  const line = profile.split('\n').find((l) => l.includes(`**${file}**`));
  if (!line) return '';
  const sexAge = /\|\s*(female|male|other|unknown)[^|]*\|/.exec(line)?.[1];
  const flags = /flags:\s*([^|]*)$/.exec(line)?.[1]?.trim();
  return [sexAge, flags && flags !== '-' ? flags : undefined].filter(Boolean).join('; ');
}
