/**
 * The worklist against any Bulk Data server (issue 21), retries and messages: transient 500s
 * (with and without an OperationOutcome), reset connections, 429 with each Retry-After form,
 * giving up within --max-wait with the real cause, and DELETE whenever the client gives up.
 */
import { describe, expect, it } from 'vitest';
import { readRetryAfter, shortId } from '../../src/bulk/http';
import { spawn } from 'node:child_process';
import { BIN, ROOT } from '../cli/run-cli';
import { CLIENT, deletes, exportWith, server, sharedKey, worklist } from './any-server-fixture';

describe('retries and giving up', () => {
  it('retries a transient 500 (issue code transient) while polling, through the command line', async () => {
    const s = await server({ transient: { times: 1, outcome: true } });
    const result = await worklist(s);
    expect(result.stderr).toMatch(/worklist of 4 patients/);
    expect(result.code).toBe(0);
    expect(s.requests.filter((r) => r.path === '/jobs/1' && r.method === 'GET').map((r) => r.status)).toEqual([500, 200]);
  }, 60_000);

  it('retries a 500 without an OperationOutcome (a proxy\'s error page), with growing waits', async () => {
    const s = await server({ transient: { times: 3, outcome: false } });
    const { run, progress } = await exportWith(s, 30_000, 100);
    await run;
    expect(s.requests.filter((r) => r.path === '/jobs/1' && r.method === 'GET').map((r) => r.status)).toEqual([500, 500, 500, 200]);
    expect(progress.filter((p) => p.startsWith('checking the export'))).toEqual([
      'checking the export: the server answered HTTP 500 Internal Server Error: Internal Server Error (no OperationOutcome: taken as a passing fault); trying again in 0.1 s',
      'checking the export: the server answered HTTP 500 Internal Server Error: Internal Server Error (no OperationOutcome: taken as a passing fault); trying again in 0.2 s',
      'checking the export: the server answered HTTP 500 Internal Server Error: Internal Server Error (no OperationOutcome: taken as a passing fault); trying again in 0.4 s',
    ]);
  }, 30_000);

  it('retries a status check whose connection was reset', async () => {
    const s = await server({ resetChecks: 2 });
    const { run, progress } = await exportWith(s, 30_000);
    await run;
    expect(s.requests.filter((r) => r.path === '/jobs/1' && r.method === 'GET').map((r) => r.status)).toEqual([0, 0, 200]);
    expect(progress.join('\n')).toMatch(/checking the export: http:\/\/127\.0\.0\.1:\d+\/jobs\/1 could not be reached \(ECONNRESET\); trying again in 1 s/);
  }, 30_000);

  it.each([
    ['a delay in seconds', 'delay' as const],
    ['an HTTP date', 'date' as const],
    ['an epoch time (a server mistake), and says so', 'epoch' as const],
  ])('honours a 429\'s Retry-After given as %s', async (_, form) => {
    const s = await server({ rateLimit: { times: 1, form, seconds: 2 } });
    const { run, progress, started } = await exportWith(s, 30_000);
    const result = await run;
    const polls = s.requests.filter((r) => r.path === '/jobs/1' && r.method === 'GET');
    expect(polls.map((p) => p.status)).toEqual([429, 200]);
    // Waited about as long as asked (an HTTP date and epoch seconds round to the second), not the 1 s default.
    expect(polls[1]!.at - polls[0]!.at).toBeGreaterThanOrEqual(form === 'delay' ? 1950 : 1000);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(progress.join('\n')).toMatch(/checking the export: the server answered 429 Too Many Requests with Retry-After: /);
    if (form === 'epoch') expect(result.notes.join('\n')).toMatch(/the server sent Retry-After: \d{10}, a clock time in epoch seconds rather than a delay; read as 20\d\d-/);
    else expect(result.notes.join('\n')).not.toMatch(/epoch/);
    expect(deletes(s)).toHaveLength(1);
  }, 30_000);

  it('gives up when Retry-After is beyond --max-wait, names the 429 as the cause, and DELETEs the job', async () => {
    const s = await server({ rateLimit: { times: 100, form: 'epoch', seconds: 300 } });
    const { run } = await exportWith(s, 3000);
    await expect(run).rejects.toThrow(/^gave up after [\d.]+ s: checking the export: the server answered 429 Too Many Requests with Retry-After: \d{10} \(a clock time in epoch seconds rather than a delay; read as 20\d\d-[^)]+\) \(1 try\); waiting 5 min more would pass the --max-wait of 3 s$/);
    expect(deletes(s)).toHaveLength(1);
  }, 30_000);

  it('DELETEs the job when it gives up waiting for a job that never finishes, and when the job fails', async () => {
    const never = await server({ neverDone: true, retryAfterSeconds: 1 });
    const { run } = await exportWith(never, 2500);
    await expect(run).rejects.toThrow(/^gave up after \d s: the export was still running/);
    expect(deletes(never)).toHaveLength(1);
    const failed = await server({ failJob: true, pollsBeforeDone: 1, retryAfterSeconds: 1 });
    const result = await worklist(failed);
    expect(result.code).toBe(1);
    expect(deletes(failed)).toHaveLength(1);
  }, 30_000);

  it('gives up on transient errors that never stop, within --max-wait, with the cause', async () => {
    const s = await server({ transient: { times: 1000, outcome: true } });
    const { run } = await exportWith(s, 2500);
    await expect(run).rejects.toThrow(/^gave up after \d s: checking the export: the server answered HTTP 500: An unknown error occurred \(transient_error\)\. Please try again\. \(\d tries\); waiting \d s more would pass the --max-wait of 3 s$/);
    expect(deletes(s)).toHaveLength(1);
  }, 30_000);
});

