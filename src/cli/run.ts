/** The single-patient report, without the process: arguments and file text in, report text out. */
import { assess, AssessError } from '../engine/assess';
import { BundleError, buildRecord, readBundle, selectPatient } from '../engine/normalise';
import { THERAPIES } from '../kb/therapies';
// The text format is, by design, the sidebar's "Copy as note" text: one wording for the chart and the terminal.
import { reportAsNote } from '../ui/note';
import { optionValue, parseArgs, UsageError, type OptionSpec } from './args';
import { checkNow, checkTherapy, readJson, readSiteConfig } from './common';
import { HELP, USAGE } from './help';

export { UsageError };

export { HELP, USAGE };

const OPTIONS: Record<string, OptionSpec> = {
  '--help': { value: false, aliases: ['-h'] },
  '--now': { value: true },
  '--therapy': { value: true },
  '--format': { value: true },
  '--patient': { value: true },
  '--config': { value: true },
};

export function runAssess(argv: string[], io: { readFile: (path: string) => string; today: () => string }): string {
  const args = parseArgs(argv, OPTIONS, USAGE);
  if (args.options.has('--help')) return HELP;
  const now = optionValue(args, '--now');
  const therapyOption = optionValue(args, '--therapy');
  const format = optionValue(args, '--format') ?? 'json';
  if (now !== undefined) checkNow(now);
  const therapy = therapyOption === undefined ? 'oral' : checkTherapy(therapyOption);
  if (format !== 'json' && format !== 'text') throw new UsageError(`--format must be json or text, got "${format}"`);
  if (args.positional.length !== 1) {
    throw new UsageError(args.positional.length ? `one bundle file at a time. ${USAGE}` : `no bundle file given. ${USAGE}`);
  }
  const file = args.positional[0]!;
  const configPath = optionValue(args, '--config');
  const config = configPath === undefined ? undefined : readSiteConfig(configPath, io.readFile);
  const json = readJson(file, 'bundle', io.readFile);
  try {
    const bundle = readBundle(json);
    const patient = selectPatient(bundle.resources, optionValue(args, '--patient'));
    const record = buildRecord({ resources: bundle.resources, fullUrls: bundle.fullUrls, ...(patient.id ? { patientId: patient.id } : {}) });
    const report = assess(record, { now: now ?? io.today(), therapy, ...(config ? { config } : {}) });
    return format === 'json' ? JSON.stringify(report, null, 2) : reportAsNote(report, THERAPIES[report.therapy].label);
  } catch (error) {
    if (error instanceof BundleError && error.kind === 'several-patients') throw new UsageError(`${error.message.replace(/\.$/, '')} with --patient <id>`);
    if (error instanceof BundleError || error instanceof AssessError) throw new UsageError(error.message);
    throw error;
  }
}
