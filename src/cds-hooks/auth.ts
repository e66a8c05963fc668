/**
 * Who is calling: the CDS client's JWT (CDS Hooks 2.0, "Trusting CDS Clients"). Signed with an
 * asymmetric key of a trusted issuer, `aud` exactly the URL called, `exp`/`iat`/`jti` present,
 * each `jti` used once. Keys come from configuration (inline/file JWKS, or a JWKS URL the site
 * chose); a `jku` header is only ever a name checked against the issuer's allow-list, and is
 * fetched only when it is on that list and the site gave no other key source.
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTVerifyGetKey,
} from 'jose';
import type { CdsServiceConfig, TrustedIssuer } from './config';
import { ReplayStoreFullError, type ReplayStore } from './replay-cache';

/** Asymmetric JWS algorithms (RFC 7518, RFC 8037). `none` and HMAC (HS*) are never accepted. */
export const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

export interface VerifiedClient {
  iss: string;
  jti: string;
  tenant?: string;
  issuer: TrustedIssuer;
}

export type AuthResult = { ok: true; client: VerifiedClient } | { ok: false; status: 401 | 503; message: string };

const fail = (message: string): AuthResult => ({ ok: false, status: 401, message });

export class ClientAuthenticator {
  private readonly keySets = new Map<string, JWTVerifyGetKey>();

  constructor(
    private readonly config: Pick<CdsServiceConfig, 'issuers' | 'maxTokenLifetimeSeconds' | 'clockToleranceSeconds'>,
    private readonly replay: ReplayStore,
  ) {}

