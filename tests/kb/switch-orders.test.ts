/**
 * The codes a CDS switch suggestion drafts with: only verified RxNorm product codes of the agent
 * itself (src/kb/drugs.ts, label-facts §B), none where no verified code exists.
 */
import { describe, expect, it } from 'vitest';
import { AGENT_IDS } from '../../src/contract/report';
import { jakInhibitors } from '../../src/kb/drugs';
import { switchOrderCoding } from '../../src/kb/switch-orders';

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

describe('switch suggestion codes', () => {
  const cases: Array<[string, string | undefined]> = [
    ['abrocitinib', '2591487'],
    ['upadacitinib', '2196900'],
    ['baricitinib', '2047241'],
    // No verified RxNorm code for the creams: drafted as text, the prescriber picks the product.
    ['ruxolitinib-cream', undefined],
    ['delgocitinib-cream', undefined],
  ];
  for (const [agent, code] of cases) {
    it(`${agent}: ${code ?? 'no code'}`, () => {
      const coding = switchOrderCoding(agent as never);
      if (code === undefined) expect(coding).toBeUndefined();
      else expect(coding).toMatchObject({ system: RXNORM, code });
    });
  }

  it('every code is one of the agent\'s own verified product codes', () => {
    expect(AGENT_IDS).toHaveLength(5);
    for (const agent of AGENT_IDS) {
      const coding = switchOrderCoding(agent);
      if (!coding) continue;
      const drug = jakInhibitors.drugs.find((d) => agent.startsWith(d.ingredient));
      expect(drug?.rxnorm).toContain(coding.code);
    }
  });
});
