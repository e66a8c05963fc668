/**
 * Clinical revision 3, part 2 (clinical/spec.md R3.5–R3.6; R3.1–R3.4 are in revision3.test.ts): one meaning for every verdict and
 * tuberculosis after and during treatment — named patient scenarios, each rule in both directions.
 */
import { describe, expect, it } from 'vitest';
import type { AgentId, ReadinessReport, TherapyId, Verdict } from '../../../src/contract/report';
import { POSITIVE, condition, cautionOf, daysAgo, handEczema, itemOf, lab, medication, observation, priorSystemicTherapy, readyBaseline, readyForEveryAgent, reportFor, vaccine } from './builders';

type Json = Record<string, unknown>;
const verdictOf = (report: ReadinessReport, agent: AgentId) => report.byAgent.find((v) => v.therapy === agent)!;
const without = (resources: Json[], ...codes: string[]) => resources.filter((r) => !codes.some((c) => JSON.stringify(r).includes(`"code":"${c}"`)));

describe('R3.5 prior systemic therapy: the prescriber confirms it, for every oral agent alike', () => {
  interface Row { scenario: string; resources: Json[]; region?: 'US' | 'EU'; agents: Partial<Record<AgentId, Verdict>>; confirm: boolean }
  const rows: Row[] = [
    { scenario: 'US, no prior systemic therapy: abrocitinib and upadacitinib both need the prescriber to confirm', resources: [...readyBaseline(), handEczema()], agents: { abrocitinib: 'needs-work', upadacitinib: 'needs-work' }, confirm: true },
    { scenario: 'US, a completed dupilumab course: nothing to confirm, both ready', resources: readyForEveryAgent(), agents: { abrocitinib: 'ready', upadacitinib: 'ready' }, confirm: false },
    { scenario: 'EU (candidates for systemic therapy): no prior-therapy condition, both ready', resources: [...readyBaseline(), handEczema()], region: 'EU', agents: { abrocitinib: 'ready', upadacitinib: 'ready', baricitinib: 'ready' }, confirm: false },
  ];
  it.each(rows)('$scenario', (row) => {
    const report = reportFor(row.resources, row.region ? { region: row.region } : {});
    for (const [agent, verdict] of Object.entries(row.agents)) {
      const v = verdictOf(report, agent as AgentId);
      expect(v.verdict, v.reasons.join('; ')).toBe(verdict);
      if (row.confirm) expect(v.reasons).toContain('prior systemic therapy to confirm');
    }
    const entry = report.todo.find((t) => t.id === 'confirm-prior-systemic-therapy');
    const indication = report.cautions.find((c) => c.id === 'label-indication' && /systemic therapy/.test(c.text));
    if (row.confirm) {
      // The source names each label and section, and links to both labels' pages.
      expect(indication!.source).toMatch(/Cibinqo label \(US\), section 1; Rinvoq label \(US\), section 1/);
      expect(indication!.links!.map((l) => l.label)).toEqual(expect.arrayContaining(['Cibinqo label (US)', 'Rinvoq label (US)']));
    }
    if (row.confirm) expect(entry).toMatchObject({ kind: 'confirm', audience: 'prescriber', text: 'Prescriber: confirm prior systemic therapy or why not' });
    else expect(entry).toBeUndefined();
    // Never a nurse's line any more.
    expect(report.todo.map((t) => t.text).join('\n')).not.toMatch(/Document prior systemic therapy/);
  });
});

