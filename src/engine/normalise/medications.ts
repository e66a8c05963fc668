/**
 * MedicationRequest / MedicationStatement -> MedicationFact. The drug may be given inline
 * (medicationCodeableConcept), as a contained Medication (`#id`), as a separate Medication
 * (`Medication/id`, an absolute URL, or a bundle's `urn:uuid:` fullUrl), or only by the
 * reference's display text. Every name found is kept (lower-cased) because the rules match
 * ingredient and brand names when the code system is not one they know (spec "Codes").
 */
import type { CodeableConcept, Dosage, FhirResource, MedicationRequest, MedicationStatement } from 'fhir/r4';
import type { Coding, MedicationFact, RecordIssue } from '../record';
import { codingsOf, displayOf } from './codes';
import { bounded, obj, list, str, finite, type Json } from './json';
import { toDay } from './dates';

type Resolve = (reference: string | undefined, container: object) => FhirResource | undefined;






/** Every human-readable name in a CodeableConcept: its text and each coding's display. */
function namesIn(cc: unknown): string[] {
  const c = obj(cc);
  if (!c) return [];
  const out: string[] = [];
  const text = str(c.text);
  if (text) out.push(text);
  for (const coding of codingsOf(c as CodeableConcept)) if (coding.display) out.push(coding.display);
  return out;
}

/** Milligrams per one unit of mass, for the units that mean mass. */
const MASS_TO_MG: Readonly<Record<string, number>> = {
  mg: 1,
  milligram: 1,
  milligrams: 1,
  g: 1000,
  gram: 1000,
  grams: 1000,
  ug: 0.001,
  mcg: 0.001,
  '\u00B5g': 0.001,
  '\u03BCg': 0.001,
  microgram: 0.001,
  micrograms: 0.001,
};

/** Units that count dose units (tablets, capsules): the dose in mg is count x strength. */
const COUNT_UNIT = /^\{?(?:1|tab|tabs|tablet|tablets|tbl|cap|caps|capsule|capsules|pill|pills|each|ea|dose|doses|number)\}?$/;

function unitOf(q: Json): string {
  return (str(q.code) ?? str(q.unit) ?? '').toLowerCase();
}

function massInMg(q: Json | undefined): number | undefined {
  if (!q) return undefined;
  const value = finite(q.value);
  const factor = MASS_TO_MG[unitOf(q)];
  return value !== undefined && factor !== undefined ? value * factor : undefined;
}

function isCount(q: Json | undefined): boolean {
  if (!q) return true;
  const unit = unitOf(q);
  return unit === '' || COUNT_UNIT.test(unit);
}

/**
 * Strength per unit from names such as "Aspirin 81 MG Oral Tablet" or "ASPIRIN TBL 500MG".
 * A figure followed by "/mL", "/ACTUAT", "/HR"... is a concentration or a rate, not a per-unit
 * strength, and is skipped. Figures joined by "+" or "/" ("325+30MG") are a combination.
 */
const STRENGTH_IN_NAME =
  /(?:^|[^\w.])(\d+(?:[.,]\d+)?(?:\s*[+/]\s*\d+(?:[.,]\d+)?)*)\s*(mg|g|mcg|ug|\u00B5g|milligrams?)(?![\w])(?!\s*\/\s*(?:\d+(?:\.\d+)?\s*)?(?:ml|l|g|mg|mcg|ug|actuat\w*|hr|h|kg|m2|day|d|dose)\b)/gi;

/** "1,5" is a decimal comma; "1,000" (three digits after the comma) is a thousands separator. */
function decimal(figure: string): string {
  return /,\d{3}$/.test(figure) ? figure.replace(',', '') : figure.replace(',', '.');
}

function strengthsInName(name: string): number[] {
  const found: number[] = [];
  for (const m of name.matchAll(STRENGTH_IN_NAME)) {
    const factor = MASS_TO_MG[(m[2] ?? '').toLowerCase()];
    if (factor === undefined) continue;
    // "325+30MG" and "500/125 mg" are combinations: every figure counts, so none is "the" strength.
    for (const figure of (m[1] ?? '').split(/\s*[+/]\s*/)) {
      const value = Number(decimal(figure));
      if (Number.isFinite(value)) found.push(value * factor);
    }
  }
  return found;
}

