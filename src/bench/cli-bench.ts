/**
 * `npm run bench:cli`: the whole-process time of one single-patient report through the
 * `jak-readiness` bin (compiled JavaScript), median of several runs, next to an empty Node
 * process for scale. Target (issue 10): under 300 ms on the project's 2-core machine.
 * Printed, never asserted. BENCH_RUNS sets the number of runs; BENCH_TSX=1 adds the old way
 * (TypeScript compiled by tsx at run time) for comparison.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = resolve(import.meta.dirname, '../..');
const SAMPLES = join(ROOT, 'tests/fixtures/samples');
const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 11));

// A typical sample (the median size) and the largest (2.8 MB, about 1,000 resources).
const bySize = readdirSync(SAMPLES)
  .filter((f) => f.endsWith('.json'))
  .sort((a, b) => statSync(join(SAMPLES, a)).size - statSync(join(SAMPLES, b)).size);
const typical = bySize[Math.floor(bySize.length / 2)]!;
const largest = bySize[bySize.length - 1]!;
const kb = (file: string) => `${(statSync(join(SAMPLES, file)).size / 1024).toFixed(0)} kB`;

if (!existsSync(join(ROOT, 'build/cli/main.js'))) execFileSync(process.execPath, [join(ROOT, 'src/tools/build-cli.mjs')], { stdio: 'inherit' });

function timeProcess(args: string[], runs: number): { median: number; min: number; max: number } {
  execFileSync(process.execPath, args, { cwd: ROOT, stdio: 'ignore' }); // warm the file cache
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    execFileSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, min: times[0]!, max: times[times.length - 1]! };
}

const reportArgs = [join(SAMPLES, typical), '--now', '2026-11-27'];
const rows: Array<[string, ReturnType<typeof timeProcess>, number]> = [
  ['node -e 0 (an empty Node process)', timeProcess(['-e', '0'], RUNS), RUNS],
  [`jak-readiness <typical sample, ${kb(typical)}>`, timeProcess(['src/cli/jak-readiness.mjs', ...reportArgs], RUNS), RUNS],
  [`jak-readiness <largest sample, ${kb(largest)}>`, timeProcess(['src/cli/jak-readiness.mjs', join(SAMPLES, largest), '--now', '2026-11-27'], RUNS), RUNS],
  ['jak-readiness --help', timeProcess(['src/cli/jak-readiness.mjs', '--help'], RUNS), RUNS],
];
if (process.env.BENCH_TSX === '1') {
  const runs = Math.min(RUNS, 5);
  rows.push(['tsx src/cli/main.ts <sample> (before: compiled at run time)', timeProcess(['--import', 'tsx', 'src/cli/main.ts', ...reportArgs], runs), runs]);
}

const ms = (n: number) => `${n.toFixed(0)} ms`.padStart(8);
process.stdout.write(`Whole-process time per single-patient report through the compiled bin\n(typical: ${typical}; largest: ${largest})\n\n`);
process.stdout.write(`${'command'.padEnd(62)}  ${'median'.padStart(8)}  ${'min'.padStart(8)}  ${'max'.padStart(8)}  runs\n`);
for (const [name, t, runs] of rows) process.stdout.write(`${name.padEnd(62)}  ${ms(t.median)}  ${ms(t.min)}  ${ms(t.max)}  ${runs}\n`);
const bin = rows[1]![1];
process.stdout.write(`\nTarget: under 300 ms per report (typical sample) on the project's 2-core machine: ${bin.median < 300 ? 'met' : 'NOT met'} (median ${bin.median.toFixed(0)} ms; load average: ${(await import('node:os')).loadavg()[0]!.toFixed(2)}).\n`);
