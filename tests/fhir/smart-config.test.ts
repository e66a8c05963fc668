// @vitest-environment node
import { NO_WRITE_BACK } from '../../src/fhir/scopes';
import { describe, expect, it } from 'vitest';
import shipped from '../../public/smart-config.json';
import { parseSmartConfig, resolveLaunchSettings, SmartConfigError } from '../../src/fhir/smart-config';

describe('smart-config.json', () => {
  it('ships a file the launch page accepts', () => {
    const config = parseSmartConfig(shipped);
    expect(config.clientId).toBe('jak-readiness');
    expect(config.restrictToListedIssuers).toBe(true);
  });

  it('prefers the issuer entry, then the build-time overrides, then the file default', () => {
    const config = parseSmartConfig({
      clientId: 'from-file',
      issuers: {
        'https://ehr.example.org/fhir/': { clientId: 'ehr-client', scopes: ['launch', 'patient/*.read'], redirectUri: 'https://app.example.org/' },
        $note: 'ignored',
      },
    });
    expect(resolveLaunchSettings(config, 'https://ehr.example.org/fhir', { clientId: 'env-client', scopes: 'env scopes' })).toEqual({
      clientId: 'ehr-client',
      scopes: 'launch patient/*.read',
      redirectUri: 'https://app.example.org/',
      listed: true,
      writeBack: NO_WRITE_BACK,
    });
    expect(resolveLaunchSettings(config, 'https://other.example.org/fhir', { clientId: 'env-client', scopes: ' ' })).toEqual({
      clientId: 'env-client',
      listed: false,
      writeBack: NO_WRITE_BACK,
    });
    expect(resolveLaunchSettings(config, 'https://other.example.org/fhir')).toEqual({ clientId: 'from-file', listed: false, writeBack: NO_WRITE_BACK });
  });

  it('writes nothing unless the site turns it on, per file or per EHR', () => {
    const config = parseSmartConfig({
      writeBack: { orderLabs: true, $why: 'the lab team asked for it' },
      issuers: { 'https://ehr.example.org/fhir': { clientId: 'c', writeBack: { saveNote: true, webMessaging: true } } },
    });
    expect(resolveLaunchSettings(config, 'https://other.example.org/fhir').writeBack).toEqual({ orderLabs: true, saveNote: false, webMessaging: false });
    expect(resolveLaunchSettings(config, 'https://ehr.example.org/fhir').writeBack).toEqual({ orderLabs: true, saveNote: true, webMessaging: true });
    expect(parseSmartConfig({}).writeBack).toEqual(NO_WRITE_BACK);
    expect(() => parseSmartConfig({ writeBack: { orderLabs: 'yes' } })).toThrow(/writeBack.orderLabs must be true or false/);
    expect(() => parseSmartConfig({ writeBack: { orderMeds: true } })).toThrow(/unknown setting writeBack.orderMeds/);
  });

  it('lists only the issuers it names, by default (an entry without a client id uses the default one)', () => {
    const config = parseSmartConfig({ issuers: { 'https://ehr.example.org/fhir': {} } });
    expect(config.restrictToListedIssuers).toBe(true);
    expect(resolveLaunchSettings(config, 'https://ehr.example.org/fhir/')).toEqual({ clientId: 'jak-readiness', listed: true, writeBack: NO_WRITE_BACK });
    expect(resolveLaunchSettings(config, 'https://attacker.example/fhir').listed).toBe(false);
  });

  it('rejects a config that would launch with the wrong settings', () => {
    expect(() => parseSmartConfig([])).toThrow(SmartConfigError);
    expect(() => parseSmartConfig({ issuers: { 'https://x.org': { clientId: ' ' } } })).toThrow(/clientId/);
    expect(() => parseSmartConfig({ issuers: { 'https://x.org': 'yes' } })).toThrow(/must be an object/);
    expect(() => parseSmartConfig({ issuers: { 'https://x.org': { clientId: 'a', redirectUri: '/relative' } } })).toThrow(/redirectUri/);
    expect(() => parseSmartConfig({ restrictToListedIssuers: 'yes' })).toThrow(/restrictToListedIssuers/);
  });
});
