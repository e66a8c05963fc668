/**
 * The clinical review's cases (issue "Clinical revision 2"), each built as a FHIR bundle and run
 * through the real command line, as an integrator would: they must give the revised answers.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReadinessReport } from '../../src/contract/report';
import { NOW, NEGATIVE, POSITIVE, condition, flagged, lab, patient, qty, resultText } from '../engine/assess/builders';
import { runCli, type CliResult } from './run-cli';

type Json = Record<string, unknown>;
const bundle = (resources: Json[]) => ({ resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) });

interface Case { name: string; therapy?: string; resources: Json[]; check: (r: ReadinessReport, text: string) => void }

const item = (r: ReadinessReport, id: string) => r.checklist.find((i) => i.id === id)!;
const caution = (r: ReadinessReport, id: string) => r.cautions.find((c) => c.id === id);

const cases: Case[] = [
  {
    name: 'HCV antibody reactive, HCV RNA 25 IU/mL flagged N: active hepatitis C, do not start',
    resources: [patient(), lab.hcvAb(resultText('Reactive')), lab.hcvRna(flagged(qty(25, '[IU]/mL'), 'N'))],
    check: (r, text) => {
      expect(item(r, 'hepatitis-c').status).toBe('abnormal');
      expect(item(r, 'hepatitis-c').detail).toMatch(/Active HCV/);
      expect(caution(r, 'viral-hepatitis')?.severity).toBe('do-not-start');
      expect(text).not.toMatch(/past infection/);
    },
  },
  {
    name: 'HCV RNA 850,000 IU/mL: the checklist and the caution agree',
    resources: [patient(), lab.hcvRna(qty(850000, '[IU]/mL'))],
    check: (r) => {
      expect(item(r, 'hepatitis-c').status).toBe('abnormal');
      expect(caution(r, 'viral-hepatitis')?.severity).toBe('do-not-start');
    },
  },
  {
    name: 'a positive urine hCG 35 days ago: pregnant, do not start, no "still needed: pregnancy test"',
    resources: [patient(), lab.hcg(POSITIVE, 35)],
    check: (r, text) => {
      expect(item(r, 'pregnancy-test').status).toBe('abnormal');
      expect(item(r, 'pregnancy-test').missing).toBeUndefined();
      expect(caution(r, 'pregnancy')?.severity).toBe('do-not-start');
      expect(text).not.toMatch(/still needed: Pregnancy test/);
    },
  },
  {
    name: 'a full-term delivery 3 weeks ago: no pregnancy caution, ask about breastfeeding',
    resources: [patient(), condition('icd10', 'O80', 'Encounter for full-term uncomplicated delivery', { onsetDays: 21 })],
    check: (r) => {
      expect(caution(r, 'pregnancy')).toBeUndefined();
      expect(caution(r, 'breastfeeding')).toMatchObject({ severity: 'info' });
      expect(r.todo.map((t) => t.text)).toContain('Ask about breastfeeding');
    },
  },
  {
    name: 'IGRA positive 14 months ago, negative now: TB history raised',
    resources: [patient(), lab.igra(POSITIVE, 425), lab.igra(NEGATIVE, 20)],
    check: (r) => {
      expect(caution(r, 'tuberculosis-history')?.severity).toBe('warning');
      expect(r.todo.map((t) => t.text)).toContain('Confirm latent-TB treatment was completed');
    },
  },
  {
    name: 'a resolved past active TB: TB history raised',
    resources: [patient(), condition('icd10', 'A15.0', 'Tuberculosis of lung', { clinical: 'resolved', onsetDays: 3000, abatementDays: 2800 })],
    check: (r) => expect(caution(r, 'tuberculosis-history')?.severity).toBe('warning'),
  },
  {
    name: 'eGFR 12 with no ESRD code, upadacitinib: do not start',
    therapy: 'upadacitinib',
    resources: [patient(), lab.egfr(12)],
    check: (r) => {
      expect(caution(r, 'renal-impairment')).toMatchObject({ severity: 'do-not-start', labelWording: 'not recommended' });
      expect(r.byAgent.find((v) => v.therapy === 'upadacitinib')).toMatchObject({ verdict: 'do-not-start', reasons: ['eGFR 12'] });
    },
  },
  {
    name: 'a 13-year-old of 32 kg on upadacitinib: do not start, never "nothing open"',
    therapy: 'upadacitinib',
    resources: [patient({ age: 13 }), lab.weight(32)],
    check: (r, text) => {
      expect(caution(r, 'weight-eligibility')?.severity).toBe('do-not-start');
      expect(text).not.toMatch(/No open baseline items or cautions/);
    },
  },
];

let dir: string;
const results = new Map<string, { json: CliResult; text: CliResult }>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jak-r2-'));
  // Every case runs as its own process, all at once: the command line as an integrator calls it.
  await Promise.all(cases.map(async (c, i) => {
    const file = join(dir, `case-${i}.json`);
    writeFileSync(file, JSON.stringify(bundle(c.resources)));
    const args = [file, '--now', NOW, ...(c.therapy ? ['--therapy', c.therapy] : [])];
    const [json, text] = await Promise.all([runCli(args), runCli([...args, '--format', 'text'])]);
    results.set(c.name, { json, text });
  }));
}, 120_000);

describe('the clinical review cases through the command line', () => {
  it.each(cases)('$name', (c) => {
    const { json, text } = results.get(c.name)!;
    expect(json.code, json.stderr).toBe(0);
    expect(text.code, text.stderr).toBe(0);
    c.check(JSON.parse(json.stdout) as ReadinessReport, text.stdout);
  });

  it('the text format reads verdict per agent, to-do, cautions with their source, then the checklist', () => {
    const { text } = results.get(cases[0]!.name)!;
    const at = (heading: string) => text.stdout.indexOf(heading);
    expect(at('Verdict per agent:')).toBeGreaterThan(0);
    expect(at('Verdict per agent:')).toBeLessThan(at('To do:'));
    expect(at('To do:')).toBeLessThan(at('Cautions:'));
    expect(at('Cautions:')).toBeLessThan(at('Baseline checklist:'));
    expect(text.stdout).toMatch(/- ✗ Abrocitinib: Do not start \(HCV RNA detected\)/);
    expect(text.stdout).toMatch(/Viral hepatitis: HCV RNA detected .*Source: Rinvoq label \(US\), section 2\.1/);
  });
});
