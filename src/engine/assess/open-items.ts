/**
 * Abnormal results in a few words (clinical/spec.md R3.5): every abnormal checklist item shows in
 * the verdict line of the agents it affects ("ALT 165 U/L, 4× upper limit"). The checklist is the
 * agent's own, so an item abnormal only under one label (abrocitinib's platelets) is named only there.
 */
import type { ChecklistItem } from '../../contract/report';

/** "HCV antibody positive: HCV RNA needed" → "HCV antibody positive"; "Pregnant (positive test …)" → "Pregnant". */
function shorten(detail: string): string {
  const cut = detail.split(/: |, | \(|; /)[0] ?? detail;
  return cut.trim();
}

export function abnormalShort(item: ChecklistItem): string | undefined {
  if (item.status !== 'abnormal') return undefined;
  return item.short ?? (item.detail ? shorten(item.detail) : item.label);
}

export function abnormalReasons(checklist: readonly ChecklistItem[]): string[] {
  return checklist.filter((i) => i.status === 'abnormal').map((i) => abnormalShort(i)!).filter(Boolean);
}
