/**
 * Debian's nginx running the shipped configuration (docs/deploy/nginx.conf) for a test: the file
 * as a site would install it, with only what a loopback test must change — the TLS block becomes
 * a 127.0.0.1 port, the http→https redirect server goes, the root is the test's copy of dist/,
 * and the CSP names the test's FHIR server. nginx runs in the foreground with a temporary prefix
 * (its own pid, logs and temp folders) and is stopped by the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/sandbox/server';

export const NGINX_PATH = '/usr/sbin/nginx';
export const SHIPPED_NGINX_CONF = join(REPO_ROOT, 'docs', 'deploy', 'nginx.conf');

const TLS_BLOCK = /[ \t]*# --- TLS and name \(EDIT\) ---\n[\s\S]*?# --- end TLS ---\n/;
const REDIRECT_SERVER = /# --- http to https[\s\S]*$/;
const ROOT = /^(\s*root\s+)[^;]+;/m;
const CSP = /(add_header Content-Security-Policy ")([^"]+)(" always;)/;

/** The Content-Security-Policy value the shipped file sends. */
export function shippedPolicy(conf = readFileSync(SHIPPED_NGINX_CONF, 'utf8')): string {
  const match = CSP.exec(conf);
  if (!match) throw new Error('docs/deploy/nginx.conf has no Content-Security-Policy header');
  return match[2]!;
}

/** The shipped file made to run on a loopback port: only the TLS block, the redirect server, the root and the policy change. */
export function loopbackSite(conf: string, options: { port: number; root: string; policy: string }): string {
  for (const [name, pattern] of [['TLS block', TLS_BLOCK], ['redirect server', REDIRECT_SERVER], ['root', ROOT], ['CSP', CSP]] as const) {
    if (!pattern.test(conf)) throw new Error(`docs/deploy/nginx.conf: the ${name} the test replaces is not where it was`);
  }
  return conf
    .replace(TLS_BLOCK, `    listen 127.0.0.1:${options.port};\n`)
    .replace(REDIRECT_SERVER, '')
    .replace(ROOT, `$1${options.root};`)
    .replace(CSP, (_m, head: string, _policy: string, tail: string) => `${head}${options.policy}${tail}`);
}

/** A main nginx.conf around one site file, everything under `prefix`. */
function mainConf(prefix: string, site: string): string {
  return `daemon off;
master_process off;
worker_processes 1;
error_log ${prefix}/error.log warn;
pid ${prefix}/nginx.pid;
events { worker_connections 128; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path ${prefix}/client_body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  include ${site};
}
`;
}


export interface RunningNginx {
  origin: string;
  stop(): Promise<void>;
}

function run(args: string[]): ChildProcess {
  return spawn(NGINX_PATH, args, { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `nginx -t` on a site file: the configuration parses and every file it names exists. */
export async function checkConfig(site: string): Promise<{ ok: boolean; output: string }> {
  const prefix = mkdtempSync(join(tmpdir(), 'jak-nginx-t-'));
  try {
    writeFileSync(join(prefix, 'site.conf'), site);
    writeFileSync(join(prefix, 'nginx.conf'), mainConf(prefix, join(prefix, 'site.conf')));
    const child = run(['-t', '-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'error.log')]);
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    return { ok: code === 0, output };
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
}

/** Starts nginx on `site` (which listens on 127.0.0.1:`port`) and waits until it answers. */
export async function startNginx(site: string, port: number): Promise<RunningNginx> {
  if (!existsSync(NGINX_PATH)) throw new Error(`nginx is not installed at ${NGINX_PATH}: apt-get install -y nginx (.ci/run does)`);
  const prefix = mkdtempSync(join(tmpdir(), 'jak-nginx-'));
  writeFileSync(join(prefix, 'site.conf'), site);
  writeFileSync(join(prefix, 'nginx.conf'), mainConf(prefix, join(prefix, 'site.conf')));
  const child = run(['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'error.log')]);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx stopped at start: ${output}${readFileSync(join(prefix, 'error.log'), 'utf8')}`);
    const up = await fetch(`${origin}/`, { method: 'HEAD' }).then(() => true, () => false);
    if (up) break;
    if (Date.now() > deadline) throw new Error(`nginx did not answer on ${origin}: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    origin,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
