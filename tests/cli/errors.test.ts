import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, SAMPLES } from './run-cli';

const dir = mkdtempSync(join(tmpdir(), 'jak-cli-'));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const patient = (id: string) => ({ resource: { resourceType: 'Patient', id, gender: 'female', birthDate: '1990-01-01' } });
const SAMPLE = `${SAMPLES}/ipsviewer__12.json`;

const badInputs: Array<{ name: string; args: () => string[]; message: RegExp }> = [
  { name: 'no file', args: () => [], message: /no bundle file given/ },
  { name: 'a missing file', args: () => [join(dir, 'nope.json')], message: /cannot read bundle .*no such file/ },
  { name: 'not JSON', args: () => [file('text.json', 'hello, not json')], message: /is not valid JSON/ },
  { name: 'JSON but not a Bundle', args: () => [file('patient.json', JSON.stringify({ resourceType: 'Patient', id: 'x' }))], message: /not a FHIR Bundle \(it is a Patient resource\)/ },
  { name: 'a JSON array', args: () => [file('array.json', '[1,2]')], message: /not a FHIR Bundle/ },
  { name: 'a Bundle without a Patient', args: () => [file('nopatient.json', JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [] }))], message: /Patient/ },
  { name: 'several Patients without --patient', args: () => [file('two.json', JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [patient('a'), patient('b')] }))], message: /--patient/ },
  { name: 'an unknown --patient', args: () => [SAMPLE, '--patient', 'zzz'], message: /Patient zzz is not in the file/ },
  { name: 'an unknown therapy', args: () => [SAMPLE, '--therapy', 'tofacitinib'], message: /unknown therapy "tofacitinib"/ },
  { name: 'a bad --now', args: () => [SAMPLE, '--now', '27/11/2026'], message: /--now must be a date/ },
  { name: 'a bad --format', args: () => [SAMPLE, '--format', 'xml'], message: /--format must be json or text/ },
  { name: 'an unknown option', args: () => [SAMPLE, '--colour'], message: /unknown option --colour\b/ },
  { name: 'an unknown option with a value', args: () => [SAMPLE, '--colour=red', '--now', '2026-11-27'], message: /unknown option --colour\b/ },
  { name: 'an unknown short option', args: () => [SAMPLE, '-x'], message: /unknown option -x\b/ },
  { name: 'a known option without its value', args: () => [SAMPLE, '--now'], message: /--now needs a value/ },
  { name: 'a known option followed by another option', args: () => [SAMPLE, '--therapy', '--now', '2026-11-27'], message: /--therapy needs a value/ },
  { name: 'a site configuration with a wrong setting', args: () => [SAMPLE, '--config', file('bad-site.json', JSON.stringify({ windows: { cbc: 'ninety' } }))], message: /site configuration .*windows.cbc must be a number/ },
];

describe('the command line rejects bad input with one clear line and status 2', () => {
  it.each(badInputs)('$name', async ({ args, message }) => {
    const result = await runCli(args());
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^jak-readiness: /);
    expect(lines[0]).toMatch(message);
  }, 30_000);
});

describe('the command line', () => {
  it('picks one patient of several with --patient', async () => {
    const path = file('two-ok.json', JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [patient('a'), patient('b')] }));
    const result = await runCli([path, '--patient', 'b', '--now', '2026-11-27']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).patient).toMatchObject({ id: 'b', age: 36, sex: 'female' });
  }, 30_000);

  it('prints a readable text summary with --format text', async () => {
    const result = await runCli([`${SAMPLES}/smart-gsd-r4__ec6a274e-5090-45c9-b153-e40418f6fa3d.json`, '--now', '2021-02-19', '--therapy', 'abrocitinib', '--format', 'text']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^JAK inhibitor readiness: Abrocitinib \(Cibinqo\)/);
    expect(result.stdout).toMatch(/Do not start:\n- .*clopidogrel/i);
    expect(result.stdout).not.toMatch(/^\s*[{[]/);
  }, 30_000);

  it('is deterministic for a given --now', async () => {
    const args = [`${SAMPLES}/inferno-uscore__355.json`, '--now', '2021-11-19'];
    const [a, b] = await Promise.all([runCli(args), runCli(args)]);
    expect(a.stdout).toBe(b.stdout);
  }, 30_000);

  it('applies a site configuration file', async () => {
    const config = file('site.json', JSON.stringify({ windows: { pregnancyTest: 7 } }));
    const result = await runCli([`${SAMPLES}/ipsviewer__12.json`, '--now', '2017-11-25', '--config', config]);
    expect(JSON.parse(result.stdout).checklist.find((i: { id: string }) => i.id === 'pregnancy-test').window).toBe('P7D');
  }, 30_000);

  it('never says "needs a value" about an option it does not know', async () => {
    const result = await runCli([SAMPLE, '--colour']);
    expect(result.stderr).not.toMatch(/needs a value/);
  }, 30_000);
});

describe('--help', () => {
  it.each([['--help'], ['-h'], [SAMPLE, '--help'], ['worklist', '--help']])('%s prints the usage on stdout and exits 0', async (...args) => {
    const result = await runCli(args);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/jak-readiness <bundle\.json> \[options\]/);
    expect(result.stdout).toMatch(/jak-readiness worklist <folder>/);
    expect(result.stdout).toMatch(/--therapy <id>/);
  }, 30_000);
});

