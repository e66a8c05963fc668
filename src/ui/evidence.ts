import type { Evidence } from '../contract/report';

/** The newest dated piece of evidence; dates are ISO strings (possibly partial), so they sort as text. */
export function newestEvidence(evidence: readonly Evidence[]): Evidence | undefined {
  let newest: Evidence | undefined;
  for (const piece of evidence) {
    if (!piece.date) continue;
    if (!newest || piece.date > (newest.date ?? '')) newest = piece;
  }
  return newest;
}
