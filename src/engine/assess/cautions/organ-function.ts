/** Kidney and liver function (clinical/spec.md `renal-impairment`, `hepatic-impairment`; R2.4). */
import { conditions } from '../../../kb/conditions';
import type { SeverityByAgent } from '../../../kb/cautions';
import { RENAL_DOSE, type RenalTier } from '../../../kb/dosing';
import { ABROCITINIB_RENAL } from '../../../kb/regions';
import type { Evidence } from '../../../contract/report';
import { convertQuantity } from '../../normalise/units';
import { roundForPeople } from '../../present/values';
import type { AssessContext } from '../context';
import { conditionEvidence, observationEvidence } from '../evidence';
import { conditionsIn } from '../facts';
import type { Finding } from './resolve';

const TIER_RANK: Record<RenalTier, number> = { moderate: 1, severe: 2, 'end-stage': 3 };

/** What each label says per tier (R2.4): the severity, per agent. */
const RENAL_SEVERITY: Record<RenalTier, SeverityByAgent> = {
  'end-stage': { upadacitinib: 'do-not-start', abrocitinib: 'do-not-start', baricitinib: 'do-not-start' },
  severe: { upadacitinib: 'warning', abrocitinib: 'warning', baricitinib: 'do-not-start' },
  moderate: { abrocitinib: 'warning', baricitinib: 'warning' },
};

/** Abrocitinib differs by region (R3.7): US not recommended below eGFR 30, EU 50 mg. */
function renalSeverity(ctx: AssessContext, tier: RenalTier): SeverityByAgent {
  if (tier === 'end-stage') return RENAL_SEVERITY[tier];
  return { ...RENAL_SEVERITY[tier], abrocitinib: ABROCITINIB_RENAL.byRegion[ctx.config.labelRegion][tier].severity };
}

const TIER_WORDS: Record<RenalTier, string> = {
  'end-stage': 'end-stage kidney disease',
  severe: 'severe kidney impairment (eGFR 15–29)',
  moderate: 'moderate kidney impairment (eGFR 30–59)',
};

export interface KidneyFunction {
  tier?: RenalTier;
  /** eGFR in mL/min/1.73 m², newest within the site's window. */
  egfr?: number;
  why: string[];
  evidence: Evidence[];
  /** Every diagnosis behind the tier is provisional/differential and no eGFR confirms it. */
  unconfirmed: boolean;
}

function tierOfEgfr(egfr: number): RenalTier | undefined {
  if (egfr < 15) return 'end-stage';
  if (egfr < 30) return 'severe';
  if (egfr < 60) return 'moderate';
  return undefined;
}

/** The worst of the newest eGFR and the kidney diagnoses: eGFR < 15 counts as end-stage even without a code. */
export function kidneyFunction(ctx: AssessContext): KidneyFunction {
  return ctx.once('kidney-function', () => {
    const result: KidneyFunction = { why: [], evidence: [], unconfirmed: false };
    const worse = (tier: RenalTier) => {
      if (!result.tier || TIER_RANK[tier] > TIER_RANK[result.tier]) result.tier = tier;
    };
    const egfrObs = ctx.observationsOf('egfr').find((o) => o.date && ctx.withinDays(o.date, ctx.config.egfrDays) && o.quantity && convertQuantity(o.quantity, 'mL/min/1.73m2') !== undefined);
    const egfr = egfrObs?.quantity ? convertQuantity(egfrObs.quantity, 'mL/min/1.73m2') : undefined;
    let egfrTier: RenalTier | undefined;
    if (egfrObs && egfr !== undefined) {
      result.egfr = egfr;
      egfrTier = tierOfEgfr(egfr);
      if (egfrTier) {
        worse(egfrTier);
        result.why.push(`eGFR ${roundForPeople(egfr, { wholeFrom: 1 })} mL/min/1.73 m² (${egfrObs.date})`);
        result.evidence.push(observationEvidence(egfrObs));
      }
    }
    const diagnoses: Array<[RenalTier, ReturnType<typeof conditionsIn>]> = [
      ['end-stage', conditionsIn(ctx, conditions.endStageRenalDisease).filter((m) => m.active)],
      ['end-stage', conditionsIn(ctx, conditions.ckdStage5).filter((m) => m.active)],
      ['severe', conditionsIn(ctx, conditions.ckdStage4).filter((m) => m.active)],
    ];
    const seen = new Set<string>();
    const all = [];
    for (const [tier, matches] of diagnoses) {
      for (const m of matches) {
        if (seen.has(m.condition.reference)) continue;
        seen.add(m.condition.reference);
        all.push(m);
        worse(tier);
        result.why.push(m.condition.display);
        result.evidence.push(conditionEvidence(m.condition, m.matched));
      }
    }
    result.unconfirmed = egfrTier === undefined && all.length > 0 && all.every((m) => m.unconfirmed);
    return result;
  });
}

export function renalFindings(ctx: AssessContext): Finding[] {
  const kidney = kidneyFunction(ctx);
  if (!kidney.tier) return [];
  const tier = kidney.tier;
  const advice = tier === 'end-stage' ? {} : Object.fromEntries(Object.entries(RENAL_DOSE[ctx.config.labelRegion][tier]).map(([agent, dose]) => [agent, dose!.advice]));
  const finding: Finding = {
    id: 'renal-impairment',
    short: kidney.egfr !== undefined && tierOfEgfr(kidney.egfr) ? `eGFR ${roundForPeople(kidney.egfr, { wholeFrom: 1 })}` : TIER_WORDS[tier],
    text: `${TIER_WORDS[tier][0]!.toUpperCase()}${TIER_WORDS[tier].slice(1)}: ${kidney.why.join('; ')}${tier === 'end-stage' ? ' (not recommended; abrocitinib not studied)' : ''}`,
    evidence: kidney.evidence,
    severityByAgent: renalSeverity(ctx, tier),
    adviceByAgent: advice,
  };
  if (kidney.unconfirmed) finding.unconfirmed = true;
  return [finding];
}

export function hepaticFindings(ctx: AssessContext): Finding[] {
  const severe = conditionsIn(ctx, conditions.decompensatedLiverDisease).filter((m) => m.active);
  if (severe.length) {
    return [{
      id: 'hepatic-impairment', short: 'severe liver disease', text: `Moderate-to-severe liver disease (${severe[0]!.condition.display}): not recommended`,
      evidence: severe.map((m) => conditionEvidence(m.condition, m.matched)),
      severityByAgent: { abrocitinib: 'do-not-start', upadacitinib: 'do-not-start', baricitinib: 'do-not-start' },
      ...(severe.every((m) => m.unconfirmed) ? { unconfirmed: true } : {}),
    }];
  }
  const chronic = conditionsIn(ctx, conditions.chronicLiverDisease).filter((m) => m.active);
  if (chronic.length) {
    return [{ id: 'hepatic-impairment', short: 'chronic liver disease', text: `Chronic liver disease (${chronic[0]!.condition.display}): verify the Child-Pugh class`, evidence: chronic.map((m) => conditionEvidence(m.condition, m.matched)), todo: { kind: 'confirm', text: 'Verify the Child-Pugh class' } }];
  }
  return [];
}
