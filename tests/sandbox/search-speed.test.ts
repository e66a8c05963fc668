/**
 * The sandbox's compiled search filters (src/sandbox/search-filters.ts) must give exactly what
 * Medplum's own matcher gives: same matches, same order, same total, same paging links. Every
 * search runs against the sandbox over HTTP and against a reference engine whose repository
 * sends every filter through Medplum's `matchesSearchRequest` (`compiledFilters = false`), and
 * the filter semantics are also checked against Medplum's untouched MemoryRepository.
 */
import type { Bundle, FhirResource, Observation } from 'fhir/r4';
import { parseSearchRequest } from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Resource as MedplumResource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heavyRecordResources } from '../../src/bench/heavy-record';
import { uploadResources } from '../../src/bench/upload';
import { OBSERVATION_SEARCH_CODES } from '../../src/kb/observation-codes';
import { FhirEngine } from '../../src/sandbox/fhir-engine';
import { PatientIndexedRepository } from '../../src/sandbox/patient-repository';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server';
import { fhirGet, nextLink } from './helpers';

const TODAY = new Date('2026-11-27T00:00:00Z');
const SINCE = '2025-11-27';
const LOINC = 'http://loinc.org';
const LAB_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const LAB_TOKENS = OBSERVATION_SEARCH_CODES.labs;
const BARE_LAB_CODES = LAB_TOKENS.map((token) => token.split('|')[1]);

const lab = [{ coding: [{ system: LAB_CATEGORY, code: 'laboratory' }] }];
const subjectA = { reference: 'Patient/speed-a' };

/** Shapes a real record has and the generated one lacks: token and date edge cases. */
const EDGE_OBSERVATIONS: Observation[] = [
  { resourceType: 'Observation', id: 'edge-no-system', status: 'final', subject: subjectA, category: lab, code: { coding: [{ code: '718-7' }] }, effectiveDateTime: '2026-10-01' },
  { resourceType: 'Observation', id: 'edge-upper-system', status: 'final', subject: subjectA, category: lab, code: { coding: [{ system: 'HTTP://LOINC.ORG', code: '718-7' }] }, effectiveDateTime: '2026-09-01T08:00:00Z' },
  {
    resourceType: 'Observation', id: 'edge-two-codings', status: 'amended', subject: subjectA, category: lab,
    code: { coding: [{ system: 'http://example.org/local', code: 'ALT-X' }, { system: LOINC, code: '1742-6' }] },
    effectiveDateTime: '2026-08-15T10:00:00+02:00',
  },
  { resourceType: 'Observation', id: 'edge-no-date', status: 'final', subject: subjectA, category: lab, code: { coding: [{ system: LOINC, code: '718-7' }] } },
  {
    resourceType: 'Observation', id: 'edge-period', status: 'preliminary', subject: subjectA, category: lab,
    code: { coding: [{ system: LOINC, code: '777-3' }] }, effectivePeriod: { start: '2025-11-01', end: '2025-12-15' },
  },
  { resourceType: 'Observation', id: 'edge-category-text', status: 'final', subject: subjectA, category: [{ text: 'Laboratory' }], code: { coding: [{ system: LOINC, code: '2093-3' }] }, effectiveDateTime: '2026-07-01' },
  { resourceType: 'Observation', id: 'edge-text-only', status: 'cancelled', subject: subjectA, category: lab, code: { text: 'Hemoglobin' }, effectiveDateTime: '2026-06-10' },
  { resourceType: 'Observation', id: 'edge-offset', status: 'final', subject: subjectA, category: lab, code: { coding: [{ system: LOINC, code: '718-7' }] }, effectiveDateTime: '2026-05-01T23:30:00-05:00' },
  { resourceType: 'Observation', id: 'edge-on-date-floor', status: 'final', subject: subjectA, category: lab, code: { coding: [{ system: LOINC, code: '718-7' }] }, effectiveDateTime: `${SINCE}T00:00:00.000Z` },
  { resourceType: 'Observation', id: 'edge-month', status: 'final', subject: subjectA, category: lab, code: { coding: [{ system: LOINC, code: '718-7' }] }, effectiveDateTime: '2026-06' },
];

/** Patients first, as the upload sends them, so both engines hold resources in the same order. */
function dataSet(): FhirResource[] {
  const a = heavyRecordResources({ observations: 2000, conditions: 60, medications: 20, patientId: 'speed-a', today: TODAY });
  const b = heavyRecordResources({ observations: 200, conditions: 6, medications: 5, patientId: 'speed-b', today: TODAY }).map(
    (r) => (r.resourceType === 'Patient' ? r : { ...r, id: `b-${r.id}` }),
  );
  const all = [...a, ...EDGE_OBSERVATIONS, ...b];
  return [...all.filter((r) => r.resourceType === 'Patient'), ...all.filter((r) => r.resourceType !== 'Patient')];
}

