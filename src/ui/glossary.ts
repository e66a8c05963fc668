/**
 * Abbreviations a clinician may meet where the full words would not fit (R3.8): one glossary
 * line under the note, the print and the sidebar, naming only the ones the text uses.
 */
export const GLOSSARY: ReadonlyArray<[string, string]> = [
  ['ANC', 'absolute neutrophil count'],
  ['ALC', 'absolute lymphocyte count'],
  ['CBC', 'complete blood count'],
  ['ALT', 'alanine aminotransferase'],
  ['AST', 'aspartate aminotransferase'],
  ['LDL', 'low-density lipoprotein'],
  ['HDL', 'high-density lipoprotein'],
  ['IGRA', 'interferon-gamma release assay (TB blood test)'],
  ['HBsAg', 'hepatitis B surface antigen'],
  ['anti-HBc', 'hepatitis B core antibody'],
  ['HBV', 'hepatitis B virus'],
  ['HCV', 'hepatitis C virus'],
  ['hCG', 'pregnancy hormone (human chorionic gonadotropin)'],
  ['eGFR', 'estimated kidney filtration rate'],
  ['TB', 'tuberculosis'],
  ['CYP3A4', 'a liver enzyme that breaks down some drugs'],
  ['CYP2C19', 'a liver enzyme that breaks down some drugs'],
];

/** "Abbreviations: ANC = absolute neutrophil count; TB = tuberculosis", or undefined when none is used. */
export function glossaryLine(text: string): string | undefined {
  const used = GLOSSARY.filter(([abbr]) => new RegExp(`(^|[^A-Za-z-])${abbr.replace(/[-]/g, '\\-')}(?![A-Za-z])`).test(text));
  return used.length ? `Abbreviations: ${used.map(([abbr, words]) => `${abbr} = ${words}`).join('; ')}` : undefined;
}
