/**
 * How the export is cut up (byte ranges of a file, buckets, worker threads) must never change
 * the worklist: same rows, same order, same line numbers in messages. And a file that stops
 * half-way (a broken download) is named, and every patient's data from it is "could not check".
 */
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { writeBulkExport } from '../../src/bench/bulk-export';
import { defaultWorkers, makeWorklist } from '../../src/worklist/run';

const root = mkdtempSync(join(tmpdir(), 'jak-worklist-scale-'));
// The worker threads run the compiled worker (tests/cli/build-cli.setup.ts builds it from this source
// before the tests): starting one through tsx would compile the engine again in every thread.
const workerScript = resolve(import.meta.dirname, '../../build/cli/worklist-worker.js');

describe('how many worker threads by default', () => {
  const MB = 1024 * 1024;
  it.each([
    ['an empty export', 0, 2, 1],
    ["a clinic's export of 3 MB", 3 * MB, 2, 1],
    ['exactly one 8 MB slice', 8 * MB, 2, 1],
    ['just over one slice', 8 * MB + 1, 2, 2],
    ['a 1 GB export on 2 cores', 1024 * MB, 2, 2],
    ['a 1 GB export on 1 core', 1024 * MB, 1, 1],
  ])('%s: %i bytes on %i cores -> %i', (_name, bytes, cores, expected) => {
    expect(defaultWorkers(bytes, cores)).toBe(expected);
  });
});

describe('the worklist at scale', () => {
  it('gives the same rows whether the export is read whole on one thread or in many slices and buckets on two', async () => {
    const dir = join(root, 'clinic');
    await writeBulkExport({ dir, patients: 120, today: '2026-11-27', linesPerFile: 4000 });
    // One broken line in the middle of a big file, so the numbering across slices is checked too.
    const observations = join(dir, 'Observation.2.ndjson');
    const lines = readFileSync(observations, 'utf8').split('\n');
    lines.splice(1234, 0, '{"resourceType":"Observation", broken');
    writeFileSync(observations, lines.join('\n'));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ request: 'https://ehr.example/fhir/Group/g/$export', output: [] }));

    const base = { dir, now: '2026-11-27', therapy: 'oral' as const, workerScript };
    const whole = await makeWorklist({ ...base, workers: 1, sliceBytes: 1e12, bucketBytes: 1e12 });
    const sliced = await makeWorklist({ ...base, workers: 2, sliceBytes: 64 * 1024, bucketBytes: 256 * 1024 });
    expect(sliced.summary.buckets).toBeGreaterThan(8);
    expect(whole.summary.buckets).toBe(2);
    expect(sliced.summary.workers).toBe(2);
    expect(whole.rows).toHaveLength(120);
    expect(sliced.rows).toEqual(whole.rows);
    expect(sliced.summary.problems).toEqual([expect.stringMatching(/^Observation\.2\.ndjson line 1235: not valid JSON \(.*\); skipped$/)]);
    expect(whole.summary.problems).toEqual(sliced.summary.problems);
    expect(sliced.summary.linesRead).toBe(whole.summary.linesRead);
  }, 120_000);

  it('names a file that stops half-way and makes its type "could not check" for every patient', async () => {
    const dir = join(root, 'cut');
    await writeBulkExport({ dir, patients: 10, today: '2026-11-27' });
    const gz = join(dir, 'Immunization.ndjson.gz');
    const bytes = readFileSync(gz);
    writeFileSync(gz, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    appendFileSync(join(dir, 'manifest.json'), JSON.stringify({ request: 'https://ehr.example/fhir/Group/g/$export', output: [] }));
    const { rows, summary } = await makeWorklist({ dir, now: '2026-11-27', therapy: 'oral', workers: 2, workerScript });
    expect(rows).toHaveLength(10);
    expect(summary.problems.join('\n')).toMatch(/Immunization\.ndjson\.gz: could not be read to the end/);
    expect(summary.wholeExportFaults.join('\n')).toMatch(/Immunization\.ndjson\.gz could not be read to the end/);
    for (const row of rows) expect(row.couldNotCheck.join(' ')).toMatch(/Immunization: incomplete: Immunization\.ndjson\.gz could not be read to the end/);
  }, 120_000);

  it('treats errors the server wrote into the export (OperationOutcome) as incomplete data for everyone, for the type they name', async () => {
    const dir = join(root, 'server-error');
    await writeBulkExport({ dir, patients: 5, today: '2026-11-27' });
    writeFileSync(join(dir, 'OperationOutcome.ndjson.gz'), gzipSync(`${JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception', diagnostics: 'Observation export failed: timeout' }] })}\n${JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational', diagnostics: 'all fine otherwise' }] })}\n`));
    const { rows, summary } = await makeWorklist({ dir, now: '2026-11-27', therapy: 'oral', workerScript });
    // Five patients: the default is one worker thread (defaultWorkers), not one per core.
    expect(summary.workers).toBe(1);
    expect(summary.exportErrors).toEqual(['Observation export failed: timeout']);
    expect(summary.incomplete).toEqual(['the export failed for Observation (some of its files): Observation export failed: timeout']);
    for (const row of rows) {
      expect(row.couldNotCheck.join(' ')).toMatch(/Observation: incomplete: the export failed for Observation \(some of its files\): Observation export failed: timeout/);
      expect(row.priority).toBeLessThanOrEqual(1);
    }
  }, 120_000);
});
