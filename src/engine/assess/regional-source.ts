/**
 * Under EU labels (site setting labelRegion "EU", R3.7) a caution cites the EU product
 * information where the knowledge base gives it, so the source matches the rule applied.
 */
import { CAUTION_RULES } from '../../kb/cautions';
import type { AssessContext } from './context';
import type { Finding } from './cautions/resolve';

export function regionalSource(ctx: AssessContext, finding: Finding): Finding {
  if (ctx.config.labelRegion !== 'EU' || finding.source) return finding;
  const eu = CAUTION_RULES[finding.id].sourceEU;
  return eu ? { ...finding, source: eu } : finding;
}
