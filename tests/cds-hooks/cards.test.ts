/**
 * The report → cards mapping, on hand-made reports: the Revision 2 sections it reads (`byAgent`,
 * `todo` with `orders`, `labelWording`) are contract types the engine fills in separately, so the
 * mapping is pinned here against the contract itself.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AgentVerdict, ReadinessReport, TodoEntry } from '../../src/contract/report';
import { agentName, cardsFor, OVERRIDE_REASON_SYSTEM, type CardInput } from '../../src/cds-hooks/cards';
import { clip, md, SUMMARY_MAX } from '../../src/cds-hooks/text';
import { allDoneReport, caution, item, report } from '../ui/fixtures';

const DRAFT = {
  resourceType: 'MedicationRequest',
  id: 'request-123',
  status: 'draft',
  intent: 'order',
  subject: { reference: 'Patient/p1' },
  encounter: { reference: 'Encounter/e1' },
  requester: { reference: 'Practitioner/dr1' },
  medicationCodeableConcept: { text: 'Abrocitinib 100 mg tablet' },
} as const;

function input(r: ReadinessReport, overrides: Partial<CardInput> = {}): CardInput {
  let n = 0;
  return {
    report: r,
    agent: 'abrocitinib',
    draft: DRAFT as never,
    draftReference: 'MedicationRequest/request-123',
    patientId: 'p1',
    appLaunchUrl: 'https://app.example/launch/',
    today: '2026-11-27',
    newUuid: () => `uuid-${++n}`,
    ...overrides,
  };
}

const verdict = (therapy: AgentVerdict['therapy'], v: AgentVerdict['verdict']): AgentVerdict => ({ therapy, label: therapy, verdict: v, reasons: [], causes: [] });

const TODO: TodoEntry[] = [
  { id: 'order-cbc', kind: 'order-lab', text: 'Order CBC with differential', orders: [{ system: 'http://loinc.org', code: '57021-8', display: 'CBC W Auto Differential panel - Blood' }], from: [{ kind: 'item', id: 'cbc' }] },
  { id: 'order-hepatitis-b', kind: 'order-lab', text: 'Order hepatitis B screening', orders: [{ system: 'http://loinc.org', code: '5196-1', display: 'HBsAg' }, { system: 'http://loinc.org', code: '16933-4', display: 'anti-HBc' }], from: [{ kind: 'item', id: 'hepatitis-b' }] },
  { id: 'vaccinate-zoster', kind: 'vaccinate', text: 'Give the recombinant zoster vaccine', from: [{ kind: 'item', id: 'zoster-vaccine' }] },
];

describe('critical cards: one per do-not-start caution of the ordered agent', () => {
  const r = report({
    therapy: 'abrocitinib',
    cautions: [
      caution({ id: 'antiplatelet', severity: 'do-not-start', text: 'Current antiplatelet therapy: clopidogrel', labelWording: 'contraindicated', source: 'Cibinqo US PI §4 (contraindications)', evidence: [{ reference: 'MedicationRequest/m1', display: 'clopidogrel 75 MG', date: '2026-08-01' }] }),
      caution({ id: 'pregnancy', severity: 'do-not-start', text: 'Pregnant', source: 'EU SmPC §4.6' }),
      caution({ id: 'smoking', severity: 'warning', text: 'Current smoker' }),
    ],
    byAgent: [verdict('abrocitinib', 'do-not-start'), verdict('upadacitinib', 'needs-work'), verdict('baricitinib', 'unknown'), verdict('ruxolitinib-cream', 'ready'), verdict('delgocitinib-cream', 'do-not-start')],
  });
  const cards = cardsFor(input(r));
  const critical = cards.filter((c) => c.indicator === 'critical');

  it('raises one critical card per do-not-start caution, in the label\'s own words, naming its source', () => {
    expect(critical).toHaveLength(2);
    expect(critical[0]!.summary).toBe('Abrocitinib (Cibinqo): contraindicated — Current antiplatelet therapy: clopidogrel');
    expect(critical[1]!.summary).toBe('Do not start Abrocitinib (Cibinqo): Pregnant');
    expect(critical[0]!.source.label).toBe('jak-readiness: Cibinqo US PI §4 (contraindications)');
    expect(critical[1]!.source.label).toBe('jak-readiness: EU SmPC §4.6');
    expect(critical[0]!.detail).toContain('clopidogrel 75 MG, 2026-08-01');
    expect(critical[0]!.source.url).toBeUndefined();
  });

  it('shows no record ids in the card text (they stay in the report JSON)', () => {
    for (const card of cards) expect(`${card.summary}\n${card.detail}`).not.toMatch(/MedicationRequest\/|m1\b/);
  });

  it('writes the detail as Markdown blocks: the finding, the label\'s words and the evidence each on their own', () => {
    const detail = critical[0]!.detail!;
    // A single newline is a soft break in Markdown: "…clopidogrel The label says" on one line.
    expect(detail).not.toMatch(/clopidogrel\nThe label says/);
    expect(detail.split('\n\n')).toEqual([
      '**Antiplatelet therapy**: Current antiplatelet therapy\\: clopidogrel',
      'The label says: contraindicated.',
      'In the record:',
      '- clopidogrel 75 MG, 2026-08-01',
    ]);
  });

  it('offers, on the first card, a switch to each agent whose verdict is known not to block, same route first', () => {
    const suggestions = critical[0]!.suggestions!;
    expect(critical[0]!.selectionBehavior).toBe('at-most-one');
    expect(critical[1]!.suggestions).toBeUndefined();
    // baricitinib is `unknown` (it may block) and delgocitinib is do-not-start: neither offered.
    expect(suggestions.map((s) => s.label.split(' (')[0])).toEqual(['Switch to Upadacitinib', 'Switch to Ruxolitinib cream']);
    const [toUpa, toCream] = suggestions;
    // The create first, then the delete of the draft: a client applying only the first action swaps the drug.
    expect(toUpa!.actions[1]).toEqual({ type: 'delete', description: 'Remove the draft order for Abrocitinib (Cibinqo)', resourceId: 'MedicationRequest/request-123' });
    expect(toUpa!.actions[0]!.type).toBe('create');
    expect(toUpa!.actions[0]!.resource).toMatchObject({
      resourceType: 'MedicationRequest',
      status: 'draft',
      intent: 'order',
      subject: { reference: 'Patient/p1' },
      encounter: { reference: 'Encounter/e1' },
      requester: { reference: 'Practitioner/dr1' },
      // Coded: an EHR can apply it as an order (RxNorm, a verified Rinvoq product code).
      medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '2196900' }], text: 'Upadacitinib (Rinvoq)' },
    });
    // A topical for an oral order says what it is and is not.
    expect(toCream!.label).toMatch(/topical: for limited areas of mild to moderate eczema, not a substitute for systemic therapy/);
    expect(suggestions.every((s) => s.isRecommended === undefined)).toBe(true);
  });

  it('says what each alternative is not: hand eczema only, oral for a cream order; never offers a not-approved agent', () => {
    const all = report({
      cautions: [caution({ id: 'immunosuppressant', severity: 'do-not-start' })],
      byAgent: [verdict('ruxolitinib-cream', 'do-not-start'), verdict('abrocitinib', 'ready'), verdict('baricitinib', 'needs-work'), verdict('delgocitinib-cream', 'ready'), verdict('upadacitinib', 'not-approved')],
    });
    const labels = cardsFor(input(all, { agent: 'ruxolitinib-cream' }))[0]!.suggestions!.map((s) => s.label);
    expect(labels).toEqual([
      'Switch to Delgocitinib cream (Anzupgo) (approved for chronic hand eczema only; no do-not-start finding, baseline complete)',
      'Switch to Abrocitinib (Cibinqo) (oral: systemic therapy for moderate to severe eczema; no do-not-start finding, baseline complete)',
      'Switch to Baricitinib (Olumiant) (oral: systemic therapy for moderate to severe eczema; no do-not-start finding; still has work to do)',
    ]);
  });

  it('does not repeat the label\'s verb when the finding already says it', () => {
    const r = report({ cautions: [caution({ id: 'thrombosis-history', severity: 'do-not-start', text: 'History of DVT: avoid', labelWording: 'avoid' })] });
    expect(cardsFor(input(r))[0]!.summary).toBe('Abrocitinib (Cibinqo): History of DVT: avoid');
  });

  it('suggests waiting, not switching, when the only block ends by itself (a recent live vaccine)', () => {
    const r = report({
      cautions: [caution({ id: 'recent-live-vaccine', severity: 'do-not-start', labelWording: 'avoid' })],
      byAgent: [verdict('abrocitinib', 'do-not-start'), verdict('ruxolitinib-cream', 'ready')],
    });
    expect(cardsFor(input(r))[0]!.suggestions).toBeUndefined();
    const both = report({ ...r, cautions: [...r.cautions, caution({ id: 'pregnancy', severity: 'do-not-start' })] });
    expect(cardsFor(input(both))[0]!.suggestions).toHaveLength(1);
  });

  it('offers no switch when the draft has no id to replace', () => {
    const noId = cardsFor(input(r, { draftReference: undefined }));
    expect(noId.find((c) => c.indicator === 'critical')!.suggestions).toBeUndefined();
  });

  it('still raises a critical card when the verdict is do-not-start without a do-not-start caution', () => {
    const byVerdict = report({ byAgent: [{ therapy: 'abrocitinib', label: 'Abrocitinib', verdict: 'do-not-start', reasons: ['ANC 800/µL'], causes: [{ kind: 'item', id: 'cbc' }] }], checklist: [item({ id: 'cbc', status: 'abnormal', source: 'Cibinqo US PI §2.1' })] });
    const [card] = cardsFor(input(byVerdict));
    expect(card!.indicator).toBe('critical');
    expect(card!.summary).toBe('Do not start Abrocitinib (Cibinqo): ANC 800/µL');
    expect(card!.source.label).toBe('jak-readiness: Cibinqo US PI §2.1');
  });

  it('every card offers the reasons a clinician overrides it for, as Codings with a display', () => {
    for (const card of cards) {
      expect(card.overrideReasons!.length).toBeGreaterThan(0);
      for (const reason of card.overrideReasons!) expect(reason).toEqual({ system: OVERRIDE_REASON_SYSTEM, code: expect.any(String), display: expect.any(String) });
    }
    expect(critical[0]!.overrideReasons!.map((r) => r.display)).toContain('Benefit outweighs risk — documented');
  });
});

describe('the warning card', () => {
  it('summarises every warning in one card, each with its source in the detail', () => {
    const r = report({
      cautions: [
        caution({ id: 'smoking', severity: 'warning', text: 'Current smoker', source: 'Boxed warning (smoking)' }),
        caution({ id: 'thrombosis-history', severity: 'warning', text: 'DVT in 2019', source: 'Boxed warning (thrombosis)' }),
      ],
    });
    const cards = cardsFor(input(r));
    expect(cards).toHaveLength(1);
    const [card] = cards;
    expect(card!.indicator).toBe('warning');
    expect(card!.summary).toBe('Abrocitinib (Cibinqo): 2 warnings to weigh: Current or former smoker, History of blood clots');
    expect(card!.detail).toContain('Boxed warning \\(thrombosis\\)');
    // A short label; each warning names its own source in the detail.
    expect(card!.source.label).toBe('jak-readiness: Boxed warning (smoking) (+1 more source in the detail)');
    expect(card!.detail).toContain('(Boxed warning \\(smoking\\))');
  });

  it('never reads as an all-clear when data did not load: what could not be checked is a warning', () => {
    const r = report({
      dataGaps: [{ resourceType: 'Observation', reason: 'HTTP 503', affects: ['Complete blood count'] }],
      checklist: [item({ id: 'cbc', status: 'unknown', detail: 'Could not check: HTTP 503' })],
    });
    const [card] = cardsFor(input(r));
    expect(card!.indicator).toBe('warning');
    expect(card!.summary).toBe('Abrocitinib (Cibinqo): could not check Complete blood count');
    expect(card!.detail).toMatch(/Could not be checked/);
    expect(card!.detail).toContain('HTTP 503');
  });
});

describe('the to-do card and "Order missing baseline labs"', () => {
  const r = report({ todo: TODO, checklist: [item({ id: 'cbc', status: 'missing' }), item({ id: 'hepatitis-b', status: 'missing' })] });

  it('lists the to-do entries and offers the lab orders as ServiceRequest drafts', () => {
    const [card] = cardsFor(input(r));
    expect(card!.indicator).toBe('info');
    expect(card!.summary).toMatch(/^Before starting Abrocitinib \(Cibinqo\), 3 things to do: Order CBC with differential; Order hepatitis B screening; Give the .*…$/);
    expect(card!.detail).toContain('- Give the recombinant zoster vaccine');
    expect(card!.selectionBehavior).toBe('any');
    const [suggestion] = card!.suggestions!;
    expect(suggestion!.label).toBe('Order missing baseline labs');
    expect(suggestion!.uuid).toMatch(/^uuid-/);
    expect(suggestion!.actions.map((a) => [a.type, (a.resource as any).code.coding[0].code])).toEqual([
      ['create', '57021-8'],
      ['create', '5196-1'],
      ['create', '16933-4'],
    ]);
    expect(suggestion!.actions[0]!.resource).toEqual({
      resourceType: 'ServiceRequest',
      status: 'draft',
      intent: 'order',
      category: [{ coding: [{ system: 'http://snomed.info/sct', code: '108252007', display: 'Laboratory procedure' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '57021-8', display: 'CBC W Auto Differential panel - Blood' }], text: 'CBC W Auto Differential panel - Blood' },
      subject: { reference: 'Patient/p1' },
      encounter: { reference: 'Encounter/e1' },
      requester: { reference: 'Practitioner/dr1' },
      authoredOn: '2026-11-27',
      reasonCode: [{ text: 'Baseline before starting Abrocitinib (Cibinqo)' }],
    });
  });

  it('does not suggest a lab that is already drafted alongside', () => {
    const [card] = cardsFor(input(r, { alreadyDrafted: new Set(['57021-8']) }));
    expect(card!.suggestions![0]!.actions.map((a) => (a.resource as any).code.coding[0].code)).toEqual(['5196-1', '16933-4']);
  });

  it('offers no order suggestion when nothing on the list is a lab to order', () => {
    const [card] = cardsFor(input(report({ todo: [TODO[2]!] })));
    expect(card!.suggestions).toBeUndefined();
    expect(card!.selectionBehavior).toBeUndefined();
  });

  it('lists open checklist items itself if the to-do list is ever empty while items are open', () => {
    const [card] = cardsFor(input(report({ checklist: [item({ id: 'lipid-panel', status: 'outdated', detail: 'Last 2025-01-02' })] })));
    expect(card!.indicator).toBe('info');
    expect(card!.summary).toBe('Before starting Abrocitinib (Cibinqo), 1 thing to do: Lipid panel outdated');
  });

  it('names the sources of the items behind the to-do entries', () => {
    const [card] = cardsFor(input(report({ todo: [TODO[0]!], checklist: [item({ id: 'cbc', status: 'missing', source: 'Cibinqo US PI §2.1 (CBC before starting)' })] })));
    expect(card!.source.label).toBe('jak-readiness: Cibinqo US PI §2.1 (CBC before starting)');
    const [two] = cardsFor(input(report({ todo: TODO.slice(0, 2), checklist: [item({ id: 'cbc', status: 'missing', source: 'PI §2.1' }), item({ id: 'hepatitis-b', status: 'missing', source: 'PI §5.1' })] })));
    expect(two!.source.label).toBe('jak-readiness: PI §2.1 (+1 more source in the detail)');
    expect(two!.detail).toContain('- Order hepatitis B screening (PI §5\\.1)');
  });
});

describe('every card', () => {
  it('a ready patient with nothing to note gets no card at all', () => {
    expect(cardsFor(input(allDoneReport()))).toEqual([]);
  });

  it('links to the sidebar as a SMART launch with the order as appContext, when the app URL is configured', () => {
    const cards = cardsFor(input(report({ todo: TODO })));
    expect(cards[0]!.links).toEqual([{ label: 'Open JAK readiness to see the evidence', url: 'https://app.example/launch/', type: 'smart', appContext: '{"therapy":"abrocitinib","draftOrder":"MedicationRequest/request-123"}' }]);
    expect(cardsFor(input(report({ todo: TODO }), { appLaunchUrl: undefined }))[0]!.links).toBeUndefined();
  });

  it('carries unique uuids on cards and suggestions (real ones by default)', () => {
    const r = report({ todo: TODO, cautions: [caution({ id: 'pregnancy', severity: 'do-not-start' }), caution({ id: 'smoking', severity: 'warning' })], byAgent: [verdict('abrocitinib', 'do-not-start'), verdict('upadacitinib', 'ready')] });
    const cards = cardsFor(input(r, { newUuid: undefined }));
    const ids = cards.flatMap((c) => [c.uuid, ...(c.suggestions ?? []).map((s) => s.uuid)]);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('record text cannot become markup in the detail (links, images, HTML)', () => {
    const hostile = '<img src=x onerror=alert(1)> [click](http://evil.example) **bold** `code`';
    const r = report({ cautions: [caution({ id: 'antiplatelet', severity: 'do-not-start', text: hostile, evidence: [{ display: hostile, reference: 'MedicationRequest/m1' }] })] });
    const [card] = cardsFor(input(r));
    expect(card!.detail).not.toMatch(/<img/);
    expect(card!.detail).not.toMatch(/\]\(http/);
    expect(card!.detail).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;');
    expect(md('http://x.example\nsecond line')).toBe('http\\://x\\.example second line');
  });
});

describe('summaries stay under 140 characters', () => {
  it('clip keeps short text and cuts long text with an ellipsis under the limit', () => {
    expect(clip('short')).toBe('short');
    const long = 'word '.repeat(60);
    expect([...clip(long)].length).toBeLessThanOrEqual(SUMMARY_MAX);
    expect(clip(long).endsWith('…')).toBe(true);
  });

  it('for any caution text, warning set, to-do list and agent', () => {
    const text = fc.string({ minLength: 0, maxLength: 400, unit: 'grapheme' });
    fc.assert(
      fc.property(
        fc.constantFrom('abrocitinib', 'upadacitinib', 'baricitinib', 'ruxolitinib-cream', 'delgocitinib-cream' as const),
        fc.array(text, { maxLength: 4 }),
        fc.array(text, { maxLength: 6 }),
        fc.array(text, { maxLength: 8 }),
        (agent, blocking, warnings, todo) => {
          const r = report({
            cautions: [
              ...blocking.map((t) => caution({ id: 'pregnancy', severity: 'do-not-start', text: t, labelWording: 'not recommended' })),
              ...warnings.map((t) => caution({ id: 'smoking', severity: 'warning', text: t })),
            ],
            todo: todo.map((t, i) => ({ id: `t${i}`, kind: 'ask', text: t, from: [] })),
            dataGaps: warnings.length % 2 ? [{ resourceType: 'Observation', reason: 'HTTP 503' }] : [],
          });
          for (const card of cardsFor(input(r, { agent }))) {
            expect([...card.summary].length).toBeLessThan(140);
            expect(card.summary.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('agent names used in summaries', () => {
    expect(['abrocitinib', 'upadacitinib', 'baricitinib', 'ruxolitinib-cream', 'delgocitinib-cream'].map((a) => agentName(a as never))).toEqual([
      'Abrocitinib (Cibinqo)',
      'Upadacitinib (Rinvoq)',
      'Baricitinib (Olumiant)',
      'Ruxolitinib cream (Opzelura)',
      'Delgocitinib cream (Anzupgo)',
    ]);
  });
});

describe('switch suggestions follow the label region (R3.5, R3.7)', () => {
  it('clopidogrel blocks abrocitinib: under US labels baricitinib is never offered, under EU labels it is', async () => {
    const { readyForEveryAgent, medication, reportFor } = await import('../engine/assess/builders');
    const resources = [...readyForEveryAgent(), medication('clopidogrel 75 MG Oral Tablet')];
    const offered = (region: 'US' | 'EU') =>
      cardsFor(input(reportFor(resources, { therapy: 'abrocitinib', region }), { agent: 'abrocitinib' }))[0]!.suggestions!.map((s) => s.label.replace(/ \(.*$/, ''));
    expect(offered('US')).not.toContain('Switch to Baricitinib');
    expect(offered('US')).toContain('Switch to Upadacitinib');
    expect(offered('EU')).toContain('Switch to Baricitinib');
    // Ruxolitinib cream is the one not approved for atopic dermatitis under EU labels.
    expect(offered('EU')).not.toContain('Switch to Ruxolitinib cream');
  });
});

describe('an order for an agent not approved for this patient (R3.5)', () => {
  it('baricitinib ordered under US labels: a warning that says so, with the label page, offering approved agents only', async () => {
    const { readyForEveryAgent, reportFor } = await import('../engine/assess/builders');
    const cards = cardsFor(input(reportFor(readyForEveryAgent(), { therapy: 'baricitinib' }), { agent: 'baricitinib' }));
    const first = cards[0]!;
    expect(first).toMatchObject({ indicator: 'warning', summary: 'Baricitinib (Olumiant): Not approved for atopic dermatitis (US)' });
    expect(first.links?.some((l) => l.type === 'absolute' && l.url.startsWith('https://dailymed.nlm.nih.gov/'))).toBe(true);
    const offered = first.suggestions!.map((s) => s.label.replace(/ \(.*$/, ''));
    expect(offered).toContain('Switch to Upadacitinib');
    expect(offered).not.toContain('Switch to Baricitinib');
  });

  it('baricitinib ordered under EU labels: no such warning', async () => {
    const { readyForEveryAgent, reportFor } = await import('../engine/assess/builders');
    const cards = cardsFor(input(reportFor(readyForEveryAgent(), { therapy: 'baricitinib', region: 'EU' }), { agent: 'baricitinib' }));
    expect(cards.filter((c) => /Not approved/.test(c.summary))).toEqual([]);
  });
});
