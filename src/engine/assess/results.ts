/**
 * Reading a result the way its test is read (clinical/spec.md "Qualitative results", R2.1):
 * serology by its answer, viral loads by their numbers, a skin test by its induration,
 * quantitative hCG against the site's cut-offs, pregnancy status by its answer. Every reader
 * returns a result or the reason there is none; nothing it does not understand reads as negative.
 */
import type { ObservationFact } from '../record';
import { convertQuantity } from '../normalise/units';
import { readQualitative, readViralLoad, type ResultReading } from '../normalise/qualitative';
import { pregnancyStatusAnswers } from '../../kb/labs';
import { roundForPeople } from '../present/values';
import type { AssessContext } from './context';
import { conceptsOf } from './lab-concepts';

export type { ResultReading };

/** A tuberculin skin test is read by induration (mm) against the configured cut-off, else by its answer. */
export function tbReading(obs: ObservationFact, ctx: AssessContext): ResultReading {
  if (obs.quantity && conceptsOf(obs).includes('tuberculinSkinTest')) {
    const mm = convertQuantity(obs.quantity, 'mm');
    if (mm !== undefined) return { result: mm >= ctx.config.thresholds.tstPositiveMm ? 'positive' : 'negative' };
  }
  return readQualitative(obs);
}

/**
 * hCG and pregnancy status. Quantitative hCG (mIU/mL = IU/L): at or above the positive cut-off
 * positive, below the negative cut-off negative, in between equivocal ("repeat the test").
 * hCG reported in moles or mass, or in a unit not recognised, needs a person.
 */
export function pregnancyReading(obs: ObservationFact, ctx: AssessContext): ResultReading {
  if (pregnancyStatusAnswers.pregnant.match(obs.valueCodes)) return { result: 'positive' };
  if (pregnancyStatusAnswers.notPregnant.match(obs.valueCodes)) return { result: 'negative' };
  if (obs.quantity && conceptsOf(obs).includes('hcg')) {
    const { hcgPositiveMiuPerMl: positive, hcgNegativeBelowMiuPerMl: negative } = ctx.config.thresholds;
    const value = convertQuantity(obs.quantity, 'mIU/mL');
    if (value === undefined) return { problem: 'unit not recognised' };
    const below = obs.quantity.comparator === '<' || obs.quantity.comparator === '<=';
    if (below ? value <= negative : value < negative) return { result: 'negative' };
    if (!below && value >= positive) return { result: 'positive' };
    return { problem: `equivocal hCG ${below ? '<' : ''}${roundForPeople(value)} mIU/mL (${negative}–${positive - 1}): repeat the test` };
  }
  const reading = readQualitative(obs);
  // An indeterminate pregnancy test is not a negative one: it needs repeating.
  return reading.result === 'indeterminate' ? { problem: 'indeterminate: repeat the test' } : reading;
}

/** HCV RNA and HBV DNA: `positive` means detected. */
export const viralLoadReading = (obs: ObservationFact): ResultReading => readViralLoad(obs);

export const serologyReading = (obs: ObservationFact): ResultReading => readQualitative(obs);
