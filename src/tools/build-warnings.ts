/**
 * Warnings `vite build` may print that we have read and judged harmless, each with the reason.
 * Everything else is printed as usual, and tests/kb/build-warnings.test.ts fails the suite when a
 * build prints a warning that is not listed here (docs/development.md, "A quiet build").
 */

/** What the bundler says about a warning (Rolldown's log object, the fields we read). */
export interface BuildWarning {
  code?: string;
  message: string;
  id?: string;
  loc?: { file?: string };
}

export interface ExplainedWarning {
  code: string;
  /** Path fragment of the only file this explanation covers. */
  file: string;
  why: string;
}

export const EXPLAINED_BUILD_WARNINGS: readonly ExplainedWarning[] = [
  {
    code: 'COMMONJS_VARIABLE_IN_ESM',
    // fhirclient → isomorphic-webcrypto ships webcrypto-shim.mjs: a UMD wrapper (`typeof module
    // === 'object' && module.exports`) inside a file with `export default {}`. In the browser
    // bundle `module` is undefined, so the wrapper takes its plain-browser branch, which only
    // patches browsers without WebCrypto (IE11's msCrypto, old Safari's webkitSubtle) and does
    // nothing in the browsers the app supports. Nothing we can fix short of forking fhirclient.
    file: 'isomorphic-webcrypto/src/webcrypto-shim.mjs',
    why: 'UMD wrapper in fhirclient\'s isomorphic-webcrypto shim: its CommonJS branch never runs in the browser',
  },
];

function fileOf(warning: BuildWarning): string {
  return (warning.loc?.file ?? warning.id ?? warning.message).replace(/\\/g, '/');
}

/** The explanation that covers this warning, if any: same code, same file. */
export function explanationOf(warning: BuildWarning): ExplainedWarning | undefined {
  const file = fileOf(warning);
  return EXPLAINED_BUILD_WARNINGS.find((known) => known.code === warning.code && file.includes(known.file));
}

/** `build.rollupOptions.onwarn`: explained warnings are dropped, any other is passed on. */
export function onBuildWarning<W extends BuildWarning>(warning: W, passOn: (warning: W) => void): void {
  if (!explanationOf(warning)) passOn(warning);
}
