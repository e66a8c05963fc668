/** Tuberculosis, viral hepatitis, serious infections and shingles history. */
import { byNewest } from '../evidence';
import type { ObservationFact } from '../../record';
import { conditions } from '../../../kb/conditions';
import { interpretQualitative } from '../../normalise/qualitative';
import type { AssessContext } from '../context';
import { observationEvidence } from '../evidence';
import { conditionsIn, type ConditionMatch } from '../facts';
import { fromConditions } from './from-conditions';
import { tbResult } from '../checklist/screening';
import type { Finding } from './resolve';

const newestDated = (list: readonly ObservationFact[]) => list.find((o) => o.date !== undefined);

export function tuberculosisFindings(ctx: AssessContext): Finding[] {
  const findings = fromConditions('active-tuberculosis', conditionsIn(ctx, conditions.activeTuberculosis).filter((m) => m.active), (m) => `Active tuberculosis on the problem list (${m.condition.display})`);
  const latent = conditionsIn(ctx, conditions.latentTuberculosis)
    .concat(conditionsIn(ctx, conditions.positiveTbTestFinding))
    .filter((m) => m.active);
  findings.push(...fromConditions('latent-tuberculosis', latent, (m) => `Latent tuberculosis / positive TB test recorded (${m.condition.display}): treat before starting`));
  const tests = [...ctx.observationsOf('igra'), ...ctx.observationsOf('tspot'), ...ctx.observationsOf('tuberculinSkinTest')].sort(byNewest);
  const newest = newestDated(tests);
  if (newest && tbResult(newest, ctx) === 'positive') {
    findings.push({ id: 'latent-tuberculosis', text: `Positive TB test (${newest.date}): exclude active TB and treat latent TB before starting`, evidence: [observationEvidence(newest)] });
  }
  return findings;
}

export function hepatitisFindings(ctx: AssessContext): Finding[] {
  const active = [...conditionsIn(ctx, conditions.hepatitisB), ...conditionsIn(ctx, conditions.hepatitisC)].filter((m) => m.active);
  const findings = fromConditions('viral-hepatitis', active, (m) => `Active viral hepatitis on the problem list (${m.condition.display})`);
  const hbsag = newestDated(ctx.observationsOf('hbsag'));
  const hcvRna = newestDated(ctx.observationsOf('hcvRna'));
  const hbsagResult = hbsag ? interpretQualitative(hbsag) : undefined;
  if (hbsag && hbsagResult === 'positive') findings.push({ id: 'viral-hepatitis', text: `HBsAg positive (${hbsag.date}): active hepatitis B`, evidence: [observationEvidence(hbsag)] });
  if (hcvRna && interpretQualitative(hcvRna) === 'positive') findings.push({ id: 'viral-hepatitis', text: `HCV RNA detected (${hcvRna.date}): active hepatitis C`, evidence: [observationEvidence(hcvRna)] });
  const antiHbc = newestDated(ctx.observationsOf('antiHbc'));
  if (antiHbc && interpretQualitative(antiHbc) === 'positive' && hbsag && hbsagResult === 'negative') {
    findings.push({
      id: 'hepatitis-b-exposure',
      text: 'Anti-HBc positive with HBsAg negative (past hepatitis B): check HBV DNA and monitor for reactivation',
      evidence: [observationEvidence(antiHbc), observationEvidence(hbsag)],
    });
  }
  return findings;
}

export function seriousInfectionFindings(ctx: AssessContext): Finding[] {
  const findings: Finding[] = [];
  const immuno = [...conditionsIn(ctx, conditions.hiv), ...conditionsIn(ctx, conditions.immunocompromised)].filter((m) => m.active);
  findings.push(...fromConditions('serious-infection', immuno, (m) => `Immunocompromising condition (${m.condition.display}): higher risk of serious infection`));
  const recent = (m: ConditionMatch, days: number) => {
    const onset = m.condition.onset ?? m.condition.recordedDate;
    return (onset !== undefined && ctx.withinDays(onset, days)) || (m.condition.abatement !== undefined && ctx.withinDays(m.condition.abatement, days));
  };
  const sepsis = conditionsIn(ctx, conditions.sepsis).filter((m) => recent(m, ctx.config.sepsisDays));
  findings.push(...fromConditions('serious-infection', sepsis, (m) => `Sepsis in the last ${Math.round(ctx.config.sepsisDays / 30)} months (${m.condition.display})`));
  const days = ctx.config.activeInfectionDays;
  const infections = conditionsIn(ctx, conditions.activeInfection).filter((m) => !sepsis.includes(m) && (m.active || recent(m, days)) && !conditions.sepsis.match(m.condition.codes));
  findings.push(...fromConditions('serious-infection', infections, (m) => `Infection active in the last ${days} days (${m.condition.display}): treat before starting`));
  const recurrent = conditionsIn(ctx, conditions.recurrentInfection).filter((m) => m.active);
  findings.push(...fromConditions('serious-infection', recurrent, (m) => `Recurrent infections (${m.condition.display})`));
  return findings;
}

export function herpesZosterFindings(ctx: AssessContext): Finding[] {
  return fromConditions('herpes-zoster-history', conditionsIn(ctx, conditions.herpesZoster), (m) => `History of herpes zoster (${m.condition.display}${m.condition.onset ? `, ${m.condition.onset}` : ''}): consider the recombinant zoster vaccine`);
}

