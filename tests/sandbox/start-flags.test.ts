/**
 * `npm start -- --token-ttl <s> --no-refresh`: the sandbox for watching a session run out, as a
 * user starts it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, type SandboxHandle } from '../../src/sandbox/server';
import { authorize, authorizeParams, CLIENT_ID, exchange, pkce, redirectParams } from './helpers';

const children: ChildProcess[] = [];

afterAll(async () => {
  // npm runs the sandbox in a child: stop the process groups this test started.
  for (const child of children) {
    if (child.pid && child.exitCode === null) {
      const exited = new Promise((done) => child.on('exit', done));
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
  }
});

function start(args: string[]): { ready: Promise<string>; exited: Promise<{ code: number | null; text: string }> } {
  const child = spawn('npm', ['start', '--silent', '--', '--no-samples', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(child);
  let text = '';
  const exited = new Promise<{ code: number | null; text: string }>((resolve) => child.on('exit', (code) => resolve({ code, text })));
  const ready = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = /EHR patient list:\s+(http:\/\/\S+)\/ehr\//.exec(text);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`npm start exited (${code}): ${text}`)));
  });
  // A test that expects the start to fail awaits `exited` only.
  ready.catch(() => undefined);
  return { ready, exited };
}

describe('npm start flags for sessions', () => {
  it('--token-ttl 2 --no-refresh: two-second tokens, no refresh token, no permission-online', async () => {
    const origin = await start(['--token-ttl', '2', '--no-refresh']).ready;
    const sandbox = { origin, fhirBase: `${origin}/fhir` } as SandboxHandle;
    const config = (await (await fetch(`${sandbox.fhirBase}/.well-known/smart-configuration`)).json()) as { capabilities: string[] };
    expect(config.capabilities).not.toContain('permission-online');

    // A launch as the chart page makes it.
    const chart = await (await fetch(`${origin}/ehr/patient/scn-ready`)).text();
    const launch = new URL(/<iframe[^>]*src="([^"]+)"/.exec(chart)![1]!.replace(/&amp;/g, '&'), origin).searchParams.get('launch')!;
    const { verifier, challenge } = pkce();
    const code = redirectParams(await authorize(sandbox, authorizeParams(sandbox, challenge, { launch, scope: 'launch patient/*.read online_access' }))).get('code')!;
    const { body } = await exchange(sandbox, { grant_type: 'authorization_code', code, redirect_uri: `${origin}/`, client_id: CLIENT_ID, code_verifier: verifier });
    expect(body.expires_in).toBe(2);
    expect(body.refresh_token).toBeUndefined();
  }, 120_000);

  it('refuses a token life that is not a whole number of seconds', async () => {
    const { code, text } = await start(['--token-ttl', 'soon']).exited;
    expect(code).toBe(2);
    expect(text).toContain('--token-ttl needs a whole number of seconds');
  }, 60_000);
});
