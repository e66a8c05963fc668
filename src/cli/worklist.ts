/**
 * `jak-readiness worklist`: one row per patient of a bulk export (a folder, or straight from a
 * FHIR server's Group $export), as CSV, JSON or a printable HTML page.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ConfigOverrides } from '../engine/config';
import type { TherapyId } from '../contract/report';
import { ExportFolderError } from '../bulk/export-folder';
import { worklistCsv, worklistJson } from '../worklist/format';
import { worklistHtml } from '../worklist/html';
import { EXPORT_TYPES, isExportType } from '../bulk/export-types';
import { ExportFailedError, makeWorklist, type WorklistSummary } from '../worklist/run';
import { PRIORITY_HEADINGS } from '../worklist/wording';
import { EXIT, optionValue, parseArgs, RunFailure, UsageError, type OptionSpec } from './args';
import { checkNow, checkTherapy, localToday, readSiteConfig } from './common';
import type { FhirSource } from './bulk-download';
import { Progress } from './progress';
import { HELP } from './help';

export const WORKLIST_USAGE =
  'usage: jak-readiness worklist <folder> [--format csv|json|html] [--out <file>] [--now YYYY-MM-DD] [--therapy <id>] [--config <site.json>] | jak-readiness worklist --fhir <base URL> --group <id> --client-id <id> --key <private.jwk.json> [...]';

const OPTIONS: Record<string, OptionSpec> = {
  '--help': { value: false, aliases: ['-h'] },
  '--now': { value: true },
  '--therapy': { value: true },
  '--config': { value: true },
  '--format': { value: true },
  '--out': { value: true },
  '--workers': { value: true },
  '--fhir': { value: true },
  '--group': { value: true },
  '--client-id': { value: true },
  '--key': { value: true },
  '--scope': { value: true },
  '--download-dir': { value: true },
  '--max-wait': { value: true },
  '--types': { value: true },
};

type Format = 'csv' | 'json' | 'html';

export interface WorklistCommand {
  now: string;
  therapy: TherapyId;
  config?: ConfigOverrides;
  format: Format;
  out?: string;
  workers?: number;
  source: { dir: string } | FhirSource;
}

export function parseWorklistArgs(argv: string[], today: () => string): WorklistCommand | 'help' {
  const args = parseArgs(argv, OPTIONS, WORKLIST_USAGE);
  if (args.options.has('--help')) return 'help';
  const format = optionValue(args, '--format') ?? 'csv';
  if (format !== 'csv' && format !== 'json' && format !== 'html') throw new UsageError(`--format must be csv, json or html, got "${format}"`);
  const now = optionValue(args, '--now');
  const therapy = optionValue(args, '--therapy');
  const workers = optionValue(args, '--workers');
  if (workers !== undefined && !/^[1-9]\d{0,2}$/.test(workers)) throw new UsageError(`--workers must be a whole number from 1, got "${workers}"`);
  const configPath = optionValue(args, '--config');
  const out = optionValue(args, '--out');
  if (out !== undefined) {
    let parent;
    try {
      parent = statSync(dirname(resolve(out)));
    } catch {
      parent = undefined;
    }
    if (!parent?.isDirectory()) throw new UsageError(`cannot write --out ${out}: no such folder ${dirname(resolve(out))}`);
  }
  const fhir = optionValue(args, '--fhir');
  let source: WorklistCommand['source'];
  if (fhir !== undefined) {
    if (args.positional.length) throw new UsageError(`give either a folder or --fhir, not both. ${WORKLIST_USAGE}`);
    const need = (name: string) => {
      const value = optionValue(args, name);
      if (value === undefined) throw new UsageError(`--fhir needs ${name} too. ${WORKLIST_USAGE}`);
      return value;
    };
    let base: URL;
    try {
      base = new URL(fhir);
    } catch {
      throw new UsageError(`--fhir must be the server's FHIR base URL (https://…), got "${fhir}"`);
    }
    if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new UsageError(`--fhir must be an http(s) URL, got "${fhir}"`);
    const scope = optionValue(args, '--scope');
    const downloadDir = optionValue(args, '--download-dir');
    const maxWait = optionValue(args, '--max-wait');
    if (maxWait !== undefined && !/^[1-9]\d{0,4}$/.test(maxWait)) throw new UsageError(`--max-wait must be a whole number of minutes, got "${maxWait}"`);
    const types = optionValue(args, '--types');
    source = {
      fhir, group: need('--group'), clientId: need('--client-id'), key: need('--key'),
      ...(scope ? { scope } : {}), ...(downloadDir ? { downloadDir } : {}), ...(maxWait ? { maxWaitMinutes: Number(maxWait) } : {}),
      ...(types !== undefined ? { types: parseTypes(types) } : {}),
    };
  } else {
    for (const name of ['--group', '--client-id', '--key', '--scope', '--download-dir', '--max-wait', '--types']) {
      if (args.options.has(name)) throw new UsageError(`${name} goes with --fhir <base URL>. ${WORKLIST_USAGE}`);
    }
    if (args.positional.length !== 1) {
      throw new UsageError(args.positional.length ? `one export folder at a time. ${WORKLIST_USAGE}` : `no export folder given. ${WORKLIST_USAGE}`);
    }
    source = { dir: args.positional[0]! };
  }
  return {
    now: now === undefined ? today() : checkNow(now),
    therapy: therapy === undefined ? 'oral' : checkTherapy(therapy),
    ...(configPath ? { config: readSiteConfig(configPath, (p) => readFileSync(p, 'utf8')) } : {}),
    format,
    ...(out ? { out } : {}),
    ...(workers ? { workers: Number(workers) } : {}),
    source,
  };
}

/** `--types Patient,Condition,…`: types the worklist reads, Patient among them. */
export function parseTypes(value: string): string[] {
  const types = value.split(',').map((t) => t.trim()).filter(Boolean);
  const unknown = types.filter((t) => !isExportType(t));
  if (unknown.length) throw new UsageError(`--types: ${unknown.map((t) => `"${t.slice(0, 40)}"`).join(', ')} ${unknown.length === 1 ? 'is not a type' : 'are not types'} the worklist reads (${EXPORT_TYPES.join(', ')})`);
  if (!types.includes('Patient')) throw new UsageError('--types must include Patient: the worklist has one row per patient');
  return [...new Set(types)];
}