describe('R3.5 indication before readiness: not-approved', () => {
  interface Row { scenario: string; resources: Json[]; region?: 'US' | 'EU'; agent: AgentId; verdict: Verdict; reason?: string }
  const hands = (code: string, display: string, site?: string): Json => ({ ...condition('icd10', code, display), ...(site ? { bodySite: [{ text: site }] } : {}) });
  const rows: Row[] = [
    { scenario: 'baricitinib under US labels: not approved for atopic dermatitis', resources: readyForEveryAgent(), agent: 'baricitinib', verdict: 'not-approved', reason: 'Not approved for atopic dermatitis (US)' },
    { scenario: 'baricitinib under EU labels: judged on readiness (ready)', resources: readyForEveryAgent(), region: 'EU', agent: 'baricitinib', verdict: 'ready' },
    { scenario: 'baricitinib under EU labels with low ANC: judged on readiness (do not start)', resources: [...without(readyForEveryAgent(), '751-8'), lab.anc(0.8)], region: 'EU', agent: 'baricitinib', verdict: 'do-not-start' },
    { scenario: 'delgocitinib cream, no hand eczema diagnosis: approved for chronic hand eczema only', resources: [...readyBaseline(), priorSystemicTherapy()], agent: 'delgocitinib-cream', verdict: 'not-approved', reason: 'approved for chronic hand eczema only' },
    { scenario: 'delgocitinib cream, dermatitis L30.9 on both hands: ready', resources: [...readyBaseline(), hands('L30.9', 'Dermatitis, unspecified', 'Both hands')], agent: 'delgocitinib-cream', verdict: 'ready' },
    { scenario: 'delgocitinib cream, allergic contact dermatitis L23.9 (not in the list) on the hands: not approved', resources: [...readyBaseline(), hands('L23.9', 'Allergic contact dermatitis', 'Hands')], agent: 'delgocitinib-cream', verdict: 'not-approved' },
    { scenario: 'delgocitinib cream, irritant contact dermatitis L24.9 of the hands: ready', resources: [...readyBaseline(), hands('L24.9', 'Irritant contact dermatitis', 'Right hand')], agent: 'delgocitinib-cream', verdict: 'ready' },
    { scenario: 'delgocitinib cream, L30.9 with no site: not approved', resources: [...readyBaseline(), hands('L30.9', 'Dermatitis, unspecified')], agent: 'delgocitinib-cream', verdict: 'not-approved' },
    { scenario: 'delgocitinib cream, "Chronic hand eczema" by name: ready', resources: [...readyBaseline(), { ...condition('snomed', '43116000', 'Eczema'), code: { text: 'Chronic hand eczema', coding: [{ system: 'http://snomed.info/sct', code: '43116000', display: 'Eczema' }] } }], agent: 'delgocitinib-cream', verdict: 'ready' },
    { scenario: 'delgocitinib cream, diagnoses could not be loaded: unknown, never not-approved', resources: readyBaseline(), agent: 'delgocitinib-cream', verdict: 'unknown' },
  ];
  it.each(rows)('$scenario', (row) => {
    const loads = row.verdict === 'unknown' ? { Condition: { state: 'failed' as const, reason: 'HTTP 503' } } : undefined;
    const v = verdictOf(reportFor(row.resources, { ...(row.region ? { region: row.region } : {}), ...(loads ? { loads } : {}) }), row.agent);
    expect(v.verdict, v.reasons.join('; ')).toBe(row.verdict);
    if (row.reason) expect(v.reasons).toEqual([row.reason]);
  });

  it('the same verdicts whichever therapy is planned', () => {
    const verdicts = (therapy: TherapyId) => reportFor(readyBaseline(), { therapy }).byAgent;
    expect(verdicts('baricitinib')).toEqual(verdicts('oral'));
    expect(verdicts('delgocitinib-cream')).toEqual(verdicts('abrocitinib'));
  });
});

describe('R3.5 abnormal results: in the reasons of the agents they affect, and a recheck to-do', () => {
  it('ALT 165 U/L with an otherwise complete baseline: named in the verdict line, a recheck on the list', () => {
    const report = reportFor([...without(readyForEveryAgent(), '1742-6'), lab.alt(165)]);
    for (const agent of ['abrocitinib', 'upadacitinib'] as const) {
      const v = verdictOf(report, agent);
      expect(v.verdict).toBe('needs-work');
      expect(v.reasons[0]).toBe('ALT 165 U/L, 4× upper limit');
    }
    // Topical labels do not name liver enzymes.
    expect(verdictOf(report, 'ruxolitinib-cream').verdict).toBe('ready');
    expect(report.todo).toContainEqual({ id: 'recheck-liver-enzymes', kind: 'recheck', text: 'ALT 165 U/L, 4× upper limit: repeat liver enzymes; discuss with the prescriber', from: [{ kind: 'item', id: 'liver-enzymes' }] });
  });

  it('ALT 60 U/L (below 3× the upper limit): no reason, no recheck, ready', () => {
    const report = reportFor([...without(readyForEveryAgent(), '1742-6'), lab.alt(60)]);
    expect(verdictOf(report, 'upadacitinib')).toMatchObject({ verdict: 'ready', reasons: [] });
    expect(report.todo.find((t) => t.id === 'recheck-liver-enzymes')).toBeUndefined();
  });

  it('platelets 120,000/µL: abrocitinib does not start, upadacitinib (whose label does not name platelets) is ready', () => {
    const report = reportFor([...without(readyForEveryAgent(), '777-3'), lab.platelets(120)]);
    expect(verdictOf(report, 'abrocitinib').verdict).toBe('do-not-start');
    expect(verdictOf(report, 'upadacitinib').verdict).toBe('ready');
  });

  it('no agent is ready beside an abnormal item of its own checklist (every scenario of this file)', () => {
    const scenarios: Json[][] = [
      [...without(readyForEveryAgent(), '1742-6'), lab.alt(165)],
      [...readyForEveryAgent(), lab.igra(POSITIVE, 5)],
      [...without(readyForEveryAgent(), '13955-0'), lab.hcvAb(POSITIVE)],
      [...readyForEveryAgent(), lab.hcg(POSITIVE, 2)],
    ];
    for (const resources of scenarios) {
      for (const agent of ['abrocitinib', 'upadacitinib', 'ruxolitinib-cream'] as const) {
        const report = reportFor(resources, { therapy: agent });
        const abnormal = report.checklist.filter((i) => i.status === 'abnormal');
        const v = verdictOf(report, agent);
        if (abnormal.length) expect(v.verdict, `${agent}: ${abnormal.map((i) => i.id).join(', ')}`).not.toBe('ready');
      }
    }
  });
});

