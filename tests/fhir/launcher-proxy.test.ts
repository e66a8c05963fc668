/**
 * Behind a FHIR proxy that rewrites URLs, as the SMART App Launcher's does (smart-launcher-v2
 * collapses `//` anywhere in the upstream URL: `code=http://loinc.org|751-8` arrives as
 * `http:/loinc.org|751-8` and matches nothing, an empty 200). MSW plays the proxy in front of
 * the real sandbox (Medplum's search), so the search semantics on the far side are real.
 */
import FHIR from 'fhirclient/lib/entry/browser';
import { bypass, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPatientData, type LoaderOptions } from '../../src/fhir/loader';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server';
import { reportOf, SCOPE } from './sandbox-client';

const PROXY_BASE = 'http://launcher.test/v/r4/fhir';
const TODAY = '2025-06-15';
const LAB_ITEMS = ['cbc', 'liver-enzymes', 'lipid-panel', 'tb-screening', 'hepatitis-b', 'hepatitis-c'];

let sandbox: SandboxHandle;
/** How the proxy rewrites the part of the URL after its base, before forwarding. */
let rewrite: (pathAndQuery: string) => string;
const forwarded: string[] = [];

/** smart-launcher-v2: every run of slashes becomes one, in the path and the query alike. */
const collapseSlashes = (pathAndQuery: string) => pathAndQuery.replace(/\/{2,}/g, '/');

const proxy = setupServer(
  http.all(`${PROXY_BASE}/*`, async ({ request }) => {
    const upstream = `${sandbox.fhirBase}${rewrite(request.url.slice(PROXY_BASE.length))}`;
    forwarded.push(upstream);
    const answer = await fetch(bypass(new Request(upstream, { method: request.method, headers: request.headers })));
    // Like the launcher, links in the answer point back at the proxy.
    const body = (await answer.text()).replaceAll(sandbox.fhirBase, PROXY_BASE);
    return new HttpResponse(body, { status: answer.status, headers: { 'content-type': answer.headers.get('content-type') ?? 'application/fhir+json' } });
  }),
);

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, quiet: true, samples: false, app: false, today: new Date(2025, 5, 15) });
  proxy.listen({ onUnhandledRequest: 'error' });
}, 60_000);
afterAll(async () => {
  proxy.close();
  await sandbox?.close();
});

function clientFor(patient: string) {
  const accessToken = sandbox.issueToken({ scope: SCOPE, patient, clientId: 'jak-readiness' });
  return FHIR.client({ serverUrl: PROXY_BASE, tokenResponse: { access_token: accessToken, patient, scope: SCOPE } } as never);
}

async function reportThroughProxy(patient: string, options: LoaderOptions = {}) {
  forwarded.length = 0;
  const data = await loadPatientData(clientFor(patient), { asOf: TODAY, ...options });
  return { data, report: reportOf(data, patient, TODAY) };
}

const statusOf = (report: ReturnType<typeof reportOf>, id: string) => report.checklist.find((item) => item.id === id)!;

