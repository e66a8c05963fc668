/** Hand-made reports matching src/engine/report.ts, so the UI is tested without the engine. */
import type { Caution, ChecklistItem, ReadinessReport, TodoEntry } from '../../src/contract/report';

export function item(overrides: Partial<ChecklistItem> & Pick<ChecklistItem, 'id' | 'status'>): ChecklistItem {
  return {
    label: LABELS[overrides.id],
    window: 'P90D',
    evidence: [],
    source: 'Cibinqo US prescribing information §2.1',
    ...overrides,
  };
}

const LABELS: Record<ChecklistItem['id'], string> = {
  cbc: 'Complete blood count',
  'liver-enzymes': 'Liver enzymes (ALT, AST)',
  'lipid-panel': 'Lipid panel',
  'tb-screening': 'Tuberculosis screening',
  'hepatitis-b': 'Hepatitis B screening',
  'hepatitis-c': 'Hepatitis C screening',
  'pregnancy-test': 'Pregnancy test',
  'zoster-vaccine': 'Shingles vaccine (recombinant)',
};

export function caution(overrides: Partial<Caution> & Pick<Caution, 'id' | 'severity'>): Caution {
  return {
    text: `Text for ${overrides.id}`,
    evidence: [],
    source: 'Class boxed warning',
    ...overrides,
  };
}

export function report(overrides: Partial<ReadinessReport> = {}): ReadinessReport {
  return {
    asOf: '2026-11-27',
    therapy: 'oral',
    patient: { id: 'p1', age: 34, sex: 'female', name: 'Rivera, Ana' },
    dataGaps: [],
    checklist: [],
    cautions: [],
    factors: [],
    byAgent: [],
    dosing: [],
    monitoring: null,
    todo: [],
    ...overrides,
  };
}

/** A to-do entry ordering a lab for an item, as the engine writes it. */
export function orderTodo(id: ChecklistItem['id'], code = '57021-8', display = 'CBC with automated differential'): TodoEntry {
  return { id: `order-${id}`, kind: 'order-lab', text: `Order ${display}`, orders: [{ system: 'http://loinc.org', code, display }], from: [{ kind: 'item', id }] };
}

/** Every checklist item `done`, no cautions, no gaps: the only report that may sound clear. */
export function allDoneReport(): ReadinessReport {
  return report({
    checklist: (Object.keys(LABELS) as ChecklistItem['id'][]).map((id) =>
      item({
        id,
        status: 'done',
        evidence: [{ reference: `Observation/${id}`, date: '2026-11-01', display: LABELS[id], value: 'Negative', match: 'code' }],
      }),
    ),
  });
}
