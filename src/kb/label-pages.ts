/**
 * Where a clinician reads each label (clinical/spec.md R3.8): the DailyMed page of the US
 * prescribing information (by set id where we have it, else DailyMed's search for the brand) and
 * the EMA product page for the EU. Sources name labels as "Cibinqo label (US), section 2.1" or
 * "Olumiant product information (EU), section 4.2"; the links come from those names.
 */
export const BRANDS = ['Cibinqo', 'Rinvoq', 'Olumiant', 'Opzelura', 'Anzupgo'] as const;
export type Brand = (typeof BRANDS)[number];

const dailymedSet = (setid: string) => `https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=${setid}`;
const dailymedSearch = (brand: string) => `https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&query=${brand.toUpperCase()}`;
const ema = (name: string) => `https://www.ema.europa.eu/en/medicines/human/EPAR/${name}`;

export const LABEL_PAGES: Record<Brand, { US: string; EU: string }> = {
  // Set ids as DailyMed and its mirrors list them (search, 2026-12): Cibinqo 16c12a56…, Rinvoq 2966aec7….
  Cibinqo: { US: dailymedSet('16c12a56-4550-414b-ac9d-b785b41fea6b'), EU: ema('cibinqo') },
  Rinvoq: { US: dailymedSet('2966aec7-2ef0-923c-d8ff-fe1a957bf095'), EU: ema('rinvoq') },
  Olumiant: { US: dailymedSearch('Olumiant'), EU: ema('olumiant') },
  Opzelura: { US: dailymedSearch('Opzelura'), EU: ema('opzelura') },
  Anzupgo: { US: dailymedSearch('Anzupgo'), EU: ema('anzupgo') },
};

/** "Cibinqo label (US)" / "Cibinqo product information (EU)": the names sources use. */
export function labelName(brand: Brand, region: 'US' | 'EU'): string {
  return region === 'US' ? `${brand} label (US)` : `${brand} product information (EU)`;
}
