import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import generated from '../../src/kb/generated/value-sets.json';
import searchCodes from '../../src/kb/generated/observation-search-codes.json';
import { observationSearchCodes } from '../../src/kb/observation-search';
import { conditions } from '../../src/kb/conditions';
import { labs } from '../../src/kb/labs';
import { CAUTION_RULES } from '../../src/kb/cautions';
import { CHECKLIST_ITEMS } from '../../src/kb/checklist-items';
import { THERAPIES } from '../../src/kb/therapies';
import * as drugs from '../../src/kb/drugs';
import { DEFAULT_CONFIG } from '../../src/engine/config';
import { INTERACTION_DOSE, OLDER_ADULT_DOSE, RENAL_DOSE } from '../../src/kb/dosing';
import { MONITORING_RULES } from '../../src/kb/monitoring';
import { ORDER_FOR_COMPONENT, ORDERABLE_SOURCE } from '../../src/kb/orderables';
import { CAUTION_IDS, CHECKLIST_IDS, THERAPY_IDS } from '../../src/contract/report';

const ROOT = resolve(import.meta.dirname, '../..');
const ICD = 'http://hl7.org/fhir/sid/icd-10-cm';
const SCT = 'http://snomed.info/sct';

describe('the shipped code lists', () => {
  it('keep each official list with its OID, version and source', () => {
    for (const [name, list] of Object.entries(generated.lists)) {
      if (name === 'non-melanoma-skin-cancer') continue; // derived, says so in its source
      expect(list.oid, name).toMatch(/^2\.16\.840\.1\./);
      expect(list.version, name).toMatch(/^\d{8}$/);
      expect(list.source, name).toMatch(/^VSAC .* via cqframework\//);
      expect(Object.values(list.codes).join(' ').length, name).toBeGreaterThan(0);
    }
  });

  it('classify the smoking codes the spec names, incl. former-smoker codes of the eCQM "non-user" set', () => {
    expect(generated.smokingStatus).toMatchObject({ '449868002': 'current', '428041000124106': 'current', '77176002': 'current', '8517006': 'former', '281018007': 'former', '266919005': 'never' });
  });

  it('keep zoster and drop chickenpox from the varicella-zoster set', () => {
    expect(conditions.herpesZoster.has({ system: ICD, code: 'B02.9' })).toBe(true);
    expect(conditions.herpesZoster.has({ system: ICD, code: 'B01.9' })).toBe(false);
    expect(conditions.herpesZoster.has({ system: SCT, code: '38907003' })).toBe(false); // Varicella
  });

  it('drop large-platelet observations from the platelet count set', () => {
    expect(labs.platelets.has({ system: 'http://loinc.org', code: '777-3' })).toBe(true);
    expect(labs.platelets.has({ system: 'http://loinc.org', code: '34167-7' })).toBe(false);
  });

  it('exclude non-melanoma skin cancer and uncertain-behaviour neoplasms from malignancy', () => {
    for (const code of ['C44.91', 'C44.319', 'D48.5', 'D47.Z9', 'Z85.828']) expect(conditions.malignancy.has({ system: ICD, code }), code).toBe(false);
    for (const code of ['C18.9', 'C43.9', 'C34.90', 'Z85.038', 'C85.90']) expect(conditions.malignancy.has({ system: ICD, code }), code).toBe(true);
    expect(conditions.malignancy.has({ system: SCT, code: '254701007' })).toBe(false);
  });

  it('search the server with the codes the rules read (generated file is current)', () => {
    expect(searchCodes).toEqual(observationSearchCodes());
    expect(searchCodes.labs).toContain('http://loinc.org|751-8');
    expect(searchCodes.status).toContain('http://loinc.org|72166-2');
  });
});

describe('rules as data, each with its source', () => {
  it('has a rule with a source for every checklist item and caution of the contract', () => {
    for (const id of CHECKLIST_IDS) expect(CHECKLIST_ITEMS[id].source.length, id).toBeGreaterThan(20);
    for (const id of CAUTION_IDS) expect(CAUTION_RULES[id].source.length, id).toBeGreaterThan(5);
    for (const id of THERAPY_IDS) expect(THERAPIES[id].source.length, id).toBeGreaterThan(5);
  });

  it('names every curated drug by ingredient, with brands where they exist', () => {
    const classes = Object.values(drugs).filter((v): v is drugs.DrugClass => typeof v === 'object' && v !== null && 'drugs' in v);
    expect(classes.length).toBeGreaterThanOrEqual(12);
    for (const c of classes) {
      expect(c.source.length, c.id).toBeGreaterThan(10);
      for (const d of c.drugs) expect(d.ingredient).toMatch(/^[a-z][a-z -]+$/);
    }
  });
});

describe('revision 2 knowledge: dose advice, monitoring, orders, delivery codes', () => {
  it('gives every dose advice a label and section, and never a dose without one', () => {
    const advice = (['US', 'EU'] as const).flatMap((region) => [
      ...Object.values(RENAL_DOSE[region]).flatMap((tier) => Object.values(tier)),
      ...Object.values(OLDER_ADULT_DOSE[region]),
      ...Object.values(INTERACTION_DOSE[region]),
    ]);
    expect(advice.length).toBeGreaterThanOrEqual(10);
    for (const a of advice) {
      // The label and section in clinic words (R3.8): "Rinvoq label (US), section 2".
      expect(a!.source, a!.advice).toMatch(/(label \(US\)|product information \(EU\)),? (and )?section \d/);
      expect(a!.advice, a!.source).toMatch(/\d+ mg|halve the dose/);
    }
  });

  it('dates every monitoring rule from the site settings with the label\'s numbers as defaults, each with a source', () => {
    for (const [agent, rules] of Object.entries(MONITORING_RULES)) {
      for (const r of rules) {
        expect(r.source.length, agent).toBeGreaterThan(20);
        expect((r.atWeeks ?? r.everyWeeks)!(DEFAULT_CONFIG), `${agent} ${r.test}`).toBeGreaterThan(0);
      }
    }
    expect(MONITORING_RULES.abrocitinib.map((r) => [r.test, r.atWeeks?.(DEFAULT_CONFIG)])).toEqual([['cbc', 4], ['lipid-panel', 4]]);
  });

  it('orders each missing checklist component by a LOINC code', () => {
    for (const [name, order] of Object.entries(ORDER_FOR_COMPONENT)) {
      expect(order.system, name).toBe('http://loinc.org');
      expect(order.code, name).toMatch(/^\d{1,6}-\d$/);
    }
    expect(ORDERABLE_SOURCE).toMatch(/57021-8/);
  });

  it('ends a pregnancy with delivery codes and never counts them as a pregnancy', () => {
    for (const code of ['O80', 'O82', 'Z37.0', 'Z39.2']) {
      expect(conditions.pregnancyEnded.has({ system: ICD, code }), code).toBe(true);
      expect(conditions.pregnancy.has({ system: ICD, code }), code).toBe(false);
    }
    expect(conditions.pregnancy.has({ system: ICD, code: 'O21.0' })).toBe(true);
    expect(conditions.delivery.has({ system: SCT, code: '11466000' })).toBe(true);
  });

  it('reads HCV RNA, HBV DNA, IgM anti-HBc, anti-HBs, quantitative hCG and body weight by the codes labs send', () => {
    const loinc = (concept: keyof typeof labs, code: string) => labs[concept].has({ system: 'http://loinc.org', code });
    for (const code of ['11011-4', '38180-6', '11259-9']) expect(loinc('hcvRna', code), code).toBe(true);
    for (const code of ['42595-9', '29615-2', '5007-0']) expect(loinc('hbvDna', code), code).toBe(true);
    for (const code of ['24113-3', '31204-1']) expect(loinc('antiHbcIgm', code), code).toBe(true);
    for (const code of ['22322-2', '16935-9']) expect(loinc('antiHbs', code), code).toBe(true);
    for (const code of ['19080-1', '21198-7']) expect(loinc('hcg', code), code).toBe(true);
    for (const code of ['29463-7', '3141-9']) expect(loinc('bodyWeight', code), code).toBe(true);
    // Weight is read within a window, so it is searched with the date floor, not as a status.
    expect(searchCodes.vitals).toContain('http://loinc.org|29463-7');
    expect(searchCodes.status).not.toContain('http://loinc.org|29463-7');
    expect(searchCodes.labs).toContain('http://loinc.org|24113-3');
  });
});

describe('site configuration', () => {
  it('documents every setting in docs/clinical.md', () => {
    const docs = readFileSync(resolve(ROOT, 'docs', 'clinical.md'), 'utf8');
    const keys = Object.entries(DEFAULT_CONFIG).flatMap(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v).map((sub) => `${k}.${sub}`) : [k]));
    expect(keys.filter((k) => !docs.includes(`\`${k}\``))).toEqual([]);
  });
});

describe('docs/clinical.md (R3.7)', () => {
  it('documents the labelRegion setting and every rule that differs by region', async () => {
    const { REGION_RULES } = await import('../../src/kb/regions');
    const doc = readFileSync(resolve(ROOT, 'docs/clinical.md'), 'utf8');
    expect(doc).toMatch(/`labelRegion`/);
    for (const rule of REGION_RULES) expect(doc, rule.title).toContain(rule.title);
    for (const verdict of ['not-approved', 'do-not-start', 'unknown', 'needs-work', 'ready']) expect(doc).toContain(`| \`${verdict}\` |`);
  });
});
