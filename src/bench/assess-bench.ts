/**
 * `npm run bench:assess`: prints how long the pure core takes (median of repeated runs) on the
 * largest sample bundle and on a generated heavy record. Numbers are printed, never asserted:
 * timings depend on the machine. Budget (README): assess under 50 ms for the heavy record.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { assess } from '../engine/assess';
import { buildRecord, readBundle, selectPatient } from '../engine/normalise';
import { heavyRecordResources } from './heavy-record';

const ROOT = resolve(import.meta.dirname, '../..');
const SAMPLES = join(ROOT, 'tests/fixtures/samples');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

function median(fn: () => void): number {
  fn(); // warm-up: JIT and lazily built indexes
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const rows: Array<[string, string, string, string]> = [];

const largest = readdirSync(SAMPLES).filter((f) => f.endsWith('.json')).sort((a, b) => statSync(join(SAMPLES, b)).size - statSync(join(SAMPLES, a)).size)[0]!;
{
  const bundle = readBundle(JSON.parse(readFileSync(join(SAMPLES, largest), 'utf8')));
  const patient = selectPatient(bundle.resources);
  const build = () => buildRecord({ resources: bundle.resources, fullUrls: bundle.fullUrls, patientId: patient.id! });
  const record = build();
  const size = `${bundle.resources.length} resources (${record.observations.length} observation facts)`;
  rows.push([`largest sample: ${largest}`, size, median(build).toFixed(1), median(() => assess(record, { now: '2026-11-27' })).toFixed(1)]);
}
{
  const resources = heavyRecordResources();
  const build = () => buildRecord({ resources, patientId: 'heavy' });
  const record = build();
  rows.push(['generated heavy record', '20,000 Observations, 500 Conditions, 300 MedicationRequests', median(build).toFixed(1), median(() => assess(record, { now: '2026-11-27' })).toFixed(1)]);
}

const header: [string, string, string, string] = ['record', 'size', 'buildRecord ms (median)', 'assess ms (median)'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
process.stdout.write(`${[line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n`);
process.stdout.write(`node ${process.version}, ${RUNS} runs each after one warm-up; budget: assess < 50 ms on the heavy record\n`);
