/**
 * The command line (see HELP in help.ts). Compiled to plain JavaScript in build/cli/ by
 * src/tools/build-cli.mjs; the `jak-readiness` bin runs that. Prints only the report (or the
 * worklist) on stdout; bad input exits with status 2 and one line on stderr.
 */
import { readFileSync } from 'node:fs';
import { RunFailure, UsageError } from './args';
import { HELP } from './help';

async function main(argv: string[]): Promise<number> {
  try {
    if (argv[0] === 'worklist') {
      const { runWorklistCommand } = await import('./worklist');
      return await runWorklistCommand(argv.slice(1));
    }
    if (argv[0] === 'backend-key') {
      const { runBackendKeyCommand } = await import('./backend-key');
      return await runBackendKeyCommand(argv.slice(1));
    }
    // Help needs no engine: answer it before loading one.
    if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) {
      process.stdout.write(HELP);
      return 0;
    }
    const [{ runAssess }, { localToday }] = await Promise.all([import('./run'), import('./common')]);
    const output = runAssess(argv, { readFile: (path) => readFileSync(path, 'utf8'), today: localToday });
    process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
    return 0;
  } catch (error) {
    const message = error instanceof UsageError || error instanceof RunFailure ? error.message : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
    process.stderr.write(`jak-readiness: ${message.replace(/\s+/g, ' ').trim()}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