  /**
   * Verifies the Authorization header of a call to `audiences` (the public URLs of the endpoint
   * called, one per configured base URL: a token must name one of them exactly).
   */
  async verify(authorization: string | undefined, audiences: string[]): Promise<AuthResult> {
    const match = /^Bearer\s+([A-Za-z0-9_\-.=]+)\s*$/i.exec(authorization ?? '');
    if (!authorization) return fail('Missing JWT: a CDS Hooks call must carry "Authorization: Bearer <JWT>" signed by a trusted CDS client.');
    if (!match?.[1]) return fail('The Authorization header is not "Bearer <JWT>".');
    const token = match[1];

    let header: ReturnType<typeof decodeProtectedHeader>;
    let claims: ReturnType<typeof decodeJwt>;
    try {
      header = decodeProtectedHeader(token);
      claims = decodeJwt(token);
    } catch {
      return fail('The bearer token is not a well-formed JWT.');
    }
    const alg = typeof header.alg === 'string' ? header.alg : '';
    if (alg.toLowerCase() === 'none') return fail('Unsigned JWT (alg "none") refused: CDS Hooks requires a signature.');
    if (/^HS/i.test(alg)) return fail(`JWT signed with ${alg} refused: symmetric (HMAC) algorithms are not allowed; sign with RS384 or ES384.`);
    if (!ASYMMETRIC_ALGORITHMS.includes(alg)) return fail(`JWT algorithm "${alg}" is not supported (use one of ${ASYMMETRIC_ALGORITHMS.join(', ')}).`);
    if (header.typ !== undefined && String(header.typ).toUpperCase() !== 'JWT') return fail(`JWT header typ must be "JWT", got "${String(header.typ)}".`);
    if (typeof header.kid !== 'string' || header.kid === '') return fail('JWT header has no "kid": the key that signed it cannot be identified.');

    const iss = typeof claims.iss === 'string' ? claims.iss : undefined;
    if (!iss) return fail('JWT has no "iss" claim.');
    const issuer = this.config.issuers.find((candidate) => candidate.iss === iss);
    if (!issuer) return fail(`Untrusted issuer "${iss}": it is not in this service's trust configuration.`);
    const jku = header.jku;
    if (jku !== undefined && (typeof jku !== 'string' || !issuer.jku.includes(jku))) {
      return fail(`JWT "jku" ${JSON.stringify(jku)} is not among the key set URLs allowed for issuer "${iss}".`);
    }
    const keys = this.keySetFor(issuer, typeof jku === 'string' ? jku : undefined);
    if (!keys) return fail(`No public keys are configured for issuer "${iss}" (and the token names no allowed jku).`);

    let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: iss,
        audience: audiences,
        algorithms: ASYMMETRIC_ALGORITHMS,
        requiredClaims: ['iss', 'aud', 'exp', 'iat', 'jti'],
        clockTolerance: this.config.clockToleranceSeconds,
      }));
    } catch (error) {
      return fail(describeJoseError(error, audiences, header.kid, alg, issuer));
    }
    const jti = payload.jti;
    if (typeof jti !== 'string' || jti === '') return fail('JWT "jti" must be a non-empty string.');
    const lifetime = (payload.exp ?? 0) - (payload.iat ?? 0);
    if (lifetime > this.config.maxTokenLifetimeSeconds) {
      return fail(`JWT lifetime (exp - iat = ${lifetime} s) is longer than the ${this.config.maxTokenLifetimeSeconds} s this service accepts.`);
    }
    if ((payload.iat ?? 0) > Date.now() / 1000 + this.config.clockToleranceSeconds) return fail('JWT "iat" is in the future.');
    try {
      const fresh = await this.replay.claim(`${iss}\n${jti}`, (payload.exp ?? 0) + this.config.clockToleranceSeconds);
      if (!fresh) return fail(`JWT replayed: jti "${jti}" was already used.`);
    } catch (error) {
      if (error instanceof ReplayStoreFullError) return { ok: false, status: 503, message: error.message };
      throw error;
    }
    const client: VerifiedClient = { iss, jti, issuer };
    if (typeof payload.tenant === 'string') client.tenant = payload.tenant;
    return { ok: true, client };
  }

  private keySetFor(issuer: TrustedIssuer, jku: string | undefined): JWTVerifyGetKey | undefined {
    const source = issuer.jwks ? `local:${issuer.iss}` : issuer.jwksUrl ?? jku;
    if (!source) return undefined;
    let keys = this.keySets.get(source);
    if (!keys) {
      if (issuer.jwks) keys = createLocalJWKSet(issuer.jwks);
      else keys = createRemoteJWKSet(new URL(source), { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
      this.keySets.set(source, keys);
    }
    return keys;
  }
}

/** The algorithms a public key can verify (RFC 7518 §3, RFC 8037). */
function algorithmsFor(key: { kty?: unknown; crv?: unknown; alg?: unknown }): string[] {
  if (typeof key.alg === 'string') return [key.alg];
  if (key.kty === 'EC') return ({ 'P-256': ['ES256'], 'P-384': ['ES384'], 'P-521': ['ES512'] } as Record<string, string[]>)[String(key.crv)] ?? [];
  if (key.kty === 'RSA') return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
  if (key.kty === 'OKP') return ['EdDSA', 'Ed25519'];
  return [];
}

/**
 * Why no key matched: a key with the token's kid exists but is for another algorithm (an ES256
 * token on a P-384 key), or there is no key with that kid at all. Only configured key sets can
 * be looked into; a remote set gets the general message.
 */
function noMatchingKey(kid: string, alg: string, issuer: TrustedIssuer): string {
  const sameKid = (issuer.jwks?.keys ?? []).filter((key) => key.kid === kid);
  if (sameKid.length > 0 && !sameKid.some((key) => algorithmsFor(key).includes(alg))) {
    const key = sameKid[0]!;
    const kind = [key.kty, key.crv].filter(Boolean).join(' ');
    const fits = algorithmsFor(key);
    return `JWT algorithm ${alg} does not match the issuer's key "${kid}" (${kind}${fits.length ? `, for ${fits.join('/')}` : ''}): sign with the algorithm of that key.`;
  }
  return `No key with kid "${kid}" for ${alg} in the issuer's key set.`;
}

function describeJoseError(error: unknown, audiences: string[], kid: string, alg: string, issuer: TrustedIssuer): string {
  if (error instanceof errors.JWTExpired) return 'JWT expired ("exp" is in the past).';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') {
      return `JWT "aud" must be exactly the URL called (${audiences.join(' or ')}); got ${JSON.stringify(error.payload.aud)}.`;
    }
    if (error.reason === 'missing') return `JWT is missing the required "${error.claim}" claim.`;
    return `JWT "${error.claim}" claim is not acceptable (${error.message}).`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'JWT signature does not verify with the issuer\'s public key.';
  if (error instanceof errors.JWKSNoMatchingKey) return noMatchingKey(kid, alg, issuer);
  if (error instanceof errors.JWKSTimeout) return 'The issuer\'s key set could not be fetched in time.';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'JWT algorithm is not allowed.';
  if (error instanceof errors.JOSEError) return `JWT refused: ${error.message}.`;
  return 'JWT could not be verified.';
}
