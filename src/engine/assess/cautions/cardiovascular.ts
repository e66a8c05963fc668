/** Clots, cardiovascular events and risk, smoking and age: the class boxed warning's risk factors. */
import type { Coding, ObservationFact } from '../../record';
import type { Evidence } from '../../../contract/report';
import { conditions } from '../../../kb/conditions';
import { LOINC, SMOKING_STATUS_CLASS, SNOMED } from '../../../kb/code-sets';
import type { AssessContext } from '../context';
import { conditionEvidence, medicationEvidence, observationEvidence } from '../evidence';
import { conditionsIn, currentMedications, matchClass } from '../facts';
import { LOCAL_VAGINAL_OESTROGEN, oestrogens } from '../../../kb/drugs';
import { OLDER_ADULT_DOSE } from '../../../kb/dosing';
import { fromConditions } from './from-conditions';
import { CAUTION_RULES } from '../../../kb/cautions';
import { EMA_2023_RESTRICTION } from '../../../kb/regions';
import { convertQuantity } from '../../normalise/units';
import { observationValue } from '../evidence';

/** LDL cholesterol at or above this (mg/dL) is severe hypercholesterolaemia (4.9 mmol/L). */
const SEVERE_LDL_MG_DL = 190;
const SEVERE_LDL_MMOL_L = 4.9;
import type { Finding } from './resolve';

export type SmokingClass = 'current' | 'former' | 'never' | 'unknown';

/** LOINC answer list LL2201-3 (US Core smoking status). */
const LOINC_SMOKING_ANSWERS: Record<string, SmokingClass> = {
  'LA18976-3': 'current', 'LA18977-1': 'current', 'LA18981-3': 'current', 'LA18982-1': 'current',
  'LA15920-4': 'former', 'LA18978-9': 'never', 'LA18979-7': 'unknown', 'LA18980-5': 'unknown',
};
/** Codes the spec names explicitly, which override the value-set classification. */
const SPEC_SMOKING: Record<string, SmokingClass> = {
  '449868002': 'current', '428041000124106': 'current', '77176002': 'current',
  '8517006': 'former', '281018007': 'former', '266919005': 'never', '266927001': 'unknown',
};
const TEXT_RULES: Array<[RegExp, SmokingClass]> = [
  [/unknown/i, 'unknown'],
  [/\bex-|former|quit/i, 'former'],
  [/never|non-?smoker|none\b/i, 'never'],
  [/smok|tobacco|cigar/i, 'current'],
];

function classifyCoding(c: Coding): SmokingClass | undefined {
  if (c.system === SNOMED) return SPEC_SMOKING[c.code] ?? SMOKING_STATUS_CLASS[c.code];
  if (c.system === LOINC) return LOINC_SMOKING_ANSWERS[c.code];
  return undefined;
}

export function classifySmokingObservation(obs: ObservationFact): SmokingClass | undefined {
  for (const c of obs.valueCodes) {
    const cls = classifyCoding(c);
    if (cls) return cls;
  }
  const text = obs.valueString ?? obs.valueCodes.map((c) => c.display ?? '').join(' ');
  for (const [pattern, cls] of TEXT_RULES) if (pattern.test(text)) return cls;
  return undefined;
}

export interface SmokingHistory {
  status?: 'current' | 'former';
  evidence: Evidence[];
  note?: string;
}

