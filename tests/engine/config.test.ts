import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG, labLookbackDays, longestLabWindowDays, parseSiteConfig, resolveConfig } from '../../src/engine/config';
import { lookbackDays } from '../../src/cds-hooks/hook';

describe('site configuration', () => {
  it('accepts overrides and keeps the defaults for the rest', () => {
    const config = resolveConfig(parseSiteConfig({ $comment: 'ours', windows: { pregnancyTest: 7 }, thresholds: { tstPositiveMm: 10 }, reassessmentWeeks: [4, 12] }));
    expect(config.windows).toEqual({ ...DEFAULT_CONFIG.windows, pregnancyTest: 7 });
    expect(config.thresholds.tstPositiveMm).toBe(10);
    expect(config.thresholds.ancMinPerUl).toBe(1000);
    expect(config.reassessmentWeeks).toEqual([4, 12]);
  });

  it.each([
    ['not an object', [], /must be a JSON object/],
    ['an unknown setting', { windowz: {} }, /unknown setting "windowz"/],
    ['an unknown window', { windows: { cbcc: 90 } }, /unknown setting "windows.cbcc"/],
    ['a word for a number', { windows: { cbc: 'ninety' } }, /windows.cbc must be a number/],
    ['a negative number', { liveVaccineDays: -1 }, /liveVaccineDays must be a number ≥ 0/],
    ['a group given as a number', { thresholds: 5 }, /thresholds must be an object/],
    ['a label region that does not exist', { labelRegion: 'JP' }, /labelRegion must be one of "US", "EU"/],
    ['an empty list', { reassessmentWeeks: [] }, /non-empty list/],
  ])('refuses %s with a message naming the setting', (_name, json, message) => {
    expect(() => parseSiteConfig(json)).toThrow(ConfigError);
    expect(() => parseSiteConfig(json)).toThrow(message);
  });

  it('labelRegion: US by default, EU when the site says so; any other value is refused with the choices', () => {
    expect(resolveConfig().labelRegion).toBe('US');
    expect(resolveConfig(parseSiteConfig({ labelRegion: 'EU' })).labelRegion).toBe('EU');
    expect(() => parseSiteConfig({ labelRegion: 'UK' })).toThrow('labelRegion must be one of "US", "EU", got "UK"');
    expect(() => parseSiteConfig({ labelRegion: 1 })).toThrow(/labelRegion must be one of/);
  });

  it('tells the loader how far back to search labs', () => {
    expect(longestLabWindowDays(DEFAULT_CONFIG)).toBe(365);
    expect(longestLabWindowDays(resolveConfig({ windows: { hepatitisB: 730 } }))).toBe(730);
  });

  it('one look-back rule for the app and the CDS service: the longest window plus 35 days, never under 400', () => {
    expect(labLookbackDays()).toBe(400);
    expect(labLookbackDays({ windows: { pregnancyTest: 3 } })).toBe(400);
    expect(labLookbackDays({ windows: { lipidPanel: 1000 } })).toBe(1035);
    // The body-weight search shares the floor: a longer weight window widens it.
    expect(labLookbackDays({ weightDays: 700 })).toBe(700);
    expect(lookbackDays({ siteConfig: { windows: { lipidPanel: 1000 } } } as never)).toBe(1035);
  });
});
