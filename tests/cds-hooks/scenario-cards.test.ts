/**
 * Every card for the sandbox's scenario patients: the sandbox EHR drafts an order, prefetches
 * the service's templates from its FHIR server, signs the call, and the service answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server';
import type { Orderable } from '../../src/sandbox/cds-client';
import type { CdsCard } from '../../src/cds-hooks/types';

let sandbox: SandboxHandle;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, quiet: true, samples: false, app: false, today: new Date(2025, 5, 15) });
}, 60_000);
afterAll(async () => {
  await sandbox?.close();
});

async function cards(patientId: string, medication: Orderable): Promise<CdsCard[]> {
  const exchange = await sandbox.cdsHooks.client.call({ patientId, medication, hook: 'order-sign', data: 'prefetch' });
  expect(exchange.status, JSON.stringify(exchange.response)).toBe(200);
  return (exchange.response as { cards: CdsCard[] }).cards;
}

interface Expected {
  critical?: string[];
  /** Caution labels named by the warning card's summary. */
  warnings?: string[];
  /** A to-do card (its content comes from the report's to-do list). */
  todo?: boolean;
  /** An info card that only notes (no to-do). */
  note?: string;
}

/** What the prescriber sees per scenario patient, for an oral agent (abrocitinib) and a cream. */
const EXPECTED: Record<string, { abrocitinib: Expected; 'ruxolitinib-cream': Expected }> = {
  'scn-ready': { abrocitinib: {}, 'ruxolitinib-cream': {} },
  'scn-labs-missing': { abrocitinib: { todo: true }, 'ruxolitinib-cream': {} },
  'scn-labs-outdated': { abrocitinib: { todo: true }, 'ruxolitinib-cream': {} },
  'scn-cbc-no-diff': { abrocitinib: { todo: true }, 'ruxolitinib-cream': {} },
  'scn-low-neutrophils': { abrocitinib: { critical: ['Do not start Abrocitinib (Cibinqo): ANC 800 /µL: do not start below 1,000 /µL'], todo: true }, 'ruxolitinib-cream': {} },
  'scn-igra-positive': { abrocitinib: { warnings: ['Latent tuberculosis'], todo: true }, 'ruxolitinib-cream': {} },
  'scn-hbv-core-positive': { abrocitinib: { warnings: ['Past hepatitis B exposure'], todo: true }, 'ruxolitinib-cream': {} },
  'scn-pregnant': { abrocitinib: { critical: [expect.stringMatching(/^Do not start Abrocitinib \(Cibinqo\): Pregnant/) as never], todo: true }, 'ruxolitinib-cream': { warnings: ['Pregnancy'] } },
  'scn-dvt-history': { abrocitinib: { warnings: ['History of blood clots'] }, 'ruxolitinib-cream': { note: 'History of venous thromboembolism' } },
  'scn-smoker-hypertension': { abrocitinib: { warnings: ['Current or former smoker', 'Age ≥ 50 with a cardiovascular risk factor'] }, 'ruxolitinib-cream': {} },
  'scn-clopidogrel': { abrocitinib: { critical: ['Do not start Abrocitinib (Cibinqo): Current antiplatelet therapy: clopidogrel'] }, 'ruxolitinib-cream': {} },
  'scn-dupilumab': {
    abrocitinib: { critical: ['Do not start Abrocitinib (Cibinqo): Biologic immunomodulator (dupilumab): stop before starting'] },
    'ruxolitinib-cream': { critical: ['Do not start Ruxolitinib cream (Opzelura): Biologic immunomodulator (dupilumab): stop before starting'] },
  },
  'scn-live-vaccine': { abrocitinib: { warnings: ['Live vaccine in the last 4 weeks'] }, 'ruxolitinib-cream': {} },
  'scn-adolescent': { abrocitinib: {}, 'ruxolitinib-cream': {} },
  'scn-older-adult': { abrocitinib: { warnings: ['Age 65 or older'] }, 'ruxolitinib-cream': {} },
  'scn-heavy-record': { abrocitinib: {}, 'ruxolitinib-cream': {} },
};

function check(actual: CdsCard[], expected: Expected, agentName: string): void {
  const critical = actual.filter((c) => c.indicator === 'critical');
  const warning = actual.filter((c) => c.indicator === 'warning');
  const info = actual.filter((c) => c.indicator === 'info');
  expect(critical.map((c) => c.summary)).toEqual(expected.critical ?? []);
  if (expected.warnings) {
    expect(warning).toHaveLength(1);
    for (const label of expected.warnings) expect(warning[0]!.summary).toContain(label);
  } else {
    expect(warning).toEqual([]);
  }
  if (expected.todo) {
    expect(info).toHaveLength(1);
    expect(info[0]!.summary).toMatch(new RegExp(`^Before starting ${agentName.replace(/[()]/g, '\\$&')}, \\d+ things? to do: `));
  } else if (expected.note) {
    expect(info).toHaveLength(1);
    expect(info[0]!.summary).toContain(expected.note);
  } else {
    expect(info).toEqual([]);
  }
  for (const card of actual) {
    expect([...card.summary].length).toBeLessThan(140);
    expect(card.source.label).toMatch(/^jak-readiness: \S/);
    expect(card.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(card.links?.[0]).toMatchObject({ type: 'smart', url: `${sandbox.origin}/launch/` });
  }
}

describe('cards for every scenario patient', () => {
  it('covers every scenario of the sandbox', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(sandbox.patients.map((p) => p.id).sort());
  });

  for (const [patient, byAgent] of Object.entries(EXPECTED)) {
    it(`${patient}: abrocitinib and ruxolitinib cream`, async () => {
      check(await cards(patient, 'abrocitinib'), byAgent.abrocitinib, 'Abrocitinib (Cibinqo)');
      check(await cards(patient, 'ruxolitinib-cream'), byAgent['ruxolitinib-cream'], 'Ruxolitinib cream (Opzelura)');
    });
  }

  it('an order for a drug that is not one of the five agents gets no card, even for a blocked patient', async () => {
    expect(await cards('scn-pregnant', 'cetirizine')).toEqual([]);
  });

  it('the clopidogrel contraindication is abrocitinib\'s only: upadacitinib gets no critical card', async () => {
    expect((await cards('scn-clopidogrel', 'upadacitinib')).filter((c) => c.indicator === 'critical')).toEqual([]);
  });

  it('a 14-year-old and delgocitinib cream (adults): below the approved age', async () => {
    const critical = (await cards('scn-adolescent', 'delgocitinib-cream')).filter((c) => c.indicator === 'critical');
    expect(critical).toHaveLength(1);
    expect(critical[0]!.summary).toMatch(/^Do not start Delgocitinib cream \(Anzupgo\)/);
  });
});
