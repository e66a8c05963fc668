/**
 * `npm run cds-hooks` as operations run it: the compiled service (build/cli/cds-hooks.js) in a
 * process of its own, configured by a trust file and environment variables, its JSON log
 * collected, stopped by a signal. Also a throw-away redis-server on a free loopback port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { freePort } from '../free-port';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/sandbox/server';
import type { TestKey } from './helpers';

export interface ServiceProcess {
  child: ChildProcess;
  /** http://127.0.0.1:<port> it listens on. */
  base: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** The JSON lines of its log. */
  logLines(): Array<Record<string, unknown>>;
  exited: Promise<number | null>;
}

export function trustFile(key: TestKey, iss: string, extra: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'cds-ops-'));
  writeFileSync(join(dir, 'keys.json'), JSON.stringify(key.jwks));
  writeFileSync(join(dir, 'trust.json'), JSON.stringify({ issuers: [{ iss, jwksFile: 'keys.json' }], ...extra }));
  return join(dir, 'trust.json');
}

export async function startServiceProcess(env: Record<string, string>): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'build', 'cli', 'cds-hooks.js')], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (c: Buffer) => (text += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (text += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const base = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const match = /listening on (http:\/\/[^\s)]+)/.exec(text);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    void exited.then(() => reject(new Error(`the service stopped at start: ${text}`)));
  });
  return {
    child,
    base,
    output: () => text,
    logLines: () =>
      text
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    exited,
  };
}

/** A start that is expected to be refused: its exit status and everything it printed. */
export async function refusedStart(env: Record<string, string>): Promise<{ status: number | null; output: string }> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'build', 'cli', 'cds-hooks.js')], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  // A start that is not refused would listen for ever: stop it after a while so the test fails.
  const timer = setTimeout(() => child.kill('SIGTERM'), 5_000);
  const status = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  clearTimeout(timer);
  return { status, output };
}

export async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}


export const REDIS_SERVER = '/usr/bin/redis-server';

/** redis-server on a free loopback port, nothing written to disk; resolves once it accepts connections. */
export async function startRedis(): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'jak-redis-'));
  const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (c: Buffer) => {
      text += c.toString();
      if (/Ready to accept connections/.test(text)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('error', reject);
    child.on('exit', () => reject(new Error(`redis-server stopped at start: ${text}`)));
  });
  return { url: `redis://127.0.0.1:${port}`, child, stop: () => stopProcess(child) };
}