describe('R3.5 one action per do-not-start caution', () => {
  interface Row { scenario: string; resources: Json[]; therapy: TherapyId; caution: string; text: RegExp }
  const rows: Row[] = [
    { scenario: 'ANC 800/µL', resources: [...without(readyForEveryAgent(), '751-8'), lab.anc(0.8)], therapy: 'upadacitinib', caution: 'cytopenia', text: /^Repeat CBC with differential; discuss with the prescriber/ },
    { scenario: 'clopidogrel under abrocitinib', resources: [...readyForEveryAgent(), medication('clopidogrel 75 MG Oral Tablet')], therapy: 'abrocitinib', caution: 'antiplatelet', text: /Discuss clopidogrel with the prescriber/ },
    { scenario: 'past DVT', resources: [...readyForEveryAgent(), condition('snomed', '128053003', 'Deep venous thrombosis', { clinical: 'resolved' })], therapy: 'upadacitinib', caution: 'thrombosis-history', text: /clot risk/ },
    { scenario: 'HBsAg positive', resources: [...without(readyForEveryAgent(), '5196-1'), lab.hbsag(POSITIVE)], therapy: 'abrocitinib', caution: 'viral-hepatitis', text: /Refer for hepatitis evaluation/ },
    { scenario: 'pregnant', resources: [...readyForEveryAgent(), lab.hcg(POSITIVE, 2)], therapy: 'upadacitinib', caution: 'pregnancy', text: /Discuss with the prescriber: pregnant/ },
    { scenario: 'MMR vaccine 10 days ago', resources: [...readyForEveryAgent(), vaccine('03', 'MMR', 10)], therapy: 'abrocitinib', caution: 'recent-live-vaccine', text: /.+/ },
  ];
  it.each(rows)('$scenario: exactly one action', (row) => {
    const report = reportFor(row.resources, { therapy: row.therapy });
    expect(cautionOf(report, row.caution)?.severity).toBe('do-not-start');
    const actions = report.todo.filter((t) => t.from.some((r) => r.kind === 'caution' && r.id === row.caution));
    expect(actions.map((a) => a.text)).toHaveLength(1);
    expect(actions[0]!.text).toMatch(row.text);
  });

  it('ANC 800/µL: the cytopenia action also settles the abnormal CBC (no second line for it)', () => {
    const report = reportFor([...without(readyForEveryAgent(), '751-8'), lab.anc(0.8)], { therapy: 'upadacitinib' });
    expect(report.todo.filter((t) => t.from.some((r) => r.kind === 'item' && r.id === 'cbc'))).toHaveLength(1);
  });

  it('a new positive IGRA: one "refer for latent-TB evaluation and treatment", no contradictory "confirm treatment completed"', () => {
    const report = reportFor([...readyForEveryAgent(), lab.igra(POSITIVE, 5)], { therapy: 'upadacitinib' });
    const tb = report.todo.filter((t) => /TB|tuberculosis/i.test(t.text));
    expect(tb.map((t) => t.text)).toEqual(['Refer for latent-TB evaluation and treatment']);
  });
});

