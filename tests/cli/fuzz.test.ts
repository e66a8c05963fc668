/**
 * Fuzzing the command line: any file content either yields a report or one clear UsageError
 * (status 2), never a crash. In-process for volume, plus a few real processes for the exit code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runAssess, UsageError } from '../../src/cli/run';
import { runCli } from './run-cli';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const entry = fc.oneof(
  fc.record({ resource: fc.oneof(fc.constant({ resourceType: 'Patient', id: 'p' }), fc.jsonValue(), fc.record({ resourceType: fc.constantFrom('Observation', 'Condition', 'Patient', 'Bundle', 'Immunization'), id: fc.oneof(fc.string(), fc.integer()) })) }, { requiredKeys: [] }),
  fc.jsonValue(),
);
const bundleLike = fc.record({ resourceType: fc.oneof(fc.constant('Bundle'), fc.string()), type: fc.oneof(fc.constantFrom('collection', 'document', 'searchset', 'transaction'), fc.jsonValue()), entry: fc.oneof(fc.array(entry, { maxLength: 6 }), fc.jsonValue()) }, { requiredKeys: [] });
const fileText = fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v)), bundleLike.map((b) => JSON.stringify(b)), fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('latin1')));

describe('command line fuzz', () => {
  it('answers any file with a report or one usage error', () => {
    fc.assert(
      fc.property(fileText, (text) => {
        try {
          const out = runAssess(['f.json', '--now', '2026-11-27'], { readFile: () => text, today: () => '2026-11-27' });
          expect(JSON.parse(out).checklist).toHaveLength(8);
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
          expect((error as Error).message.length).toBeGreaterThan(5);
        }
      }),
      { numRuns: 1500, seed: 42 },
    );
  });

  it('exits 2 with one stderr line for random bytes in a real process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jak-fuzz-'));
    const files = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 200 }), { numRuns: 4, seed: 3 }).map((bytes, i) => {
      const path = join(dir, `random-${i}.json`);
      writeFileSync(path, Buffer.from(bytes));
      return path;
    });
    for (const path of files) {
      const result = await runCli([path]);
      expect(result.code).toBe(2);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  }, 60_000);
});
