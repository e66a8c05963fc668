// @vitest-environment node
/**
 * "Printed … by": the user's name comes from their own Practitioner (fhirUser) only when the EHR
 * granted reading it; otherwise paper says nothing of the user.
 */
import { describe, expect, it, vi } from 'vitest';
import { personName, readUserName, type UserClient } from '../../src/fhir/user-name';
import { printedLine } from '../../src/ui/print-page';

const practitioner = { resourceType: 'Practitioner', id: 'u1', name: [{ use: 'usual', given: ['Ana'], family: 'Li' }, { use: 'official', prefix: ['Dr.'], given: ['Ana', 'M.'], family: 'Li' }] };

function client(scope: string, answer: unknown = practitioner, user: string | null = 'Practitioner/u1'): UserClient & { request: ReturnType<typeof vi.fn> } {
  return { getFhirUser: () => user, request: vi.fn(async () => answer), state: { tokenResponse: { scope } } };
}

describe('the user\'s name for "printed by"', () => {
  it('reads the Practitioner when granted and prefers the official name', async () => {
    const c = client('openid fhirUser user/Practitioner.read');
    expect(await readUserName(c)).toBe('Dr. Ana M. Li');
    expect(c.request).toHaveBeenCalledWith('Practitioner/u1');
  });

  it('reads nothing and names no one when the scope is not granted, there is no fhirUser, or the answer is not the user', async () => {
    const notGranted = client('openid fhirUser patient/Patient.read patient/Observation.read');
    expect(await readUserName(notGranted)).toBeUndefined();
    expect(notGranted.request).not.toHaveBeenCalled();
    expect(await readUserName(client('user/Practitioner.r', practitioner, null))).toBeUndefined();
    expect(await readUserName(client('user/Practitioner.r', { resourceType: 'Patient', name: [{ text: 'X' }] }))).toBeUndefined();
    const failing = client('user/Practitioner.r');
    failing.request.mockRejectedValueOnce(new Error('HTTP 403'));
    expect(await readUserName(failing)).toBeUndefined();
  });

  it('keeps a name to one bounded line', () => {
    expect(personName({ name: [{ text: 'Dr.\u202E Ana\nLi' }] })).toBe('Dr. Ana Li');
    expect(personName({ name: [{ text: 'x'.repeat(300) }] })!.length).toBe(80);
    expect(personName({ name: 'not a list' })).toBeUndefined();
  });

  it('says "by" only with a name', () => {
    const at = new Date(2026, 11, 7, 9, 41);
    expect(printedLine(at, 'Dr. Ana Li')).toBe('Printed 2026-12-07 09:41 by Dr. Ana Li');
    expect(printedLine(at, undefined)).toBe('Printed 2026-12-07 09:41');
  });
});
