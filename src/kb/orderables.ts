/**
 * What to order for each part of the checklist that is still needed (R2.6 `todo`): the LOINC of
 * the orderable panel where one exists, else of the test itself. Displays are ours, in clinic
 * words; codes with their sources (label-facts-and-codes.md §B; research notes 2026-12).
 */
import type { OrderableTest } from '../contract/report';
import { LOINC } from '../contract/codes';

const loinc = (code: string, display: string): OrderableTest => ({ system: LOINC as 'http://loinc.org', code, display });

export const ORDERABLE = {
  cbc: loinc('57021-8', 'CBC with automated differential'),
  liverEnzymes: loinc('24325-3', 'Hepatic function panel (ALT, AST)'),
  lipidPanel: loinc('57698-3', 'Lipid panel'),
  igra: loinc('71773-6', 'TB blood test (IGRA, e.g. QuantiFERON)'),
  hbsag: loinc('5196-1', 'Hepatitis B surface antigen (HBsAg)'),
  antiHbc: loinc('16933-4', 'Hepatitis B core antibody, total (anti-HBc)'),
  hbvDna: loinc('42595-9', 'HBV DNA, quantitative'),
  hcvAntibody: loinc('13955-0', 'Hepatitis C antibody'),
  hcvRna: loinc('50023-1', 'HCV RNA, quantitative (viral load)'),
  hcg: loinc('2118-8', 'Pregnancy test (serum hCG)'),
} as const;

export const ORDERABLE_SOURCE =
  'Orderable panels: CBC with differential 57021-8, lipid panel 57698-3 (label-facts §B ✔); hepatic function panel 24325-3 (LabCorp order code ◐); IGRA 71773-6; HBsAg 5196-1, anti-HBc 16933-4, HBV DNA 42595-9, HCV antibody 13955-0, HCV RNA panel 50023-1, serum hCG 2118-8 (research notes 2026-12)';

/** Checklist components (the names in `missing`) → what to order. */
export const ORDER_FOR_COMPONENT: Readonly<Record<string, OrderableTest>> = {
  Hemoglobin: ORDERABLE.cbc,
  Platelets: ORDERABLE.cbc,
  ANC: ORDERABLE.cbc,
  ALC: ORDERABLE.cbc,
  ALT: ORDERABLE.liverEnzymes,
  AST: ORDERABLE.liverEnzymes,
  LDL: ORDERABLE.lipidPanel,
  HDL: ORDERABLE.lipidPanel,
  'Total cholesterol': ORDERABLE.lipidPanel,
  Triglycerides: ORDERABLE.lipidPanel,
  'TB test': ORDERABLE.igra,
  HBsAg: ORDERABLE.hbsag,
  'Anti-HBc': ORDERABLE.antiHbc,
  'HBV DNA': ORDERABLE.hbvDna,
  'HCV antibody': ORDERABLE.hcvAntibody,
  'HCV RNA': ORDERABLE.hcvRna,
  'Pregnancy test': ORDERABLE.hcg,
};

/** The recombinant zoster vaccine (Shingrix), CVX 187. */
export const ZOSTER_VACCINE = { cvx: '187', display: 'recombinant zoster vaccine (Shingrix)' };
