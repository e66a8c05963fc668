/**
 * `npm start`: the local EHR sandbox with the app. Flags: --dist (serve the built app from
 * dist/, also SANDBOX_DIST=1), --no-samples, --faults <preset> (FHIR server faults, see
 * src/sandbox/faults.ts; also changeable on /ehr/), --token-ttl <seconds> (short-lived access
 * tokens, to watch the app refresh), --no-refresh (no refresh tokens, like an EHR without
 * `permission-online`). Env: PORT, HOST, TOKEN_TTL_SECONDS.
 */
import { FAULT_PRESET_NAMES, faultPreset, isFaultPresetName } from './faults';
import { startSandbox } from './server';

const argv = process.argv.slice(2);
const args = new Set(argv);

/** `--faults name` or `--faults=name`; undefined when absent. */
function faultsFlag(): string | undefined {
  const index = argv.indexOf('--faults');
  if (index >= 0) return argv[index + 1] ?? '';
  return argv.find((arg) => arg.startsWith('--faults='))?.slice('--faults='.length);
}

/** `--name value` or `--name=value`; undefined when absent. */
function valueFlag(name: string): string | undefined {
  const index = argv.indexOf(name);
  if (index >= 0) return argv[index + 1] ?? '';
  return argv.find((arg) => arg.startsWith(`${name}=`))?.slice(name.length + 1);
}

const ttlFlag = valueFlag('--token-ttl');
const tokenTtlSeconds = ttlFlag === undefined ? undefined : Number(ttlFlag);
if (tokenTtlSeconds !== undefined && !(Number.isInteger(tokenTtlSeconds) && tokenTtlSeconds > 0)) {
  console.error(`--token-ttl needs a whole number of seconds above 0 (got "${ttlFlag}")`);
  process.exit(2);
}

const presetName = faultsFlag();
if (presetName !== undefined && !isFaultPresetName(presetName)) {
  console.error(`Unknown --faults preset "${presetName}". One of: ${FAULT_PRESET_NAMES.join(', ')}`);
  process.exit(2);
}

const sandbox = await startSandbox({
  dist: args.has('--dist') || process.env.SANDBOX_DIST === '1',
  samples: !args.has('--no-samples'),
  refreshTokens: !args.has('--no-refresh'),
  ...(tokenTtlSeconds !== undefined ? { tokenTtlSeconds } : {}),
  ...(presetName !== undefined && isFaultPresetName(presetName) ? { faultPlan: faultPreset(presetName) } : {}),
});

const stop = () => {
  void sandbox.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
