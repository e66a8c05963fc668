import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Bundle, Condition, Immunization, MedicationRequest, Observation, Patient, Resource } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { buildScenarios, HEAVY_RECORD_ID } from '../../src/sandbox/scenarios';
import { sampleChart } from '../../src/sandbox/scenarios/samples';

const TODAY = new Date(2025, 2, 10); // 10 March 2025, local time
const DAY = 86_400_000;
const scenarios = buildScenarios(TODAY);

function chart(id: string) {
  const scenario = scenarios.find((s) => s.id === id);
  if (!scenario) throw new Error(`no scenario ${id}`);
  const of = <T extends Resource>(type: T['resourceType']) => scenario.resources.filter((r): r is T => r.resourceType === type);
  return {
    patient: of<Patient>('Patient')[0]!,
    observations: of<Observation>('Observation'),
    conditions: of<Condition>('Condition'),
    medications: of<MedicationRequest>('MedicationRequest'),
    immunizations: of<Immunization>('Immunization'),
  };
}

/** Whole days between a FHIR date(Time) and TODAY's calendar date. */
function daysAgo(date: string | undefined): number {
  const [y, m, d] = (date ?? '').slice(0, 10).split('-').map(Number) as [number, number, number];
  return Math.round((Date.UTC(TODAY.getFullYear(), TODAY.getMonth(), TODAY.getDate()) - Date.UTC(y, m - 1, d)) / DAY);
}

function ageOn(birthDate: string | undefined): number {
  const [y, m, d] = (birthDate ?? '').split('-').map(Number) as [number, number, number];
  const beforeBirthday = TODAY.getMonth() + 1 < m || (TODAY.getMonth() + 1 === m && TODAY.getDate() < d);
  return TODAY.getFullYear() - y - (beforeBirthday ? 1 : 0);
}

const byLoinc = (obs: Observation[], code: string) => obs.filter((o) => o.code.coding?.some((c) => c.system === 'http://loinc.org' && c.code === code));

describe('scenario catalogue', () => {
  it('has stable, unique ids and titles, and every resource id is unique', () => {
    const ids = scenarios.map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining([
      'scn-ready', 'scn-labs-missing', 'scn-labs-outdated', 'scn-cbc-no-diff', 'scn-low-neutrophils', 'scn-igra-positive',
      'scn-hbv-core-positive', 'scn-pregnant', 'scn-dvt-history', 'scn-smoker-hypertension', 'scn-clopidogrel',
      'scn-dupilumab', 'scn-live-vaccine', 'scn-adolescent', 'scn-on-upadacitinib', 'scn-older-adult', HEAVY_RECORD_ID,
    ]));
    expect(new Set(ids).size).toBe(ids.length);
    expect(scenarios.every((s) => s.title.length > 5)).toBe(true);
    const all = scenarios.flatMap((s) => s.resources.map((r) => `${r.resourceType}/${r.id}`));
    expect(new Set(all).size).toBe(all.length);
    expect(buildScenarios(TODAY).map((s) => s.id)).toEqual(ids);
  });

  it('points every clinical resource at its own patient', () => {
    for (const s of scenarios) {
      for (const r of s.resources) {
        if (r.resourceType === 'Patient') continue;
        const ref = (r as { subject?: { reference?: string }; patient?: { reference?: string } }).subject?.reference
          ?? (r as { patient?: { reference?: string } }).patient?.reference;
        expect(ref).toBe(`Patient/${s.id}`);
      }
    }
  });

  it('uses UCUM quantities', () => {
    const quantities = scenarios
      .flatMap((s) => s.resources)
      .filter((r): r is Observation => r.resourceType === 'Observation')
      .flatMap((o) => (o.valueQuantity ? [o.valueQuantity] : []));
    expect(quantities.length).toBeGreaterThan(100);
    expect(quantities.every((q) => q.system === 'http://unitsofmeasure.org' && typeof q.code === 'string')).toBe(true);
  });
});