describe('behind a proxy that collapses // (smart-launcher-v2)', () => {
  it('is a faithful copy of the launcher: an unencoded system-qualified code matches nothing through it', async () => {
    rewrite = collapseSlashes;
    const token = sandbox.issueToken({ scope: SCOPE, patient: 'scn-ready' });
    const search = async (code: string) =>
      (await (await fetch(`${PROXY_BASE}/Observation?patient=scn-ready&code=${code}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { total?: number };
    expect((await search('http://loinc.org|751-8')).total).toBe(0);
    expect((await search(encodeURIComponent('http://loinc.org|751-8'))).total).toBeGreaterThan(0);
  });

  it('still loads every lab: the app percent-encodes its search values', async () => {
    rewrite = collapseSlashes;
    const { data, report } = await reportThroughProxy('scn-ready');

    expect(data.loads.Observation).toEqual({ state: 'complete' });
    for (const id of LAB_ITEMS) expect(statusOf(report, id).status, id).toBe('done');
    expect(report.dataGaps).toEqual([]);
    const labSearch = forwarded.find((url) => url.includes('_sort=-date'))!;
    expect(new URL(labSearch).search).not.toContain('//');
    expect(new URL(labSearch).searchParams.get('code')).toContain('http://loinc.org|751-8');
  });

  it('and a patient without labs is still "missing"', async () => {
    rewrite = collapseSlashes;
    const { report } = await reportThroughProxy('scn-labs-missing');
    for (const id of LAB_ITEMS) expect(statusOf(report, id).status, id).toBe('missing');
  });
});

describe('behind a proxy that decodes the query and then collapses // (nothing the app sends survives it)', () => {
  const decodeThenCollapse = (pathAndQuery: string) => {
    const [path, query = ''] = pathAndQuery.split('?');
    const decoded = query
      .split('&')
      .map((pair) => pair.split('=').map((part) => decodeURIComponent(part)).join('='))
      .join('&');
    return collapseSlashes(`${path}?${decoded}`);
  };

  it('does not believe the empty lab search: the lab items say "could not check", not "missing"', async () => {
    rewrite = decodeThenCollapse;
    const { data, report } = await reportThroughProxy('scn-ready');

    expect(data.loads.Observation).toMatchObject({ state: 'failed' });
    for (const id of LAB_ITEMS) {
      const item = statusOf(report, id);
      expect(item.status, id).toBe('unknown');
      expect(item.detail, id).toMatch(/the server's answer to the lab search looks altered/);
    }
    expect(report.dataGaps.map((gap) => gap.reason).join(' ')).toMatch(/looks altered/);
  });

  it('nor the empty older-results searches: labs from before the look-back give a data gap, never "no result in the record"', async () => {
    rewrite = decodeThenCollapse;
    // The app's searches: the look-back (here a year) plus the newest older results per item.
    // scn-labs-outdated's labs are 380 days old, so only the older-results searches can find them.
    const { data, report } = await reportThroughProxy('scn-labs-outdated', { newestOlderResults: true, lookbackDays: 365 });

    expect(data.loads.Observation).toMatchObject({ state: 'failed' });
    expect((data.loads.Observation as { reason: string }).reason).toMatch(/older lab results searches looks altered/);
    for (const id of LAB_ITEMS) {
      const item = statusOf(report, id);
      expect(item.status, id).toBe('unknown');
      expect(item.detail ?? '', id).not.toMatch(/No result/);
    }
    expect(report.dataGaps.map((gap) => gap.reason).join(' ')).toMatch(/looks altered/);
    // The count beside them asked for the codes without systems: nothing in it for a proxy to change.
    const counts = forwarded.filter((url) => new URL(url).searchParams.get('_summary') === 'count');
    expect(counts.some((url) => new URL(url).searchParams.get('date')?.startsWith('lt'))).toBe(true);
  });

  it('nor an empty status search: the smoking status behind the proxy is a data gap, not "not recorded"', async () => {
    rewrite = decodeThenCollapse;
    const { data } = await reportThroughProxy('scn-smoker-hypertension');
    expect((data.loads.Observation as { reason: string }).reason).toMatch(/status observations search looks altered/);
  });

  it('and through a faithful proxy the same patient still reads "outdated", with no data gap', async () => {
    rewrite = collapseSlashes;
    const { data, report } = await reportThroughProxy('scn-labs-outdated', { newestOlderResults: true, lookbackDays: 365 });
    expect(data.loads.Observation).toEqual({ state: 'complete' });
    for (const id of ['cbc', 'liver-enzymes', 'lipid-panel']) expect(statusOf(report, id).status, id).toBe('outdated');
    expect(report.dataGaps).toEqual([]);
  });

  it('but a patient with no such labs at all still gets "missing"', async () => {
    rewrite = decodeThenCollapse;
    const { data, report } = await reportThroughProxy('scn-labs-missing');
    expect(data.loads.Observation).toEqual({ state: 'complete' });
    for (const id of LAB_ITEMS) expect(statusOf(report, id).status, id).toBe('missing');
  });
});
