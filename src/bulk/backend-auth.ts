/**
 * SMART Backend Services authorization (client_credentials with a private_key_jwt assertion):
 * the token endpoint comes from `<base>/.well-known/smart-configuration`; the assertion is a JWT
 * signed with the client's private JWK (RS384 or ES384) through `jose` — no hand-written crypto.
 * iss = sub = client id, aud = the token URL, exp 5 minutes ahead, a fresh jti every time.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { importJWK, SignJWT, type JWK } from 'jose';
import { BulkError, describeUrl, errorText, request, shortId } from './http';

export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const SIGNING_ALGORITHMS = ['RS384', 'ES384'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/** Thrown for a key file the user must fix (the command line exits 2). */
export class KeyFileError extends Error {}

export interface SigningKey {
  jwk: JWK;
  alg: SigningAlgorithm;
  kid?: string;
}

/** A private JWK, or a JWK Set holding one, from a file: RS384 (RSA) or ES384 (EC P-384). */
export function readSigningKey(path: string): SigningKey {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new KeyFileError(code ? `cannot read key file ${path}${code === 'ENOENT' ? ': no such file' : ` (${code})`}` : `key file ${path} is not JSON (a private JWK is expected)`);
  }
  const candidates = Array.isArray((json as { keys?: unknown })?.keys) ? ((json as { keys: unknown[] }).keys as JWK[]) : [json as JWK];
  const usable = candidates.filter((k) => k && typeof k === 'object' && typeof k.d === 'string');
  if (usable.length === 0) throw new KeyFileError(`key file ${path} holds no private key (a JWK with "d"); the public key set is what you register, the private key is what --key needs`);
  const jwk = usable.find((k) => SIGNING_ALGORITHMS.includes(k.alg as SigningAlgorithm)) ?? usable[0]!;
  const alg = (jwk.alg as SigningAlgorithm | undefined) ?? (jwk.kty === 'RSA' ? 'RS384' : jwk.kty === 'EC' && jwk.crv === 'P-384' ? 'ES384' : undefined);
  if (!alg || !SIGNING_ALGORITHMS.includes(alg)) {
    throw new KeyFileError(`key file ${path}: algorithm ${jwk.alg ?? `${jwk.kty}${jwk.crv ? ` ${jwk.crv}` : ''}`} is not allowed; SMART Backend Services use RS384 (RSA) or ES384 (EC P-384)`);
  }
  if (alg === 'ES384' && jwk.crv !== 'P-384') throw new KeyFileError(`key file ${path}: ES384 needs an EC key on curve P-384, got ${jwk.crv ?? 'no curve'}`);
  if (alg === 'RS384' && jwk.kty !== 'RSA') throw new KeyFileError(`key file ${path}: RS384 needs an RSA key, got ${jwk.kty}`);
  return { jwk, alg, ...(typeof jwk.kid === 'string' ? { kid: jwk.kid } : {}) };
}

/** The token endpoint the server advertises. */
export async function discoverTokenUrl(base: string): Promise<string> {
  const url = `${base.replace(/\/+$/, '')}/.well-known/smart-configuration`;
  const response = await request(url, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new BulkError(`the server's SMART configuration (${describeUrl(url)}) could not be read: ${await errorText(response)}`);
  let json: { token_endpoint?: unknown; grant_types_supported?: unknown };
  try {
    json = (await response.json()) as typeof json;
  } catch {
    throw new BulkError(`the server's SMART configuration (${describeUrl(url)}) is not JSON`);
  }
  if (typeof json.token_endpoint !== 'string') throw new BulkError(`the server's SMART configuration names no token_endpoint, so Backend Services cannot sign in`);
  try {
    const token = new URL(json.token_endpoint, url);
    if (token.protocol !== 'https:' && !isLoopback(token)) throw new BulkError(`the token endpoint ${describeUrl(token.href)} is not https; refusing to send credentials there`);
    return token.href;
  } catch (error) {
    if (error instanceof BulkError) throw error;
    throw new BulkError(`the server's token_endpoint "${json.token_endpoint}" is not a URL`);
  }
}

export function isLoopback(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

export async function signAssertion(key: SigningKey, clientId: string, tokenUrl: string): Promise<string> {
  const privateKey = await importJWK(key.jwk, key.alg);
  return new SignJWT({})
    .setProtectedHeader({ alg: key.alg, typ: 'JWT', ...(key.kid ? { kid: key.kid } : {}) })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(tokenUrl)
    .setIssuedAt()
    .setExpirationTime('5m')
    .setJti(randomUUID())
    .sign(privateKey);
}

export interface AccessToken {
  token: string;
  /** When to stop using it (ms since epoch), a little before the server's expiry. */
  expiresAt: number;
}

/** Gets, caches and renews the access token. */
export class BackendServicesAuth {
  private current: AccessToken | undefined;
  private tokenUrl: string | undefined;

  constructor(
    private readonly options: { base: string; clientId: string; key: SigningKey; scope: string },
  ) {}

  async token(): Promise<string> {
    if (this.current && Date.now() < this.current.expiresAt) return this.current.token;
    this.current = await this.signIn();
    return this.current.token;
  }

  /** After a 401: forget the token so that the next call signs in anew. */
  invalidate(): void {
    this.current = undefined;
  }

  private async signIn(): Promise<AccessToken> {
    this.tokenUrl ??= await discoverTokenUrl(this.options.base);
    const assertion = await signAssertion(this.options.key, this.options.clientId, this.tokenUrl);
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: this.options.scope,
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: assertion,
    });
    const response = await request(this.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body });
    if (!response.ok) throw new BulkError(`the authorization server refused to sign in client ${shortId(this.options.clientId)} (${await errorText(response)}); check the client id, the registered public key and the scopes`, response.status);
    let json: { access_token?: unknown; expires_in?: unknown; token_type?: unknown };
    try {
      json = (await response.json()) as typeof json;
    } catch {
      throw new BulkError('the token endpoint answered with something that is not JSON');
    }
    if (typeof json.access_token !== 'string' || !json.access_token) throw new BulkError('the token endpoint answered without an access_token');
    const seconds = typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : 300;
    return { token: json.access_token, expiresAt: Date.now() + Math.max(1, seconds - 30) * 1000 };
  }
}
