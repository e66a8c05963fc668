/**
 * Property-based tests: thousands of random and malformed resources through the real
 * normalisation and rules. `assess` never throws, and the promises a clinician relies on hold:
 * no `done` without an in-window qualifying result, `unknown` whenever the needed data did not
 * load fully, and every caution carries evidence.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FhirResource } from 'fhir/r4';
import { buildRecord } from '../../../src/engine/normalise';
import { assess } from '../../../src/engine/assess';
import { DEFAULT_CONFIG } from '../../../src/engine/config';
import { daysBetween } from '../../../src/engine/normalise/dates';
import type { LoadedResourceType, LoadStatus } from '../../../src/engine/record';
import { AGENT_IDS, THERAPY_IDS, type ChecklistId } from '../../../src/contract/report';

const NOW = '2026-11-27';
const LOINC = ['718-7', '777-3', '751-8', '731-0', '6690-2', '770-8', '1742-6', '1920-8', '2093-3', '2085-9', '18262-6', '2571-8', '71773-6', '1648-5', '5196-1', '16933-4', '13955-0', '11011-4', '2106-3', '82810-3', '98979-8', '72166-2', '99999-9'];
const SNOMED = ['10828004', '260385009', '82334004', '56717001', '128053003', '363406005', '254701007', '77386006', '169750002', '86406008', '449868002', '8517006', '266919005', '24079001', '1234'];
const ICD = ['C44.91', 'C18.9', 'D48.5', 'Z85.828', 'Z86.718', 'A41.9', 'J18.9', 'B02.9', 'B01.9', 'N18.6', 'K74.60', 'O21.0', 'Z22.7', 'F17.210'];
const CVX = ['03', '3', '187', '188', '121', '21', '140', 'abc'];
const UNITS = ['g/dL', 'g/L', 'mmol/L', '10*3/uL', '10*9/L', '/uL', '%', 'U/L', 'mm', 'mL/min/{1.73_m2}', 'furlongs', '', 'K/uL'];
const SYSTEMS = ['http://loinc.org', 'urn:oid:2.16.840.1.113883.6.1', 'http://snomed.info/sct', 'urn:oid:2.16.840.1.113883.6.96', 'http://hl7.org/fhir/sid/icd-10-cm', 'http://hl7.org/fhir/sid/cvx', 'http://www.nlm.nih.gov/research/umls/rxnorm', 'weird', ''];

/** Anything at all, including the wrong JSON types. */
const junk = fc.oneof(fc.constant(null), fc.integer(), fc.double(), fc.string({ maxLength: 12 }), fc.boolean(), fc.constant([]), fc.constant({}), fc.constant(1e308));
const date = fc.oneof(
  fc.integer({ min: -9000, max: 400 }).map((d) => new Date(Date.UTC(2026, 10, 27) - d * 86_400_000).toISOString().slice(0, 10)),
  fc.integer({ min: -9000, max: 400 }).map((d) => new Date(Date.UTC(2026, 10, 27) - d * 86_400_000).toISOString()),
  fc.constantFrom('2023-02-30', 'yesterday', '2024', '2024-13', '', '99999-01-01T00:00:00Z', '2021-06'),
  junk,
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const coding = fc.record({
  system: fc.constantFrom(...SYSTEMS),
  code: fc.oneof(fc.constantFrom(...LOINC, ...SNOMED, ...ICD, ...CVX), fc.string({ maxLength: 8 }), junk),
  display: maybe(fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('aspirin 325 mg', 'clopidogrel 75 MG', 'Dupixent', 'Positive', 'Non-reactive', 'Shingrix', 'MMR'))),
}, { requiredKeys: [] });
const concept = fc.oneof(fc.record({ coding: fc.array(fc.oneof(coding, junk), { maxLength: 3 }), text: maybe(fc.string({ maxLength: 20 })) }, { requiredKeys: [] }), junk);
const quantity = fc.oneof(
  fc.record({ value: fc.oneof(fc.double({ noNaN: false }), fc.integer({ min: -10, max: 1_000_000 }), fc.string({ maxLength: 6 }), junk), unit: fc.oneof(fc.constantFrom(...UNITS), junk), code: maybe(fc.constantFrom(...UNITS)), comparator: maybe(fc.constantFrom('<', '>', '<=')) }, { requiredKeys: [] }),
  junk,
);
const id = fc.oneof(fc.constantFrom('a', 'b', 'c', 'dup'), fc.string({ maxLength: 6 }), junk);
const subject = fc.oneof(fc.constant({ reference: 'Patient/p1' }), fc.constant({ reference: 'Patient/other' }), junk, fc.constant(undefined));
const status = (values: string[]) => fc.oneof(fc.constantFrom(...values), junk);

