import { createHash, randomBytes } from 'node:crypto';
import type { SandboxHandle } from '../../src/sandbox/server';

export const CLIENT_ID = 'jak-readiness';
export const SCOPE = 'launch openid fhirUser patient/*.read';

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface AuthorizeParams {
  [key: string]: string | undefined;
}

/** The params a correct client sends; override or set undefined to drop one. */
export function authorizeParams(sandbox: SandboxHandle, challenge: string, overrides: AuthorizeParams = {}): URLSearchParams {
  const all: AuthorizeParams = {
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: `${sandbox.origin}/`,
    scope: SCOPE,
    state: 'state-123',
    aud: sandbox.fhirBase,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(all)) if (v !== undefined) params.set(k, v);
  return params;
}

/** GET /auth/authorize without following the redirect. */
export async function authorize(sandbox: SandboxHandle, params: URLSearchParams): Promise<Response> {
  return fetch(`${sandbox.origin}/auth/authorize?${params}`, { redirect: 'manual' });
}

export function redirectParams(response: Response): URLSearchParams {
  const location = response.headers.get('location');
  if (!location) throw new Error(`No redirect (status ${response.status})`);
  return new URL(location).searchParams;
}

export async function exchange(sandbox: SandboxHandle, fields: Record<string, string>): Promise<{ status: number; body: any }> {
  const response = await fetch(`${sandbox.origin}/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
  return { status: response.status, body: await response.json() };
}

/** A full EHR launch: launch id -> code -> token. */
export async function ehrLaunchToken(sandbox: SandboxHandle, patientId: string, scope = SCOPE): Promise<any> {
  const { verifier, challenge } = pkce();
  const launch = sandbox.createLaunch(patientId);
  const response = await authorize(sandbox, authorizeParams(sandbox, challenge, { launch, scope }));
  const code = redirectParams(response).get('code');
  if (!code) throw new Error('no code');
  const { body } = await exchange(sandbox, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: `${sandbox.origin}/`,
    client_id: CLIENT_ID,
    code_verifier: verifier,
  });
  return body;
}

export async function fhirGet(url: string, token?: string): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

export function nextLink(bundle: any): string | undefined {
  return bundle.link?.find((l: any) => l.relation === 'next')?.url;
}
