/** The common shape of a condition-triggered caution: one finding citing every matching condition. */
import type { CautionId } from '../../../contract/report';
import { conditionEvidence } from '../evidence';
import type { ConditionMatch } from '../facts';
import type { Finding } from './resolve';

/** A diagnosis that is provisional/differential everywhere it appears is at most a warning, marked unconfirmed. */
export function fromConditions(id: CautionId, matches: ConditionMatch[], text: (m: ConditionMatch) => string): Finding[] {
  if (matches.length === 0) return [];
  const finding: Finding = { id, text: text(matches[0]!), evidence: matches.map((m) => conditionEvidence(m.condition, m.matched)) };
  if (matches.every((m) => m.unconfirmed)) finding.unconfirmed = true;
  return [finding];
}