describe('R3.6 tuberculosis after treatment and during it', () => {
  const isoniazid = (days: number) => medication('isoniazid 300 MG Oral Tablet', { status: 'completed', authoredDays: days });
  it('positive IGRA, then a completed isoniazid course: treated — no latent-TB caution, no IGRA order, a TB symptom review', () => {
    const report = reportFor([...without(readyForEveryAgent(), '71773-6'), lab.igra(POSITIVE, 500), isoniazid(300)], { therapy: 'upadacitinib' });
    expect(cautionOf(report, 'latent-tuberculosis')).toBeUndefined();
    const tb = itemOf(report, 'tb-screening');
    expect(tb.status).toBe('done');
    expect(tb.detail).toMatch(new RegExp(`^Prior positive, treated \\(isoniazid ${daysAgo(300)}`));
    expect(report.todo.filter((t) => t.orders?.some((o) => o.code === '71773-6'))).toEqual([]);
    expect(report.todo).toContainEqual(expect.objectContaining({ kind: 'ask', text: expect.stringMatching(/^TB symptom review/) }));
    expect(report.todo.map((t) => t.text).join('\n')).not.toMatch(/treat latent TB|Refer for latent-TB/i);
  });

  it('a resolved latent-TB diagnosis counts as treated; the IGRA stays positive without a new caution', () => {
    const report = reportFor([...without(readyForEveryAgent(), '71773-6'), lab.igra(POSITIVE, 500), condition('icd10', 'Z22.7', 'Latent tuberculosis', { clinical: 'resolved', onsetDays: 480, abatementDays: 100 })], { therapy: 'abrocitinib' });
    expect(cautionOf(report, 'latent-tuberculosis')).toBeUndefined();
    expect(itemOf(report, 'tb-screening').status).toBe('done');
  });

  it('a positive test dated after the course: a new infection — latent TB again, referred', () => {
    const report = reportFor([...without(readyForEveryAgent(), '71773-6'), isoniazid(500), lab.igra(POSITIVE, 20)], { therapy: 'abrocitinib' });
    expect(cautionOf(report, 'latent-tuberculosis')?.severity).toBe('warning');
    expect(report.todo.map((t) => t.text)).toContain('Refer for latent-TB evaluation and treatment');
  });

  it.each(['upadacitinib', 'ruxolitinib-cream', 'oral'] as const)('active TB on treatment (%s): do not start (oral), never "consider ordering IGRA"', (therapy) => {
    const report = reportFor([...without(readyForEveryAgent(), '71773-6'), condition('icd10', 'A15.0', 'Tuberculosis of lung', { onsetDays: 40 }), medication('isoniazid 300 MG Oral Tablet', { authoredDays: 40 })], { therapy });
    expect(cautionOf(report, 'active-tuberculosis')?.severity).toBe(therapy === 'ruxolitinib-cream' ? 'warning' : 'do-not-start');
    expect(report.todo.map((t) => t.text).join('\n')).not.toMatch(/IGRA|TB blood test/);
    expect(report.todo.filter((t) => t.from.some((r) => r.id === 'active-tuberculosis')).map((t) => t.text)).toEqual(['Do not start while TB is active: refer to the TB service and discuss with the prescriber']);
  });
});

describe('R3.4/R3.6 a severe neutropenia sent as text', () => {
  it('ANC "<0.5 x10^9/L": cytopenia, never "unit not recognised, still needed"', () => {
    const report = reportFor([...without(readyForEveryAgent(), '751-8'), observation('751-8', 'Neutrophils', { valueString: '<0.5 x10^9/L' })], { therapy: 'upadacitinib' });
    const cbc = itemOf(report, 'cbc');
    expect(cbc.status).toBe('abnormal');
    expect(cbc.missing ?? []).not.toContain('ANC');
    expect(cbc.notes ?? []).not.toContainEqual(expect.stringMatching(/unit not recognised/));
    expect(cautionOf(report, 'cytopenia')).toMatchObject({ severity: 'do-not-start', short: 'ANC <500/µL' });
  });

  it('ANC "2.5 x10^9/L" as text: a normal count, no cytopenia', () => {
    const report = reportFor([...without(readyForEveryAgent(), '751-8'), observation('751-8', 'Neutrophils', { valueString: '2.5 x10^9/L' })], { therapy: 'upadacitinib' });
    expect(cautionOf(report, 'cytopenia')).toBeUndefined();
    expect(itemOf(report, 'cbc').status).toBe('done');
  });
});

