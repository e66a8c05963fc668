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

describe('site configuration', () => {
  it('documents every setting in the README', () => {
    const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
    const keys = Object.entries(DEFAULT_CONFIG).flatMap(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v).map((sub) => `${k}.${sub}`) : [k]));
    expect(keys.filter((k) => !readme.includes(`\`${k}\``))).toEqual([]);
  });
});