const observation = fc.record({
  resourceType: fc.constant('Observation'), id, subject, status: status(['final', 'amended', 'cancelled', 'entered-in-error', 'preliminary']),
  code: concept, effectiveDateTime: maybe(date), effectivePeriod: maybe(fc.record({ start: maybe(date), end: maybe(date) }, { requiredKeys: [] })), issued: maybe(date),
  valueQuantity: maybe(quantity), valueCodeableConcept: maybe(concept), valueString: maybe(fc.oneof(fc.constantFrom('Positive', 'Negative', 'Reactive', 'Non-reactive', 'Indeterminate', '???'), junk)),
  interpretation: maybe(fc.array(concept, { maxLength: 2 })), referenceRange: maybe(fc.oneof(fc.array(fc.record({ high: quantity }), { maxLength: 1 }), junk)),
  component: maybe(fc.array(fc.record({ code: concept, valueQuantity: maybe(quantity) }, { requiredKeys: [] }), { maxLength: 3 })),
}, { requiredKeys: ['resourceType'] });
const condition = fc.record({
  resourceType: fc.constant('Condition'), id, subject, code: concept,
  clinicalStatus: maybe(fc.oneof(fc.constantFrom('active', 'resolved', 'inactive', 'recurrence').map((c) => ({ coding: [{ code: c }] })), junk)),
  verificationStatus: maybe(fc.oneof(fc.constantFrom('confirmed', 'provisional', 'refuted', 'entered-in-error', 'differential').map((c) => ({ coding: [{ code: c }] })), junk)),
  onsetDateTime: maybe(date), abatementDateTime: maybe(date), recordedDate: maybe(date),
}, { requiredKeys: ['resourceType'] });
const medication = fc.record({
  resourceType: fc.constantFrom('MedicationRequest', 'MedicationStatement'), id, subject,
  status: status(['active', 'on-hold', 'draft', 'completed', 'stopped', 'entered-in-error', 'intended', 'not-taken']),
  medicationCodeableConcept: maybe(concept), medicationReference: maybe(fc.oneof(fc.constantFrom({ reference: '#m1' }, { reference: 'Medication/x' }, { display: 'aspirin' }), junk)),
  authoredOn: maybe(date), dosageInstruction: maybe(fc.oneof(fc.array(fc.record({ text: maybe(fc.string({ maxLength: 20 })), route: maybe(concept) }, { requiredKeys: [] }), { maxLength: 2 }), junk)),
  contained: maybe(fc.oneof(fc.array(fc.record({ resourceType: fc.constant('Medication'), id: fc.constant('m1'), code: concept }), { maxLength: 1 }), junk)),
}, { requiredKeys: ['resourceType'] });
const immunization = fc.record({
  resourceType: fc.constant('Immunization'), id, patient: subject, status: status(['completed', 'not-done', 'entered-in-error']),
  vaccineCode: concept, occurrenceDateTime: maybe(date), occurrenceString: maybe(fc.string({ maxLength: 10 })),
}, { requiredKeys: ['resourceType'] });
const patient = fc.record({
  resourceType: fc.constant('Patient'), id: fc.constant('p1'),
  gender: maybe(fc.oneof(fc.constantFrom('female', 'male', 'other', 'unknown'), junk)),
  birthDate: fc.oneof(fc.integer({ min: 1930, max: 2025 }).map((y) => `${y}-06-15`), fc.integer({ min: 1930, max: 2025 }).map((y) => `${y}-06-15`), date),
  name: maybe(fc.oneof(fc.array(fc.record({ given: maybe(fc.array(fc.string({ maxLength: 8 }), { maxLength: 2 })), family: maybe(fc.string({ maxLength: 8 })) }, { requiredKeys: [] }), { maxLength: 2 }), junk)),
}, { requiredKeys: ['resourceType', 'id'] });
/** Well-formed but random results, so that every status is reached and the invariants bite. */
const recentDate = fc.integer({ min: -5, max: 900 }).map((d) => new Date(Date.UTC(2026, 10, 27) - d * 86_400_000).toISOString().slice(0, 10));
const plausibleObservation = fc.record({
  resourceType: fc.constant('Observation'), id: fc.string({ minLength: 1, maxLength: 6 }), subject: fc.constant({ reference: 'Patient/p1' }), status: fc.constant('final'),
  code: fc.constantFrom(...LOINC).map((code) => ({ coding: [{ system: 'http://loinc.org', code }] })),
  effectiveDateTime: fc.oneof(recentDate, recentDate, fc.constant(undefined)),
  valueQuantity: fc.oneof(fc.record({ value: fc.double({ min: 0, max: 400_000, noNaN: true }), unit: fc.constantFrom(...UNITS) }), fc.constant(undefined)),
  valueCodeableConcept: fc.oneof(fc.constantFrom('10828004', '260385009', '82334004').map((code) => ({ coding: [{ system: 'http://snomed.info/sct', code }] })), fc.constant(undefined)),
}, { requiredKeys: ['resourceType', 'id', 'subject', 'status', 'code'] });
const plausibleCondition = fc.record({
  resourceType: fc.constant('Condition'), id: fc.string({ minLength: 1, maxLength: 6 }), subject: fc.constant({ reference: 'Patient/p1' }),
  code: fc.oneof(fc.constantFrom(...SNOMED).map((code) => ({ coding: [{ system: 'http://snomed.info/sct', code }] })), fc.constantFrom(...ICD).map((code) => ({ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code }] }))),
  clinicalStatus: fc.constantFrom('active', 'resolved').map((code) => ({ coding: [{ code }] })), onsetDateTime: recentDate,
});
const plausibleImmunization = fc.record({
  resourceType: fc.constant('Immunization'), id: fc.string({ minLength: 1, maxLength: 6 }), patient: fc.constant({ reference: 'Patient/p1' }), status: fc.constant('completed'),
  vaccineCode: fc.constantFrom(...CVX).map((code) => ({ coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code }] })), occurrenceDateTime: recentDate,
});
const resources = fc.array(
  fc.oneof(plausibleObservation, plausibleObservation, plausibleObservation, plausibleCondition, plausibleImmunization, observation, condition, medication, immunization, junk),
  { maxLength: 40 },
);

