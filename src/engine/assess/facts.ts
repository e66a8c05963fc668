/**
 * Questions the caution rules ask of the record: which conditions fall in a code set (active or
 * as history), which medications are current, which belong to a drug class (by code or name).
 */
import type { Coding, ConditionFact, MedicationFact } from '../record';
import type { CodeSet } from '../../kb/code-sets';
import { RXNORM } from '../../kb/code-sets';
import { LOCAL_BRANDS, LOCAL_FORM, NOT_SKIN_FORM, SKIN_FORM, biologicImmunomodulators, jakInhibitors, systemicImmunosuppressants, type Drug, type DrugClass } from '../../kb/drugs';
import type { AssessContext } from './context';

const ACTIVE_CLINICAL = new Set(['active', 'recurrence', 'relapse']);
const UNCONFIRMED = new Set(['provisional', 'differential', 'unconfirmed']);

export interface ConditionMatch {
  condition: ConditionFact;
  matched: Coding;
  active: boolean;
  unconfirmed: boolean;
}

/** Active = clinical status active/recurrence/relapse, or no status and no abatement. */
export function isActiveCondition(c: ConditionFact): boolean {
  if (c.clinicalStatus) return ACTIVE_CLINICAL.has(c.clinicalStatus);
  return c.abatement === undefined;
}

export function conditionsIn(ctx: AssessContext, set: CodeSet): ConditionMatch[] {
  const out: ConditionMatch[] = [];
  for (const condition of ctx.record.conditions) {
    const matched = set.match(condition.codes);
    if (matched) out.push({ condition, matched, active: isActiveCondition(condition), unconfirmed: UNCONFIRMED.has(condition.verificationStatus ?? '') });
  }
  return out;
}

const CURRENT_REQUEST = new Set(['active', 'on-hold', 'draft']);
const CURRENT_STATEMENT = new Set(['active', 'intended']);

/** Current = active/on-hold/draft request or active/intended statement, not ended before now. */
export function isCurrentMedication(med: MedicationFact, now: string): boolean {
  const statuses = med.kind === 'MedicationRequest' ? CURRENT_REQUEST : CURRENT_STATEMENT;
  if (!med.status || !statuses.has(med.status)) return false;
  return !(med.periodEnd && med.periodEnd < now);
}

