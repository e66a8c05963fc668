/**
 * `jak-readiness worklist <folder>` through the compiled bin, as a nurse's IT colleague runs it.
 * The main example: the 25 real-world sample bundles, taken apart into a bulk export (NDJSON per
 * type, `Type/id` references, numbered files, one type gzipped) the project has never seen in
 * that shape, gives one row per patient with the same verdicts and to-do list as the
 * single-patient report of each bundle.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, appendFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAssess } from '../../src/cli/run';
import type { ReadinessReport } from '../../src/contract/report';
import type { WorklistRow } from '../../src/worklist/row';
import { runCli, SAMPLES } from '../cli/run-cli';
import { bundleAsExport, writeExport } from './export-fixtures';

const NOW = '2025-06-01';
const root = mkdtempSync(join(tmpdir(), 'jak-worklist-cli-'));
const sampleFiles = readdirSync(SAMPLES).filter((f) => f.endsWith('.json'));
const sampleExport = join(root, 'samples');
writeExport(sampleExport, sampleFiles.flatMap((f) => bundleAsExport(join(SAMPLES, f))), { linesPerFile: 700, gzip: ['Immunization'], manifest: true });

/** A small RFC 4180 reader, to read the CSV back the way a spreadsheet does. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else cell += c;
  }
  return rows;
}

const patient = (id: string, extra: Record<string, unknown> = {}) => ({ resourceType: 'Patient', id, gender: 'female', birthDate: '1980-05-01', name: [{ given: ['Test'], family: id }], ...extra });
const cbc = (id: string, patientId: string, date: string) => ({
  resourceType: 'Observation', id, status: 'final', subject: { reference: `Patient/${patientId}` },
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
  code: { coding: [{ system: 'http://loinc.org', code: '718-7', display: 'Hemoglobin' }] }, effectiveDateTime: date,
  valueQuantity: { value: 13.1, unit: 'g/dL', system: 'http://unitsofmeasure.org', code: 'g/dL' },
});

describe('jak-readiness worklist <folder>', () => {
  it('gives one row per patient of a bulk export made from bundles it has never seen, with the single-patient verdicts and to-do', async () => {
    const result = await runCli(['worklist', sampleExport, '--now', NOW, '--format', 'json']);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as WorklistRow[];
    expect(Array.isArray(rows)).toBe(true);
    expect(rows).toHaveLength(sampleFiles.length);
    expect(new Set(rows.map((r) => r.patientId)).size).toBe(sampleFiles.length);
    for (const file of sampleFiles) {
      const report = JSON.parse(runAssess([join(SAMPLES, file), '--now', NOW], { readFile: (p) => readFileSync(p, 'utf8'), today: () => NOW })) as ReadinessReport;
      const row = rows.find((r) => r.patientId === report.patient.id);
      expect(row, file).toBeDefined();
      expect(row!.verdicts.map((v) => [v.therapy, v.verdict, v.reasons]), file).toEqual(report.byAgent.map((v) => [v.therapy, v.verdict, v.reasons]));
      expect(row!.todo.map((t) => t.text), file).toEqual(report.todo.map((t) => t.text));
      expect(row!.age, file).toBe(report.patient.age);
      expect(row!.name, file).toBe(report.patient.name ?? null);
    }
    expect(result.stderr).toMatch(/worklist of 25 patients/);
  }, 60_000);

  it('sorts blockers and overdue monitoring first, and shows monitoring due for patients on therapy (generated clinic)', async () => {
    const { writeBulkExport } = await import('../../src/bench/bulk-export');
    const dir = join(root, 'generated');
    const stats = await writeBulkExport({ dir, patients: 80, today: '2026-11-27', linesPerFile: 2000 });
    expect(stats.files.some((f) => /^Observation\.2\.ndjson$/.test(f))).toBe(true);
    expect(stats.files).toContain('Immunization.ndjson.gz');
    const result = await runCli(['worklist', dir, '--now', '2026-11-27', '--format', 'json']);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as WorklistRow[];
    expect(rows).toHaveLength(80);
    expect(rows.map((r) => r.priority)).toEqual([...rows.map((r) => r.priority)].sort((a, b) => a - b));
    // R3.2: an abnormal result during treatment (discontinue/interrupt, "tell the prescriber today") sorts with the blockers.
    const blocker = (r: WorklistRow) => r.verdicts.some((v) => r.relevantAgents.includes(v.therapy) && (v.verdict === 'do-not-start' || v.action === 'discontinue' || v.action === 'interrupt'))
      || r.monitoring.some((m) => m.status === 'overdue' || m.status === 'abnormal') || r.todo.some((t) => t.kind === 'urgent');
    const firstOther = rows.findIndex((r) => !blocker(r));
    expect(firstOther).toBeGreaterThan(0);
    expect(rows.slice(firstOther).some(blocker)).toBe(false);
    const onTherapy = rows.filter((r) => r.stage === 'on-therapy');
    expect(onTherapy.length).toBe(stats.onTherapy);
    expect(onTherapy.some((r) => r.monitoring.some((m) => m.status === 'overdue' || m.status === 'due'))).toBe(true);
    expect(rows.filter((r) => r.stage === 'pre-start').every((r) => r.monitoring.length === 0)).toBe(true);
  }, 90_000);

  it('writes CSV (one line per patient, formula-safe) and a self-contained HTML page with no script and escaped text', async () => {
    const dir = join(root, 'hostile');
    writeExport(dir, [
      patient('p1', { name: [{ text: '<img src=x onerror=alert(1)><script>alert(2)</script>' }] }),
      patient('p2', { name: [{ text: '=HYPERLINK("http://evil.example","click")' }] }),
      patient('p3', { name: [{ text: 'Anna, "Nan" Smith' }], identifier: [{ type: { coding: [{ code: 'MR' }] }, value: 'MRN-77' }] }),
      cbc('o1', 'p1', '2026-10-01'),
    ], { manifest: true });
    const out = join(root, 'hostile.html');
    const html = await runCli(['worklist', dir, '--now', '2026-11-27', '--format', 'html', '--out', out]);
    expect(html.code).toBe(0);
    expect(html.stdout).toBe('');
    const page = readFileSync(out, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(page).not.toMatch(/<script|<img|onerror=alert\(1\)>|<link|src=["']?http/i);
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(page).toContain('MRN MRN-77');
    expect(page.match(/<tr>\n<td>/g)).toHaveLength(3);
    expect(page).toMatch(/@media print/);

    const csv = await runCli(['worklist', dir, '--now', '2026-11-27', '--format', 'csv']);
    expect(csv.code).toBe(0);
    const table = parseCsv(csv.stdout);
    expect(table[0]!.slice(0, 6)).toEqual(['patient', 'mrn', 'birth date', 'age', 'sex', 'status']);
    expect(table).toHaveLength(4);
    const names = table.slice(1).map((r) => r[0]);
    expect(names).toContain(`'=HYPERLINK("http://evil.example","click")`);
    expect(names).toContain('Anna, "Nan" Smith');
    expect(table.find((r) => r[0] === 'Anna, "Nan" Smith')![1]).toBe('MRN-77');
  }, 60_000);

  it('runs from the TypeScript source too (npm run assess -- worklist …), its worker threads through tsx', async () => {
    const dir = join(root, 'from-source');
    writeExport(dir, [patient('p1'), patient('p2'), cbc('o1', 'p1', '2026-10-01')], { manifest: true });
    const result = await runCli(['worklist', dir, '--now', '2026-11-27', '--format', 'json', '--workers', '2'], { entry: 'src/cli/main.ts' });
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as WorklistRow[]).map((r) => r.patientId).sort()).toEqual(['p1', 'p2']);
    expect(result.stderr).toMatch(/on 2 workers/);
  }, 60_000);

  it('finds the drug of an order in Medication.ndjson, for every patient whose orders name it', async () => {
    const dir = join(root, 'shared-medication');
    const order = (id: string, patientId: string) => ({
      resourceType: 'MedicationRequest', id, status: 'active', intent: 'order', subject: { reference: `Patient/${patientId}` },
      medicationReference: { reference: 'Medication/clop' }, authoredOn: '2026-10-01',
    });
    writeExport(dir, [
      patient('p1'), patient('p2'), patient('p3'),
      { resourceType: 'Medication', id: 'clop', code: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '309362', display: 'clopidogrel 75 MG Oral Tablet' }] } },
      order('m1', 'p1'), order('m2', 'p2'), order('m3', 'p2'),
    ], { manifest: true });
    const result = await runCli(['worklist', dir, '--now', '2026-11-27', '--format', 'json', '--therapy', 'abrocitinib']);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as WorklistRow[];
    const abrocitinib = (id: string) => rows.find((r) => r.patientId === id)!.verdicts.find((v) => v.therapy === 'abrocitinib')!;
    for (const id of ['p1', 'p2']) {
      expect(abrocitinib(id).verdict).toBe('do-not-start');
      expect(abrocitinib(id).reasons.join(' ')).toMatch(/clopidogrel/i);
      // The same drug named by two orders of one patient is one resource, not a duplicate.
      expect(rows.find((r) => r.patientId === id)!.couldNotCheck.join(' ')).not.toMatch(/appears \d+ times/);
    }
    expect(abrocitinib('p3').reasons.join(' ')).not.toMatch(/clopidogrel/i);
  }, 60_000);

  it('reports a malformed line with its file and line number, skips it, counts it, and never lets its patient look complete', async () => {
    const dir = join(root, 'malformed');
    writeExport(dir, [patient('p1'), patient('p2'), patient('p3'), cbc('o1', 'p1', '2026-10-01'), cbc('o2', 'p2', '2026-10-01')], { manifest: true });
    // Line 3: cut off mid-resource but naming p2; line 4: not JSON at all (nobody's); line 5: JSON but no resource.
    appendFileSync(join(dir, 'Observation.ndjson'), '{"resourceType":"Observation","id":"o3","subject":{"reference":"Patient/p2"},"code":{"coding":[{"system":"http://loinc.org","code":"751-8"\n');
    appendFileSync(join(dir, 'Observation.ndjson'), 'garbage, not JSON\n[1,2,3]\n');
    const result = await runCli(['worklist', dir, '--now', '2026-11-27', '--format', 'json']);
    // The worklist is written, and the exit status says the export was incomplete (docs/command-line.md, Exit codes).
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/the export is incomplete \(exit status 3\).*3 lines could not be read/);
    expect(result.stderr).toMatch(/3 lines skipped/);
    expect(result.stderr).toMatch(/Observation\.ndjson line 3: not valid JSON/);
    expect(result.stderr).toMatch(/Observation\.ndjson line 4: not valid JSON/);
    expect(result.stderr).toMatch(/Observation\.ndjson line 5: not a FHIR resource/);
    const rows = JSON.parse(result.stdout) as WorklistRow[];
    expect(rows).toHaveLength(3);
    const p2 = rows.find((r) => r.patientId === 'p2')!;
    expect(p2.couldNotCheck.join(' ')).toMatch(/Observation\.ndjson line 3 could not be read/);
    // The lines whose patient cannot be told may be anyone's: every row says so, none is "ready".
    for (const row of rows) {
      expect(row.couldNotCheck.join(' ')).toMatch(/2 unreadable lines in Observation\.ndjson \(lines 4, 5\) may belong to this patient/);
      expect(row.verdicts.filter((v) => row.relevantAgents.includes(v.therapy)).every((v) => v.verdict !== 'ready')).toBe(true);
    }
  }, 60_000);

  it('says "could not check" for a type with no file unless the manifest shows it was exported', async () => {
    const noManifest = join(root, 'no-manifest');
    writeExport(noManifest, [patient('p1'), cbc('o1', 'p1', '2026-10-01')]);
    const without = await runCli(['worklist', noManifest, '--now', '2026-11-27', '--format', 'json']);
    expect(without.code).toBe(0);
    expect(without.stderr).toMatch(/no Immunization file in the export folder/);
    const [row] = JSON.parse(without.stdout) as WorklistRow[];
    expect(row!.couldNotCheck.join(' ')).toMatch(/Immunization: no Immunization file in the export folder/);
    expect(row!.verdicts.find((v) => v.therapy === 'abrocitinib')!.verdict).toBe('unknown');

    const withManifest = join(root, 'with-manifest');
    writeExport(withManifest, [patient('p1'), cbc('o1', 'p1', '2026-10-01')], { manifest: true });
    const listed = await runCli(['worklist', withManifest, '--now', '2026-11-27', '--format', 'json', '--therapy', 'topical']);
    const [row2] = JSON.parse(listed.stdout) as WorklistRow[];
    // --therapy decides whose verdicts count on the row.
    expect(row2!.therapy).toBe('topical');
    expect(row2!.relevantAgents).toEqual(['ruxolitinib-cream', 'delgocitinib-cream']);
    expect(row2!.couldNotCheck.join(' ')).not.toMatch(/Immunization/);
    expect(listed.stderr).toMatch(/no Immunization file: the export's manifest asked for Immunization, so there are none/);
  }, 60_000);

  it('exits 2 with one line for a folder it cannot use', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const onlyObservations = join(root, 'only-observations');
    writeExport(onlyObservations, [cbc('o1', 'p1', '2026-10-01')]);
    const badConfig = join(root, 'bad-site.json');
    writeFileSync(badConfig, JSON.stringify({ windows: { cbc: 'ninety' } }));
    const aFile = join(root, 'a-file.ndjson');
    writeFileSync(aFile, '{}\n');
    for (const [args, message] of [
      [['worklist', join(root, 'nope')], /cannot read folder .*no such folder/],
      [['worklist', aFile], /is not a folder/],
      [['worklist', empty], /no NDJSON files of the types the worklist reads/],
      [['worklist', onlyObservations], /no Patient file/],
      [['worklist'], /no export folder given/],
      [['worklist', empty, '--format', 'xml'], /--format must be csv, json or html/],
      [['worklist', empty, '--colour'], /unknown option --colour/],
      [['worklist', empty, '--out', join(root, 'missing-dir', 'x.csv')], /cannot write --out/],
      [['worklist', empty, '--therapy', 'tofacitinib'], /unknown therapy "tofacitinib"/],
      [['worklist', empty, '--now', '2026-13-45'], /--now must be a date/],
      [['worklist', empty, '--config', badConfig], /site configuration .*windows.cbc must be a number/],
      [['worklist', '--fhir', 'https://ehr.example/fhir'], /--fhir needs --group too/],
      [['worklist', empty, '--group', 'g1'], /--group goes with --fhir/],
    ] as Array<[string[], RegExp]>) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines, args.join(' ')).toHaveLength(1);
      expect(lines[0]).toMatch(message);
    }
  }, 60_000);
});

describe('orders already placed (issue 18): the worklist and the one-patient report say the same', () => {
  const cbcOrder = (id: string, patientId: string) => ({
    resourceType: 'ServiceRequest', id, status: 'active', intent: 'order', subject: { reference: `Patient/${patientId}` },
    code: { coding: [{ system: 'http://loinc.org', code: '57021-8', display: 'CBC with automated differential' }] }, authoredOn: '2025-05-28',
  });

  it('a CBC already ordered is "awaiting result" in the worklist row, the JSON report and the text report; not ordered, it is offered', async () => {
    const dir = join(root, 'orders');
    writeExport(dir, [patient('ordered'), patient('not-ordered'), cbcOrder('sr1', 'ordered')], { manifest: true });
    const result = await runCli(['worklist', dir, '--now', NOW, '--format', 'json']);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as WorklistRow[];
    const ordered = rows.find((r) => r.patientId === 'ordered')!;
    const notOrdered = rows.find((r) => r.patientId === 'not-ordered')!;
    expect(ordered.todo.filter((t) => t.id.endsWith('cbc')).map((t) => [t.kind, t.text])).toEqual([['awaiting', 'CBC ordered 2025-05-28, awaiting result']]);
    expect(notOrdered.todo.filter((t) => t.id.endsWith('cbc')).map((t) => [t.kind, t.text])).toEqual([['order-lab', 'Order CBC with automated differential']]);
    expect(ordered.couldNotCheck).toEqual(notOrdered.couldNotCheck);

    const bundle = join(root, 'ordered-bundle.json');
    writeFileSync(bundle, JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [patient('ordered'), cbcOrder('sr1', 'ordered')].map((resource) => ({ resource })) }));
    const json = await runCli([bundle, '--now', NOW]);
    const report = JSON.parse(json.stdout) as ReadinessReport;
    expect(report.todo.map((t) => t.text)).toEqual(ordered.todo.map((t) => t.text));
    expect(report.orders).toEqual([expect.objectContaining({ reference: 'ServiceRequest/sr1', state: 'awaiting', date: '2025-05-28' })]);
    const text = await runCli([bundle, '--now', NOW, '--format', 'text']);
    expect(text.stdout).toContain('- CBC ordered 2025-05-28, awaiting result');
    expect(text.stdout).not.toContain('Order CBC with automated differential');
  }, 60_000);

  it('an export without ServiceRequest: every row says the orders could not be checked, and still offers the labs', async () => {
    const dir = join(root, 'no-orders');
    writeExport(dir, [patient('p1'), cbc('o1', 'p1', '2025-05-01')]);
    const result = await runCli(['worklist', dir, '--now', NOW, '--format', 'json']);
    const [row] = JSON.parse(result.stdout) as WorklistRow[];
    expect(row!.couldNotCheck.some((line) => /^ServiceRequest: could not check orders already placed/.test(line))).toBe(true);
    expect(row!.todo.some((t) => t.kind === 'order-lab' && t.text === 'Order CBC with automated differential')).toBe(true);
    expect(row!.todo.some((t) => t.kind === 'awaiting')).toBe(false);
  }, 60_000);
});
