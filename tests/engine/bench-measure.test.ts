/**
 * The bench's measuring instruments: what counts as initial JavaScript, and how requests,
 * bytes and sequential pages are counted at the server. Wrong instruments would print
 * believable but false numbers in docs/development.md.
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { measurePageJs, total } from '../../src/bench/js-size';
import { WireMeter } from '../../src/bench/wire-meter';
import type { FhirFaultContext } from '../../src/sandbox/faults';

describe('initial JavaScript of a built page', () => {
  let root: string;
  afterEach(async () => rm(root, { recursive: true, force: true }));

  async function site(files: Record<string, string>): Promise<void> {
    root = await mkdtemp(join(tmpdir(), 'bench-js-'));
    for (const [path, content] of Object.entries(files)) {
      await mkdir(join(root, path, '..'), { recursive: true });
      await writeFile(join(root, path), content);
    }
  }

  it('counts the entry script and its modulepreloads as initial, and what they import lazily separately', async () => {
    const entry = 'import{a}from"./shared-1.js";const e=()=>import(`./engine-2.js`);'.repeat(20);
    await site({
      'index.html': '<script type="module" crossorigin src="/assets/app-0.js"></script><link rel="modulepreload" crossorigin href="/assets/shared-1.js"><link rel="stylesheet" href="/assets/app.css">',
      'assets/app-0.js': entry,
      'assets/shared-1.js': 'export const a=1;',
      'assets/engine-2.js': 'import{a}from"./shared-1.js";import{b}from"./codes-3.js";export const x=a+b;',
      'assets/codes-3.js': 'export const b=2;',
      'assets/launch-4.js': 'never loaded by index.html',
    });
    const js = await measurePageJs(root, 'index.html');
    expect(js.initial.map((c) => c.file).sort()).toEqual(['assets/app-0.js', 'assets/shared-1.js']);
    // The lazy chunk's own static import comes with it; the shared chunk is already loaded.
    expect(js.lazy.map((c) => c.file).sort()).toEqual(['assets/codes-3.js', 'assets/engine-2.js']);
    expect(total(js.initial, 'gzip')).toBe(gzipSync(entry).byteLength + gzipSync('export const a=1;').byteLength);
  });

  it('resolves asset URLs of a build served under a base path', async () => {
    await site({ 'index.html': '<script type="module" src="/naive/assets/app.js"></script>', 'assets/app.js': 'x' });
    const js = await measurePageJs(root, 'index.html', '/naive/');
    expect(js.initial).toEqual([{ file: 'assets/app.js', bytes: 1, gzip: gzipSync('x').byteLength }]);
  });
});

describe('wire meter', () => {
  function fakeResponse(): ServerResponse {
    const res = new EventEmitter() as EventEmitter & { write: (chunk: unknown) => boolean; end: (chunk?: unknown) => unknown };
    res.write = () => true;
    res.end = () => {
      res.emit('finish');
      return res;
    };
    return res as unknown as ServerResponse;
  }

  function context(target: string): FhirFaultContext {
    const [path, query = ''] = target.split('?') as [string, string?];
    return { method: 'GET', resourceType: path.split('/')[0]!, path: path.split('/'), query: new URLSearchParams(query) };
  }

  async function send(meter: WireMeter, target: string, body: string): Promise<void> {
    const res = fakeResponse();
    await meter.hook(context(target), {} as IncomingMessage, res);
    res.write(body.slice(0, 2));
    res.end(body.slice(2));
  }

  it('counts requests, body bytes and the longest run of pages of one search', async () => {
    const meter = new WireMeter(() => false);
    await send(meter, 'Patient/p1', '{"id":"p1"}');
    await send(meter, 'Condition?patient=p1&_count=50', 'ééé');
    await send(meter, 'Observation?patient=p1', 'a'.repeat(100));
    await send(meter, 'Observation?patient=p1&_count=50&_offset=50', 'a'.repeat(100));
    await send(meter, 'Observation?patient=p1&_count=50&_offset=100', 'a'.repeat(10));

    const summary = meter.summary();
    expect(summary.requests).toBe(5);
    expect(summary.bytes).toBe(11 + 6 + 210);
    expect(summary.roundTrips).toBe(3);
    // The first request had no _count; the next links carry the server's default.
    expect(summary.pagesPerSearch[0]).toEqual({ search: 'Observation?patient=p1', pages: 3 });
  });

  it('forgets earlier requests on reset, so each strategy is counted alone', async () => {
    const meter = new WireMeter(() => false);
    await send(meter, 'Observation?patient=p1', 'x');
    meter.reset();
    await send(meter, 'Condition?patient=p1', 'yy');
    expect(meter.summary()).toMatchObject({ requests: 1, bytes: 2, roundTrips: 1 });
  });

  it('lets the wrapped hook answer or delay the request', async () => {
    const meter = new WireMeter(async () => true);
    expect(await meter.hook(context('Patient/p1'), {} as IncomingMessage, fakeResponse())).toBe(true);
  });
});