/** Latest smoking status wins; a "never" after an earlier smoker record counts as former. */
export function smokingHistory(ctx: AssessContext): SmokingHistory {
  const observations = ctx.observationsOf('smokingStatus').filter((o) => o.date !== undefined);
  const classified = observations.map((obs) => ({ obs, cls: classifySmokingObservation(obs) })).filter((x) => x.cls && x.cls !== 'unknown');
  const latest = classified[0];
  const everSmoker = classified.find((x) => x.cls === 'current' || x.cls === 'former');
  const tobaccoNow = conditionsIn(ctx, conditions.tobaccoUse).filter((m) => m.active);
  const tobaccoPast = [...conditionsIn(ctx, conditions.formerTobaccoUse), ...conditionsIn(ctx, conditions.tobaccoUse).filter((m) => !m.active)];

  if (latest?.cls === 'current' || (!latest && tobaccoNow.length)) {
    return { status: 'current', evidence: latest ? [observationEvidence(latest.obs)] : tobaccoNow.map((m) => conditionEvidence(m.condition, m.matched)) };
  }
  if (latest?.cls === 'former') return { status: 'former', evidence: [observationEvidence(latest.obs)] };
  if (latest?.cls === 'never' && everSmoker) {
    return {
      status: 'former',
      evidence: [observationEvidence(latest.obs), observationEvidence(everSmoker.obs)],
      note: `latest status "never" (${latest.obs.date}) follows a smoker record (${everSmoker.obs.date}): counted as former`,
    };
  }
  if (tobaccoNow.length || tobaccoPast.length) {
    const all = [...tobaccoNow, ...tobaccoPast];
    return { status: tobaccoNow.length ? 'current' : 'former', evidence: all.map((m) => conditionEvidence(m.condition, m.matched)) };
  }
  return { evidence: [] };
}

export function cardiovascularFindings(ctx: AssessContext): Finding[] {
  const findings: Finding[] = [];
  // All three US labels: avoid in patients who may be at increased risk of thrombosis (R2.5).
  findings.push(...fromConditions('thrombosis-history', conditionsIn(ctx, conditions.venousThromboembolism), (m) => `History of venous thromboembolism (${m.condition.display}): avoid`).map((f) => ({ ...f, short: 'past blood clot' })));
  const oestrogen = currentMedications(ctx).flatMap((med) => {
    const match = matchClass(med, oestrogens);
    return match && !LOCAL_VAGINAL_OESTROGEN.test([med.display, med.doseForm, med.route, ...med.names].filter(Boolean).join(' ')) ? [{ med, match }] : [];
  });
  if (oestrogen.length) {
    findings.push({
      id: 'thrombosis-history', short: 'oestrogen',
      text: `Oestrogen-containing ${oestrogen.map((h) => h.med.display).join(', ')}: additional clot risk`,
      evidence: oestrogen.map((h) => medicationEvidence(h.med, h.match)),
      severityByAgent: { abrocitinib: 'warning', upadacitinib: 'warning', baricitinib: 'warning' },
    });
  }
  findings.push(...fromConditions('cardiovascular-history', conditionsIn(ctx, conditions.cardiovascularEvent), (m) => `History of ${m.condition.display}`).map((f) => ({ ...f, short: 'heart attack, stroke or coronary disease' })));

  const smoking = smokingHistory(ctx);
  if (smoking.status) {
    findings.push({
      id: 'smoking',
      short: `${smoking.status} smoker`,
      text: `${smoking.status === 'current' ? 'Current' : 'Former'} smoker${smoking.note ? ` (${smoking.note})` : ''}`,
      evidence: smoking.evidence,
    });
  }
  const age = ctx.age;
  if (age !== null && age >= ctx.config.olderAdultAge) {
    const adviceByAgent = Object.fromEntries(Object.entries(OLDER_ADULT_DOSE[ctx.config.labelRegion]).filter(([, d]) => age >= d!.fromAge).map(([agent, d]) => [agent, d!.advice]));
    findings.push({ id: 'older-adult', short: `age ${age}`, text: `Age ${age}: higher risk of serious infections, heart attack, stroke and cancer`, evidence: [{ display: 'Age', value: `${age} years`, match: 'age' }], adviceByAgent });
  }
  if (age !== null && age >= ctx.config.cardiovascularRiskAge) {
    const factors: Array<{ label: string; evidence: Evidence[] }> = [];
    const active = (set: typeof conditions.hypertension) => conditionsIn(ctx, set).filter((m) => m.active && !m.unconfirmed);
    for (const [label, matches] of [
      ['hypertension', active(conditions.hypertension)],
      ['diabetes', active(conditions.diabetes)],
      ['hyperlipidemia', active(conditions.hyperlipidemia)],
      ['coronary artery disease', conditionsIn(ctx, conditions.coronaryArteryDisease)],
    ] as const) {
      if (matches.length) factors.push({ label, evidence: matches.map((m) => conditionEvidence(m.condition, m.matched)) });
    }
    if (smoking.status) factors.push({ label: `${smoking.status} smoking`, evidence: smoking.evidence });
    if (factors.length) {
      findings.push({
        id: 'cardiovascular-risk', short: `age ${age} with ${factors.map((f) => f.label).join(', ')}`,
        text: `Age ${age} with ${factors.map((f) => f.label).join(', ')} (the group in which the ORAL Surveillance safety trial found more heart attacks, strokes, cancers and clots)`,
        evidence: [{ display: 'Age', value: `${age} years`, match: 'age' }, ...factors.flatMap((f) => f.evidence)],
      });
    }
  }
  findings.push(...severeLdlFindings(ctx));
  return withEmaRestriction(ctx, findings);
}

