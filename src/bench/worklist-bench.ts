/**
 * `npm run bench:worklist`: generates a bulk export of 10,000 patients (about 1,000,000
 * resources, src/bench/bulk-export.ts), runs `jak-readiness worklist` on it through the compiled
 * bin as a separate process, and prints the wall time and the peak memory (resident set size of
 * the whole process tree, worker threads included, sampled every 50 ms). Budget on the project's
 * 2-core machine: under 120 s and under 2 GB. Printed, never asserted.
 *
 * BENCH_PATIENTS changes the size; BENCH_DIR keeps the generated export there (reused when it
 * already holds one of the same size); BENCH_FORMAT picks csv (default), json or html.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeBulkExport } from './bulk-export';

const ROOT = resolve(import.meta.dirname, '../..');
const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 10_000);
const FORMAT = process.env.BENCH_FORMAT ?? 'csv';
const keep = process.env.BENCH_DIR;
const dir = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), 'jak-bench-export-'));
const out = join(tmpdir(), `jak-bench-worklist-${process.pid}.${FORMAT}`);

/** Resident memory of a process and all its descendants, from /proc (Linux). */
function treeRssBytes(root: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      /* the process ended meanwhile */
    }
  }
  let total = 0;
  const queue = [root];
  while (queue.length) {
    const pid = queue.pop()!;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) total += Number(m[1]) * 1024;
    } catch {
      /* ended */
    }
    queue.push(...(children.get(pid) ?? []));
  }
  return total;
}

const marker = join(dir, '.bench-patients');
let stats: { patients: number; resources: number; bytes: number; files: string[] };
if (keep && existsSync(marker) && JSON.parse(readFileSync(marker, 'utf8')).patients === PATIENTS) {
  stats = JSON.parse(readFileSync(marker, 'utf8'));
  process.stdout.write(`Reusing the export in ${dir}\n`);
} else {
  process.stdout.write(`Generating ${PATIENTS.toLocaleString('en-US')} patients in ${dir} …\n`);
  const started = Date.now();
  stats = await writeBulkExport({ dir, patients: PATIENTS });
  writeFileSync(marker, JSON.stringify(stats));
  process.stdout.write(`  generated in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
const onDisk = stats.files.reduce((n, f) => n + statSync(join(dir, f)).size, 0);
process.stdout.write(`  ${stats.resources.toLocaleString('en-US')} resources, ${(stats.bytes / 1e6).toFixed(0)} MB of NDJSON (${(onDisk / 1e6).toFixed(0)} MB on disk) in ${stats.files.length} files\n\n`);

if (!existsSync(join(ROOT, 'build/cli/main.js'))) {
  await new Promise((done) => spawn(process.execPath, [join(ROOT, 'src/tools/build-cli.mjs')], { stdio: 'inherit' }).on('exit', done));
}
const started = Date.now();
const child = spawn(process.execPath, [join(ROOT, 'src/cli/jak-readiness.mjs'), 'worklist', dir, '--now', '2026-11-27', '--format', FORMAT, '--out', out], { stdio: ['ignore', 'inherit', 'pipe'] });
let stderr = '';
child.stderr.on('data', (chunk: Buffer) => {
  stderr += chunk.toString();
});
let peak = 0;
let cpuTicks = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, treeRssBytes(child.pid!));
  try {
    // utime + stime of the process, all its threads included (fields 14 and 15 of /proc/<pid>/stat).
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    cpuTicks = Number(fields[11]) + Number(fields[12]);
  } catch {
    /* it has just ended */
  }
}, 50);
const code: number = await new Promise((done) => child.on('exit', (c) => done(c ?? 1)));
clearInterval(sampler);
const wall = (Date.now() - started) / 1000;

process.stdout.write(`jak-readiness worklist (${FORMAT}), exit status ${code}\n`);
process.stdout.write(stderr.split('\n').filter((l) => l && !/\(\d+ s\)$/.test(l)).map((l) => `  ${l}\n`).join(''));
const rows = FORMAT === 'json' && code === 0 ? (JSON.parse(readFileSync(out, 'utf8')) as unknown[]).length : undefined;
process.stdout.write(`\n${'wall time'.padEnd(32)} ${wall.toFixed(1)} s   (budget 120 s: ${wall < 120 ? 'met' : 'NOT met'})\n`);
process.stdout.write(`${'peak memory (process tree RSS)'.padEnd(32)} ${(peak / 1e6).toFixed(0)} MB   (budget 2,000 MB: ${peak < 2e9 ? 'met' : 'NOT met'})\n`);
process.stdout.write(`${'CPU time (all threads)'.padEnd(32)} ${(cpuTicks / 100).toFixed(1)} s   (the machine's other load does not change it much)\n`);
process.stdout.write(`${'output'.padEnd(32)} ${(statSync(out).size / 1e6).toFixed(1)} MB${rows !== undefined ? `, ${rows} rows` : ''}\n`);
process.stdout.write(`${'load average (1 min) at the end'.padEnd(32)} ${loadavg()[0]!.toFixed(2)} on ${(await import('node:os')).availableParallelism()} cores\n`);
rmSync(out, { force: true });
if (!keep) rmSync(dir, { recursive: true, force: true });
