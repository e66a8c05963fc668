/**
 * Per-EHR launch settings, read from `public/smart-config.json` at launch time.
 *
 * A site registers the app with each EHR and gets a client id (sometimes different scopes or
 * a different redirect URI) per FHIR server; this file maps the `iss` the EHR sends to them,
 * so one build serves several EHRs. Build-time env vars override the file's defaults
 * (see `resolveLaunchSettings`).
 */

import { NO_WRITE_BACK, type WriteBackSettings } from './scopes';

export const DEFAULT_CLIENT_ID = 'jak-readiness';

/** One FHIR server the app may be launched from: being listed is the trust decision. */
export interface IssuerSettings {
  /** The client id this EHR registered; default: the build-time or file-wide one. */
  clientId?: string;
  /** Replaces the computed scopes entirely (space-separated or a list). */
  scopes?: string;
  /** Absolute URL registered with this EHR; defaults to the app's root. */
  redirectUri?: string;
  /** Replaces the file's `writeBack` for this EHR (settings left out keep the file's). */
  writeBack?: Partial<WriteBackSettings>;
}

export interface SmartConfigFile {
  clientId: string;
  /** Keyed by FHIR base URL (`iss`), compared without trailing slashes. */
  issuers: Record<string, IssuerSettings>;
  /**
   * Default true: launches from an `iss` not listed under `issuers` are refused. `false` opens
   * the app to any FHIR server, and only development builds honour it (see launch.ts).
   */
  restrictToListedIssuers: boolean;
  /** What the app may write to the chart (scopes are requested only for what is on). Default: nothing. */
  writeBack: WriteBackSettings;
}

export const EMPTY_SMART_CONFIG: SmartConfigFile = {
  clientId: DEFAULT_CLIENT_ID,
  issuers: {},
  restrictToListedIssuers: true,
  writeBack: NO_WRITE_BACK,
};

const WRITE_BACK_KEYS = Object.keys(NO_WRITE_BACK) as Array<keyof WriteBackSettings>;

function readWriteBack(value: unknown, where: string): Partial<WriteBackSettings> | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) throw new SmartConfigError(`smart-config.json: ${where} must be an object of true/false settings`);
  const settings: Partial<WriteBackSettings> = {};
  for (const [key, flag] of Object.entries(value)) {
    if (key.startsWith('$')) continue;
    if (!(WRITE_BACK_KEYS as string[]).includes(key)) throw new SmartConfigError(`smart-config.json: unknown setting ${where}.${key} (known: ${WRITE_BACK_KEYS.join(', ')})`);
    if (typeof flag !== 'boolean') throw new SmartConfigError(`smart-config.json: ${where}.${key} must be true or false`);
    settings[key as keyof WriteBackSettings] = flag;
  }
  return settings;
}

export class SmartConfigError extends Error {
  override name = 'SmartConfigError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readScopes(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && value.trim()) return value.trim().split(/\s+/).join(' ');
  if (Array.isArray(value) && value.length > 0 && value.every((s) => typeof s === 'string' && s.trim())) {
    return (value as string[]).map((s) => s.trim()).join(' ');
  }
  throw new SmartConfigError(`${where}.scopes must be a non-empty string or list of strings`);
}

function readRedirectUri(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && /^https?:\/\//.test(value)) return value;
  throw new SmartConfigError(`${where}.redirectUri must be an absolute http(s) URL`);
}

/** Validates the JSON; keys starting with `$` are comments and ignored. */
export function parseSmartConfig(json: unknown): SmartConfigFile {
  if (!isRecord(json)) throw new SmartConfigError('smart-config.json must be a JSON object');
  const clientId = json.clientId ?? DEFAULT_CLIENT_ID;
  if (typeof clientId !== 'string' || !clientId.trim()) {
    throw new SmartConfigError('smart-config.json: clientId must be a non-empty string');
  }
  const issuersJson = json.issuers ?? {};
  if (!isRecord(issuersJson)) throw new SmartConfigError('smart-config.json: issuers must be an object');
  const issuers: Record<string, IssuerSettings> = {};
  for (const [iss, value] of Object.entries(issuersJson)) {
    if (iss.startsWith('$')) continue;
    const where = `issuers["${iss}"]`;
    if (!isRecord(value)) throw new SmartConfigError(`smart-config.json: ${where} must be an object`);
    if (value.clientId !== undefined && (typeof value.clientId !== 'string' || !value.clientId.trim())) {
      throw new SmartConfigError(`smart-config.json: ${where}.clientId must be a non-empty string`);
    }
    const settings: IssuerSettings = {};
    if (typeof value.clientId === 'string') settings.clientId = value.clientId.trim();
    const scopes = readScopes(value.scopes, where);
    if (scopes) settings.scopes = scopes;
    const redirectUri = readRedirectUri(value.redirectUri, where);
    if (redirectUri) settings.redirectUri = redirectUri;
    const writeBack = readWriteBack(value.writeBack, `${where}.writeBack`);
    if (writeBack) settings.writeBack = writeBack;
    issuers[normaliseIssuer(iss)] = settings;
  }
  const restrict = json.restrictToListedIssuers ?? true;
  if (typeof restrict !== 'boolean') {
    throw new SmartConfigError('smart-config.json: restrictToListedIssuers must be true or false');
  }
  const writeBack = { ...NO_WRITE_BACK, ...readWriteBack(json.writeBack, 'writeBack') };
  return { clientId: clientId.trim(), issuers, restrictToListedIssuers: restrict, writeBack };
}

export function normaliseIssuer(iss: string): string {
  return iss.trim().replace(/\/+$/, '');
}

/** Build-time overrides (`VITE_SMART_CLIENT_ID`, `VITE_SMART_SCOPES`); empty strings are ignored. */
export interface BuildOverrides {
  clientId?: string;
  scopes?: string;
}

export interface LaunchSettings {
  clientId: string;
  /** Undefined: compute from the launch kind and the server's scope syntax. */
  scopes?: string;
  redirectUri?: string;
  listed: boolean;
  /** The file's write-back settings with this EHR's own over them. */
  writeBack: WriteBackSettings;
}

/**
 * Precedence, most specific first: the `iss` entry of the file, then the build-time env
 * vars, then the file's default client id.
 */
export function resolveLaunchSettings(
  config: SmartConfigFile,
  iss: string,
  overrides: BuildOverrides = {},
): LaunchSettings {
  const entry = config.issuers[normaliseIssuer(iss)];
  const envClientId = overrides.clientId?.trim() || undefined;
  const envScopes = overrides.scopes?.trim() || undefined;
  const settings: LaunchSettings = {
    clientId: entry?.clientId ?? envClientId ?? config.clientId,
    listed: entry !== undefined,
    writeBack: { ...(config.writeBack ?? NO_WRITE_BACK), ...entry?.writeBack },
  };
  const scopes = entry?.scopes ?? envScopes;
  if (scopes) settings.scopes = scopes;
  if (entry?.redirectUri) settings.redirectUri = entry.redirectUri;
  return settings;
}