function summaryText(summary: WorklistSummary, downloadNotes: readonly string[] = []): string {
  const lines: string[] = [...downloadNotes];
  const groups = summary.byPriority.map((n, p) => (n ? `${n} ${PRIORITY_HEADINGS[p as 0 | 1 | 2 | 3].toLowerCase()}` : '')).filter(Boolean);
  lines.push(`worklist of ${summary.rows} patient${summary.rows === 1 ? '' : 's'}${groups.length ? ` (${groups.join(', ')})` : ''} in ${(summary.elapsedMs / 1000).toFixed(1)} s (reading ${(summary.timings.partitionMs / 1000).toFixed(1)} s, assessing ${(summary.timings.assessMs / 1000).toFixed(1)} s on ${summary.workers} worker${summary.workers === 1 ? '' : 's'})`);
  if (summary.skippedLines) {
    lines.push(`${summary.skippedLines} line${summary.skippedLines === 1 ? '' : 's'} skipped:`);
    for (const p of summary.problems) lines.push(`  ${p}`);
    if (summary.skippedLines > summary.problems.length) lines.push(`  … and ${summary.skippedLines - summary.problems.length} more`);
  }
  for (const fault of summary.wholeExportFaults) lines.push(`every patient: ${fault}`);
  for (const error of summary.exportErrors.slice(0, 10)) lines.push(`the server reported an error during the export: ${error}`);
  for (const note of summary.typeNotes) lines.push(note);
  if (summary.patientsLost) lines.push(`${summary.patientsLost} unreadable Patient line${summary.patientsLost === 1 ? '' : 's'}: not on the list`);
  if (summary.orphans.patients) lines.push(`${summary.orphans.resources} resources name ${summary.orphans.patients} patient${summary.orphans.patients === 1 ? '' : 's'} missing from the Patient file: not on the list`);
  if (summary.unlinked) lines.push(`${summary.unlinked} resources name no patient: not read`);
  for (const f of summary.failures.slice(0, 10)) lines.push(`Patient/${f.patientId} could not be assessed: ${f.message}`);
  for (const repeated of summary.repeatedIds.slice(0, 10)) lines.push(`${repeated} (one copy of each kept)`);
  if (summary.repeatedIds.length > 10) lines.push(`… and ${summary.repeatedIds.length - 10} more files with repeated ids`);
  if (summary.ignoredFiles.length) lines.push(`not read (types the worklist does not use): ${summary.ignoredFiles.join(', ')}`);
  if (summary.incomplete.length) {
    lines.push(`the export is incomplete (exit status ${EXIT.INCOMPLETE}); the rows it may touch say "could not check": ${summary.incomplete.slice(0, 5).join('; ')}${summary.incomplete.length > 5 ? '; …' : ''}`);
  }
  return lines.map((l) => `jak-readiness: ${l}\n`).join('');
}

/** Runs the command; returns the exit status. Bad input throws UsageError (status 2). */
export async function runWorklistCommand(argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WriteStream | { write(text: string): boolean; isTTY?: boolean } } = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const command = parseWorklistArgs(argv, localToday);
  if (command === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  const progress = new Progress(io.stderr);
  let dir: string;
  let cleanup = () => {};
  let downloadNotes: string[] = [];
  if ('dir' in command.source) dir = command.source.dir;
  else {
    const { downloadGroupExport } = await import('./bulk-download');
    const downloaded = await downloadGroupExport(command.source, (text) => progress.update(text));
    dir = downloaded.dir;
    cleanup = downloaded.cleanup;
    downloadNotes = downloaded.notes;
  }
  try {
    const { rows, summary } = await makeWorklist({
      dir,
      now: command.now,
      therapy: command.therapy,
      ...(command.config ? { config: command.config } : {}),
      ...(command.workers ? { workers: command.workers } : {}),
      onProgress: (text) => progress.update(text),
    }).catch((error: unknown) => {
      if (error instanceof ExportFolderError) throw new UsageError(error.message);
      if (error instanceof ExportFailedError) throw new RunFailure(error.message);
      throw error;
    });
    const output =
      command.format === 'json' ? worklistJson(rows)
      : command.format === 'html' ? worklistHtml(rows, summary, { now: command.now, therapy: command.therapy })
      : worklistCsv(rows);
    progress.done();
    if (command.out) writeFileSync(command.out, output);
    else await new Promise<void>((done, fail) => io.stdout.write(output, (error) => (error ? fail(error) : done())));
    io.stderr.write(summaryText(summary, downloadNotes));
    return summary.incomplete.length ? EXIT.INCOMPLETE : EXIT.OK;
  } finally {
    cleanup();
  }
}
