/**
 * Labels by region (clinical/spec.md R3.7): every rule that differs between the US and the EU
 * labels, run in both regions on the same named patient; and the region-independent R3.7 rules
 * (LDL, zoster vaccine in pregnancy, creams' limits, upadacitinib's dose cap) in both directions.
 */
import { describe, expect, it } from 'vitest';
import type { AgentId, ReadinessReport, TherapyId } from '../../../src/contract/report';
import { REGION_RULES } from '../../../src/kb/regions';
import { INDICATIONS } from '../../../src/kb/indications';
import { POSITIVE, cautionOf, lab, medication, observation, patient, readyForEveryAgent, reportFor } from './builders';

type Json = Record<string, unknown>;
type Region = 'US' | 'EU';
const without = (resources: Json[], ...codes: string[]) => resources.filter((r) => !codes.some((c) => JSON.stringify(r).includes(`"code":"${c}"`)));
const verdict = (report: ReadinessReport, agent: AgentId) => report.byAgent.find((v) => v.therapy === agent)!;

interface RegionRow {
  rule: string;
  scenario: string;
  resources: Json[];
  therapy?: TherapyId;
  check: Record<Region, (report: ReadinessReport) => void>;
}

const rows: RegionRow[] = [
  {
    rule: 'abrocitinib-start-thresholds', scenario: 'ANC 1,100/µL', therapy: 'abrocitinib', resources: [...without(readyForEveryAgent(), '751-8'), lab.anc(1.1)],
    check: {
      US: (r) => { expect(cautionOf(r, 'cytopenia')).toBeUndefined(); expect(verdict(r, 'abrocitinib').verdict).toBe('ready'); },
      EU: (r) => { expect(cautionOf(r, 'cytopenia')).toMatchObject({ severity: 'do-not-start', text: expect.stringMatching(/below 1,200\/µL/) }); expect(verdict(r, 'upadacitinib').verdict).toBe('ready'); },
    },
  },
  {
    rule: 'abrocitinib-start-thresholds', scenario: 'hemoglobin 9.5 g/dL', therapy: 'abrocitinib', resources: [...without(readyForEveryAgent(), '718-7'), lab.hemoglobin(9.5)],
    check: {
      US: (r) => expect(verdict(r, 'abrocitinib').verdict).toBe('ready'),
      EU: (r) => { expect(verdict(r, 'abrocitinib')).toMatchObject({ verdict: 'do-not-start', reasons: ['Hemoglobin 9.5 g/dL'] }); expect(verdict(r, 'baricitinib').verdict).toBe('ready'); },
    },
  },
  {
    rule: 'upadacitinib-adolescent-weight', scenario: 'a 14-year-old weighing 35 kg', therapy: 'upadacitinib', resources: [patient({ age: 14 }), ...readyForEveryAgent(), lab.weight(35)],
    check: {
      US: (r) => expect(cautionOf(r, 'weight-eligibility')).toMatchObject({ severity: 'do-not-start', text: expect.stringMatching(/below 40 kg/) }),
      EU: (r) => expect(cautionOf(r, 'weight-eligibility')).toBeUndefined(),
    },
  },
  {
    rule: 'ema-2023-restriction', scenario: 'a 70-year-old former smoker', therapy: 'upadacitinib', resources: [patient({ age: 70 }), ...readyForEveryAgent(), lab.smoking('8517006', 'Ex-smoker')],
    check: {
      US: (r) => { expect(cautionOf(r, 'older-adult')!.text).not.toMatch(/no suitable alternative/); expect(cautionOf(r, 'smoking')!.text).not.toMatch(/EU/); },
      EU: (r) => { expect(cautionOf(r, 'older-adult')!.text).toMatch(/EU: use only if no suitable alternative/); expect(cautionOf(r, 'smoking')!.source).toMatch(/EMA 2023/); },
    },
  },
  {
    rule: 'upadacitinib-cyp3a4-inducer', scenario: 'on rifampin', therapy: 'upadacitinib', resources: [...readyForEveryAgent(), medication('rifampin 300 MG Oral Capsule')],
    check: {
      US: (r) => expect(cautionOf(r, 'drug-interaction')).toMatchObject({ severity: 'do-not-start', labelWording: 'not recommended', source: expect.stringMatching(/Rinvoq label \(US\), section 7/) }),
      EU: (r) => expect(cautionOf(r, 'drug-interaction')).toMatchObject({ severity: 'warning', source: expect.stringMatching(/Rinvoq product information \(EU\)/) }),
    },
  },
  {
    rule: 'abrocitinib-renal', scenario: 'eGFR 25', therapy: 'abrocitinib', resources: [...readyForEveryAgent(), lab.egfr(25)],
    check: {
      US: (r) => { expect(cautionOf(r, 'renal-impairment')).toMatchObject({ severity: 'do-not-start', labelWording: 'not recommended' }); expect(r.dosing.filter((d) => d.therapy === 'abrocitinib')).toEqual([]); },
      EU: (r) => { expect(cautionOf(r, 'renal-impairment')!.severity).toBe('warning'); expect(r.dosing.find((d) => d.therapy === 'abrocitinib')!.advice).toMatch(/start 50 mg, maximum 100 mg/); },
    },
  },
  {
    rule: 'indication', scenario: 'baricitinib and ruxolitinib cream for atopic dermatitis', resources: readyForEveryAgent(),
    check: {
      US: (r) => { expect(verdict(r, 'baricitinib')).toMatchObject({ verdict: 'not-approved', reasons: ['Not approved for atopic dermatitis (US)'] }); expect(verdict(r, 'ruxolitinib-cream').verdict).toBe('ready'); },
      EU: (r) => { expect(verdict(r, 'baricitinib').verdict).toBe('ready'); expect(verdict(r, 'ruxolitinib-cream')).toMatchObject({ verdict: 'not-approved', reasons: ['Not approved for atopic dermatitis (EU)'] }); },
    },
  },
  {
    rule: 'prior-systemic-therapy', scenario: 'no prior systemic therapy', resources: without(readyForEveryAgent(), '__none__').filter((r) => !JSON.stringify(r).includes('Dupixent')),
    check: {
      US: (r) => { expect(verdict(r, 'abrocitinib').verdict).toBe('needs-work'); expect(r.todo.some((t) => t.audience === 'prescriber')).toBe(true); },
      EU: (r) => { expect(verdict(r, 'abrocitinib').verdict).toBe('ready'); expect(r.todo.some((t) => t.audience === 'prescriber')).toBe(false); },
    },
  },
  {
    rule: 'older-adult-dose', scenario: 'a 70-year-old: abrocitinib and baricitinib doses are EU advice only', resources: [patient({ age: 70 })],
    check: {
      US: (r) => expect(r.dosing.filter((d) => d.trigger === 'age').map((d) => d.therapy)).toEqual(['upadacitinib']),
      EU: (r) => expect(r.dosing.filter((d) => d.trigger === 'age').map((d) => d.therapy).sort()).toEqual(['abrocitinib', 'baricitinib', 'upadacitinib']),
    },
  },
  {
    rule: 'application-limits', scenario: 'the creams\' limits', resources: [],
    check: {
      US: (r) => {
        expect(r.dosing.find((d) => d.therapy === 'ruxolitinib-cream')!.advice).toMatch(/20% of the body surface.*60 g a week/);
        expect(r.dosing.find((d) => d.therapy === 'delgocitinib-cream')!.advice).toMatch(/^hands and wrists only.*30 g per 2 weeks/);
      },
      EU: (r) => {
        expect(r.dosing.find((d) => d.therapy === 'ruxolitinib-cream')).toBeUndefined();
        expect(r.dosing.find((d) => d.therapy === 'delgocitinib-cream')!.advice).toBe('hands and wrists only, twice daily');
      },
    },
  },
];

