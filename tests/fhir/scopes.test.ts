import { describe, expect, it } from 'vitest';
import { buildScopes, parseScopes, scopeAllows, scopeVersionFor, withLaunchContext } from '../../src/fhir/scopes';

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
    ]);
  });

  it('uses v2 read/search permissions and asks a standalone launch to pick a patient', () => {
    const scopes = buildScopes('standalone', 'v2').split(' ');
    expect(scopes.slice(0, 3)).toEqual(['launch/patient', 'openid', 'fhirUser']);
    expect(scopes).toContain('patient/Observation.rs');
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
