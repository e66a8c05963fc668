/** Tuberculosis, viral hepatitis, serious infections and shingles history (clinical/spec.md, R2.2). */
import { byNewest } from '../evidence';
import type { ObservationFact } from '../../record';
import type { Evidence } from '../../../contract/report';
import { conditions } from '../../../kb/conditions';
import { latentTbTreatment } from '../../../kb/drugs';
import { oralSeverity, topicalSeverity } from '../../../kb/cautions';
import type { AssessContext } from '../context';
import { conditionEvidence, medicationEvidence, observationEvidence } from '../evidence';
import { conditionsIn, matchClass, type ConditionMatch } from '../facts';
import { fromConditions } from './from-conditions';
import { newestReading } from '../checklist/screening';
import { serologyReading, tbReading, viralLoadReading } from '../results';
import type { Finding } from './resolve';

/** Every dated TB test (IGRA, T-SPOT, skin test), newest first. */
function tbTests(ctx: AssessContext): ObservationFact[] {
  return ctx.once('tb-tests', () => [...new Set([...ctx.observationsOf('igra'), ...ctx.observationsOf('tspot'), ...ctx.observationsOf('tuberculinSkinTest')])].filter((o) => o.date !== undefined).sort(byNewest));
}

/** A completed latent-TB course (isoniazid, rifampin, rifapentine) on or after `since`, or a resolved LTBI diagnosis. */
function treatedLatentTb(ctx: AssessContext, since: string | undefined): { evidence: Evidence[]; dates: string[] } | undefined {
  const evidence: Evidence[] = [];
  const dates: string[] = [];
  for (const med of ctx.record.medications) {
    if (med.status !== 'completed') continue;
    const match = matchClass(med, latentTbTreatment);
    if (!match || (since && med.date && med.date < since)) continue;
    evidence.push(medicationEvidence(med, match, 'completed course'));
    if (med.date) dates.push(`${match.drug.ingredient} ${med.date}${med.periodEnd ? ` to ${med.periodEnd}` : ''}`);
  }
  for (const m of conditionsIn(ctx, conditions.latentTuberculosis)) {
    if (m.active || (since && (m.condition.abatement ?? m.condition.onset ?? '') < since)) continue;
    evidence.push(conditionEvidence(m.condition, m.matched, 'resolved'));
    dates.push(`latent TB resolved${m.condition.abatement ? ` ${m.condition.abatement}` : ''}`);
  }
  return evidence.length ? { evidence, dates } : undefined;
}

const TREAT_LATENT_TB = { kind: 'confirm' as const, text: 'Exclude active TB and treat latent TB before starting' };

export function tuberculosisFindings(ctx: AssessContext): Finding[] {
  const activeTb = conditionsIn(ctx, conditions.activeTuberculosis);
  const findings = fromConditions('active-tuberculosis', activeTb.filter((m) => m.active), (m) => `Active tuberculosis on the problem list (${m.condition.display})`);
  if (findings[0]) findings[0].short = 'active TB';

  const latentConditions = conditionsIn(ctx, conditions.latentTuberculosis);
  const latent = latentConditions.concat(conditionsIn(ctx, conditions.positiveTbTestFinding)).filter((m) => m.active);
  findings.push(...fromConditions('latent-tuberculosis', latent, (m) => `Latent tuberculosis / positive TB test recorded (${m.condition.display}): treat before starting`).map((f) => ({ ...f, short: 'latent TB', todo: TREAT_LATENT_TB })));
  const tests = tbTests(ctx);
  const newest = tests[0];
  if (newest && tbReading(newest, ctx).result === 'positive') {
    findings.push({ id: 'latent-tuberculosis', short: 'positive TB test', text: `Positive TB test (${newest.date}): exclude active TB and treat latent TB before starting`, evidence: [observationEvidence(newest)], todo: TREAT_LATENT_TB });
  }

  // TB history never expires (R2.2): every positive test, any latent-TB diagnosis, a past active TB.
  const positives = tests.filter((o) => tbReading(o, ctx).result === 'positive');
  const pastActive = activeTb.filter((m) => !m.active);
  if (positives.length || latentConditions.length || pastActive.length) {
    const parts: string[] = [];
    if (positives.length) parts.push(`positive TB test${positives.length > 1 ? 's' : ''} (${positives.map((o) => o.date).join(', ')})`);
    if (latentConditions.length) parts.push(`latent TB on the problem list (${latentConditions.map((m) => m.condition.display).join(', ')})`);
    if (pastActive.length) parts.push(`past active TB (${pastActive.map((m) => m.condition.display).join(', ')})`);
    const laterNegative = newest && positives[0] && newest !== positives[0] && tbReading(newest, ctx).result === 'negative';
    const evidence = [...positives.map((o) => observationEvidence(o)), ...[...latentConditions, ...pastActive].map((m) => conditionEvidence(m.condition, m.matched))];
    if (laterNegative) evidence.unshift(observationEvidence(newest));
    const since = positives[0]?.date;
    const treated = treatedLatentTb(ctx, since);
    if (treated) {
      findings.push({
        id: 'tuberculosis-history', short: 'treated latent TB',
        text: `Treated latent TB (${treated.dates.join('; ')}) after ${parts.join('; ')}`,
        evidence: [...treated.evidence, ...evidence],
        severityByAgent: { ...oralSeverity('info'), ...topicalSeverity('info') },
      });
    } else {
      findings.push({
        id: 'tuberculosis-history', short: 'past TB or positive TB test',
        text: `History of ${parts.join('; ')}: confirm latent-TB treatment was completed before starting${laterNegative ? ` (a negative repeat, ${newest.date}, does not exclude latent TB)` : ''}`,
        evidence,
        todo: { kind: 'confirm', text: 'Confirm latent-TB treatment was completed' },
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
