/**
 * `npm start` as a user runs it: the sandbox comes up with the CDS Hooks service at
 * <origin>/cds-services; discovery lists the three hooks and an unsigned call answers 401.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/sandbox/server';

let child: ChildProcess | undefined;

afterAll(async () => {
  // npm runs the sandbox in a child: stop the process group this test started.
  if (child?.pid && child.exitCode === null) {
    const exited = new Promise((done) => child!.on('exit', done));
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
});

function startLikeAUser(): Promise<string> {
  child = spawn('npm', ['start', '--silent', '--', '--no-samples'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let text = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = /CDS Hooks:\s+(http:\/\/\S+)\/cds-services/.exec(text);
      if (match) resolve(match[1]!);
    };
    child!.stdout!.on('data', onData);
    child!.stderr!.on('data', onData);
    child!.on('exit', (code) => reject(new Error(`npm start exited (${code}): ${text}`)));
  });
}

describe('npm start', () => {
  it('serves the CDS Hooks service: discovery lists the three hooks, an unsigned call is refused with 401', async () => {
    const origin = await startLikeAUser();
    const discovery = (await (await fetch(`${origin}/cds-services`)).json()) as { services: Array<{ id: string; hook: string }> };
    expect(discovery.services.map((s) => s.hook)).toEqual(['order-select', 'order-sign', 'patient-view']);
    for (const service of discovery.services) {
      const response = await fetch(`${origin}/cds-services/${service.id}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ hook: service.hook, hookInstance: 'h1', context: { patientId: 'scn-ready' } }),
      });
      expect(response.status, service.id).toBe(401);
      expect(((await response.json()) as { message: string }).message).toMatch(/Missing JWT/);
    }
  }, 120_000);
});