/** Local forms (ointment, eye drops...) are not systemic: tacrolimus ointment is not an immunosuppressant here. */
export function isLocalForm(med: MedicationFact): boolean {
  const text = [med.doseForm, med.route, med.dosageText, med.display, ...med.names].filter(Boolean).join(' ');
  return LOCAL_FORM.test(text) || LOCAL_BRANDS.test(text);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const namePatterns = new WeakMap<Drug, RegExp>();
function namePattern(drug: Drug): RegExp {
  let pattern = namePatterns.get(drug);
  if (!pattern) {
    pattern = new RegExp(`(^|[^a-z0-9])(${[drug.ingredient, ...drug.aliases].map(escape).join('|')})(?![a-z0-9])`, 'i');
    namePatterns.set(drug, pattern);
  }
  return pattern;
}

export interface DrugMatch {
  drug: Drug;
  code?: Coding;
  /** The name that matched, when matched by name. */
  name?: string;
}

/** One pattern for every name of a list: most medications match no drug of a class, and say so in one pass. */
const listPatterns = new WeakMap<readonly Drug[], RegExp>();
function anyNamePattern(drugs: readonly Drug[]): RegExp {
  let pattern = listPatterns.get(drugs);
  if (!pattern) {
    pattern = new RegExp(`(^|[^a-z0-9])(${drugs.flatMap((d) => [d.ingredient, ...d.aliases]).map(escape).join('|')})(?![a-z0-9])`, 'i');
    listPatterns.set(drugs, pattern);
  }
  return pattern;
}

/** Rules ask the same question of the same medication many times (per class, per agent): answer once. */
const matched = new WeakMap<MedicationFact, Map<readonly Drug[], DrugMatch | null>>();

/** Matches a medication to a drug: RxNorm code first, then ingredient/brand name (whole word). */
export function matchDrug(med: MedicationFact, drugs: readonly Drug[]): DrugMatch | undefined {
  let known = matched.get(med);
  if (!known) matched.set(med, (known = new Map()));
  const hit = known.get(drugs);
  if (hit !== undefined) return hit ?? undefined;
  const result = findDrug(med, drugs);
  known.set(drugs, result ?? null);
  return result;
}

function findDrug(med: MedicationFact, drugs: readonly Drug[]): DrugMatch | undefined {
  for (const drug of drugs) {
    const code = drug.rxnorm && med.codes.find((c) => c.system === RXNORM && drug.rxnorm!.includes(c.code));
    if (code) return { drug, code };
  }
  const texts = [med.display, ...med.names, ...med.codes.map((c) => c.display ?? '')];
  const any = anyNamePattern(drugs);
  if (!texts.some((text) => any.test(text))) return undefined;
  // The first drug of the list whose name appears wins, as the lists are ordered.
  for (const drug of drugs) {
    const pattern = namePattern(drug);
    for (const text of texts) {
      const m = pattern.exec(text);
      if (m) return { drug, name: m[2] };
    }
  }
  return undefined;
}

export function matchClass(med: MedicationFact, drugClass: DrugClass): DrugMatch | undefined {
  return matchDrug(med, drugClass.drugs);
}

export function currentMedications(ctx: AssessContext): MedicationFact[] {
  return ctx.record.medications.filter((m) => isCurrentMedication(m, ctx.now));
}

/** The texts that say what form a medication takes. */
const formText = (med: MedicationFact) => [med.doseForm, med.route, med.dosageText, med.display, ...med.names].filter(Boolean).join(' ');

/** A form for the skin (cream, ointment, lotion, gel, foam, solution for the skin): never inhaled, nasal, eye, oral (R2.5). */
export function isSkinForm(med: MedicationFact): boolean {
  const text = formText(med);
  return SKIN_FORM.test(text) && !NOT_SKIN_FORM.test(text);
}

export type FormFilter = 'skin' | 'systemic' | undefined;

export interface TherapyUse {
  ingredient: string;
  /** The newest use of it in the record. */
  med: MedicationFact;
  match: DrugMatch;
}

/** Each drug of these classes ever recorded (any status: history matters), newest use per ingredient. */
export function therapyHistory(ctx: AssessContext, classes: Array<{ drugClass: DrugClass; form?: FormFilter }>): TherapyUse[] {
  const found = new Map<string, TherapyUse>();
  for (const med of ctx.record.medications) {
    for (const { drugClass, form } of classes) {
      if (form === 'skin' && !isSkinForm(med)) continue;
      if (form === 'systemic' && isLocalForm(med)) continue;
      const match = matchClass(med, drugClass);
      if (!match) continue;
      const prev = found.get(match.drug.ingredient);
      if (!prev || (med.date ?? '') > (prev.med.date ?? '')) found.set(match.drug.ingredient, { ingredient: match.drug.ingredient, med, match });
    }
  }
  return [...found.values()];
}

/** Prior systemic therapy for atopic dermatitis: biologics, systemic immunosuppressants, JAK inhibitors. */
export function priorSystemicTherapy(ctx: AssessContext): TherapyUse[] {
  // A draft order or a proposal is the planned therapy, not a prior one; the JAK inhibitor being
  // taken now is current therapy, never "prior systemic therapy" (R3.3).
  return ctx.once('prior-systemic-therapy', () => {
    const planned = (m: MedicationFact) => m.status === 'draft' || m.intent === 'proposal' || m.intent === 'plan' || (m.kind === 'MedicationStatement' && m.status === 'intended');
    const ingredient = (m: MedicationFact) => matchDrug(m, jakInhibitors.drugs)?.drug.ingredient;
    const taken = new Set(ctx.record.medications.filter((m) => !planned(m) && isCurrentMedication(m, ctx.now)).map(ingredient).filter(Boolean));
    const medications = ctx.record.medications.filter((m) => !planned(m) && !taken.has(ingredient(m)));
    return therapyHistory({ ...ctx, record: { ...ctx.record, medications } }, [{ drugClass: biologicImmunomodulators }, { drugClass: systemicImmunosuppressants, form: 'systemic' }, { drugClass: jakInhibitors, form: 'systemic' }]);
  });
}
