/**
 * A chart heavy enough to need paging: 5,000 Observations over 15 years, 200 Conditions,
 * 100 MedicationRequests. The newest work-up is recent and normal, so a client that pages
 * through everything finds a "ready" patient; one that stops early does not.
 * Deterministic (seeded) so the same day always gives the same chart.
 */
import { addBaseline, addZosterSeries } from './baseline';
import type { Scenario } from './catalog';
import { ChartBuilder } from './chart-builder';
import { CONDITIONS, LABS_US, MEDICATIONS, MINOR_EPISODES, VACCINES, VITALS } from './codes';
import { seededRandom } from './seeded-random';

export const HEAVY_RECORD_ID = 'scn-heavy-record';
export const HEAVY_OBSERVATIONS = 5000;
export const HEAVY_CONDITIONS = 200;
export const HEAVY_MEDICATIONS = 100;
const YEARS = 15;

export function buildHeavyRecord(today: Date): Scenario {
  const random = seededRandom(20240601);
  const around = (mid: number, spread: number, decimals = 1) => Number((mid + (random() - 0.5) * 2 * spread).toFixed(decimals));
  const c = new ChartBuilder(HEAVY_RECORD_ID, today);
  c.patient({ given: ['Victor', 'Emil'], family: 'Sandoval', sex: 'male', ageYears: 49 });

  c.condition(CONDITIONS.atopicDermatitis, YEARS * 365 - 30);
  c.condition(CONDITIONS.allergicRhinitis, YEARS * 365 - 60);
  const episodes = HEAVY_CONDITIONS - 2;
  for (let i = 0; i < episodes; i++) {
    // Oldest first; the newest is still 120+ days old, so none counts as a current infection.
    const onset = Math.round(YEARS * 365 - 90 - (i * (YEARS * 365 - 300)) / episodes);
    const def = MINOR_EPISODES[i % MINOR_EPISODES.length] ?? MINOR_EPISODES[0]!;
    c.condition(def, onset, { status: 'resolved', abatementDaysAgo: onset - 14, category: 'encounter-diagnosis' });
  }

  const historical = [MEDICATIONS.amoxicillin, MEDICATIONS.ibuprofen, MEDICATIONS.hydrocortisoneCream, MEDICATIONS.cetirizine];
  const pastMeds = HEAVY_MEDICATIONS - 2;
  for (let i = 0; i < pastMeds; i++) {
    const authored = Math.round(YEARS * 365 - 20 - (i * (YEARS * 365 - 200)) / pastMeds);
    c.medicationRequest(historical[i % historical.length]!, authored, i % 3 === 0 ? 'stopped' : 'completed');
  }
  c.medicationRequest(MEDICATIONS.cetirizine, 150);
  c.medicationRequest(MEDICATIONS.emollient, 150);

  for (let year = YEARS - 1; year >= 0; year--) c.immunization(VACCINES.influenza, year * 365 + 40);
  addZosterSeries(c, 400);

  const countObservations = () => c.resources.filter((r) => r.resourceType === 'Observation').length;
  addBaseline(c, { daysAgo: 12 });
  const perVisit = 10;
  const visits = Math.floor((HEAVY_OBSERVATIONS - countObservations()) / perVisit);
  for (let v = 0; v < visits; v++) {
    const day = Math.round(YEARS * 365 - (v * (YEARS * 365 - 40)) / visits);
    c.bloodPressure(Math.round(around(122, 10, 0)), Math.round(around(78, 7, 0)), day);
    c.lab(VITALS.heartRate, around(72, 10, 0), day);
    c.lab(VITALS.bodyWeight, around(82, 3), day);
    c.lab(VITALS.bmi, around(26, 1), day);
    if (v % 2 === 0) {
      c.lab(LABS_US.wbc, around(6.5, 1.5), day, 10);
      c.lab(LABS_US.hemoglobin, around(14.5, 0.8), day, 10);
      c.lab(LABS_US.platelets, around(250, 40, 0), day, 10);
      c.lab(LABS_US.anc, around(3.8, 1), day, 10);
      c.lab(LABS_US.alc, around(2.1, 0.5), day, 10);
      c.lab(LABS_US.neutrophilsPct, around(58, 6, 0), day, 10);
    } else {
      c.lab(LABS_US.alt, around(24, 8, 0), day, 10);
      c.lab(LABS_US.ast, around(25, 7, 0), day, 10);
      c.lab(LABS_US.creatinine, around(0.95, 0.15, 2), day, 10);
      c.lab(LABS_US.glucose, around(90, 8, 0), day, 10);
      c.lab(LABS_US.sodium, around(140, 3, 0), day, 10);
      c.lab(LABS_US.potassium, around(4.2, 0.4), day, 10);
    }
  }
  // Top up to the exact count with weights between visits.
  let extra = HEAVY_OBSERVATIONS - countObservations();
  for (let i = 0; extra > 0; i++, extra--) c.lab(VITALS.bodyWeight, around(82, 3), 45 + i * 7);

  return {
    id: HEAVY_RECORD_ID,
    title: 'Long record: 5,000 observations over 15 years',
    summary: 'Needs paging (200 conditions, 100 medication orders). Newest work-up is recent and normal.',
    resources: c.resources,
  };
}