describe('rules that differ by label region, each in both regions', () => {
  const cases = rows.flatMap((row) => (['US', 'EU'] as const).map((region) => ({ ...row, region })));
  it.each(cases)('$rule — $scenario ($region)', (row) => {
    row.check[row.region](reportFor(row.resources, { ...(row.therapy ? { therapy: row.therapy } : {}), region: row.region }));
  });

  it('every region rule of the knowledge base has a row here, and both regions cite a source', () => {
    for (const rule of REGION_RULES) {
      expect(rows.some((r) => r.rule === rule.id), rule.id).toBe(true);
      expect(rule.byRegion.US.source).toMatch(/\(US\)|US labels/);
      expect(rule.byRegion.EU.source).toMatch(/\(EU\)|EMA/);
    }
    for (const rule of Object.values(INDICATIONS)) {
      expect(rule.byRegion.US.source).toMatch(/label \(US\), section 1/);
      expect(rule.byRegion.EU.source).toMatch(/product information \(EU\), section 4\.1/);
    }
  });

  it.each([
    ['cytopenia', [lab.anc(0.8)]],
    ['pregnancy', [lab.hcg(POSITIVE, 2)]],
    ['latent-tuberculosis', [lab.igra(POSITIVE, 5)]],
  ] as const)('%s cites the labels of the region it applies (US label / EU product information), with their pages', (id, extra) => {
    const resources = [...without(readyForEveryAgent(), '751-8', '71773-6'), ...(id === 'cytopenia' ? [] : [lab.anc()]), ...(id === 'latent-tuberculosis' ? [] : [lab.igra()]), ...extra];
    const us = cautionOf(reportFor(resources, { therapy: 'abrocitinib' }), id)!;
    const eu = cautionOf(reportFor(resources, { therapy: 'abrocitinib', region: 'EU' }), id)!;
    expect(us.source).toMatch(/label \(US\)/);
    expect(us.source).not.toMatch(/Cibinqo product information \(EU\), section 4\.2/);
    expect(eu.source).toMatch(/^(Article \([^)]*\); )?Cibinqo product information \(EU\), section 4\.\d/);
    expect(eu.source).not.toMatch(/label \(US\)/);
    expect(eu.links!.every((l) => l.url.startsWith('https://www.ema.europa.eu/'))).toBe(true);
  });

  it('the blood count item cites the thresholds of the region', () => {
    expect(reportFor([], { therapy: 'abrocitinib' }).checklist.find((i) => i.id === 'cbc')!.source).toMatch(/Cibinqo label \(US\), section 2\.1.*ANC below 1,000/);
    expect(reportFor([], { therapy: 'abrocitinib', region: 'EU' }).checklist.find((i) => i.id === 'cbc')!.source).toMatch(/Cibinqo product information \(EU\), section 4\.2 .*ANC below 1,200/);
  });

  it('US mode never shows EU-only advice as if it applied', () => {
    const report = reportFor([patient({ age: 70 }), lab.egfr(45), medication('probenecid 500 MG Oral Tablet')]);
    const text = JSON.stringify([report.cautions.map((c) => c.text), report.dosing.map((d) => d.advice), report.todo.map((t) => t.text)]);
    expect(text).not.toMatch(/\(EU\)|halve the dose \(100 mg or 50 mg|2 mg once daily/);
  });
});

