/**
 * The loader reads the to-do marks saved with this app's newest note in its first round (MSW):
 * granted → one DocumentReference search alongside the others, still one round trip; not
 * granted → no request; failing → a clear reason, and the rest of the record still loads.
 */
import { describe, expect, it } from 'vitest';
import { loadPatientData, type LoaderOptions } from '../../src/fhir/loader';
import { serialiseMarks } from '../../src/contract/todo-marks';
import { noteDocument } from '../../src/fhir/write-back';
import { fhirJson, LAB_CODES, makeClient, on, outcome, PATIENT_ID, requestsTo, searchset, STATUS_CODES, useFakeFhirServer } from './fake-fhir';

const OPTIONS: LoaderOptions = { observationCodes: { labs: LAB_CODES, status: STATUS_CODES }, asOf: '2026-12-07', savedMarks: true };
const READ = 'launch patient/*.read';
const WITH_NOTES = `${READ} patient/DocumentReference.read patient/DocumentReference.write`;

const note = noteDocument({
  patientId: PATIENT_ID,
  text: 'note',
  title: 'JAK inhibitor readiness: Upadacitinib (Rinvoq)',
  created: '2026-12-01T09:00:00Z',
  marksJson: serialiseMarks({ 'order-cbc': { item: 'order-cbc', mark: 'declined', date: '2026-12-01', reason: 'patient preference' } }),
});

useFakeFhirServer();

describe('saved to-do marks in the first round', () => {
  it('granted: searches this app\'s notes alongside the other searches and returns the newest marks', async () => {
    on('DocumentReference', () => fhirJson(searchset([{ ...note, id: 'd1' }])));
    const data = await loadPatientData(makeClient(WITH_NOTES), OPTIONS);
    const [search] = requestsTo('DocumentReference');
    expect(search!.params.get('patient')).toBe(PATIENT_ID);
    expect(search!.params.get('type')).toBe('http://loinc.org|34109-9');
    expect(search!.params.get('_tag')).toBe('urn:jak-readiness:note|readiness-note');
    expect(data.stats.roundTrips).toBe(1);
    expect(data.savedMarks).toEqual({
      state: 'read',
      savedAt: '2026-12-01',
      marks: { 'order-cbc': { item: 'order-cbc', mark: 'declined', date: '2026-12-01', reason: 'patient preference' } },
    });
  });

  it('not granted: sends no DocumentReference request and says nothing was looked for', async () => {
    const data = await loadPatientData(makeClient(READ.replace('patient/*.read', 'patient/Patient.read patient/Observation.read')), OPTIONS);
    expect(requestsTo('DocumentReference')).toHaveLength(0);
    expect(data.savedMarks).toBeUndefined();
  });

  it('failing: gives the reason, and the record still loads', async () => {
    on('DocumentReference', () => outcome('Database unavailable', 500));
    const data = await loadPatientData(makeClient(WITH_NOTES), OPTIONS);
    expect(data.savedMarks).toEqual({ state: 'failed', reason: 'HTTP 500: Database unavailable' });
    expect(data.loads.Observation).toEqual({ state: 'complete' });
    expect(data.patient?.id).toBe(PATIENT_ID);
  });
});
