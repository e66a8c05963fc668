/**
 * The worklist against any Bulk Data server (issue 21), types and integrity: types from the
 * server's CapabilityStatement (and --types), a server that refuses `Prefer: handling=lenient`,
 * a file served short of its manifest count, failed files in the manifest. Each runs against the
 * loopback test server (tests/bulk/bulk-server.ts).
 */
import { describe, expect, it } from 'vitest';
import type { WorklistRow } from '../../src/worklist/row';
import { runCli } from '../cli/run-cli';
import { join } from 'node:path';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { exportDir, observationLines, root, server, typesAsked, worklist } from './any-server-fixture';

describe('types from the server', () => {
  it('asks only for the types the CapabilityStatement lists, in _type and in the scopes; what depends on a lacking type says why it could not be checked', async () => {
    const s = await server({ lacksTypes: ['MedicationStatement', 'Medication'] });
    const result = await worklist(s);
    expect(result.stderr).toMatch(/worklist of 4 patients/);
    expect(result.code).toBe(0); // a type the server does not have is no damaged export
    expect(typesAsked(s)).toEqual([['Patient', 'Condition', 'Observation', 'MedicationRequest', 'Immunization', 'ServiceRequest']]);
    expect(s.assertions[0]!.scope!.split(' ')).toEqual(['Patient', 'Condition', 'Observation', 'MedicationRequest', 'Immunization', 'ServiceRequest'].map((t) => `system/${t}.read`));
    expect(result.stderr).toMatch(/asked for Patient, Condition, Observation, MedicationRequest, Immunization, ServiceRequest: the types the server's CapabilityStatement lists \(it does not list MedicationStatement, Medication; --types overrides\)/);
    expect(result.stderr).toMatch(/the EHR's bulk export does not offer MedicationStatement: what depends on it is "could not check"/);
    const rows = JSON.parse(result.stdout) as WorklistRow[];
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row.couldNotCheck).toContain("MedicationStatement: the EHR's bulk export does not offer MedicationStatement");
      expect(row.todo.map((t) => t.text).join(' ')).toMatch(/medication statements .*could not be loaded \(the EHR's bulk export does not offer MedicationStatement\)/);
      expect(row.priority).toBeLessThanOrEqual(1); // never "nothing to do" with the medication list unread
      expect(row.verdicts.filter((v) => row.relevantAgents.includes(v.therapy)).every((v) => v.verdict !== 'ready')).toBe(true);
    }
  }, 60_000);

  it('without the type check, the same server refuses the sign-in (what happened before)', async () => {
    const s = await server({ lacksTypes: ['MedicationStatement'] });
    const result = await worklist(s, '--types', 'Patient,Condition,Observation,MedicationRequest,MedicationStatement,Medication,Immunization');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refused to sign in client jak-readiness-worklist \(HTTP 400: invalid_scope/);
  }, 60_000);

  it('--types overrides the server\'s list, and the scopes follow', async () => {
    const s = await server({});
    const result = await worklist(s, '--types', 'Patient,Observation');
    expect(result.code).toBe(0);
    expect(typesAsked(s)).toEqual([['Patient', 'Observation']]);
    expect(s.assertions[0]!.scope).toBe('system/Patient.read system/Observation.read');
    for (const row of JSON.parse(result.stdout) as WorklistRow[]) expect(row.couldNotCheck).toContain('Condition: Condition was left out of the export by --types');
    const bad = await worklist(s, '--types', 'Observation,Encounter');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--types: "Encounter" is not a type the worklist reads/);
  }, 60_000);

  it('leaves out a type the kick-off refuses as unavailable although the CapabilityStatement lists it, and says why', async () => {
    const s = await server({ lacksTypes: ['MedicationStatement'], capabilityListsAll: true });
    const result = await worklist(s, '--scope', 'system/*.read');
    expect(result.code).toBe(0);
    expect(typesAsked(s)).toHaveLength(2);
    expect(typesAsked(s).at(-1)).not.toContain('MedicationStatement');
    expect(result.stderr).not.toMatch(/handling=lenient/); // the refusal was the type's, not lenient handling's
    for (const row of JSON.parse(result.stdout) as WorklistRow[]) {
      expect(row.couldNotCheck.join(' ')).toMatch(/MedicationStatement: the server refused to export MedicationStatement \(HTTP 400: The requested resource type "MedicationStatement" is not available on this server\)/);
    }
  }, 60_000);

  it('sends Prefer: handling=lenient, and asks again without it when the server refuses it', async () => {
    const s = await server({ refuseLenient: true });
    const result = await worklist(s);
    expect(result.code).toBe(0);
    const kickoffs = s.requests.filter((r) => r.path.includes('$export'));
    expect(kickoffs.map((k) => [k.headers.prefer, k.status])).toEqual([['respond-async, handling=lenient', 400], ['respond-async', 202]]);
    expect(result.stderr).toMatch(/the server refused the export with Prefer: handling=lenient .*asked again without it/);
  }, 60_000);
});

describe('integrity: files against the manifest', () => {
  it('a file served short of its manifest count (cut at a line boundary) makes every row "could not check" and exits 3', async () => {
    const s = await server({ truncate: { file: 'Observation.ndjson', lines: 5 } });
    const keep = join(root, 'kept-short');
    const result = await worklist(s, '--download-dir', keep);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(new RegExp(`Observation\\.1\\.ndjson holds 5 of the ${observationLines} resources the export's manifest lists: the file is short`));
    expect(result.stderr).toMatch(/the export is incomplete \(exit status 3\)/);
    const rows = JSON.parse(result.stdout) as WorklistRow[];
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row.couldNotCheck.join(' ')).toMatch(/Observation: incomplete: Observation\.1\.ndjson holds 5 of/);
      expect(row.priority).toBeLessThanOrEqual(1);
      expect(row.verdicts.filter((v) => row.relevantAgents.includes(v.therapy)).every((v) => v.verdict !== 'ready' && v.verdict !== 'needs-work')).toBe(true);
    }
    // The same folder given to `worklist` directly: its manifest.json is checked the same way.
    const again = await runCli(['worklist', keep, '--now', '2021-03-01', '--format', 'json']);
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(/Observation\.1\.ndjson holds 5 of the/);
    expect(JSON.parse(again.stdout)).toEqual(rows);
  }, 60_000);

  it('a failed Condition file in the manifest says the export failed for Condition, with the server\'s reason, never "there are none"', async () => {
    const s = await server({ failTypes: ['Condition'] });
    const result = await worklist(s);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/the export failed for Condition: Failed to export Condition\.ndjson: what depends on it is "could not check"/);
    expect(result.stderr).not.toMatch(/no Condition file: the export's manifest asked for Condition, so there are none/);
    for (const row of JSON.parse(result.stdout) as WorklistRow[]) expect(row.couldNotCheck.join(' ')).toMatch(/Condition: the export failed for Condition: Failed to export Condition\.ndjson/);
  }, 60_000);

  it('a failed Patient file among others: the rows of the patients read, a note that others may be missing, exit 3', async () => {
    const dir = join(root, 'split-patients');
    cpSync(exportDir, dir, { recursive: true });
    const patients = readFileSync(join(dir, 'Patient.ndjson'), 'utf8').split('\n').filter(Boolean);
    rmSync(join(dir, 'Patient.ndjson'));
    writeFileSync(join(dir, 'Patient.1.ndjson'), `${patients.slice(0, 2).join('\n')}\n`);
    writeFileSync(join(dir, 'Patient.2.ndjson'), `${patients.slice(2).join('\n')}\n`);
    const s = await server({ exportDir: dir, failTypes: ['Patient.2.ndjson'] });
    const result = await worklist(s);
    expect(result.code).toBe(3);
    const rows = JSON.parse(result.stdout) as WorklistRow[];
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.couldNotCheck.join(' ')).not.toMatch(/Patient: (incomplete: )?the export failed/); // their own Patient resource was read
    expect(result.stderr).toMatch(/the export failed for Patient \(some of its files\): Failed to export Patient\.2\.ndjson: patients in the failed files are not on the list/);
  }, 60_000);

  it('a failed Patient file exits 1 with the server\'s reason', async () => {
    const s = await server({ failTypes: ['Patient'] });
    const result = await worklist(s);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n').at(-1)).toMatch(/^jak-readiness: the export failed for Patient: Failed to export Patient\.ndjson; without patients there is no worklist$/);
  }, 60_000);
});

