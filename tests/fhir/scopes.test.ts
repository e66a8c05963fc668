// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { buildScopes, NO_WRITE_BACK, parseScopes, scopeAllows, scopeVersionFor, withLaunchContext, withoutWriteScopes, withScopes, writeBackScopes } from '../../src/fhir/scopes';

describe('buildScopes', () => {
  it('asks an EHR launch for SMART v1 read scopes by default', () => {
    expect(buildScopes('ehr', 'v1').split(' ')).toEqual([
      'launch',
      'openid',
      'fhirUser',
      'patient/Patient.read',
      'patient/Medication.read',
      'patient/Condition.read',
      'patient/Observation.read',
      'patient/MedicationRequest.read',
      'patient/MedicationStatement.read',
      'patient/Immunization.read',
      'patient/ServiceRequest.read',
      'user/Practitioner.read',
    ]);
  });

  it('uses v2 read/search permissions and asks a standalone launch to pick a patient', () => {
    const scopes = buildScopes('standalone', 'v2').split(' ');
    expect(scopes.slice(0, 3)).toEqual(['launch/patient', 'openid', 'fhirUser']);
    expect(scopes).toContain('patient/Observation.rs');
    expect(scopes).toContain('patient/ServiceRequest.rs');
    expect(scopes).toContain('patient/Patient.r');
    expect(scopes).not.toContain('launch');
    expect(scopes.every((s) => !/\.(read|write|\*)$|\.c|\.u|\.d/.test(s))).toBe(true);
  });
});

describe('scopeVersionFor', () => {
  it('picks v2 only when the server advertises permission-v2', () => {
    expect(scopeVersionFor({ capabilities: ['launch-ehr', 'permission-v2'] })).toBe('v2');
    expect(scopeVersionFor({ capabilities: ['launch-ehr', 'permission-v1'] })).toBe('v1');
    expect(scopeVersionFor(undefined)).toBe('v1');
    expect(scopeVersionFor('not json')).toBe('v1');
  });
});

describe('withLaunchContext', () => {
  it('adds the launch context a configured scope list forgot', () => {
    expect(withLaunchContext('openid patient/*.read', 'ehr')).toBe('launch openid patient/*.read');
    expect(withLaunchContext('launch/patient  patient/*.read', 'standalone')).toBe('launch/patient patient/*.read');
  });
});

describe('scopeAllows', () => {
  it('reads v1 and v2 permissions for the type or a wildcard', () => {
    const v1 = parseScopes('launch patient/Observation.read user/Condition.* patient/Immunization.write');
    expect(scopeAllows(v1, 'Observation', 'search')).toBe(true);
    expect(scopeAllows(v1, 'Condition', 'read')).toBe(true);
    expect(scopeAllows(v1, 'Immunization', 'search')).toBe(false);
    expect(scopeAllows(v1, 'Patient', 'read')).toBe(false);

    const v2 = parseScopes('patient/Patient.r patient/Observation.rs?category=laboratory patient/*.s');
    expect(scopeAllows(v2, 'Patient', 'read')).toBe(true);
    expect(scopeAllows(v2, 'Patient', 'search')).toBe(true); // via patient/*.s
    expect(scopeAllows(v2, 'Observation', 'search')).toBe(true);
    expect(scopeAllows(v2, 'Medication', 'read')).toBe(false);
    expect(scopeAllows(['patient/Condition.cud'], 'Condition', 'read')).toBe(false);
  });
});

describe('write-back scopes', () => {
  it('asks for create on ServiceRequest and DocumentReference only when the site turns them on', () => {
    expect(writeBackScopes(NO_WRITE_BACK, 'v2')).toEqual([]);
    expect(writeBackScopes({ orderLabs: true, saveNote: true, webMessaging: false }, 'v2')).toEqual(['patient/ServiceRequest.c', 'patient/DocumentReference.c', 'patient/DocumentReference.rs']);
    expect(writeBackScopes({ orderLabs: true, saveNote: false, webMessaging: true }, 'v1')).toEqual(['patient/ServiceRequest.write', 'messaging/scratchpad']);
    // Web messaging is for ordering: no scratchpad scope without it.
    expect(writeBackScopes({ orderLabs: false, saveNote: true, webMessaging: true }, 'v1')).toEqual(['patient/DocumentReference.write', 'patient/DocumentReference.read']);
    expect(withScopes('launch patient/Patient.r', ['patient/ServiceRequest.c', 'launch'])).toBe('launch patient/Patient.r patient/ServiceRequest.c');
  });

  it('reads a granted create in v1 and v2 form, and nothing else as one', () => {
    expect(scopeAllows(['patient/ServiceRequest.c'], 'ServiceRequest', 'create')).toBe(true);
    expect(scopeAllows(['patient/ServiceRequest.write'], 'ServiceRequest', 'create')).toBe(true);
    expect(scopeAllows(['user/*.*'], 'DocumentReference', 'create')).toBe(true);
    expect(scopeAllows(['patient/ServiceRequest.rs'], 'ServiceRequest', 'create')).toBe(false);
    expect(scopeAllows(['patient/ServiceRequest.read'], 'ServiceRequest', 'create')).toBe(false);
    expect(scopeAllows(['patient/DocumentReference.c'], 'ServiceRequest', 'create')).toBe(false);
  });
});

describe('a configured scope string under the site\'s write-back settings', () => {
  it('loses the write access the site turned off, keeping the reads', () => {
    const configured = 'launch patient/Observation.read patient/ServiceRequest.write patient/DocumentReference.c patient/*.* user/DocumentReference.cruds';
    expect(withoutWriteScopes(configured, NO_WRITE_BACK)).toBe('launch patient/Observation.read patient/*.read user/DocumentReference.rs');
    expect(withoutWriteScopes(configured, { orderLabs: true, saveNote: false, webMessaging: false })).toBe(
      'launch patient/Observation.read patient/ServiceRequest.write patient/*.read user/DocumentReference.rs',
    );
    expect(withoutWriteScopes(configured, { orderLabs: true, saveNote: true, webMessaging: false })).toBe(configured);
  });
});