const LOADABLE: LoadedResourceType[] = ['Condition', 'Observation', 'MedicationRequest', 'MedicationStatement', 'Immunization'];
const loadStatus: fc.Arbitrary<LoadStatus> = fc.oneof(
  fc.constant({ state: 'complete' as const }),
  fc.constant({ state: 'failed' as const, reason: 'HTTP 503' }),
  fc.constant({ state: 'denied' as const, reason: 'scope not granted' }),
  fc.constant({ state: 'truncated' as const, reason: 'stopped after 10 pages' }),
);
const loads: fc.Arbitrary<Partial<Record<LoadedResourceType, LoadStatus>>> = fc.oneof(
  fc.constant({}),
  fc.constant({}),
  fc.record(Object.fromEntries(LOADABLE.map((t) => [t, loadStatus])) as Record<LoadedResourceType, fc.Arbitrary<LoadStatus>>, { requiredKeys: [] }),
);

const LAB_ITEMS: ChecklistId[] = ['cbc', 'liver-enzymes', 'lipid-panel', 'tb-screening', 'hepatitis-b', 'hepatitis-c', 'pregnancy-test'];
const WINDOW_DAYS: Partial<Record<ChecklistId, number>> = {
  cbc: DEFAULT_CONFIG.windows.cbc, 'liver-enzymes': DEFAULT_CONFIG.windows.liverEnzymes, 'lipid-panel': DEFAULT_CONFIG.windows.lipidPanel,
  'tb-screening': DEFAULT_CONFIG.windows.tbScreening, 'hepatitis-b': DEFAULT_CONFIG.windows.hepatitisB, 'hepatitis-c': DEFAULT_CONFIG.windows.hepatitisC,
  'pregnancy-test': DEFAULT_CONFIG.windows.pregnancyTest,
};

