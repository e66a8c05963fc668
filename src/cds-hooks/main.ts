/**
 * `npm run cds-hooks`: the CDS Hooks service alone, for a hospital to deploy behind its TLS proxy.
 * Trust configuration: `--config <file>` or env CDS_HOOKS_CONFIG (required; the issuers and their
 * keys). Everything else may also come from the environment (env-config.ts; docs/cds-hooks.md,
 * "Running it in production"): PORT (default 3010), HOST (default 127.0.0.1), CDS_HOOKS_* for the
 * trust file's switches, CDS_HOOKS_REDIS_URL for a replay store shared by several copies,
 * CDS_HOOKS_SHUTDOWN_TIMEOUT_SECONDS, LOG_LEVEL, and CDS_HOOKS_CARD_ID_SECRET so that every copy (and
 * the next start) accepts feedback on the cards any of them issued. Logs are JSON lines on stdout (pino).
 * SIGTERM/SIGINT: stop accepting, finish the calls in flight, exit 0.
 */
import { createLogger } from './access-log';
import { loadTrustConfig, TrustConfigError } from './config';
import { CARD_ID_SECRET_ENV } from './card-id-secret';
import { cardIdsFromEnv, EnvConfigError, processSettingsFromEnv, trustOverridesFromEnv } from './env-config';
import { RedisReplayStore } from './redis-replay-store';
import { MemoryReplayStore, type ReplayStore } from './replay-cache';
import { startCdsServer } from './server';

function configPath(argv: string[]): string | undefined {
  const index = argv.indexOf('--config');
  if (index >= 0) return argv[index + 1];
  return argv.find((a) => a.startsWith('--config='))?.slice('--config='.length) ?? process.env.CDS_HOOKS_CONFIG;
}

/** A configuration that cannot be used stops the start with one line naming it (exit 2). */
function refuse(message: string): never {
  console.error(`cds-hooks: ${message}`);
  process.exit(2);
}

const path = configPath(process.argv.slice(2));
if (!path) refuse('no trust configuration. Use --config <file> or CDS_HOOKS_CONFIG=<file> (see src/cds-hooks/config.example.json).');
let config;
let settings;
let cardIdsFrom: string | undefined;
try {
  settings = processSettingsFromEnv(process.env);
  const sharedCardIds = cardIdsFromEnv(process.env);
  config = loadTrustConfig(path, trustOverridesFromEnv(process.env));
  // The variable wins over the trust file's cardIdSecretFile, like every other variable.
  if (sharedCardIds) config.cardIds = sharedCardIds;
  cardIdsFrom = sharedCardIds ? CARD_ID_SECRET_ENV : config.cardIds ? 'cardIdSecretFile' : undefined;
} catch (error) {
  refuse(error instanceof TrustConfigError || error instanceof EnvConfigError ? error.message : String(error));
}

const logger = createLogger(settings.logLevel);
const replayStore: ReplayStore = settings.redisUrl
  ? new RedisReplayStore({ url: settings.redisUrl, onError: (message) => logger.error({ event: 'replay-store' }, message) })
  : new MemoryReplayStore();

const running = await startCdsServer({ config, replayStore, logger, host: settings.host, port: settings.port, shutdownTimeoutMs: settings.shutdownTimeoutMs }).catch(
  (error: Error) => refuse(`cannot listen on ${settings.host}:${settings.port} (${error.message})`),
);
// Where the card-id secret came from, never the secret itself.
const feedbackIds = cardIdsFrom ? { feedbackIds: 'shared', cardIdSecretFrom: cardIdsFrom } : { feedbackIds: 'per-copy' };
if (!cardIdsFrom) {
  // With a shared replay store there are several copies: then this is most likely a mistake.
  logger[settings.redisUrl ? 'warn' : 'info'](
    { event: 'config', feedbackIds: 'per-copy' },
    `feedback ids are per copy: feedback is accepted only by the copy that issued the card, and not after a restart (set ${CARD_ID_SECRET_ENV} to share them)`,
  );
}
logger.info(
  { event: 'start', replayStore: replayStore.kind, trustedIssuers: config.issuers.length, ...feedbackIds },
  `CDS Hooks service: discovery at ${config.baseUrls[0]}/cds-services (${config.issuers.length} trusted issuer(s); listening on ${running.local})`,
);

let signalled = false;
const stop = (signal: string) => {
  if (signalled) return;
  signalled = true;
  logger.info({ event: 'shutdown', signal });
  void running.shutdown().then((finished) => {
    logger.info({ event: 'stopped', finished });
    logger.flush();
    process.exit(finished ? 0 : 1);
  });
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
