/** The command line's logic, without the process: arguments and file text in, report text out. */
import { assess, AssessError } from '../engine/assess';
import { ConfigError, parseSiteConfig, type ConfigOverrides } from '../engine/config';
import { BundleError, buildRecord, readBundle, selectPatient } from '../engine/normalise';
import { THERAPY_IDS, type TherapyId } from '../contract/report';
import { THERAPIES } from '../kb/therapies';
// The text format is, by design, the sidebar's "Copy as note" text: one wording for the chart and the terminal.
import { reportAsNote } from '../ui/note';

/** Bad input: the message is the one line the user sees; the exit status is 2. */
export class UsageError extends Error {}

export const USAGE = 'usage: jak-readiness <bundle.json> [--now YYYY-MM-DD] [--therapy <id>] [--format json|text] [--patient <id>] [--config <site.json>]';

interface Options { file: string; now?: string; therapy: TherapyId; format: 'json' | 'text'; patient?: string; config?: string }

function parseArgs(argv: string[]): Options {
  const options: Partial<Options> = { therapy: 'oral', format: 'json' };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) { positional.push(arg); continue; }
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value. ${USAGE}`);
    switch (flag) {
      case '--now':
        if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new UsageError(`--now must be a date YYYY-MM-DD, got "${value}"`);
        options.now = value; break;
      case '--therapy':
        if (!THERAPY_IDS.includes(value as TherapyId)) throw new UsageError(`unknown therapy "${value}" (one of: ${THERAPY_IDS.join(', ')})`);
        options.therapy = value as TherapyId; break;
      case '--format':
        if (value !== 'json' && value !== 'text') throw new UsageError(`--format must be json or text, got "${value}"`);
        options.format = value; break;
      case '--patient': options.patient = value; break;
      case '--config': options.config = value; break;
      default: throw new UsageError(`unknown option ${flag}. ${USAGE}`);
    }
  }
  if (positional.length !== 1) throw new UsageError(positional.length ? `one bundle file at a time. ${USAGE}` : `no bundle file given. ${USAGE}`);
  return { ...(options as Options), file: positional[0]! };
}

function readJson(path: string, what: string, readFile: (path: string) => string): unknown {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${what} ${path}${code === 'ENOENT' ? ': no such file' : code ? ` (${code})` : ''}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UsageError(`${what} ${path} is not valid JSON (${(error as Error).message})`);
  }
}

export function runAssess(argv: string[], io: { readFile: (path: string) => string; today: () => string }): string {
  const options = parseArgs(argv);
  let config: ConfigOverrides | undefined;
  if (options.config) {
    const json = readJson(options.config, 'site configuration', io.readFile);
    try {
      config = parseSiteConfig(json);
    } catch (error) {
      if (error instanceof ConfigError) throw new UsageError(`site configuration ${options.config}: ${error.message}`);
      throw error;
    }
  }
  const json = readJson(options.file, 'bundle', io.readFile);
  try {
    const bundle = readBundle(json);
    const patient = selectPatient(bundle.resources, options.patient);
    const record = buildRecord({ resources: bundle.resources, fullUrls: bundle.fullUrls, ...(patient.id ? { patientId: patient.id } : {}) });
    const report = assess(record, { now: options.now ?? io.today(), therapy: options.therapy, ...(config ? { config } : {}) });
    return options.format === 'json' ? JSON.stringify(report, null, 2) : reportAsNote(report, THERAPIES[report.therapy].label);
  } catch (error) {
    if (error instanceof BundleError && error.kind === 'several-patients') throw new UsageError(`${error.message.replace(/\.$/, '')} with --patient <id>`);
    if (error instanceof BundleError || error instanceof AssessError) throw new UsageError(error.message);
    throw error;
  }
}