describe('R3.7 rules that hold in both regions', () => {
  it.each(['US', 'EU'] as const)('LDL cholesterol 262 mg/dL at 29 raises cardiovascular-risk (%s); 150 mg/dL does not', (region) => {
    const high = reportFor([patient({ age: 29 }), ...without(readyForEveryAgent(), '18262-6'), lab.ldl(262)], { therapy: 'upadacitinib', region });
    expect(cautionOf(high, 'cardiovascular-risk')).toMatchObject({ severity: 'warning', short: 'LDL cholesterol 262 mg/dL' });
    const normal = reportFor([patient({ age: 29 }), ...without(readyForEveryAgent(), '18262-6'), lab.ldl(150)], { therapy: 'upadacitinib', region });
    expect(cautionOf(normal, 'cardiovascular-risk')).toBeUndefined();
  });

  it('LDL cholesterol 5.2 mmol/L counts; 4.5 mmol/L does not', () => {
    const ldl = (v: number) => observation('18262-6', 'LDL', { valueQuantity: { value: v, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' } }, 30);
    expect(cautionOf(reportFor([...without(readyForEveryAgent(), '18262-6'), ldl(5.2)]), 'cardiovascular-risk')).toBeDefined();
    expect(cautionOf(reportFor([...without(readyForEveryAgent(), '18262-6'), ldl(4.5)]), 'cardiovascular-risk')).toBeUndefined();
  });

  it('pregnant, no zoster vaccine: defer it, never suggest it; not pregnant: give it', () => {
    const unvaccinated = without(readyForEveryAgent(), '187');
    const pregnant = reportFor([patient({ age: 29 }), ...unvaccinated, lab.hcg(POSITIVE, 3)], { therapy: 'upadacitinib' });
    expect(pregnant.todo.filter((t) => t.kind === 'vaccinate')).toEqual([]);
    expect(pregnant.todo.map((t) => t.text)).toContain('Defer the recombinant zoster vaccine (Shingrix) until after the pregnancy');
    const notPregnant = reportFor([patient({ age: 29 }), ...unvaccinated], { therapy: 'upadacitinib' });
    expect(notPregnant.todo.filter((t) => t.kind === 'vaccinate').map((t) => t.text)).toEqual(['Give the recombinant zoster vaccine (Shingrix), dose 1 of 2']);
  });

  it.each(['US', 'EU'] as const)('upadacitinib capped at 15 mg reads "do not increase to 30 mg" (%s), and nothing caps it for a healthy 34-year-old', (region) => {
    const capped = reportFor([medication('clarithromycin 500 MG Oral Tablet')], { region });
    expect(capped.dosing.find((d) => d.therapy === 'upadacitinib')!.advice).toBe('15 mg once daily; do not increase to 30 mg');
    expect(reportFor([], { region }).dosing.filter((d) => d.therapy === 'upadacitinib')).toEqual([]);
  });
});
