/**
 * The CDS Hooks service's trust configuration: where it is reached (the `aud` of every JWT), which
 * CDS clients it trusts and how it gets their public keys, and the few switches a site sets.
 * Read once at start from a JSON file; anything unusable is refused with a message naming the
 * setting, never silently replaced by a default.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { JSONWebKeySet } from 'jose';
import { ConfigError, parseSiteConfig, type ConfigOverrides } from '../engine/config';
import { cardIdSecretProblem } from './card-id-secret';
import { CardIds } from './card-ids';

export class TrustConfigError extends Error {}

export interface TrustedIssuer {
  /** The JWT's `iss`, compared exactly. */
  iss: string;
  /** Public keys given in configuration (inline `jwks` or read from `jwksFile`). */
  jwks?: JSONWebKeySet;
  /** A JWKS URL chosen by the site (fetched and cached by jose); never a URL taken from a request. */
  jwksUrl?: string;
  /** `jku` header values this issuer may send, compared exactly. A token with another `jku` is refused. */
  jku: string[];
  /**
   * The only FHIR base URLs the service calls with this client's `fhirAuthorization` token.
   * Absent or empty: no outbound FHIR call at all for this client (prefetch only, 412 when it is
   * missing), so a caller can never point the service at an address of its choosing.
   */
  fhirServers?: string[];
}

export interface CdsServiceConfig {
  /** Public base URLs the service is reached at, without `/cds-services` (the `aud` check). */
  baseUrls: string[];
  issuers: TrustedIssuer[];
  /** patient-view answers cards only when a site turns it on. */
  patientViewEnabled: boolean;
  /** The app's SMART launch URL for the cards' `smart` link; no link without it. */
  appLaunchUrl?: string;
  /** Discovery is public unless a site asks for a JWT there too. */
  discoveryRequiresAuth: boolean;
  /** CORS: '*' or exact origins allowed to call from a browser. */
  allowedOrigins: string[];
  /** Longest JWT lifetime (exp − iat) accepted; also how long a `jti` is remembered. */
  maxTokenLifetimeSeconds: number;
  /** Clock skew allowed on exp/iat. */
  clockToleranceSeconds: number;
  /** Hook request bodies above this size are refused (413). */
  maxRequestBytes: number;
  /** Per FHIR request when the service fetches data itself. */
  fhirTimeoutMs: number;
  /** Site windows and thresholds for the engine (the app's site-config.json format). */
  siteConfig: ConfigOverrides;
  /**
   * Card ids signed with the secret every copy shares (`cardIdSecretFile`, or
   * CDS_HOOKS_CARD_ID_SECRET set by main.ts); absent: a secret of this process alone.
   */
  cardIds?: CardIds;
}

export const CONFIG_DEFAULTS = {
  patientViewEnabled: false,
  discoveryRequiresAuth: false,
  allowedOrigins: ['*'],
  maxTokenLifetimeSeconds: 600,
  clockToleranceSeconds: 30,
  maxRequestBytes: 10 * 1024 * 1024,
  fhirTimeoutMs: 8000,
} as const;

