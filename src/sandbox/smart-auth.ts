/**
 * The sandbox's SMART App Launch authorization server (public clients, PKCE S256 only).
 *
 * Endpoints: /fhir/.well-known/smart-configuration, /auth/authorize (GET, and POST from the
 * standalone patient picker), /auth/token, /auth/jwks. Launch contexts, codes and tokens
 * live in memory. Spec: SMART App Launch 2.x (http://hl7.org/fhir/smart-app-launch/) and
 * RFC 6749 / RFC 7636 for the error codes.
 */
import { createHash, createSign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { renderAuthError, renderPatientPicker, type PickablePatient } from './auth-pages';
import type { AccessGrant } from './fhir-access';
import { registrationOf, type ClientRegistration } from './clients';
import { readForm, redirect, sendHtml, sendJson } from './http-util';
import { grantScopes, hasScope, withoutUserScopes } from './scopes';

export { REGISTERED_CLIENT_IDS, UNREGISTERED_CLIENT_ID } from './clients';

/** The signed-in EHR user (fhirUser) for id_tokens. */
export const SANDBOX_USER = { resourceType: 'Practitioner', id: 'sandbox-clinician' } as const;

const CODE_TTL_MS = 2 * 60 * 1000;
const LAUNCH_TTL_MS = 60 * 60 * 1000;
const REFRESH_TTL_MS = 24 * 60 * 60 * 1000;

export const SMART_CAPABILITIES = [
  'launch-ehr',
  'launch-standalone',
  'client-public',
  'context-ehr-patient',
  'context-standalone-patient',
  'context-banner',
  'context-style',
  'permission-v1',
  'permission-v2',
  'permission-patient',
  'permission-user',
  'permission-offline',
  'permission-online',
  'sso-openid-connect',
];

/** Without refresh tokens the server does not advertise online/offline access. */
const REFRESH_CAPABILITIES = new Set(['permission-offline', 'permission-online']);

/**
 * Launch context beyond the patient (SMART App Launch 2.x `fhirContext`), e.g. the order being
 * written: `[{ reference: 'MedicationRequest/123' }]`.
 */
export type FhirContext = Array<{ reference: string; role?: string }>;

export interface LaunchOptions {
  /** Simulates an EHR that refuses this app at authorize time. */
  rejectClient?: boolean;
  fhirContext?: FhirContext;
  /** A CDS Hooks card's `appContext`, returned in the token response (CDS Hooks 2.0, Link). */
  appContext?: string;
}

export interface Launch {
  patient: string;
  expiresAt: number;
  /** Simulates an EHR that refuses this app at authorize time. */
  rejectClient?: boolean;
  fhirContext?: FhirContext;
  appContext?: string;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scope: string;
  patient?: string;
  fhirContext?: FhirContext;
  appContext?: string;
  needPatientBanner: boolean;
  nonce?: string;
  expiresAt: number;
  used: boolean;
}

interface RefreshGrant {
  clientId: string;
  scope: string;
  patient?: string;
  fhirContext?: FhirContext;
  appContext?: string;
  needPatientBanner: boolean;
  expiresAt: number;
}

export interface SmartAuthOptions {
  tokenTtlSeconds: number;
  /** Refresh tokens for `online_access`/`offline_access` (default true; false: neither advertised nor issued). */
  refreshTokens?: boolean;
  /** The exact redirect URIs of a registered client (they depend on the port the sandbox listens on). */
  redirectUrisOf(client: ClientRegistration): string[];
  knownResourceTypes: ReadonlySet<string>;
  /** Patients offered by the standalone picker. */
  listPatients(): PickablePatient[];
  patientExists(id: string): boolean;
  now?: () => number;
}

export interface IssueTokenOptions {
  scope: string;
  patient?: string;
  clientId?: string;
  ttlSeconds?: number;
}

type Params = Record<string, string | undefined>;

export class SmartAuth {
  private readonly launches = new Map<string, Launch>();
  private readonly codes = new Map<string, PendingCode>();
  private readonly tokens = new Map<string, AccessGrant>();
  private readonly refreshGrants = new Map<string, RefreshGrant>();
  private signingKey?: { privateKey: KeyObject; jwk: Record<string, unknown> };
  private readonly now: () => number;

  constructor(private readonly options: SmartAuthOptions) {
    this.now = options.now ?? Date.now;
  }

  /** A launch id bound to a patient, as an EHR creates when it opens the app in a chart. */
  createLaunch(patient: string, opts: LaunchOptions = {}): string {
    const id = randomId(16);
    this.launches.set(id, {
      patient,
      expiresAt: this.now() + LAUNCH_TTL_MS,
      ...(opts.rejectClient ? { rejectClient: true } : {}),
      ...(opts.fhirContext?.length ? { fhirContext: opts.fhirContext } : {}),
      ...(opts.appContext ? { appContext: opts.appContext } : {}),
    });
    return id;
  }

  /** An access token without the OAuth dance: for tests and for loading data (system/*.*). */
  issueToken(opts: IssueTokenOptions): string {
    const token = randomId(32);
    const ttl = opts.ttlSeconds ?? this.options.tokenTtlSeconds;
    this.tokens.set(token, {
      clientId: opts.clientId ?? 'sandbox-internal',
      scope: opts.scope,
      ...(opts.patient ? { patient: opts.patient } : {}),
      expiresAt: this.now() + ttl * 1000,
    });
    return token;
  }

  /** The grant behind an `Authorization: Bearer` header, or why there is none. */
  authenticate(header: string | undefined): { grant: AccessGrant } | { error: string } {
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) return { error: 'Missing bearer token' };
    const grant = this.tokens.get(match[1]);
    if (!grant) return { error: 'Unknown access token' };
    if (this.now() >= grant.expiresAt) {
      this.tokens.delete(match[1]);
      return { error: 'Access token expired' };
    }
    return { grant };
  }

  smartConfiguration(origin: string): Record<string, unknown> {
    return {
      issuer: `${origin}/fhir`,
      authorization_endpoint: `${origin}/auth/authorize`,
      token_endpoint: `${origin}/auth/token`,
      jwks_uri: `${origin}/auth/jwks`,
      grant_types_supported: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['none'],
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      capabilities: this.refreshTokens ? SMART_CAPABILITIES : SMART_CAPABILITIES.filter((c) => !REFRESH_CAPABILITIES.has(c)),
      scopes_supported: [
        'openid',
        'fhirUser',
        'profile',
        'launch',
        'launch/patient',
        'offline_access',
        'online_access',
        'patient/*.read',
        'patient/*.rs',
        'patient/Patient.read',
        'patient/Patient.rs',
        'patient/Condition.read',
        'patient/Condition.rs',
        'patient/Observation.read',
        'patient/Observation.rs',
        'patient/MedicationRequest.read',
        'patient/MedicationRequest.rs',
        'patient/MedicationStatement.read',
        'patient/MedicationStatement.rs',
        'patient/Medication.read',
        'patient/Medication.rs',
        'patient/Immunization.read',
        'patient/Immunization.rs',
        'patient/ServiceRequest.read',
        'patient/ServiceRequest.rs',
        'user/*.read',
        'user/*.rs',
      ],
      id_token_signing_alg_values_supported: ['RS256'],
    };
  }

  /** Handles the auth routes; returns false when the path is not one of them. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL, origin: string): Promise<boolean> {
    const path = url.pathname;
    if (path === '/fhir/.well-known/smart-configuration' && req.method === 'GET') {
      sendJson(res, 200, this.smartConfiguration(origin), { 'Cache-Control': 'public, max-age=60' });
      return true;
    }
    if (path === '/auth/authorize' && (req.method === 'GET' || req.method === 'POST')) {
      const params: Params = req.method === 'POST' ? await readForm(req) : Object.fromEntries(url.searchParams);
      this.authorize(params, res, origin);
      return true;
    }
    if (path === '/auth/token') {
      if (req.method !== 'POST') {
        sendJson(res, 405, { error: 'invalid_request', error_description: 'Use POST' }, { Allow: 'POST' });
      } else {
        const form = await readForm(req);
        const { status, body } = this.token(form, origin);
        sendJson(res, status, body, { Pragma: 'no-cache' });
      }
      return true;
    }
    if (path === '/auth/jwks' && req.method === 'GET') {
      sendJson(res, 200, { keys: [this.key().jwk] });
      return true;
    }
    return false;
  }

  private get refreshTokens(): boolean {
    return this.options.refreshTokens !== false;
  }

  private authorize(params: Params, res: ServerResponse, origin: string): void {
    const fhirBase = `${origin}/fhir`;
    const redirectUri = params.redirect_uri;
    const client = registrationOf(params.client_id ?? '');
    // Never redirect to an unchecked URI (RFC 6749 §4.1.2.1, §10.6): an unknown client or a
    // redirect_uri that is not exactly one it registered gets an error page here.
    if (!client) {
      sendHtml(res, 400, renderAuthError('unauthorized_client', `Client "${params.client_id ?? ''}" is not registered with this EHR`));
      return;
    }
    if (!redirectUri || !this.options.redirectUrisOf(client).includes(redirectUri)) {
      sendHtml(res, 400, renderAuthError('invalid_request', 'redirect_uri is missing or is not one registered for this client'));
      return;
    }
    const fail = (error: string, description: string): void => {
      const target = new URL(redirectUri);
      target.searchParams.set('error', error);
      target.searchParams.set('error_description', description);
      if (params.state) target.searchParams.set('state', params.state);
      redirect(res, target.toString());
    };

    if (!params.state) return fail('invalid_request', 'state is required');
    if (params.response_type !== 'code') return fail('unsupported_response_type', 'response_type must be code');
    const clientId = client.clientId;
    if (trimSlash(params.aud ?? '') !== fhirBase) return fail('invalid_request', `aud must be ${fhirBase}`);
    if (!params.code_challenge) return fail('invalid_request', 'PKCE code_challenge is required');
    if (params.code_challenge_method !== 'S256') {
      return fail('invalid_request', 'code_challenge_method must be S256 (plain is not accepted)');
    }
    if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(params.code_challenge)) {
      return fail('invalid_request', 'code_challenge is not a base64url S256 challenge');
    }

    const requestedScope = grantScopes(params.scope ?? '', client, this.options.knownResourceTypes);
    let patient: string | undefined;
    let fhirContext: FhirContext | undefined;
    let appContext: string | undefined;
    let needPatientBanner = true;
    if (params.launch) {
      const launch = this.launches.get(params.launch);
      if (!launch || this.now() >= launch.expiresAt) return fail('invalid_request', 'launch is unknown or expired');
      if (launch.rejectClient) return fail('unauthorized_client', `Client "${clientId}" is not authorized for this launch`);
      patient = launch.patient;
      fhirContext = launch.fhirContext;
      appContext = launch.appContext;
      // The chart around the app already shows who the patient is.
      needPatientBanner = false;
    } else if (hasScope(requestedScope, 'launch/patient')) {
      const picked = params.sandbox_patient;
      if (!picked) {
        sendHtml(res, 200, renderPatientPicker(params, this.options.listPatients()));
        return;
      }
      if (!this.options.patientExists(picked)) return fail('invalid_request', 'The chosen patient does not exist');
      patient = picked;
    }

    // A launch with a patient in context gets patient/ access only: a user/ scope would reach every
    // patient the user may see (user/ServiceRequest.c would order for any of them).
    const scope = patient ? withoutUserScopes(requestedScope) : requestedScope;
    const code = randomId(32);
    this.pruneCodes();
    this.codes.set(code, {
      clientId,
      redirectUri,
      codeChallenge: params.code_challenge,
      scope,
      ...(patient ? { patient } : {}),
      ...(fhirContext ? { fhirContext } : {}),
      ...(appContext ? { appContext } : {}),
      needPatientBanner,
      ...(params.nonce ? { nonce: params.nonce } : {}),
      expiresAt: this.now() + CODE_TTL_MS,
      used: false,
    });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    target.searchParams.set('state', params.state);
    redirect(res, target.toString());
  }

  private token(form: Params, origin: string): { status: number; body: Record<string, unknown> } {
    const error = (status: number, code: string, description: string) => ({
      status,
      body: { error: code, error_description: description },
    });
    if (form.grant_type === 'refresh_token') return this.refresh(form, origin);
    if (form.grant_type !== 'authorization_code') {
      return error(400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
    }
    const pending = form.code ? this.codes.get(form.code) : undefined;
    if (!pending) return error(400, 'invalid_grant', 'Unknown authorization code');
    if (pending.used) return error(400, 'invalid_grant', 'Authorization code already used');
    // One attempt per code: a failed redemption burns it too.
    pending.used = true;
    if (this.now() >= pending.expiresAt) return error(400, 'invalid_grant', 'Authorization code expired');
    if (!form.client_id) return error(401, 'invalid_client', 'client_id is required for public clients');
    if (form.client_id !== pending.clientId) return error(400, 'invalid_grant', 'Code was issued to another client');
    if (form.redirect_uri !== pending.redirectUri) return error(400, 'invalid_grant', 'redirect_uri does not match');
    if (!form.code_verifier) return error(400, 'invalid_request', 'code_verifier is required');
    if (s256(form.code_verifier) !== pending.codeChallenge) {
      return error(400, 'invalid_grant', 'PKCE verification failed');
    }
    return { status: 200, body: this.tokenResponse(pending, origin) };
  }

  private refresh(form: Params, origin: string): { status: number; body: Record<string, unknown> } {
    const grant = form.refresh_token ? this.refreshGrants.get(form.refresh_token) : undefined;
    if (!grant || this.now() >= grant.expiresAt) {
      return { status: 400, body: { error: 'invalid_grant', error_description: 'Unknown or expired refresh token' } };
    }
    if (form.client_id !== grant.clientId) {
      return { status: 400, body: { error: 'invalid_grant', error_description: 'Refresh token was issued to another client' } };
    }
    this.refreshGrants.delete(form.refresh_token as string);
    return { status: 200, body: this.tokenResponse(grant, origin) };
  }

  private tokenResponse(grant: RefreshGrant | PendingCode, origin: string): Record<string, unknown> {
    const fhirBase = `${origin}/fhir`;
    const ttl = this.options.tokenTtlSeconds;
    const accessToken = randomId(32);
    const wantsUser = hasScope(grant.scope, 'openid') && (hasScope(grant.scope, 'fhirUser') || hasScope(grant.scope, 'profile'));
    const fhirUser = `${fhirBase}/${SANDBOX_USER.resourceType}/${SANDBOX_USER.id}`;
    this.tokens.set(accessToken, {
      clientId: grant.clientId,
      scope: grant.scope,
      ...(grant.patient ? { patient: grant.patient } : {}),
      ...(wantsUser ? { fhirUser } : {}),
      expiresAt: this.now() + ttl * 1000,
    });
    const body: Record<string, unknown> = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: ttl,
      scope: grant.scope,
      need_patient_banner: grant.needPatientBanner,
      smart_style_url: `${origin}/ehr/smart-style.json`,
    };
    if (grant.patient) body.patient = grant.patient;
    if (grant.fhirContext) body.fhirContext = grant.fhirContext;
    if (grant.appContext) body.appContext = grant.appContext;
    if (wantsUser) body.id_token = this.idToken(fhirBase, grant.clientId, fhirUser, 'nonce' in grant ? grant.nonce : undefined);
    if (this.refreshTokens && (hasScope(grant.scope, 'offline_access') || hasScope(grant.scope, 'online_access'))) {
      const refreshToken = randomId(32);
      this.refreshGrants.set(refreshToken, {
        clientId: grant.clientId,
        scope: grant.scope,
        ...(grant.patient ? { patient: grant.patient } : {}),
        ...(grant.fhirContext ? { fhirContext: grant.fhirContext } : {}),
        ...(grant.appContext ? { appContext: grant.appContext } : {}),
        needPatientBanner: grant.needPatientBanner,
        expiresAt: this.now() + REFRESH_TTL_MS,
      });
      body.refresh_token = refreshToken;
    }
    return body;
  }

  private idToken(issuer: string, audience: string, fhirUser: string, nonce: string | undefined): string {
    const nowSec = Math.floor(this.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: 'sandbox-1' };
    const claims = {
      iss: issuer,
      sub: SANDBOX_USER.id,
      aud: audience,
      iat: nowSec,
      exp: nowSec + this.options.tokenTtlSeconds,
      fhirUser,
      profile: fhirUser,
      name: 'Sandbox Clinician',
      ...(nonce ? { nonce } : {}),
    };
    const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = createSign('RSA-SHA256').update(signingInput).sign(this.key().privateKey);
    return `${signingInput}.${signature.toString('base64url')}`;
  }

  private key(): { privateKey: KeyObject; jwk: Record<string, unknown> } {
    if (!this.signingKey) {
      // Generated on first use: an id_token is only needed when the app asks for openid.
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      this.signingKey = { privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid: 'sandbox-1', alg: 'RS256', use: 'sig' } };
    }
    return this.signingKey;
  }

  private pruneCodes(): void {
    const now = this.now();
    for (const [code, pending] of this.codes) if (now >= pending.expiresAt + CODE_TTL_MS) this.codes.delete(code);
  }
}

function randomId(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

function trimSlash(value: string): string {
  return value.replace(/\/+$/, '');
}

