/** `recent-live-vaccine`: a completed live vaccine within the last 4 weeks. */
import type { ImmunizationFact } from '../../record';
import { CVX } from '../../../kb/code-sets';
import { LIVE_VACCINE_CVX, LIVE_VACCINE_NAMES, liveVaccineValueSets } from '../../../kb/vaccines';
import type { AssessContext } from '../context';
import { immunizationEvidence } from '../evidence';
import { addDays } from '../../normalise/dates';
import type { Finding } from './resolve';

/** CVX codes are written "3" or "03" in the wild. */
const normaliseCvx = (code: string) => code.trim().replace(/^0+(?=\d)/, '');
const LIVE = new Map(Object.entries(LIVE_VACCINE_CVX).map(([code, name]) => [normaliseCvx(code), name]));
// The official MMR, varicella and LAIV value sets, so a code added there counts here too.
for (const coding of liveVaccineValueSets.explicitCodings()) if (!LIVE.has(normaliseCvx(coding.code))) LIVE.set(normaliseCvx(coding.code), `live vaccine (CVX ${coding.code})`);

function liveVaccine(imm: ImmunizationFact): { name: string; byName: boolean } | undefined {
  const cvx = imm.codes.filter((c) => c.system === CVX);
  for (const c of cvx) {
    const name = LIVE.get(normaliseCvx(c.code));
    if (name) return { name, byName: false };
  }
  if (cvx.length === 0 && LIVE_VACCINE_NAMES.test(imm.display)) return { name: imm.display, byName: true };
  return undefined;
}

export function liveVaccineFindings(ctx: AssessContext): Finding[] {
  const recent = ctx.record.immunizations.flatMap((imm) => {
    const live = liveVaccine(imm);
    if (!live || !imm.date || !ctx.withinDays(imm.date, ctx.config.liveVaccineDays)) return [];
    return [{ imm, live }];
  });
  if (recent.length === 0) return [];
  const newest = recent.map((r) => r.imm.date!).sort().pop()!;
  return [{
    id: 'recent-live-vaccine', short: `live vaccine ${newest}`,
    // The labels: avoid live vaccines immediately prior to therapy (R2.5).
    text: `Live vaccine in the last ${Math.round(ctx.config.liveVaccineDays / 7)} weeks (${recent.map((r) => `${r.live.name}, ${r.imm.date}`).join('; ')}): start no earlier than ${addDays(newest, ctx.config.liveVaccineDays)}`,
    todo: { kind: 'confirm', text: `Plan the start no earlier than ${addDays(newest, ctx.config.liveVaccineDays)} (live vaccine)` },
    evidence: recent.map((r) => immunizationEvidence(r.imm, r.imm.codes.find((c) => c.system === CVX), r.live.byName ? 'matched by name' : undefined)),
  }];
}
