/**
 * `npm run bench:assess`: prints how long the pure core takes (median of repeated runs) on the
 * largest sample bundle and on a generated heavy record. Numbers are printed, never asserted:
 * timings depend on the machine. Budgets (docs/development.md, "Benchmarks"): assess with byAgent under 50 ms for the heavy
 * record, and the verdict for all five agents costing less than five single assessments.
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

const WARM_UPS = 5;

function median(fn: () => void): number {
  for (let i = 0; i < WARM_UPS; i++) fn(); // JIT and lazily built indexes
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const rows: Array<[string, string, string, string, string, string]> = [];
const NOW = '2026-11-27';

/** assess with the verdict for all five agents, the planned therapy alone, and their ratio (budget: < 5). */
function assessColumns(record: ReturnType<typeof buildRecord>): [string, string, string] {
  // Interleaved, so a busy machine slows both alike.
  const [full, one] = pairedMedians(() => assess(record, { now: NOW }), () => assess(record, { now: NOW, verdicts: false }));
  return [full.toFixed(1), one.toFixed(1), `${(full / one).toFixed(2)}×`];
}

function pairedMedians(a: () => void, b: () => void): [number, number] {
  for (let i = 0; i < WARM_UPS; i++) { a(); b(); }
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < RUNS * 2; i++) {
    let start = performance.now();
    a();
    ta.push(performance.now() - start);
    start = performance.now();
    b();
    tb.push(performance.now() - start);
  }
  const mid = (t: number[]) => t.sort((x, y) => x - y)[Math.floor(t.length / 2)]!;
  return [mid(ta), mid(tb)];
}

const largest = readdirSync(SAMPLES).filter((f) => f.endsWith('.json')).sort((a, b) => statSync(join(SAMPLES, b)).size - statSync(join(SAMPLES, a)).size)[0]!;
{
  const bundle = readBundle(JSON.parse(readFileSync(join(SAMPLES, largest), 'utf8')));
  const patient = selectPatient(bundle.resources);
  const build = () => buildRecord({ resources: bundle.resources, fullUrls: bundle.fullUrls, patientId: patient.id! });
  const record = build();
  const size = `${bundle.resources.length} resources (${record.observations.length} observation facts)`;
  rows.push([`largest sample: ${largest}`, size, median(build).toFixed(1), ...assessColumns(record)]);
}
{
  const resources = heavyRecordResources();
  const build = () => buildRecord({ resources, patientId: 'heavy' });
  const record = build();
  rows.push(['generated heavy record', '20,000 Observations, 500 Conditions, 300 MedicationRequests', median(build).toFixed(1), ...assessColumns(record)]);
}

const header = ['record', 'size', 'buildRecord ms (median)', 'assess with byAgent ms', 'planned therapy only ms', 'byAgent cost'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
process.stdout.write(`${[line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n`);
process.stdout.write(`node ${process.version}, ${RUNS} runs each after ${WARM_UPS} warm-ups (medians); budgets: assess with byAgent < 50 ms on the heavy record, byAgent < 5 × one assessment\n`);
