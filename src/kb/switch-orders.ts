/**
 * The medicine a CDS "switch" suggestion drafts for each agent, coded so an EHR can apply it as an
 * order (CDS Hooks suggestion `create` of a MedicationRequest): RxNorm system and code.
 *
 * Only codes that are in the verified product lists of src/kb/drugs.ts (label-facts-and-codes.md
 * §B, openFDA NDC) are used. openFDA lists every strength's RxCUI under each product, so the
 * strength each code stands for is not verified there: the codes below are the ones the project's
 * own fixtures use for the usual starting tablet (src/bench/bulk-export.ts: 2591487 abrocitinib
 * 100 mg, 2196900 upadacitinib 15 mg ER), and the suggestion always says to choose the dose from
 * the label. Agents without a verified code (the creams) are drafted as text only: the EHR's
 * prescriber picks the product.
 */
import type { AgentId } from '../contract/report';
import { RXNORM } from './code-sets';
import { jakInhibitors } from './drugs';

export interface SwitchOrder {
  system: string;
  code: string;
  source: string;
}

const CODES: Partial<Record<AgentId, { ingredient: string; code: string; source: string }>> = {
  abrocitinib: { ingredient: 'abrocitinib', code: '2591487', source: 'Cibinqo product RxCUI (openFDA NDC 0069-0335, label-facts §B); starting tablet as in src/bench/bulk-export.ts' },
  upadacitinib: { ingredient: 'upadacitinib', code: '2196900', source: 'Rinvoq product RxCUI (openFDA NDC 0074-2310, label-facts §B); starting tablet as in src/bench/bulk-export.ts' },
  baricitinib: { ingredient: 'baricitinib', code: '2047241', source: 'Olumiant product RxCUI (openFDA NDC 0002-4479, label-facts §B); strength not asserted' },
};

/** The RxNorm coding for a switch to `agent`, or undefined when no verified code exists. */
export function switchOrderCoding(agent: AgentId): SwitchOrder | undefined {
  const entry = CODES[agent];
  if (!entry) return undefined;
  // A code drifting out of the verified list is a data error, not a silent new code.
  const verified = jakInhibitors.drugs.find((d) => d.ingredient === entry.ingredient)?.rxnorm ?? [];
  if (!verified.includes(entry.code)) return undefined;
  return { system: RXNORM, code: entry.code, source: entry.source };
}