/** The one strength the sources agree on; several different figures (combinations) give none. */
function single(values: number[]): number | undefined {
  const distinct = [...new Set(values.map((v) => Number(v.toPrecision(12))))];
  return distinct.length === 1 ? distinct[0] : undefined;
}

function strengthFromIngredients(medication: Json | undefined): number | undefined {
  if (!medication) return undefined;
  const values: number[] = [];
  for (const ingredient of list(medication.ingredient)) {
    const strength = obj(obj(ingredient)?.strength);
    if (!strength) continue;
    const mg = massInMg(obj(strength.numerator));
    const denominator = obj(strength.denominator);
    const per = denominator ? (finite(denominator.value) ?? 1) : 1;
    if (mg !== undefined && isCount(denominator) && per > 0) values.push(mg / per);
  }
  return single(values);
}

/** Days in one timing period unit (UCUM units of time as FHIR Timing uses them). */
const PERIOD_DAYS: Readonly<Record<string, number>> = {
  s: 1 / 86_400,
  min: 1 / 1_440,
  h: 1 / 24,
  d: 1,
  wk: 7,
  mo: 30,
  a: 365,
};

/** Administrations per day for the v3 GTSAbbreviation timing codes (Timing.code). */
const TIMING_CODE_PER_DAY: Readonly<Record<string, number>> = {
  QD: 1,
  AM: 1,
  PM: 1,
  BID: 2,
  TID: 3,
  QID: 4,
  QOD: 0.5,
  Q4H: 6,
  Q6H: 4,
  Q8H: 3,
  WK: 1 / 7,
  MO: 1 / 30,
};

function administrationsPerDay(timing: Json | undefined): number | undefined {
  if (!timing) return undefined;
  const repeat = obj(timing.repeat);
  if (repeat) {
    const period = finite(repeat.periodMax) ?? finite(repeat.period);
    const unitDays = PERIOD_DAYS[str(repeat.periodUnit) ?? ''];
    // The highest stated frequency: for a ">81 mg/day" check the maximum is the safe reading.
    const frequency = finite(repeat.frequencyMax) ?? finite(repeat.frequency) ?? 1;
    if (period !== undefined && period > 0 && unitDays !== undefined) return frequency / (period * unitDays);
  }
  for (const coding of codingsOf(obj(timing.code) as CodeableConcept | undefined)) {
    const perDay = TIMING_CODE_PER_DAY[coding.code.toUpperCase()];
    if (perDay !== undefined) return perDay;
  }
  return undefined;
}

function dailyDoseMg(dosage: Json | undefined, strengthMg: number | undefined): number | undefined {
  if (!dosage) return undefined;
  const perDay = administrationsPerDay(obj(dosage.timing));
  if (perDay === undefined) return undefined;
  for (const entry of list(dosage.doseAndRate)) {
    const e = obj(entry);
    const dose = obj(e?.doseQuantity) ?? obj(obj(e?.doseRange)?.high);
    if (!dose) continue;
    const value = finite(dose.value);
    if (value === undefined || value <= 0) continue;
    const mg = massInMg(dose) ?? (isCount(dose) && strengthMg !== undefined ? value * strengthMg : undefined);
    if (mg !== undefined) return Number((mg * perDay).toPrecision(12));
  }
  return undefined;
}

function pushUnique(target: string[], names: readonly string[]): void {
  for (const name of names) {
    const lower = name.toLowerCase();
    if (!target.includes(lower)) target.push(lower);
  }
}

export interface MedicationResult {
  fact: MedicationFact;
  issues: RecordIssue[];
}

/**
 * Normalises one medication entry. `reference` is how the report cites it; `resolve` finds a
 * referenced Medication (see ResourceIndex).
 */