const KNOWN_KEYS = [
  'baseUrls', 'issuers', 'patientView', 'appLaunchUrl', 'discoveryRequiresAuth', 'allowedOrigins',
  'maxTokenLifetimeSeconds', 'clockToleranceSeconds', 'maxRequestBytes', 'fhirTimeoutMs', 'siteConfig',
  'cardIdSecretFile',
];
const ISSUER_KEYS = ['iss', 'jwks', 'jwksFile', 'jwksUrl', 'jku', 'fhirServers'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function httpUrl(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new TrustConfigError(`${name} must be a URL string`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TrustConfigError(`${name} is not a URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TrustConfigError(`${name} must be an http(s) URL`);
  return value;
}

function urlList(value: unknown, name: string): string[] {
  if (!Array.isArray(value)) throw new TrustConfigError(`${name} must be a list of URLs`);
  return value.map((v, i) => httpUrl(v, `${name}[${i}]`));
}

/** A base URL as the `aud` check compares it: no trailing slash, no `/cds-services`. */
export function normaliseBaseUrl(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/cds-services$/, '');
}

function positive(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new TrustConfigError(`${name} must be a number > 0`);
  return value;
}

function jwkSet(value: unknown, name: string): JSONWebKeySet {
  if (!isObject(value) || !Array.isArray(value.keys) || value.keys.length === 0) {
    throw new TrustConfigError(`${name} must be a JWK Set: {"keys": [ ... ]} with at least one key`);
  }
  value.keys.forEach((key, i) => {
    if (!isObject(key) || typeof key.kty !== 'string') throw new TrustConfigError(`${name}.keys[${i}] is not a JWK`);
    // A private or symmetric key in a trust file is a mistake that would leak or weaken trust.
    if (key.kty === 'oct') throw new TrustConfigError(`${name}.keys[${i}] is a symmetric key: only public keys (RSA, EC, OKP) are trusted`);
    if ('d' in key) throw new TrustConfigError(`${name}.keys[${i}] holds a private key: give only the public key`);
  });
  return value as unknown as JSONWebKeySet;
}

export interface ParseOptions {
  /** Relative `jwksFile`, `siteConfig` and `cardIdSecretFile` paths are read from here (the config file's folder). */
  dir?: string;
  readFile?: (path: string) => string;
}

function readJsonFile(path: string, what: string, readFile: (path: string) => string): unknown {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    throw new TrustConfigError(`cannot read ${what} ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new TrustConfigError(`${what} ${path} is not valid JSON (${(error as Error).message})`);
  }
}

function parseIssuer(value: unknown, name: string, options: Required<ParseOptions>): TrustedIssuer {
  if (!isObject(value)) throw new TrustConfigError(`${name} must be an object`);
  for (const key of Object.keys(value)) {
    if (!key.startsWith('$') && !ISSUER_KEYS.includes(key)) throw new TrustConfigError(`unknown setting "${name}.${key}" (known: ${ISSUER_KEYS.join(', ')})`);
  }
  if (typeof value.iss !== 'string' || value.iss.trim() === '') throw new TrustConfigError(`${name}.iss must be the issuer's URI`);
  const issuer: TrustedIssuer = { iss: value.iss, jku: value.jku === undefined ? [] : urlList(value.jku, `${name}.jku`) };
  const sources = ['jwks', 'jwksFile', 'jwksUrl'].filter((k) => value[k] !== undefined);
  if (sources.length > 1) throw new TrustConfigError(`${name}: give one of jwks, jwksFile, jwksUrl (got ${sources.join(' and ')})`);
  if (value.jwks !== undefined) issuer.jwks = jwkSet(value.jwks, `${name}.jwks`);
  if (value.jwksFile !== undefined) {
    if (typeof value.jwksFile !== 'string') throw new TrustConfigError(`${name}.jwksFile must be a file path`);
    const path = resolve(options.dir, value.jwksFile);
    issuer.jwks = jwkSet(readJsonFile(path, 'JWKS file', options.readFile), `${name}.jwksFile (${path})`);
  }
  if (value.jwksUrl !== undefined) issuer.jwksUrl = httpUrl(value.jwksUrl, `${name}.jwksUrl`);
  if (!issuer.jwks && !issuer.jwksUrl && issuer.jku.length === 0) {
    throw new TrustConfigError(`${name} (${issuer.iss}) needs its public keys: jwks, jwksFile, jwksUrl, or an allowed jku`);
  }
  if (value.fhirServers !== undefined) issuer.fhirServers = urlList(value.fhirServers, `${name}.fhirServers`).map((u) => u.replace(/\/+$/, ''));
  return issuer;
}

/** Validates a parsed trust configuration file. Keys starting with `$` are comments. */
export function parseTrustConfig(json: unknown, parseOptions: ParseOptions = {}): CdsServiceConfig {
  const options: Required<ParseOptions> = { dir: parseOptions.dir ?? process.cwd(), readFile: parseOptions.readFile ?? ((p) => readFileSync(p, 'utf8')) };
  if (!isObject(json)) throw new TrustConfigError('the trust configuration must be a JSON object');
  for (const key of Object.keys(json)) {
    if (!key.startsWith('$') && !KNOWN_KEYS.includes(key)) throw new TrustConfigError(`unknown setting "${key}" (known: ${KNOWN_KEYS.join(', ')})`);
  }
  const baseUrls = json.baseUrls === undefined ? [] : urlList(json.baseUrls, 'baseUrls').map(normaliseBaseUrl);
  if (!Array.isArray(json.issuers)) throw new TrustConfigError('issuers must be a list of trusted CDS clients (it may be empty)');
  const issuers = json.issuers.map((v, i) => parseIssuer(v, `issuers[${i}]`, options));
  const seen = new Set<string>();
  for (const issuer of issuers) {
    if (seen.has(issuer.iss)) throw new TrustConfigError(`issuer ${issuer.iss} is listed twice`);
    seen.add(issuer.iss);
  }
  const config: CdsServiceConfig = {
    baseUrls,
    issuers,
    patientViewEnabled: CONFIG_DEFAULTS.patientViewEnabled,
    discoveryRequiresAuth: CONFIG_DEFAULTS.discoveryRequiresAuth,
    allowedOrigins: [...CONFIG_DEFAULTS.allowedOrigins],
    maxTokenLifetimeSeconds: CONFIG_DEFAULTS.maxTokenLifetimeSeconds,
    clockToleranceSeconds: CONFIG_DEFAULTS.clockToleranceSeconds,
    maxRequestBytes: CONFIG_DEFAULTS.maxRequestBytes,
    fhirTimeoutMs: CONFIG_DEFAULTS.fhirTimeoutMs,
    siteConfig: {},
  };
  if (json.patientView !== undefined) {
    if (!isObject(json.patientView) || typeof json.patientView.enabled !== 'boolean') throw new TrustConfigError('patientView must be {"enabled": true|false}');
    config.patientViewEnabled = json.patientView.enabled;
  }
  if (json.appLaunchUrl !== undefined) config.appLaunchUrl = httpUrl(json.appLaunchUrl, 'appLaunchUrl');
  if (json.discoveryRequiresAuth !== undefined) {
    if (typeof json.discoveryRequiresAuth !== 'boolean') throw new TrustConfigError('discoveryRequiresAuth must be true or false');
    config.discoveryRequiresAuth = json.discoveryRequiresAuth;
  }
  if (json.allowedOrigins !== undefined) {
    if (!Array.isArray(json.allowedOrigins) || json.allowedOrigins.length === 0) throw new TrustConfigError('allowedOrigins must be a non-empty list ("*" or origins)');
    config.allowedOrigins = json.allowedOrigins.map((o, i) => (o === '*' ? '*' : new URL(httpUrl(o, `allowedOrigins[${i}]`)).origin));
  }
  if (json.maxTokenLifetimeSeconds !== undefined) config.maxTokenLifetimeSeconds = positive(json.maxTokenLifetimeSeconds, 'maxTokenLifetimeSeconds');
  if (json.clockToleranceSeconds !== undefined) {
    const value = json.clockToleranceSeconds;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 300) throw new TrustConfigError('clockToleranceSeconds must be a number from 0 to 300');
    config.clockToleranceSeconds = value;
  }
  if (json.maxRequestBytes !== undefined) config.maxRequestBytes = positive(json.maxRequestBytes, 'maxRequestBytes');
  if (json.fhirTimeoutMs !== undefined) config.fhirTimeoutMs = positive(json.fhirTimeoutMs, 'fhirTimeoutMs');
  if (json.siteConfig !== undefined) {
    const site = typeof json.siteConfig === 'string' ? readJsonFile(resolve(options.dir, json.siteConfig), 'site configuration', options.readFile) : json.siteConfig;
    try {
      config.siteConfig = parseSiteConfig(site);
    } catch (error) {
      if (error instanceof ConfigError) throw new TrustConfigError(`siteConfig: ${error.message}`);
      throw error;
    }
  }
  if (json.cardIdSecretFile !== undefined) config.cardIds = readCardIdSecret(json.cardIdSecretFile, options);
  return config;
}

/** The shared card-id secret from its own file (a mounted secret), whitespace around it ignored. */
function readCardIdSecret(value: unknown, options: Required<ParseOptions>): CardIds {
  if (typeof value !== 'string' || value.trim() === '') throw new TrustConfigError('cardIdSecretFile must be a file path');
  const path = resolve(options.dir, value);
  let secret: string;
  try {
    secret = options.readFile(path).trim();
  } catch (error) {
    throw new TrustConfigError(`cannot read cardIdSecretFile ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const problem = cardIdSecretProblem(secret);
  if (problem) throw new TrustConfigError(`cardIdSecretFile (${path}) ${problem}`);
  return new CardIds(secret);
}

/**
 * Reads and validates the trust configuration file at `path`; `overrides` (settings from the
 * environment, env-config.ts) replace the file's values before the same checks.
 */
export function loadTrustConfig(path: string, overrides: Record<string, unknown> = {}): CdsServiceConfig {
  const absolute = resolve(path);
  const json = readJsonFile(absolute, 'trust configuration', (p) => readFileSync(p, 'utf8'));
  return parseTrustConfig(isObject(json) ? { ...json, ...overrides } : json, { dir: dirname(absolute) });
}