const SEARCHES: string[] = [
  // The app's lab search, paged.
  `Observation?patient=speed-a&code=${LAB_TOKENS.join(',')}&category=laboratory&date=ge${SINCE}&_sort=-date&_count=40`,
  `Observation?patient=speed-a&code=${BARE_LAB_CODES.join(',')}&date=ge${SINCE}&_sort=-date&_count=1000`,
  `Observation?patient=speed-a&code=|718-7,HTTP://LOINC.ORG|1742-6,http://example.org/local|&_sort=-date&_count=1000`,
  'Observation?patient=speed-a&code=hemoglobin&_sort=-date&_count=1000',
  'Observation?patient=speed-a&code=http://loinc.org|718-7&date=2026-09&_count=1000',
  'Observation?patient=speed-a&code=http://loinc.org|99999-9&_count=50',
  'Observation?patient=speed-a&category=laboratory&_count=100',
  `Observation?patient=speed-a&category=vital-signs,${LAB_CATEGORY}|laboratory&_count=100&_offset=200`,
  'Observation?patient=speed-a&date=le2013-01-01&_sort=date&_count=1000',
  'Observation?patient=speed-a&date=gt2026-05&date=lt2026-07&_sort=-date&_count=1000',
  'Observation?patient=speed-a&date=2026-06&_count=1000',
  'Observation?patient=speed-a&date=ne2026-06&_count=300',
  'Observation?patient=speed-a&date=sa2026-01-01&date=eb2026-11-01&_count=1000',
  'Observation?patient=speed-a&date:missing=true&_count=100',
  'Observation?patient=speed-a&status=final,amended&_sort=-date&_count=100',
  'Observation?patient=speed-a&status=preliminary,cancelled&_count=100',
  `Observation?patient=speed-a&code:not=${LOINC}|718-7&category=laboratory&_count=100`,
  'Observation?patient=speed-a&status:not=final&_count=100',
  'Observation?patient=speed-a&code:text=hemoglobin&_count=100',
  'Observation?patient=speed-a&_sort=-date,_id&_count=250',
  `Observation?patient=speed-a,speed-b&code=${LAB_TOKENS.join(',')}&_sort=-date&_count=200`,
  `Observation?patient=speed-b&code=${LAB_TOKENS.join(',')}&category=laboratory&date=ge${SINCE}&_sort=-date&_count=10`,
  'Condition?patient=speed-a&clinical-status=active&_count=50',
  'MedicationRequest?patient=speed-a&status=active,completed&_sort=-authoredon&_count=7',
];

interface Page {
  status: number;
  total: number | undefined;
  ids: string[];
  next: string | undefined;
}

let sandbox: SandboxHandle;
let token: string;
let reference: FhirEngine;

beforeAll(async () => {
  const resources = dataSet();
  sandbox = await startSandbox({ port: 0, quiet: true, samples: false, app: false, today: TODAY });
  await uploadResources(sandbox, resources);
  token = sandbox.issueToken({ scope: 'system/*.*', ttlSeconds: 600 });
  reference = new FhirEngine();
  reference.repo.compiledFilters = false;
  await reference.load(resources as MedplumResource[]);
});
afterAll(async () => {
  await sandbox?.close();
});

function pageOf(status: number, bundle: Bundle): Page {
  return {
    status,
    total: bundle.total,
    ids: (bundle.entry ?? []).map((e) => `${e.resource?.resourceType}/${e.resource?.id}`),
    next: nextLink(bundle),
  };
}

/** Every page of a search from the sandbox over HTTP, following its next links. */
async function sandboxPages(search: string): Promise<Page[]> {
  const pages: Page[] = [];
  let url: string | undefined = `${sandbox.fhirBase}/${search}`;
  while (url && pages.length < 100) {
    const { status, body } = await fhirGet(url, token);
    const page = pageOf(status, body as Bundle);
    pages.push(page);
    url = page.next;
  }
  return pages;
}

/** The same pages from the reference engine (Medplum's matcher for every filter). */
async function referencePages(search: string): Promise<Page[]> {
  const pages: Page[] = [];
  let url: string | undefined = `${sandbox.fhirBase}/${search}`;
  while (url && pages.length < 100) {
    const parsed: URL = new URL(url);
    const path = parsed.pathname.slice(new URL(sandbox.fhirBase).pathname.length).split('/').filter(Boolean);
    const result = await reference.execute({ method: 'GET', path, query: parsed.searchParams, base: sandbox.fhirBase });
    const page = pageOf(result.status, result.body as Bundle);
    pages.push(page);
    url = page.next;
  }
  return pages;
}

