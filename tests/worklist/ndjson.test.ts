import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readLines } from '../../src/bulk/ndjson';

const dir = mkdtempSync(join(tmpdir(), 'jak-ndjson-'));
let n = 0;
const file = (content: string | Buffer, suffix = '.ndjson') => {
  const path = join(dir, `f${n++}${suffix}`);
  writeFileSync(path, content);
  return path;
};

async function collect(path: string, options: Parameters<typeof readLines>[2] = {}) {
  const lines: Array<[number, string]> = [];
  const tooLong: number[] = [];
  const count = await readLines(path, { line: (text, no) => void lines.push([no, text]), tooLong: (no) => void tooLong.push(no) }, options);
  return { lines, tooLong, count };
}

describe('reading NDJSON', () => {
  it('numbers lines from 1 counting blank ones, drops CRLF and a BOM', async () => {
    const { lines, count } = await collect(file('\uFEFF{"a":1}\r\n\r\n{"b":"é"}\n   \n{"c":3}'));
    expect(lines).toEqual([[1, '{"a":1}'], [3, '{"b":"é"}'], [5, '{"c":3}']]);
    expect(count).toBe(5);
  });

  it('reads gzip by its name and by its magic bytes', async () => {
    const text = '{"a":1}\n{"b":2}\n';
    expect((await collect(file(gzipSync(text), '.ndjson.gz'))).lines).toHaveLength(2);
    expect((await collect(file(gzipSync(text), '.ndjson'))).lines).toHaveLength(2);
  });

  it('reports a line longer than the limit and goes on', async () => {
    const { lines, tooLong } = await collect(file(`{"a":1}\n${'x'.repeat(5000)}\n{"b":2}\n`), { maxLineBytes: 1000 });
    expect(lines.map(([no]) => no)).toEqual([1, 3]);
    expect(tooLong).toEqual([2]);
  });

  it('hands over every complete line of a truncated gzip file, then fails', async () => {
    const whole = gzipSync(Array.from({ length: 2000 }, (_, i) => `{"i":${i},"pad":"${'y'.repeat(50)}"}`).join('\n'));
    const path = file(whole.subarray(0, Math.floor(whole.length / 2)), '.ndjson.gz');
    const seen: number[] = [];
    await expect(readLines(path, { line: (_, no) => void seen.push(no) })).rejects.toThrow();
    expect(seen.length).toBeGreaterThan(100);
    expect(seen).toEqual(seen.map((_, i) => i + 1));
  });

  it('byte ranges of a file (as two threads read it) give every line exactly once, whatever the cuts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.string({ maxLength: 30 }).map((s) => JSON.stringify({ s })), fc.constant(''), fc.constant('{"ü":"日本"}')), { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        async (rows, cutSeeds) => {
          const content = rows.join('\n');
          const path = file(content);
          const size = Buffer.byteLength(content);
          const cuts = [...new Set([0, ...cutSeeds.map((c) => (size ? c % size : 0)), size])].sort((a, b) => a - b);
          const whole = await collect(path);
          const pieces: string[] = [];
          for (let i = 0; i + 1 < cuts.length; i++) {
            const part = await collect(path, { range: { start: cuts[i]!, end: cuts[i + 1]! } });
            pieces.push(...part.lines.map(([, text]) => text));
          }
          expect(pieces).toEqual(whole.lines.map(([, text]) => text));
        },
      ),
      { numRuns: 150, seed: 11 },
    );
  });
});
