/**
 * Site configuration: windows and thresholds. The defaults are the spec's (clinical/spec.md);
 * a site may override any of them. Windows are local policy, not label requirements, so the
 * report always shows the window it used. Every setting is documented here and in docs/clinical.md
 * (a test checks that each key appears there).
 */
import { LABEL_REGIONS, type LabelRegion, type SiteConfig } from '../contract/site-config';

export type { SiteConfig, LabelRegion };

export const DEFAULT_CONFIG: SiteConfig = {
  labelRegion: 'US',
  windows: {
    cbc: 90,
    liverEnzymes: 90,
    lipidPanel: 365,
    tbScreening: 365,
    hepatitisB: 365,
    hepatitisC: 365,
    pregnancyTest: 30,
  },
  thresholds: {
    ancMinPerUl: 1000,
    alcMinPerUl: 500,
    hemoglobinMinGdl: 8,
    plateletsMinPerUl: 150_000,
    liverEnzymeUlnMultiple: 3,
    liverEnzymeDefaultUln: 40,
    tstPositiveMm: 5,
    hcgPositiveMiuPerMl: 25,
    hcgNegativeBelowMiuPerMl: 5,
    adolescentMinWeightKg: 40,
  },
  pregnancy: { testAgeMin: 12, testAgeMax: 50, conditionWeeks: 42, recentDeliveryDays: 365 },
  monitoring: {
    abrocitinibCbcWeeks: 4,
    abrocitinibLipidWeeks: 4,
    upadacitinibLabsEveryWeeks: 12,
    upadacitinibLipidWeeks: 12,
    baricitinibLabsWeeks: 12,
    tbRescreenDays: 0,
    toleranceDays: 14,
  },
  weightDays: 183,
  liveVaccineDays: 28,
  activeInfectionDays: 90,
  sepsisDays: 365,
  egfrDays: 365,
  cardiovascularRiskAge: 50,
  olderAdultAge: 65,
  zosterVaccineAge: 18,
  zosterDoseIntervalDays: 28,
  reassessmentWeeks: [4, 8, 16],
};

export type ConfigOverrides = {
  [K in keyof SiteConfig]?: SiteConfig[K] extends number[] ? number[] : SiteConfig[K] extends string ? SiteConfig[K] : SiteConfig[K] extends object ? Partial<SiteConfig[K]> : SiteConfig[K];
};

/** Merges a site's overrides onto the defaults (one level deep, as the settings are grouped). */
export function resolveConfig(overrides: ConfigOverrides = {}): SiteConfig {
  const merged: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const base = (DEFAULT_CONFIG as unknown as Record<string, unknown>)[key];
    merged[key] =
      base && typeof base === 'object' && !Array.isArray(base) ? { ...base, ...(value as object) } : value;
  }
  return merged as unknown as SiteConfig;
}

/** A site configuration that cannot be used: the message names the setting and what is wrong. */
export class ConfigError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a site's overrides (from a JSON file) against the settings above: unknown settings,
 * wrong types and negative numbers are refused with a message, never silently used. Keys that
 * start with `$` are comments.
 */
export function parseSiteConfig(json: unknown): ConfigOverrides {
  if (!isObject(json)) throw new ConfigError('the site configuration must be a JSON object');
  const defaults = DEFAULT_CONFIG as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const number = (value: unknown, name: string): number => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new ConfigError(`${name} must be a number ≥ 0, got ${JSON.stringify(value)}`);
    return value;
  };
  for (const [key, value] of Object.entries(json)) {
    if (key.startsWith('$')) continue;
    if (!(key in defaults)) throw new ConfigError(`unknown setting "${key}" (known: ${Object.keys(defaults).join(', ')})`);
    const base = defaults[key];
    if (typeof base === 'string') {
      // The only word-valued setting is the label region; its values are a closed list.
      if (key === 'labelRegion' && !LABEL_REGIONS.includes(value as LabelRegion)) throw new ConfigError(`labelRegion must be one of ${LABEL_REGIONS.map((r) => `"${r}"`).join(', ')}, got ${JSON.stringify(value)}`);
      out[key] = value;
    } else if (Array.isArray(base)) {
      if (!Array.isArray(value) || value.length === 0) throw new ConfigError(`${key} must be a non-empty list of numbers`);
      out[key] = value.map((v, i) => number(v, `${key}[${i}]`));
    } else if (isObject(base)) {
      if (!isObject(value)) throw new ConfigError(`${key} must be an object of settings`);
      const group: Record<string, number> = {};
      for (const [sub, subValue] of Object.entries(value)) {
        if (sub.startsWith('$')) continue;
        if (!(sub in base)) throw new ConfigError(`unknown setting "${key}.${sub}" (known: ${Object.keys(base).map((k) => `${key}.${k}`).join(', ')})`);
        group[sub] = number(subValue, `${key}.${sub}`);
      }
      out[key] = group;
    } else {
      out[key] = number(value, key);
    }
  }
  return out as ConfigOverrides;
}

/** The longest lab window, in days: the loader must search at least this far back. */
export function longestLabWindowDays(config: SiteConfig): number {
  return Math.max(...Object.values(config.windows));
}

/** Labs are searched back to the longest window plus five weeks, so a result just out of its window still shows as "outdated". */
export const LOOKBACK_MARGIN_DAYS = 35;
/** Never less than the default windows' look-back (365 + 35): a site that shortens a window does not shrink the search. */
export const MIN_LOOKBACK_DAYS = 400;

/**
 * How far back the app, the CDS service and any loader search labs for a site: one rule for all
 * of them. The body-weight search shares this floor, so it also covers the weight window.
 */
export function labLookbackDays(config: ConfigOverrides = {}): number {
  const site = resolveConfig(config);
  return Math.max(MIN_LOOKBACK_DAYS, longestLabWindowDays(site) + LOOKBACK_MARGIN_DAYS, site.weightDays);
}
