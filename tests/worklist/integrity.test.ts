/**
 * A folder given to `worklist` directly, with the export's manifest.json in it: each file is
 * checked against the manifest's `count`, and a short file is a gap for every patient (never a
 * clean, wrong worklist). Repeated resource ids are reported once per file in a short form and
 * are no gap on the rows (one copy of each is used).
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWorklist } from '../../src/worklist/run';
import { runCli, SAMPLES } from '../cli/run-cli';
import { bundleAsExport, writeExport } from './export-fixtures';

const root = mkdtempSync(join(tmpdir(), 'jak-integrity-'));
const workerScript = resolve(import.meta.dirname, '../../build/cli/worklist-worker.js');
const SAMPLE_FILES = readdirSync(SAMPLES).filter((f) => f.startsWith('smart-gsd-r4__')).slice(0, 4);
const resources = SAMPLE_FILES.flatMap((f) => bundleAsExport(join(SAMPLES, f)));
const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter((l) => l.trim());

/** An export with a manifest.json that gives each file's count, as a Bulk Data server writes it. */
function exportWithCounts(name: string): string {
  const dir = join(root, name);
  writeExport(dir, resources, { manifest: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { output: Array<{ url: string; count?: number }> };
  for (const entry of manifest.output) entry.count = lines(join(dir, entry.url.split('/').pop()!)).length;
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

describe('a folder with its manifest.json, checked against the counts', () => {
  it('a file cut at a line boundary: every row "could not check" for what it holds, and exit 3', async () => {
    const whole = exportWithCounts('whole');
    const complete = await makeWorklist({ dir: whole, now: '2021-03-01', therapy: 'oral', workerScript });
    expect(complete.summary.incomplete).toEqual([]);

    const dir = exportWithCounts('short');
    const path = join(dir, 'Observation.ndjson');
    const all = lines(path);
    writeFileSync(path, `${all.slice(0, 10).join('\n')}\n`); // still valid NDJSON: only the count shows the loss
    const { rows, summary } = await makeWorklist({ dir, now: '2021-03-01', therapy: 'oral', workerScript });
    expect(rows).toHaveLength(4);
    expect(summary.incomplete).toEqual([`Observation.ndjson holds 10 of the ${all.length.toLocaleString('en')} resources the export's manifest lists: the file is short`]);
    for (const row of rows) {
      expect(row.couldNotCheck.join(' ')).toMatch(/Observation: incomplete: Observation\.ndjson holds 10 of the/);
      expect(row.priority).toBeLessThanOrEqual(1);
      expect(row.verdicts.filter((v) => row.relevantAgents.includes(v.therapy)).every((v) => v.verdict === 'unknown' || v.verdict === 'do-not-start' || v.verdict === 'not-approved')).toBe(true);
    }
    const cli = await runCli(['worklist', dir, '--now', '2021-03-01', '--format', 'json']);
    expect(cli.code).toBe(3);
    expect(cli.stderr).toMatch(/the export is incomplete \(exit status 3\); the rows it may touch say "could not check": Observation\.ndjson holds 10 of the/);
    const page = await runCli(['worklist', dir, '--now', '2021-03-01', '--format', 'html']);
    expect(page.code).toBe(3);
    expect(page.stdout).toMatch(/The export is incomplete: the rows it may touch say &quot;could not check&quot;\.|The export is incomplete: the rows it may touch say "could not check"\./);
  }, 120_000);

  it('a file the manifest lists but the folder lacks, or an emptied file, is a gap too', async () => {
    const dir = exportWithCounts('missing');
    writeFileSync(join(dir, 'Condition.ndjson'), '');
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { output: Array<{ type: string; url: string; count?: number }> };
    manifest.output.push({ type: 'Immunization', url: 'https://ehr.example/files/Immunization.2.ndjson', count: 3 });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const { summary, rows } = await makeWorklist({ dir, now: '2021-03-01', therapy: 'oral', workerScript });
    expect(summary.incomplete).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Condition\.ndjson holds 0 of the \d+ resources the export's manifest lists: the file is short$/),
      "Immunization.2.ndjson is listed in the export's manifest (3 resources) but is not in the folder",
    ]));
    for (const row of rows) expect(row.couldNotCheck.join(' ')).toMatch(/Immunization: incomplete: Immunization\.2\.ndjson is listed/);
  }, 120_000);
});

describe('repeated resource ids', () => {
  it('are reported once per file in a short form, and the rows are those of the export without the copies', async () => {
    const single = join(root, 'single');
    writeExport(single, resources, { manifest: true });
    const copied = join(root, 'copied');
    writeExport(copied, resources, { manifest: true });
    copyFileSync(join(copied, 'Observation.ndjson'), join(copied, 'Observation.2.ndjson'));
    const observations = lines(join(copied, 'Observation.ndjson')).length;
    const before = await makeWorklist({ dir: single, now: '2021-03-01', therapy: 'oral', workerScript });
    const after = await makeWorklist({ dir: copied, now: '2021-03-01', therapy: 'oral', workerScript });
    expect(after.summary.repeatedIds).toHaveLength(1);
    expect(after.summary.repeatedIds[0]).toMatch(new RegExp(`^Observation(\\.2)?\\.ndjson: ${observations.toLocaleString('en')} repeated ids$`));
    expect(after.rows).toEqual(before.rows);
    for (const row of after.rows) expect(row.couldNotCheck.join(' ')).not.toMatch(/appears \d+ times/);
    const cli = await runCli(['worklist', copied, '--now', '2021-03-01', '--format', 'json']);
    expect(cli.code).toBe(0);
    expect(cli.stderr).toMatch(/jak-readiness: Observation(\.2)?\.ndjson: [\d,]+ repeated ids \(one copy of each kept\)\n/);
  }, 120_000);
});
