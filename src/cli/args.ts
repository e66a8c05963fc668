/**
 * Command-line options: `--name value`, `--name=value`, and flags. Only known options are
 * accepted, so a typo is named ("unknown option --colour") instead of being read as a value.
 */

/**
 * The exit statuses, one table for every command (docs/command-line.md, "Exit codes"):
 * 0 done; 1 the run failed outside the user's input (a server refused, the export failed, no
 * worklist); 2 bad input; 3 the worklist was written but the export was incomplete (the rows it
 * may touch say "could not check"); 130 stopped by Ctrl-C or SIGTERM during a Bulk Data export
 * (the job is cancelled on the server first).
 */
export const EXIT = { OK: 0, FAILED: 1, BAD_INPUT: 2, INCOMPLETE: 3, INTERRUPTED: 130 } as const;

/** Bad input: the message is the one line the user sees; the exit status is 2. */
export class UsageError extends Error {}

/** An expected failure outside the user's input (a server refused, a job failed): one line, exit status 1. */
export class RunFailure extends Error {}

export interface OptionSpec {
  /** Takes a value (`--now 2026-11-27`), or is a flag (`--help`). */
  value: boolean;
  /** Other spellings, such as `-h` for `--help`. */
  aliases?: string[];
}

export interface ParsedArgs {
  positional: string[];
  /** By the option's main name (`--now`); flags hold `true`. */
  options: Map<string, string | true>;
}

export function parseArgs(argv: readonly string[], spec: Readonly<Record<string, OptionSpec>>, usage: string): ParsedArgs {
  const byName = new Map<string, string>();
  for (const [name, option] of Object.entries(spec)) {
    byName.set(name, name);
    for (const alias of option.aliases ?? []) byName.set(alias, name);
  }
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    // A lone "-" or a negative-looking word is a value, not an option.
    if (!/^--?[A-Za-z]/.test(arg)) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const name = byName.get(flag);
    if (!name) throw new UsageError(`unknown option ${flag}. ${usage}`);
    if (!spec[name]!.value) {
      if (eq > 0) throw new UsageError(`${flag} takes no value. ${usage}`);
      options.set(name, true);
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && /^--?[A-Za-z]/.test(value)) || value === '') {
      throw new UsageError(`${flag} needs a value. ${usage}`);
    }
    options.set(name, value);
  }
  return { positional, options };
}

/** The value of an option that takes one (parseArgs guarantees a string). */
export function optionValue(args: ParsedArgs, name: string): string | undefined {
  const value = args.options.get(name);
  return typeof value === 'string' ? value : undefined;
}
