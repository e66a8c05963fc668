/**
 * The command line for integrators and testers:
 *   npm run --silent assess -- <bundle.json> [--now YYYY-MM-DD] [--therapy <id>] [--format json|text] [--patient <id>] [--config <site.json>]
 * Prints only the report on stdout. Bad input exits with status 2 and one line on stderr.
 */
import { readFileSync } from 'node:fs';
import { runAssess, UsageError } from './run';

function main(argv: string[]): number {
  try {
    const output = runAssess(argv, { readFile: (path) => readFileSync(path, 'utf8'), today: () => localToday() });
    process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
    return 0;
  } catch (error) {
    const message = error instanceof UsageError ? error.message : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
    process.stderr.write(`jak-readiness: ${message.replace(/\s+/g, ' ').trim()}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}

function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

process.exitCode = main(process.argv.slice(2));