describe('ready to start', () => {
  const c = chart('scn-ready');
  it('has every baseline lab, recent and normal', () => {
    for (const code of ['751-8', '731-0', '718-7', '777-3', '1742-6', '1920-8', '2093-3', '13457-7', '2085-9', '2571-8']) {
      const [obs] = byLoinc(c.observations, code);
      expect(obs, code).toBeDefined();
      expect(daysAgo(obs!.effectiveDateTime)).toBeLessThanOrEqual(30);
      expect(obs!.interpretation?.[0]?.coding?.[0]?.code).toBe('N');
    }
    for (const code of ['71773-6', '5196-1', '16933-4', '13955-0', '2106-3']) {
      const [obs] = byLoinc(c.observations, code);
      expect(obs?.valueCodeableConcept?.coding?.[0]).toMatchObject({ system: 'http://snomed.info/sct', code: '260385009' });
    }
    expect(daysAgo(byLoinc(c.observations, '2106-3')[0]?.effectiveDateTime)).toBeLessThanOrEqual(7);
  });

  it('is a woman of child-bearing age with atopic dermatitis and two recombinant zoster doses 28+ days apart', () => {
    expect(c.patient.gender).toBe('female');
    expect(ageOn(c.patient.birthDate)).toBe(34);
    expect(c.conditions.some((x) => x.code?.coding?.some((k) => k.code === '24079001'))).toBe(true);
    const doses = c.immunizations.filter((i) => i.vaccineCode.coding?.[0]?.code === '187').map((i) => daysAgo(i.occurrenceDateTime));
    expect(doses).toHaveLength(2);
    expect(Math.abs(doses[0]! - doses[1]!)).toBeGreaterThanOrEqual(28);
  });
});