export function malignancyFindings(ctx: AssessContext): Finding[] {
  return withEmaRestriction(ctx, fromConditions('malignancy-history', conditionsIn(ctx, conditions.malignancy), (m) => `History of malignancy (${m.condition.display})`).map((f) => ({ ...f, short: 'past cancer' })));
}

/** Whether an LDL result is severe: ≥ 190 mg/dL, or ≥ 4.9 mmol/L (the shared unit table leaves mmol/L out: its factor is per analyte). */
function severeLdl(q: { value: number; unit: string }): boolean | undefined {
  if (/^mmol\/l$/i.test(q.unit.trim())) return q.value >= SEVERE_LDL_MMOL_L;
  const mg = convertQuantity(q, 'mg/dL');
  return mg === undefined ? undefined : mg >= SEVERE_LDL_MG_DL;
}

/** Severe hypercholesterolaemia (R3.7): LDL cholesterol ≥ 190 mg/dL (4.9 mmol/L) is a cardiovascular risk at any age. */
function severeLdlFindings(ctx: AssessContext): Finding[] {
  const newest = ctx.observationsOf('ldl').find((o) => o.date !== undefined && o.quantity);
  if (!newest || !ctx.withinDays(newest.date, ctx.config.windows.lipidPanel)) return [];
  if (!severeLdl(newest.quantity!)) return [];
  const shown = `LDL cholesterol ${observationValue(newest) ?? ''}`.trim();
  return [{
    id: 'cardiovascular-risk', short: shown,
    text: `${shown} (${newest.date}): severe hypercholesterolaemia, a cardiovascular risk factor (LDL cholesterol 190 mg/dL or more)`,
    evidence: [observationEvidence(newest)],
    source: `${CAUTION_RULES['cardiovascular-risk'].source}; severe hypercholesterolaemia: LDL cholesterol 190 mg/dL (4.9 mmol/L) or more`,
  }];
}

const EMA_CAUTIONS = new Set(['older-adult', 'smoking', 'cardiovascular-history', 'cardiovascular-risk', 'malignancy-history']);

/** EU (R3.7, EMA 2023 referral): for these patients an oral JAK inhibitor only if no suitable alternative. */
function withEmaRestriction(ctx: AssessContext, findings: Finding[]): Finding[] {
  const rule = EMA_2023_RESTRICTION.byRegion[ctx.config.labelRegion];
  if (!rule.advice) return findings;
  return findings.map((f) => (EMA_CAUTIONS.has(f.id) ? { ...f, text: `${f.text}; ${rule.advice} (oral JAK inhibitors)`, source: `${f.source ?? CAUTION_RULES[f.id].source}; ${rule.source}` } : f));
}