describe('interrupted', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('cancels the job on the server (DELETE) when stopped by %s during the export, and exits 130', async (signal) => {
    const s = await server({ neverDone: true, retryAfterSeconds: 1 });
    const child = spawn(process.execPath, [BIN, 'worklist', '--fhir', s.base, '--group', 'clinic', '--client-id', CLIENT, '--key', (await sharedKey()).privatePath], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    for (let i = 0; i < 100 && !s.requests.some((r) => r.path === '/jobs/1'); i++) await new Promise((r) => setTimeout(r, 100));
    child.kill(signal);
    expect(await exited).toBe(130);
    expect(deletes(s)).toHaveLength(1);
    expect(stderr).toMatch(new RegExp(`stopped by ${signal}: cancelling the export on the server`));
  }, 30_000);
});

describe('messages', () => {
  it('reads Retry-After as seconds, an HTTP date, or an epoch time it names as such', () => {
    const now = Date.parse('2026-12-07T10:00:00Z');
    expect(readRetryAfter('120', now)).toEqual({ ms: 120_000 });
    expect(readRetryAfter('86400', now)).toEqual({ ms: 86_400_000 }); // a long delay is still a delay
    expect(readRetryAfter('Mon, 07 Dec 2026 10:00:30 GMT', now)).toEqual({ ms: 30_000 });
    expect(readRetryAfter(String(now / 1000 + 300), now)).toMatchObject({ ms: 300_000, note: expect.stringMatching(/epoch seconds rather than a delay; read as 2026-12-07T10:05:00\.000Z/) });
    expect(readRetryAfter(String(now + 5000), now)).toMatchObject({ ms: 5000, note: expect.stringMatching(/epoch milliseconds/) });
    expect(readRetryAfter('soon', now)).toBeUndefined();
  });

  it('shortens a long client id (a JWT of hundreds of characters) in messages', () => {
    const jwt = `eyJhbGciOiJIUzI1NiJ9.${'x'.repeat(600)}`;
    expect(shortId(jwt)).toBe('eyJhbGciOiJI…');
    expect(shortId('clinic-worklist')).toBe('clinic-worklist');
  });
});
