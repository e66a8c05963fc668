/** The single-patient report, without the process: arguments and file text in, report text out. */
import { assess, AssessError } from '../engine/assess';
import { BundleError, buildRecord, readBundle, selectPatient } from '../engine/normalise';
import { THERAPIES } from '../kb/therapies';
// The text format is, by design, the sidebar's "Copy as note" text: one wording for the chart and the terminal.
import { reportAsNote } from '../ui/note';
import { optionValue, parseArgs, UsageError, type OptionSpec } from './args';
import { checkNow, checkTherapy, readJson, readSiteConfig } from './common';

export { UsageError };

export const USAGE = 'usage: jak-readiness <bundle.json> [--now YYYY-MM-DD] [--therapy <id>] [--format json|text] [--patient <id>] [--config <site.json>] | jak-readiness worklist <folder> [options] | jak-readiness backend-key <name> | jak-readiness --help';

export const HELP = `jak-readiness: readiness to start a JAK inhibitor for eczema, from FHIR R4 data.

One patient (a FHIR Bundle file):
  jak-readiness <bundle.json> [options]
    --now YYYY-MM-DD        day of the assessment (default: today)
    --therapy <id>          oral (default), abrocitinib, upadacitinib, baricitinib,
                            topical, ruxolitinib-cream, delgocitinib-cream
    --format json|text      the report as JSON (default) or as a readable note
    --patient <id>          which patient, when the bundle holds several
    --config <site.json>    site settings (windows and thresholds)

A clinic worklist (one row per patient) from a FHIR Bulk Data export:
  jak-readiness worklist <folder> [options]
  jak-readiness worklist --fhir <base URL> --group <id> --client-id <id> --key <private.jwk.json> [options]
    --format csv|json|html  csv (default), json (an array), or a printable html page
    --out <file>            write there instead of standard output
    --now, --therapy, --config  as above
    --client-id <id>        the client id the EHR registered (SMART Backend Services)
    --key <file>            the client's private JWK (RS384 or ES384), whose public key the EHR holds
    --scope <scopes>        scopes to ask for (default: system/<type>.read for each type read)
    --download-dir <folder> keep the downloaded export there (default: a temporary folder)
    --max-wait <minutes>    stop waiting for the server's export after this long (default 60)
    --workers <n>           worker threads (default: one per CPU core)

A key pair for SMART Backend Services (register the public key set with the EHR):
  jak-readiness backend-key <name> [--alg ES384|RS384]

  jak-readiness --help      this text

Exit status: 0 done, 2 bad input (one line on standard error), 1 unexpected error.
`;

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