export function toMedicationFact(
  resource: MedicationRequest | MedicationStatement,
  reference: string,
  resolve: Resolve,
): MedicationResult {
  const r = resource as unknown as Json;
  const kind = r.resourceType === 'MedicationStatement' ? 'MedicationStatement' : 'MedicationRequest';
  const issues: RecordIssue[] = [];

  const inline = obj(r.medicationCodeableConcept);
  const medicationRef = obj(r.medicationReference);
  const refString = str(medicationRef?.reference);
  let medication: Json | undefined;
  if (refString) {
    const target = resolve(refString, r);
    if (target && target.resourceType === 'Medication') medication = target as unknown as Json;
    else if (target) {
      issues.push({ reference, resourceType: kind, message: `medication reference ${refString} points to a ${target.resourceType}, not a Medication` });
    }
  }

  const codes: Coding[] = [
    ...codingsOf(inline as CodeableConcept | undefined),
    ...codingsOf(obj(medication?.code) as CodeableConcept | undefined),
  ];

  const names: string[] = [];
  pushUnique(names, namesIn(inline));
  pushUnique(names, namesIn(medication?.code));
  const refDisplay = str(medicationRef?.display);
  if (refDisplay) pushUnique(names, [refDisplay]);
  for (const ingredient of list(medication?.ingredient)) {
    const ing = obj(ingredient);
    pushUnique(names, namesIn(ing?.itemCodeableConcept));
    const itemDisplay = str(obj(ing?.itemReference)?.display);
    if (itemDisplay) pushUnique(names, [itemDisplay]);
  }

  const display =
    (inline ? displayOf(inline as CodeableConcept, '') : '') ||
    (medication ? displayOf(obj(medication.code) as CodeableConcept | undefined, '') : '') ||
    refDisplay ||
    'Unnamed medication';

  const unresolved = codes.length === 0 && names.length === 0;
  if (unresolved) {
    issues.push({
      reference,
      resourceType: kind,
      message: refString
        ? `medication ${refString} is not in the record and the entry gives no drug name`
        : 'the entry names no medication (no code, no name)',
    });
  }

  const dosage = obj(list(kind === 'MedicationRequest' ? r.dosageInstruction : r.dosage)[0]) as
    | (Json & Dosage)
    | undefined;

  const form = obj(medication?.form);
  const formParts = [str(form?.text), ...codingsOf(form as CodeableConcept | undefined).map((c) => c.display ?? c.code)];
  const doseForm = [...new Set(formParts.filter((p): p is string => !!p))].join('; ') || undefined;

  const routeCc = obj(dosage?.route);
  const route = routeCc ? displayOf(routeCc as CodeableConcept, '') || undefined : undefined;
  const dosageText = str(dosage?.text) ?? str(dosage?.patientInstruction);

  const strengthMg = strengthFromIngredients(medication) ?? single(names.flatMap(strengthsInName));
  const daily = dailyDoseMg(dosage, strengthMg);

  const effectivePeriod = obj(r.effectivePeriod);
  const rawDate =
    kind === 'MedicationRequest'
      ? r.authoredOn
      : (r.effectiveDateTime ?? effectivePeriod?.start ?? r.dateAsserted);
  const date = toDay(rawDate as string | undefined);
  if (rawDate !== undefined && date === undefined) {
    issues.push({ reference, resourceType: kind, message: `date "${bounded(String(rawDate))}" is not a valid date; ignored` });
  }
  const boundsEnd = obj(obj(obj(dosage?.timing)?.repeat)?.boundsPeriod)?.end;
  const periodEnd = toDay(
    (obj(obj(r.dispenseRequest)?.validityPeriod)?.end ?? effectivePeriod?.end ?? boundsEnd) as string | undefined,
  );

  const fact: MedicationFact = { reference, kind, codes, names, display };
  const status = str(r.status);
  if (status) fact.status = status;
  const intent = str(r.intent);
  if (intent) fact.intent = intent;
  if (doseForm) fact.doseForm = doseForm;
  if (route) fact.route = route;
  if (dosageText) fact.dosageText = dosageText;
  if (strengthMg !== undefined) fact.strengthMg = strengthMg;
  if (daily !== undefined) fact.dailyDoseMg = daily;
  if (date) fact.date = date;
  if (periodEnd) fact.periodEnd = periodEnd;
  if (unresolved) fact.unresolved = true;
  return { fact, issues };
}
