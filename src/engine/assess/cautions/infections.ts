/** Tuberculosis, viral hepatitis, serious infections and shingles history (clinical/spec.md, R2.2). */
import { conditions } from '../../../kb/conditions';
import { oralSeverity, topicalSeverity } from '../../../kb/cautions';
import type { AssessContext } from '../context';
import { conditionEvidence, observationEvidence } from '../evidence';
import { conditionsIn, type ConditionMatch } from '../facts';
import { positiveTbTests, tbTests, treatedLatentTb } from '../tb-treatment';
import { fromConditions } from './from-conditions';
import { newestReading } from '../checklist/screening';
import { serologyReading, tbReading, viralLoadReading } from '../results';
import type { Finding } from './resolve';

const REFER_LATENT_TB = { kind: 'confirm' as const, id: 'refer-latent-tuberculosis', text: 'Refer for latent-TB evaluation and treatment', items: ['tb-screening' as const] };
const ACTIVE_TB_ACTION = { kind: 'confirm' as const, text: 'Do not start while TB is active: refer to the TB service and discuss with the prescriber', items: ['tb-screening' as const] };

/**
 * Tuberculosis (R2.2, R3.5, R3.6): active TB blocks; a current positive test or an active LTBI
 * diagnosis is latent TB to refer (one action, no second "confirm treatment"); a completed LTBI
 * course with no positive test after it is treated latent TB: a note and a symptom review, never
 * a new latent-TB caution or another IGRA.
 */
export function tuberculosisFindings(ctx: AssessContext): Finding[] {
  const activeTb = conditionsIn(ctx, conditions.activeTuberculosis);
  const findings: Finding[] = fromConditions('active-tuberculosis', activeTb.filter((m) => m.active), (m) => `Active tuberculosis on the problem list (${m.condition.display})`).map((f) => ({ ...f, todo: ACTIVE_TB_ACTION }));
  if (findings[0]) findings[0].short = 'active TB';
  const treated = treatedLatentTb(ctx);

  const latentConditions = conditionsIn(ctx, conditions.latentTuberculosis);
  const tests = tbTests(ctx);
  const newest = tests[0];
  const positives = positiveTbTests(ctx);
  if (!treated) {
    const latent = latentConditions.concat(conditionsIn(ctx, conditions.positiveTbTestFinding)).filter((m) => m.active);
    findings.push(...fromConditions('latent-tuberculosis', latent, (m) => `Latent tuberculosis / positive TB test recorded (${m.condition.display}): refer for evaluation and treatment before starting`).map((f) => ({ ...f, short: 'latent TB', todo: REFER_LATENT_TB })));
    if (newest && positives[0] === newest) {
      findings.push({ id: 'latent-tuberculosis', short: 'positive TB test', text: `Positive TB test (${newest.date}): exclude active TB and treat latent TB before starting`, evidence: [observationEvidence(newest)], todo: REFER_LATENT_TB });
    }
  }
  const latentNow = findings.some((f) => f.id === 'latent-tuberculosis');

  // TB history never expires (R2.2): every positive test, any latent-TB diagnosis, a past active TB.
  const pastActive = activeTb.filter((m) => !m.active);
  if (positives.length || latentConditions.length || pastActive.length || treated) {
    const parts: string[] = [];
    if (positives.length) parts.push(`positive TB test${positives.length > 1 ? 's' : ''} (${positives.map((o) => o.date).join(', ')})`);
    if (latentConditions.length) parts.push(`latent TB on the problem list (${latentConditions.map((m) => m.condition.display).join(', ')})`);
    if (pastActive.length) parts.push(`past active TB (${pastActive.map((m) => m.condition.display).join(', ')})`);
    const laterNegative = newest && positives[0] && newest !== positives[0] && tbReading(newest, ctx).result === 'negative';
    const evidence = [...positives.map((o) => observationEvidence(o)), ...[...latentConditions, ...pastActive].map((m) => conditionEvidence(m.condition, m.matched))];
    if (laterNegative) evidence.unshift(observationEvidence(newest));
    if (treated) {
      findings.push({
        id: 'tuberculosis-history', short: 'treated latent TB',
        text: `Treated latent TB (${treated.dates.join('; ')})${parts.length ? ` after ${parts.join('; ')}` : ''}: a treated patient's TB test stays positive; review TB symptoms before starting`,
        evidence: [...treated.evidence, ...evidence],
        severityByAgent: { ...oralSeverity('info'), ...topicalSeverity('info') },
        todo: { kind: 'ask', id: 'ask-tb-symptoms', text: 'TB symptom review (cough, fever, night sweats, weight loss)' },
      });
    } else {
      findings.push({
        id: 'tuberculosis-history', short: 'past TB or positive TB test',
        text: `History of ${parts.join('; ')}: confirm latent-TB treatment was completed before starting${laterNegative ? ` (a negative repeat, ${newest.date}, does not exclude latent TB)` : ''}`,
        evidence,
        // A current latent TB is referred (one action): no second, contradictory "confirm treatment completed".
        ...(latentNow ? {} : { todo: { kind: 'confirm' as const, text: 'Confirm latent-TB treatment was completed' } }),
      });
    }
  }
  return findings;
}