describe('assess on random and malformed records', () => {
  it('never throws, and its promises hold', () => {
    fc.assert(
      fc.property(patient, resources, loads, fc.constantFrom(...THERAPY_IDS), (p, rs, ls, therapy) => {
        const record = buildRecord({ resources: [p, ...rs] as unknown as FhirResource[], patientId: 'p1', loads: ls });
        const report = assess(record, { now: NOW, therapy });
        JSON.stringify(report); // serialisable: no cycles, no BigInt

        for (const item of report.checklist) {
          if (item.status === 'not-applicable') continue;
          // unknown whenever the needed resource type did not load fully
          const needed = item.id === 'zoster-vaccine' ? 'Immunization' : 'Observation';
          if ((ls[needed]?.state ?? 'complete') !== 'complete') expect(item.status, item.id).toBe('unknown');
          // no `done` without an in-window qualifying result
          // Treated latent TB (R3.6) is done without a new test: the old one stays positive for life.
          const treatedTb = item.id === 'tb-screening' && /^Prior positive, treated/.test(item.detail ?? '');
          if (item.status === 'done' && LAB_ITEMS.includes(item.id) && !treatedTb) {
            const window = WINDOW_DAYS[item.id]!;
            const dated = item.evidence.filter((e) => e.date && e.date.length === 10);
            expect(dated.length, `${item.id} done without dated evidence`).toBeGreaterThan(0);
            expect(dated.some((e) => daysBetween(e.date!, NOW) <= window), `${item.id} done without an in-window result`).toBe(true);
          }
          if (item.status === 'done' && item.id === 'zoster-vaccine') expect(item.evidence.filter((e) => e.date).length).toBeGreaterThanOrEqual(2);
        }
        for (const caution of report.cautions) expect(caution.evidence.length, caution.id).toBeGreaterThan(0);
        for (const gap of report.dataGaps) expect(gap.reason.length).toBeGreaterThan(0);

        // Revision 2: a verdict for every agent; never "ready" when something could not be read
        // or a do-not-start stands; every to-do entry names where it comes from.
        expect(report.byAgent.map((v) => v.therapy)).toEqual([...AGENT_IDS]);
        const anyGap = Object.values(ls).some((st) => st.state !== 'complete');
        for (const verdict of report.byAgent) {
          if (anyGap) expect(verdict.verdict, `${verdict.therapy} with a data gap`).not.toBe('ready');
          if (verdict.verdict === 'do-not-start') expect(verdict.reasons.length).toBeGreaterThan(0);
        }
        const planned = report.byAgent.find((v) => v.therapy === therapy);
        // Indication decides first (R3.5): a not-approved agent is never judged on readiness.
        if (planned && report.cautions.some((c) => c.severity === 'do-not-start')) expect(planned.verdict).toMatch(/^(do-not-start|not-approved)$/);
        // R3.5: every do-not-start caution has an action on the list, and no agent is ready beside an abnormal item.
        for (const c of report.cautions.filter((x) => x.severity === 'do-not-start')) {
          expect(report.todo.some((t) => t.from.some((r) => r.kind === 'caution' && r.id === c.id)), `action for ${c.id}`).toBe(true);
        }
        if (planned && report.checklist.some((i) => i.status === 'abnormal')) expect(planned.verdict).not.toBe('ready');
        for (const entry of report.todo) {
          expect(entry.from.length, entry.id).toBeGreaterThan(0);
          expect(entry.text.length).toBeGreaterThan(0);
          if (entry.kind === 'order-lab') expect(entry.orders?.length ?? 0, entry.id).toBeGreaterThan(0);
        }
        if (report.monitoring) for (const e of report.monitoring.entries) if ((ls.Observation?.state ?? 'complete') !== 'complete') expect(e.status, e.id).toMatch(/^(unknown|done)$/);
      }),
      { numRuns: 400, seed: 20261127 },
    );
  }, 120_000);

  it('reports every load problem as a data gap', () => {
    fc.assert(
      fc.property(loads, (ls) => {
        const report = assess(buildRecord({ resources: [{ resourceType: 'Patient', id: 'p1' }] as FhirResource[], patientId: 'p1', loads: ls }), { now: NOW });
        const failing = Object.entries(ls).filter(([, s]) => s.state !== 'complete').map(([t]) => t).sort();
        expect(report.dataGaps.map((g) => g.resourceType).filter((t) => t !== 'Patient').sort()).toEqual(failing);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});

describe('the random records exercise the rules', () => {
  it('reach every status and several cautions, so the invariants above are not vacuous', () => {
    const seen = new Map<string, number>();
    const cautions = new Set<string>();
    for (const [p, rs, ls, therapy] of fc.sample(fc.tuple(patient, resources, loads, fc.constantFrom(...THERAPY_IDS)), { numRuns: 400, seed: 20261127 })) {
      const report = assess(buildRecord({ resources: [p, ...rs] as unknown as FhirResource[], patientId: 'p1', loads: ls }), { now: NOW, therapy });
      for (const item of report.checklist) seen.set(item.status, (seen.get(item.status) ?? 0) + 1);
      for (const c of report.cautions) cautions.add(c.id);
    }
    expect([...seen.keys()].sort()).toEqual(['abnormal', 'done', 'incomplete', 'missing', 'not-applicable', 'outdated', 'unknown']);
    expect(cautions.size).toBeGreaterThanOrEqual(8);
  });
});
