/** Vaccine code lists (CVX), per clinical/spec.md and label-facts-and-codes.md §B CVX. */
import { codeSet } from './code-sets';

/** Official live-vaccine value sets (MMR, varicella, LAIV), united with the spec's CVX list below. */
export const liveVaccineValueSets = codeSet({
  id: 'live-vaccines-vsac', label: 'Live vaccines (VSAC)', valueSets: ['mmr-vaccine', 'varicella-vaccine', 'influenza-laiv-vaccine'],
  source: 'VSAC MMR, varicella and LAIV vaccine value sets',
});
export const ZOSTER_RECOMBINANT_CVX = '187';
/** "Zoster vaccine, unspecified formulation": counts as at most one dose, with "verify". */
export const ZOSTER_UNSPECIFIED_CVX = '188';
/** Live zoster vaccine (Zostavax): never counts toward the recombinant series. */
export const ZOSTER_LIVE_CVX = '121';

/** Live vaccines (spec `recent-live-vaccine`; verify against the CDC CVX table). */
export const LIVE_VACCINE_CVX: Record<string, string> = {
  '03': 'MMR', '04': 'measles and rubella', '05': 'measles', '06': 'rubella', '07': 'mumps', '38': 'rubella and mumps',
  '94': 'MMRV', '21': 'varicella', '121': 'zoster, live', '37': 'yellow fever', '183': 'yellow fever (alternative)',
  '184': 'yellow fever, unspecified', '111': 'influenza, live, intranasal', '125': 'H1N1 live intranasal',
  '149': 'influenza, live, intranasal, quadrivalent', '151': 'influenza, live, intranasal, unspecified', '25': 'typhoid, oral',
  '19': 'BCG', '116': 'rotavirus, pentavalent', '119': 'rotavirus, monovalent', '122': 'rotavirus, unspecified',
  '74': 'rotavirus, tetravalent', '02': 'OPV', '54': 'adenovirus type 4', '55': 'adenovirus type 7',
  '143': 'adenovirus types 4 and 7', '174': 'cholera, live, oral', '75': 'vaccinia (smallpox)', '105': 'vaccinia, diluted',
  '56': 'dengue', '204': 'Ebola Zaire (rVSV)', '317': 'chikungunya, live',
};
export const LIVE_VACCINE_SOURCE = 'clinical/spec.md recent-live-vaccine CVX list; label-facts §B CVX (VSAC us-core-vaccines-cvx)';

/** Names used when a vaccine is recorded without CVX (whole word, case-insensitive). */
export const LIVE_VACCINE_NAMES = /\b(MMR|MMRV|measles|mumps|rubella|varicella|chickenpox|zostavax|yellow fever|YF-Vax|Stamaril|FluMist|LAIV|intranasal influenza|oral typhoid|Vivotif|BCG|rotavirus|RotaTeq|Rotarix|oral polio|OPV|Vaxchora|ACAM2000|dengue|Dengvaxia|Ervebo|Ixchiq)\b/i;
export const ZOSTER_RECOMBINANT_NAMES = /\b(shingrix|recombinant zoster|zoster recombinant|RZV)\b/i;