export function hepatitisFindings(ctx: AssessContext): Finding[] {
  const active = [...conditionsIn(ctx, conditions.hepatitisB), ...conditionsIn(ctx, conditions.hepatitisC)].filter((m) => m.active);
  const findings = fromConditions('viral-hepatitis', active, (m) => `Active viral hepatitis on the problem list (${m.condition.display})`).map((f) => ({ ...f, short: 'active hepatitis' }));
  const hbsag = newestReading(ctx, 'hbsag', serologyReading);
  const hbsagResult = hbsag?.reading.result;
  if (hbsag && hbsagResult === 'positive') findings.push({ id: 'viral-hepatitis', short: 'HBsAg positive', text: `HBsAg positive (${hbsag.obs.date}): active hepatitis B`, evidence: [observationEvidence(hbsag.obs)] });
  // Viral loads: numbers decide; the newest result counts at any date (R2.1, R2.2).
  const hcvRna = newestReading(ctx, 'hcvRna', viralLoadReading);
  if (hcvRna?.reading.result === 'positive') findings.push({ id: 'viral-hepatitis', short: 'HCV RNA detected', text: `HCV RNA detected (${hcvRna.obs.date}): active hepatitis C`, evidence: [observationEvidence(hcvRna.obs)] });
  const hbvDna = newestReading(ctx, 'hbvDna', viralLoadReading);
  if (hbvDna?.reading.result === 'positive') findings.push({ id: 'viral-hepatitis', short: 'HBV DNA detected', text: `HBV DNA detected (${hbvDna.obs.date}): active hepatitis B`, evidence: [observationEvidence(hbvDna.obs)] });
  // IgM anti-HBc marks acute hepatitis B; it fades within months, so only a result in the hepatitis-B window counts.
  const igm = newestReading(ctx, 'antiHbcIgm', serologyReading);
  if (igm?.reading.result === 'positive' && ctx.withinDays(igm.obs.date, ctx.config.windows.hepatitisB)) {
    findings.push({ id: 'viral-hepatitis', short: 'IgM anti-HBc positive', text: `IgM anti-HBc positive (${igm.obs.date}): acute hepatitis B`, evidence: [observationEvidence(igm.obs)] });
  }

  const antiHbc = newestReading(ctx, 'antiHbc', serologyReading);
  if (antiHbc?.reading.result === 'positive' && hbsagResult === 'negative' && hbvDna?.reading.result !== 'positive') {
    const antiHbs = newestReading(ctx, 'antiHbs', serologyReading);
    const resolved = antiHbs?.reading.result === 'positive';
    const dnaNotDetected = hbvDna?.reading.result === 'negative';
    const evidence = [antiHbc.obs, hbsag!.obs, ...(resolved ? [antiHbs!.obs] : []), ...(hbvDna ? [hbvDna.obs] : [])].map((o) => observationEvidence(o));
    const what = resolved ? 'Anti-HBc and anti-HBs positive with HBsAg negative (resolved hepatitis B infection)' : 'Anti-HBc positive with HBsAg negative (past hepatitis B)';
    const next = dnaNotDetected ? `HBV DNA not detected (${hbvDna!.obs.date}): monitor HBV DNA for reactivation` : 'check HBV DNA before starting and monitor for reactivation';
    findings.push({ id: 'hepatitis-b-exposure', short: resolved ? 'resolved hepatitis B' : 'past hepatitis B', text: `${what}: ${next}`, evidence, ...(dnaNotDetected ? { todo: { kind: 'confirm' as const, text: 'Plan HBV DNA monitoring during treatment' } } : {}) });
  }
  return findings;
}

export function seriousInfectionFindings(ctx: AssessContext): Finding[] {
  const findings: Finding[] = [];
  const immuno = [...conditionsIn(ctx, conditions.hiv), ...conditionsIn(ctx, conditions.immunocompromised)].filter((m) => m.active);
  findings.push(...fromConditions('serious-infection', immuno, (m) => `Immunocompromising condition (${m.condition.display}): higher risk of serious infection`).map((f) => ({ ...f, short: 'immunocompromised' })));
  const recent = (m: ConditionMatch, days: number) => {
    const onset = m.condition.onset ?? m.condition.recordedDate;
    return (onset !== undefined && ctx.withinDays(onset, days)) || (m.condition.abatement !== undefined && ctx.withinDays(m.condition.abatement, days));
  };
  const sepsis = conditionsIn(ctx, conditions.sepsis).filter((m) => recent(m, ctx.config.sepsisDays));
  findings.push(...fromConditions('serious-infection', sepsis, (m) => `Sepsis in the last ${Math.round(ctx.config.sepsisDays / 30)} months (${m.condition.display})`).map((f) => ({ ...f, short: 'recent sepsis' })));
  const days = ctx.config.activeInfectionDays;
  const infections = conditionsIn(ctx, conditions.activeInfection).filter((m) => !sepsis.includes(m) && (m.active || recent(m, days)) && !conditions.sepsis.match(m.condition.codes));
  // An active infection is do-not-start for the oral agents (Cibinqo §5.1: "avoid use in patients
  // with an active, serious infection, including localized infections"; R2.2).
  findings.push(...fromConditions('serious-infection', infections, (m) => `Infection active in the last ${days} days (${m.condition.display}): treat before starting`).map((f) => ({
    ...f, short: `active infection (${infections[0]!.condition.display})`, severityByAgent: { ...oralSeverity('do-not-start'), ...topicalSeverity('warning') }, labelWording: 'avoid',
  })));
  const recurrent = conditionsIn(ctx, conditions.recurrentInfection).filter((m) => m.active);
  findings.push(...fromConditions('serious-infection', recurrent, (m) => `Recurrent infections (${m.condition.display})`).map((f) => ({ ...f, short: 'recurrent infections' })));
  return findings;
}

export function herpesZosterFindings(ctx: AssessContext): Finding[] {
  return fromConditions('herpes-zoster-history', conditionsIn(ctx, conditions.herpesZoster), (m) => `History of herpes zoster (${m.condition.display}${m.condition.onset ? `, ${m.condition.onset}` : ''}): consider the recombinant zoster vaccine`).map((f) => ({ ...f, short: 'past shingles' }));
}