describe('one change per scenario', () => {
  it('low neutrophils: ANC is 800 /uL', () => {
    const [anc] = byLoinc(chart('scn-low-neutrophils').observations, '751-8');
    expect(anc?.valueQuantity).toMatchObject({ value: 800, code: '/uL', system: 'http://unitsofmeasure.org' });
  });

  it('labs outdated: the same work-up over a year old', () => {
    const labs = byLoinc(chart('scn-labs-outdated').observations, '718-7');
    expect(labs).toHaveLength(1);
    expect(daysAgo(labs[0]!.effectiveDateTime)).toBe(380);
  });

  it('labs missing: no laboratory results', () => {
    expect(chart('scn-labs-missing').observations).toHaveLength(0);
  });

  it('CBC without differential: no ANC, ALC or % differential', () => {
    const obs = chart('scn-cbc-no-diff').observations;
    for (const code of ['751-8', '731-0', '770-8', '736-9']) expect(byLoinc(obs, code)).toHaveLength(0);
    expect(byLoinc(obs, '718-7')).toHaveLength(1);
  });

  it('positive IGRA, in SI units', () => {
    const obs = chart('scn-igra-positive').observations;
    expect(byLoinc(obs, '71773-6')[0]?.valueCodeableConcept?.coding?.[0]?.code).toBe('10828004');
    expect(byLoinc(obs, '718-7')[0]?.valueQuantity).toMatchObject({ value: 139, code: 'g/L' });
    expect(byLoinc(obs, '751-8')[0]?.valueQuantity?.code).toBe('10*9/L');
  });

  it('anti-HBc positive with HBsAg negative', () => {
    const obs = chart('scn-hbv-core-positive').observations;
    expect(byLoinc(obs, '16933-4')[0]?.valueCodeableConcept?.coding?.[0]?.code).toBe('10828004');
    expect(byLoinc(obs, '5196-1')[0]?.valueCodeableConcept?.coding?.[0]?.code).toBe('260385009');
  });

  it('pregnant: pregnancy condition with onset 10 weeks ago', () => {
    const pregnancy = chart('scn-pregnant').conditions.find((x) => x.code?.coding?.some((k) => k.code === '77386006'));
    expect(daysAgo(pregnancy?.onsetDateTime)).toBe(70);
    expect(pregnancy?.clinicalStatus?.coding?.[0]?.code).toBe('active');
  });

  it('DVT history: resolved', () => {
    const dvt = chart('scn-dvt-history').conditions.find((x) => x.code?.coding?.some((k) => k.code === '128053003'));
    expect(dvt?.clinicalStatus?.coding?.[0]?.code).toBe('resolved');
    expect(dvt?.abatementDateTime).toBeDefined();
  });

  it('smoker over 50 with hypertension', () => {
    const c = chart('scn-smoker-hypertension');
    expect(ageOn(c.patient.birthDate)).toBe(58);
    expect(byLoinc(c.observations, '72166-2')[0]?.valueCodeableConcept?.coding?.[0]?.code).toBe('449868002');
    expect(c.conditions.some((x) => x.code?.coding?.some((k) => k.code === '38341003'))).toBe(true);
  });

  it('clopidogrel coded in RxNorm; dupilumab as text only', () => {
    const clopidogrel = chart('scn-clopidogrel').medications.find((m) => m.status === 'active');
    expect(clopidogrel?.status).toBe('active');
    expect(clopidogrel?.medicationCodeableConcept?.coding?.[0]).toMatchObject({ code: '309362', display: 'clopidogrel 75 MG Oral Tablet' });
    const dupilumab = chart('scn-dupilumab').medications.find((m) => m.status === 'active');
    expect(dupilumab?.status).toBe('active');
    expect(dupilumab?.medicationCodeableConcept).toEqual({ text: 'Dupixent 300 MG/2ML Prefilled Syringe' });
  });

  it('live vaccine: MMR completed 14 days before today', () => {
    const mmr = chart('scn-live-vaccine').immunizations.find((i) => i.vaccineCode.coding?.[0]?.code === '03');
    expect(mmr?.status).toBe('completed');
    expect(daysAgo(mmr?.occurrenceDateTime)).toBe(14);
  });

  it('ages 14 and 80', () => {
    expect(ageOn(chart('scn-adolescent').patient.birthDate)).toBe(14);
    expect(ageOn(chart('scn-older-adult').patient.birthDate)).toBe(80);
  });

  it('heavy record: 5,000 observations over 15 years, 200 conditions, 100 medication orders', () => {
    const c = chart(HEAVY_RECORD_ID);
    expect(c.observations).toHaveLength(5000);
    expect(c.conditions).toHaveLength(200);
    expect(c.medications).toHaveLength(100);
    const ages = c.observations.map((o) => daysAgo(o.effectiveDateTime));
    expect(Math.max(...ages)).toBeGreaterThanOrEqual(14 * 365);
    expect(Math.min(...ages)).toBeLessThanOrEqual(30);
    for (const code of ['751-8', '731-0', '1742-6', '71773-6']) expect(byLoinc(c.observations, code).length).toBeGreaterThan(0);
  });
});

describe('real-world samples', () => {
  it('renames ids, keeps references resolvable and shifts the newest event to 30 days ago', async () => {
    const file = join(import.meta.dirname, '..', 'fixtures', 'samples', 'inferno-uscore__85.json');
    const bundle = JSON.parse(await readFile(file, 'utf8')) as Bundle;
    const sample = sampleChart(bundle, 7, TODAY);
    expect(sample?.patientId).toBe('sample-7');
    const resources = sample!.resources;
    const known = new Set(resources.map((r) => `${r.resourceType}/${r.id}`));
    const subjects = resources.flatMap((r) => {
      const ref = (r as { subject?: { reference?: string } }).subject?.reference;
      return ref ? [ref] : [];
    });
    expect(subjects.length).toBeGreaterThan(10);
    expect(subjects.every((ref) => ref === 'Patient/sample-7')).toBe(true);
    expect(subjects.every((ref) => known.has(ref))).toBe(true);
    const effective = resources
      .filter((r): r is Observation => r.resourceType === 'Observation')
      .flatMap((o) => (o.effectiveDateTime ? [daysAgo(o.effectiveDateTime)] : []));
    expect(Math.min(...effective)).toBe(30);
  });
});