describe('searches give what Medplum gives', () => {
  it.each(SEARCHES.map((search) => [search.length > 110 ? `${search.slice(0, 110)}…` : search, search]))(
    '%s',
    async (_label, search) => {
      const [fast, slow] = [await sandboxPages(search), await referencePages(search)];
      expect(fast[0]?.status).toBe(200);
      expect(fast).toEqual(slow);
    },
  );

  it('finds what a lab search should find, so the comparisons above are not empty', async () => {
    const [first] = await sandboxPages(SEARCHES[0]!);
    // Lab codes within the last year, laboratory category only: some, not all, of the record.
    expect(first?.total).toBeGreaterThan(40);
    expect(first?.total).toBeLessThan(2000);
    expect(first?.next).toContain('_offset=40');
    const [mixed] = await sandboxPages(SEARCHES[2]!);
    expect(mixed?.ids).toEqual(expect.arrayContaining(['Observation/edge-no-system', 'Observation/edge-two-codings']));
    const [textual] = await sandboxPages(SEARCHES[3]!);
    expect(textual?.ids).toContain('Observation/edge-text-only');
    const [caseless] = await sandboxPages(SEARCHES[4]!);
    expect(caseless?.ids).toContain('Observation/edge-upper-system');
    const [none] = await sandboxPages(SEARCHES[5]!);
    expect(none).toMatchObject({ total: 0, ids: [], next: undefined });
  });

  it('sees an updated resource at once (cached codes and dates follow the new version)', async () => {
    const changed: Observation = { ...EDGE_OBSERVATIONS[0]!, code: { coding: [{ system: LOINC, code: '777-3' }] }, effectiveDateTime: '2026-11-20' };
    const response = await fetch(`${sandbox.fhirBase}/Observation/${changed.id}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/fhir+json' },
      body: JSON.stringify(changed),
    });
    expect(response.status).toBe(200);
    await reference.execute({ method: 'PUT', path: ['Observation', changed.id!], query: new URLSearchParams(), body: changed, base: sandbox.fhirBase });

    const platelets = `Observation?patient=speed-a&code=${LOINC}|777-3&date=ge2026-11-01&_sort=-date&_count=5`;
    const hemoglobin = 'Observation?patient=speed-a&code=|718-7&_count=5';
    const [plateletPage] = await sandboxPages(platelets);
    expect(plateletPage?.ids[0]).toBe('Observation/edge-no-system');
    expect((await sandboxPages(hemoglobin))[0]?.total).toBe(0);
    expect(await sandboxPages(platelets)).toEqual(await referencePages(platelets));
    expect(await sandboxPages(SEARCHES[0]!)).toEqual(await referencePages(SEARCHES[0]!));
  });
});

describe("filter semantics match Medplum's untouched in-memory repository", () => {
  const FILTERS = [
    `code=${LAB_TOKENS.join(',')}&category=laboratory&date=ge${SINCE}`,
    `code=${BARE_LAB_CODES.join(',')}`,
    'code=|718-7,HTTP://LOINC.ORG|1742-6,http://example.org/local|,hemoglobin',
    'category=laboratory&status=final,amended,preliminary',
    'date=gt2026-05&date=lt2026-07',
    'date=ne2026-06&status:not=final',
    `code:not=${LOINC}|718-7`,
  ];
  let plain: MemoryRepository;
  let ours: PatientIndexedRepository;

  beforeAll(async () => {
    plain = new MemoryRepository();
    ours = new PatientIndexedRepository();
    for (const resource of dataSet() as MedplumResource[]) {
      await plain.createResource(resource);
      await ours.createResource(resource);
    }
  });

  it.each(FILTERS.map((filters) => [filters.length > 110 ? `${filters.slice(0, 110)}…` : filters, filters]))('%s', async (_label, filters) => {
    const request = parseSearchRequest(`Observation?patient=Patient/speed-a&${filters}`);
    const [mine, theirs] = [await ours.search(request), await plain.search(request)];
    const ids = (bundle: { entry?: Array<{ resource?: { id?: string } }> }) => (bundle.entry ?? []).map((e) => e.resource?.id).sort();
    expect(mine.total).toBe(theirs.total);
    expect(ids(mine)).toEqual(ids(theirs));
    expect(mine.total).toBeGreaterThan(0);
  });
});
