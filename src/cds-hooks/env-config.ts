/**
 * Configuration by environment variables, for containers and service managers: every switch of
 * the trust file can be set (or overridden) here, plus what only the process needs (port, Redis,
 * shutdown, log level). The issuers and their keys stay in the trust file, which a deployment
 * mounts as a file or secret. A variable that cannot be read stops the start with a message
 * naming it, like a bad trust file does.
 */
import { resolve } from 'node:path';
import { CARD_ID_SECRET_ENV, cardIdSecretProblem } from './card-id-secret';
import { CardIds } from './card-ids';

export class EnvConfigError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

/** Trust-file settings an environment variable may set; the value wins over the file's. */
export const TRUST_ENV = {
  CDS_HOOKS_BASE_URLS: 'baseUrls',
  CDS_HOOKS_APP_LAUNCH_URL: 'appLaunchUrl',
  CDS_HOOKS_ALLOWED_ORIGINS: 'allowedOrigins',
  CDS_HOOKS_PATIENT_VIEW: 'patientView',
  CDS_HOOKS_DISCOVERY_REQUIRES_AUTH: 'discoveryRequiresAuth',
  CDS_HOOKS_MAX_TOKEN_LIFETIME_SECONDS: 'maxTokenLifetimeSeconds',
  CDS_HOOKS_CLOCK_TOLERANCE_SECONDS: 'clockToleranceSeconds',
  CDS_HOOKS_MAX_REQUEST_BYTES: 'maxRequestBytes',
  CDS_HOOKS_FHIR_TIMEOUT_MS: 'fhirTimeoutMs',
  CDS_HOOKS_SITE_CONFIG: 'siteConfig',
} as const;

const set = (env: Env, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
};

function list(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean);
}

function bool(name: string, value: string): boolean {
  if (/^(true|1|yes|on)$/i.test(value)) return true;
  if (/^(false|0|no|off)$/i.test(value)) return false;
  throw new EnvConfigError(`${name} must be true or false, got "${value}"`);
}

function number(name: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new EnvConfigError(`${name} must be a number, got "${value}"`);
  return parsed;
}

/** The trust-file keys the environment sets, in the file's own shapes (validated with the file). */
export function trustOverridesFromEnv(env: Env): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(TRUST_ENV)) {
    const value = set(env, name);
    if (value === undefined) continue;
    switch (key) {
      case 'baseUrls':
      case 'allowedOrigins':
        out[key] = list(value);
        break;
      case 'appLaunchUrl':
        out[key] = value;
        break;
      case 'patientView':
        out[key] = { enabled: bool(name, value) };
        break;
      case 'discoveryRequiresAuth':
        out[key] = bool(name, value);
        break;
      case 'siteConfig':
        // A path from the environment is relative to the working directory, not the trust file.
        out[key] = resolve(value);
        break;
      default:
        out[key] = number(name, value);
    }
  }
  return out;
}

export interface ProcessSettings {
  host: string;
  port: number;
  /** Shared replay store; absent: in memory (one copy only). */
  redisUrl?: string;
  /** How long SIGTERM waits for calls in flight before closing their connections. */
  shutdownTimeoutMs: number;
  logLevel: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function processSettingsFromEnv(env: Env): ProcessSettings {
  const port = set(env, 'PORT') === undefined ? 3010 : number('PORT', set(env, 'PORT')!);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new EnvConfigError(`PORT must be a port number, got "${env.PORT}"`);
  const timeout = set(env, 'CDS_HOOKS_SHUTDOWN_TIMEOUT_SECONDS');
  const shutdownSeconds = timeout === undefined ? 25 : number('CDS_HOOKS_SHUTDOWN_TIMEOUT_SECONDS', timeout);
  if (shutdownSeconds < 0) throw new EnvConfigError('CDS_HOOKS_SHUTDOWN_TIMEOUT_SECONDS must be 0 or more');
  const redisUrl = set(env, 'CDS_HOOKS_REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) throw new EnvConfigError('CDS_HOOKS_REDIS_URL must be a redis:// or rediss:// URL');
  const logLevel = (set(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel)) throw new EnvConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  return {
    host: set(env, 'HOST') ?? '127.0.0.1',
    port,
    ...(redisUrl ? { redisUrl } : {}),
    shutdownTimeoutMs: shutdownSeconds * 1000,
    logLevel,
  };
}

/**
 * Card ids signed with the secret all copies share, or undefined when the variable is not set
 * (each process then makes its own: feedback reaches only the copy that issued the card).
 */
export function cardIdsFromEnv(env: Env): CardIds | undefined {
  const secret = set(env, CARD_ID_SECRET_ENV);
  if (secret === undefined) return undefined;
  const problem = cardIdSecretProblem(secret);
  if (problem) throw new EnvConfigError(`${CARD_ID_SECRET_ENV} ${problem}`);
  return new CardIds(secret);
}
