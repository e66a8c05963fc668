/**
 * Short test names for notes and paper ("CBC", "LDL cholesterol"): what a clinician writes, not
 * the orderable panel's full name (src/kb/orderables.ts) or the LOINC long name. Keyed by the
 * orderable's LOINC code; a code not listed keeps its display.
 */
import { ORDERABLE } from './orderables';

export const SHORT_TEST_NAMES: Readonly<Record<string, string>> = {
  [ORDERABLE.cbc.code]: 'CBC',
  [ORDERABLE.liverEnzymes.code]: 'liver enzymes (ALT, AST)',
  [ORDERABLE.lipidPanel.code]: 'lipid panel (LDL cholesterol)',
  [ORDERABLE.igra.code]: 'TB blood test (IGRA)',
  [ORDERABLE.hbsag.code]: 'HBsAg',
  [ORDERABLE.antiHbc.code]: 'anti-HBc',
  [ORDERABLE.hbvDna.code]: 'HBV DNA',
  [ORDERABLE.hcvAntibody.code]: 'HCV antibody',
  [ORDERABLE.hcvRna.code]: 'HCV RNA',
  [ORDERABLE.hcg.code]: 'serum hCG',
};

export function shortTestName(test: { code: string; display: string }): string {
  return SHORT_TEST_NAMES[test.code] ?? test.display;
}
