/**
 * FHIR R4 resources -> PatientRecord, the only shape `assess` reads. This is where messy input
 * stops: nothing below throws on malformed data. What cannot be used safely is skipped and
 * named in `issues` (the report lists them as data gaps), so a bad resource is never silently
 * read as "nothing there". One pass over the input plus hash lookups: linear in its size.
 */
import type {
  CodeableConcept,
  FhirResource,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Patient,
} from 'fhir/r4';
import type {
  Coding,
  ConditionFact,
  ImmunizationFact,
  LoadedResourceType,
  LoadStatus,
  MedicationFact,
  ObservationFact,
  PatientFacts,
  PatientRecord,
  Quantity,
  RecordIssue,
  Sex,
} from '../record';
import { BundleError, selectPatient } from './bundle';
import { codingsOf, displayOf } from './codes';
import { bounded, obj, list, str, type Json } from './json';
import { observationDate, toDay } from './dates';
import { toMedicationFact } from './medications';
import { labOrderFact } from './lab-orders';
import { fullUrlOf, relativeReference, ResourceIndex } from './references';

type Resource = FhirResource;

export interface BuildRecordInput {
  resources: Resource[];
  patientId?: string;
  loads?: Partial<Record<LoadedResourceType, LoadStatus>>;
  /** fullUrl -> resource from the bundle (readBundle gives it); resources read by readBundle also remember theirs. */
  fullUrls?: Map<string, Resource>;
  /** The date floor the loader used for lab searches; carried into the record for "nothing since". */
  observationsSince?: string;
}

/** Statuses that mean "this never happened / was a mistake" (spec "What is read"). */
const IGNORED_STATUS = {
  conditionVerification: new Set(['refuted', 'entered-in-error']),
  observation: new Set(['cancelled', 'entered-in-error']),
  immunization: new Set(['not-done', 'entered-in-error']),
  medication: new Set(['entered-in-error']),
} as const;

const UCUM_SYSTEM = 'http://unitsofmeasure.org';
const BIRTH_SEX_URL = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex';
const BIRTH_SEX: Readonly<Record<string, PatientFacts['birthSex']>> = { F: 'female', M: 'male', UNK: 'unknown' };
const SEXES: ReadonlySet<string> = new Set<Sex>(['female', 'male', 'other', 'unknown']);
const NUMERIC_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;




/** The code of a status CodeableConcept (clinicalStatus, verificationStatus). */
function statusCode(cc: unknown): string | undefined {
  const first = codingsOf(obj(cc) as CodeableConcept | undefined)[0];
  return first?.code.toLowerCase();
}

function categoryCodes(value: unknown): string[] {
  const out: string[] = [];
  for (const cc of list(value)) {
    for (const c of codingsOf(obj(cc) as CodeableConcept | undefined)) if (!out.includes(c.code)) out.push(c.code);
  }
  return out;
}

const NO_SUBJECT = '(no subject)';

/** Collects issues and merges repeated "belongs to another patient" notes into one line each. */
class Issues {
  readonly list: RecordIssue[] = [];
  private readonly foreign = new Map<string, { count: number; resourceType: string; subject: string }>();

  add(reference: string | undefined, resourceType: string | undefined, message: string): void {
    const issue: RecordIssue = { message: bounded(message) };
    if (reference) issue.reference = reference;
    if (resourceType) issue.resourceType = resourceType;
    this.list.push(issue);
  }

  foreignSubject(resourceType: string, subject: string): void {
    const key = `${resourceType} ${subject}`;
    const seen = this.foreign.get(key);
    if (seen) seen.count += 1;
    else this.foreign.set(key, { count: 1, resourceType, subject });
  }

  finish(patientRef: string): RecordIssue[] {
    for (const { count, resourceType, subject } of this.foreign.values()) {
      const what = count === 1 ? `1 ${resourceType}` : `${count} ${resourceType} resources`;
      const message =
        subject === NO_SUBJECT
          ? `${what} ${count === 1 ? 'names' : 'name'} no patient and the file holds several; ignored.`
          : `${what} ${count === 1 ? 'refers' : 'refer'} to ${subject}, not to this patient (${patientRef}); ignored.`;
      this.list.push({ resourceType, message });
    }
    return this.list;
  }
}

interface Context {
  issues: Issues;
  index: ResourceIndex;
}

/** A date field: its day, or undefined with an issue when the text is not a valid date. */
function day(value: unknown, ctx: Context, reference: string, resourceType: string, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  const d = toDay(typeof value === 'string' ? value : undefined);
  if (!d) ctx.issues.add(reference, resourceType, `${field} "${String(value)}" is not a valid date; ignored.`);
  return d;
}

/**
 * A FHIR Quantity as the record keeps it. The unit is the UCUM code when the quantity is coded
 * in UCUM (or not coded in any system), else the human unit text. A numeric string value
 * ("13.1") is invalid FHIR but unambiguous: it is read, and an issue says so. Anything else that
 * is not a finite number yields no quantity (and an issue).
 */
function readQuantity(
  raw: unknown,
  ctx: Context,
  reference: string,
  field: string,
  fallbackUnit?: string,
): Quantity | undefined {
  const q = obj(raw);
  if (!q) return undefined;
  let value: number | undefined;
  if (typeof q.value === 'number' && Number.isFinite(q.value)) value = q.value;
  else if (typeof q.value === 'string' && NUMERIC_TEXT.test(q.value.trim())) {
    value = Number(q.value.trim());
    ctx.issues.add(reference, 'Observation', `${field} was given as text "${q.value}"; read as the number ${value}.`);
  } else {
    if (q.value !== undefined) {
      ctx.issues.add(reference, 'Observation', `${field} "${String(q.value)}" is not a number; value ignored.`);
    }
    return undefined;
  }
  const system = str(q.system);
  const code = str(q.code);
  const unit = (code && (!system || system === UCUM_SYSTEM) ? code : (str(q.unit) ?? code)) ?? fallbackUnit ?? '';
  const quantity: Quantity = { value, unit };
  const comparator = str(q.comparator);
  if (comparator) quantity.comparator = comparator;
  return quantity;
}

function patientFacts(patient: Patient, id: string, ctx: Context): PatientFacts {
  const p = patient as unknown as Json;
  const facts: PatientFacts = { id, sex: 'unknown' };
  const gender = str(p.gender)?.toLowerCase();
  if (gender && SEXES.has(gender)) facts.sex = gender as Sex;

  for (const raw of list(p.name)) {
    const name = obj(raw);
    if (!name) continue;
    const text =
      str(name.text) ??
      ([...list(name.given).map(str), str(name.family) ?? '']
        .map((s) => s?.trim() ?? '')
        .filter(Boolean)
        .join(' ') ||
        undefined);
    if (text) {
      facts.name = text;
      break;
    }
  }

  const birthDate = day(p.birthDate, ctx, `Patient/${id}`, 'Patient', 'birthDate');
  if (birthDate) facts.birthDate = birthDate;

  for (const raw of list(p.extension)) {
    const ext = obj(raw);
    if (ext?.url !== BIRTH_SEX_URL) continue;
    const code = str(ext.valueCode)?.toUpperCase();
    if (code) facts.birthSex = BIRTH_SEX[code] ?? 'unknown';
  }

  if (typeof p.deceasedBoolean === 'boolean') facts.deceased = p.deceasedBoolean;
  else if (typeof p.deceasedDateTime === 'string') facts.deceased = toDay(p.deceasedDateTime) ?? true;

  const mrn = medicalRecordNumber(list(p.identifier));
  if (mrn) facts.mrn = mrn;
  return facts;
}

/** The medical record number (identifier type MR, v2-0203), else the first usual/official identifier. */
function medicalRecordNumber(identifiers: unknown[]): string | undefined {
  const usable = identifiers.map(obj).filter((i): i is Json => !!i && typeof i.value === 'string' && i.value.trim() !== '');
  const typed = usable.find((i) => list(obj(i.type)?.coding).some((c) => str(obj(c)?.code) === 'MR'));
  const chosen = typed ?? usable.find((i) => i.use === 'usual' || i.use === 'official') ?? usable[0];
  return chosen ? (chosen.value as string).trim() : undefined;
}

function conditionFact(c: Json, reference: string, ctx: Context): ConditionFact | undefined {
  const verificationStatus = statusCode(c.verificationStatus);
  if (verificationStatus && IGNORED_STATUS.conditionVerification.has(verificationStatus)) return undefined;
  const code = obj(c.code) as CodeableConcept | undefined;
  const codes = codingsOf(code);
  const display = displayOf(code, '');
  if (!display) {
    ctx.issues.add(reference, 'Condition', 'has no code or text; ignored.');
    return undefined;
  }
  const onsetPeriod = obj(c.onsetPeriod);
  const abatementPeriod = obj(c.abatementPeriod);
  const recordedDate = day(c.recordedDate, ctx, reference, 'Condition', 'recordedDate');
  const onset =
    day(c.onsetDateTime, ctx, reference, 'Condition', 'onsetDateTime') ??
    day(onsetPeriod?.start, ctx, reference, 'Condition', 'onsetPeriod.start') ??
    toDay(str(c.onsetString)) ??
    recordedDate;
  const abatement =
    day(c.abatementDateTime, ctx, reference, 'Condition', 'abatementDateTime') ??
    day(abatementPeriod?.end, ctx, reference, 'Condition', 'abatementPeriod.end') ??
    toDay(str(abatementPeriod?.start)) ??
    toDay(str(c.abatementString));

  const fact: ConditionFact = {
    reference,
    codes,
    display,
    bodySites: list(c.bodySite)
      .map((b) => displayOf(obj(b) as CodeableConcept | undefined, ''))
      .filter(Boolean),
    categories: categoryCodes(c.category),
  };
  const clinicalStatus = statusCode(c.clinicalStatus);
  if (clinicalStatus) fact.clinicalStatus = clinicalStatus;
  if (verificationStatus) fact.verificationStatus = verificationStatus;
  if (onset) fact.onset = onset;
  if (abatement) fact.abatement = abatement;
  if (recordedDate) fact.recordedDate = recordedDate;
  const severity = obj(c.severity) ? displayOf(obj(c.severity) as CodeableConcept, '') : '';
  if (severity) fact.severity = severity;
  return fact;
}

/** The value[x], interpretation and reference range shared by an Observation and its components. */
function readResult(source: Json, fact: ObservationFact, ctx: Context): void {
  const quantity = readQuantity(source.valueQuantity, ctx, fact.reference, 'valueQuantity.value');
  if (quantity) fact.quantity = quantity;
  else if (typeof source.valueInteger === 'number' && Number.isFinite(source.valueInteger)) {
    fact.quantity = { value: source.valueInteger, unit: '' };
  }
  const valueCc = obj(source.valueCodeableConcept);
  fact.valueCodes = codingsOf(valueCc as CodeableConcept | undefined);
  // value[x] is a choice, so valueString is free to carry the coded value's text (for display
  // and for results coded only in text, such as "Reactive").
  const valueString = str(source.valueString) ?? str(valueCc?.text);
  if (valueString) fact.valueString = valueString;
  if (typeof source.valueBoolean === 'boolean') fact.valueBoolean = source.valueBoolean;

  const interpretation: Coding[] = [];
  for (const cc of list(source.interpretation)) interpretation.push(...codingsOf(obj(cc) as CodeableConcept | undefined));
  fact.interpretation = interpretation;

  const range = obj(list(source.referenceRange)[0]);
  if (range) {
    const unit = fact.quantity?.unit;
    const high = readQuantity(range.high, ctx, fact.reference, 'referenceRange.high', unit);
    const low = readQuantity(range.low, ctx, fact.reference, 'referenceRange.low', unit);
    if (high) fact.referenceHigh = high;
    if (low) fact.referenceLow = low;
  }
}

const OBSERVATION_DATE_FIELDS: ReadonlyArray<[string, (o: Json) => unknown]> = [
  ['effectiveDateTime', (o) => o.effectiveDateTime],
  ['effectivePeriod.end', (o) => obj(o.effectivePeriod)?.end],
  ['effectivePeriod.start', (o) => obj(o.effectivePeriod)?.start],
  ['effectiveInstant', (o) => o.effectiveInstant],
  ['issued', (o) => o.issued],
];

function observationFacts(o: Json, reference: string, ctx: Context): ObservationFact[] {
  const status = str(o.status)?.toLowerCase();
  if (status && IGNORED_STATUS.observation.has(status)) return [];
  const code = obj(o.code) as CodeableConcept | undefined;
  const display = displayOf(code, '');
  if (!display) {
    ctx.issues.add(reference, 'Observation', 'has no code or text; ignored.');
    return [];
  }
  for (const [field, get] of OBSERVATION_DATE_FIELDS) {
    const raw = get(o);
    if (raw !== undefined && raw !== null && !toDay(typeof raw === 'string' ? raw : undefined)) {
      ctx.issues.add(reference, 'Observation', `${field} "${bounded(String(raw))}" is not a valid date; ignored.`);
    }
  }
  const { date, fromIssued } = observationDate(o as unknown as Observation);
  const specimen = str(obj(o.specimen)?.reference);
  const categories = categoryCodes(o.category);

  const base = (): ObservationFact => {
    const fact: ObservationFact = { reference, codes: [], display: '', valueCodes: [], interpretation: [], categories };
    if (status) fact.status = status;
    if (date) {
      fact.date = date;
      if (fromIssued) fact.dateFromIssued = true;
    }
    if (specimen) fact.specimen = specimen;
    return fact;
  };

  const parent = base();
  parent.codes = codingsOf(code);
  parent.display = display;
  readResult(o, parent, ctx);
  const facts = [parent];

  list(o.component).forEach((raw, i) => {
    const component = obj(raw);
    const componentCode = obj(component?.code) as CodeableConcept | undefined;
    const componentDisplay = displayOf(componentCode, '');
    if (!component || !componentDisplay) {
      ctx.issues.add(reference, 'Observation', `component ${i} has no code or text; ignored.`);
      return;
    }
    const fact = base();
    fact.codes = codingsOf(componentCode);
    fact.display = componentDisplay;
    fact.componentOf = String(i);
    readResult(component, fact, ctx);
    facts.push(fact);
  });
  return facts;
}

function immunizationFact(im: Json, reference: string, ctx: Context): ImmunizationFact | undefined {
  const status = str(im.status)?.toLowerCase();
  if (status && IGNORED_STATUS.immunization.has(status)) return undefined;
  const vaccine = obj(im.vaccineCode) as CodeableConcept | undefined;
  const display = displayOf(vaccine, '');
  if (!display) {
    ctx.issues.add(reference, 'Immunization', 'has no vaccine code or text; ignored.');
    return undefined;
  }
  const date =
    day(im.occurrenceDateTime, ctx, reference, 'Immunization', 'occurrenceDateTime') ??
    toDay(str(im.occurrenceString)) ??
    day(im.recorded, ctx, reference, 'Immunization', 'recorded');
  const fact: ImmunizationFact = { reference, codes: codingsOf(vaccine), display };
  if (status) fact.status = status;
  if (date) fact.date = date;
  return fact;
}

function lastUpdated(resource: Resource): number {
  const raw = obj((resource as unknown as Json).meta)?.lastUpdated;
  const t = typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

/** One copy per Type/id: the later meta.lastUpdated, else the later in the input. */
function withoutDuplicates(resources: readonly unknown[], issues: Issues): Resource[] {
  const kept: (Resource | undefined)[] = [];
  const slotOf = new Map<string, number>();
  const copies = new Map<string, number>();
  resources.forEach((raw, position) => {
    const r = obj(raw);
    if (!r || typeof r.resourceType !== 'string') {
      issues.add(undefined, undefined, `entry ${position + 1} is not a FHIR resource (${raw === null ? 'null' : typeof raw}); ignored.`);
      return;
    }
    const resource = r as unknown as Resource;
    const id = str(r.id);
    if (!id) {
      kept.push(resource);
      return;
    }
    const key = `${r.resourceType}/${id}`;
    const slot = slotOf.get(key);
    if (slot === undefined) {
      slotOf.set(key, kept.length);
      kept.push(resource);
      return;
    }
    copies.set(key, (copies.get(key) ?? 1) + 1);
    const current = kept[slot] as Resource;
    if (lastUpdated(resource) >= lastUpdated(current)) kept[slot] = resource;
  });
  for (const [key, count] of copies) {
    issues.add(key, key.split('/')[0], `appears ${count} times; kept the most recently updated copy.`);
  }
  return kept.filter((r): r is Resource => r !== undefined);
}

function referenceOf(resource: Resource, fullUrls: ReadonlyMap<Resource, string>): string {
  const id = str((resource as unknown as Json).id);
  if (id) return `${resource.resourceType}/${id}`;
  return fullUrlOf(resource) ?? fullUrls.get(resource) ?? `${resource.resourceType} (no id)`;
}

/** The subject (or Immunization.patient) reference text, or undefined when absent. */
function subjectOf(resource: Json): string | undefined {
  const subject = obj(resource.resourceType === 'Immunization' ? resource.patient : resource.subject);
  return str(subject?.reference);
}

const READ_TYPES: ReadonlySet<string> = new Set([
  'Condition',
  'Observation',
  'MedicationRequest',
  'MedicationStatement',
  'Immunization',
  'ServiceRequest',
]);

/** A Patient without an id (allowed in a transaction bundle) is known by its fullUrl's last part. */
function idFromFullUrl(fullUrl: string | undefined): string | undefined {
  if (!fullUrl) return undefined;
  const tail = fullUrl.replace(/^urn:uuid:/i, '').split('/').pop();
  return str(tail);
}

function choosePatient(
  resources: readonly Resource[],
  input: BuildRecordInput,
  issues: Issues,
  urlByResource: ReadonlyMap<Resource, string>,
): { patient?: Patient; id: string } {
  try {
    const patient = selectPatient(resources, input.patientId);
    const id =
      str(patient.id) ?? idFromFullUrl(fullUrlOf(patient) ?? urlByResource.get(patient)) ?? input.patientId ?? 'unknown';
    return { patient, id };
  } catch (error) {
    // A SMART launch knows the patient id even when reading the Patient failed: keep going
    // with an empty banner; the load status already tells the user why.
    const patientLoad = input.loads?.Patient;
    if (error instanceof BundleError && input.patientId && patientLoad && patientLoad.state !== 'complete') {
      issues.add(`Patient/${input.patientId}`, 'Patient', 'the Patient resource could not be read; age and sex are unknown.');
      return { id: input.patientId };
    }
    throw error;
  }
}

/**
 * Builds the record. Throws only BundleError, when the patient cannot be chosen (no Patient,
 * several and no id given, or the given id absent); every other problem becomes an issue.
 */
export function buildRecord(input: BuildRecordInput): PatientRecord {
  const issues = new Issues();
  const resources = withoutDuplicates(Array.isArray(input.resources) ? input.resources : [], issues);
  const urlByResource = new Map<Resource, string>();
  if (input.fullUrls) for (const [url, r] of input.fullUrls) urlByResource.set(r, url);

  const { patient, id } = choosePatient(resources, input, issues, urlByResource);
  const ctx: Context = { issues, index: new ResourceIndex(resources, input.fullUrls) };

  const patientRef = `Patient/${id}`;
  const ownRefs = new Set([patientRef]);
  const otherRefs = new Set<string>();
  let patientCount = 0;
  for (const r of resources) {
    if (r.resourceType !== 'Patient') continue;
    patientCount += 1;
    const refs = r === patient ? ownRefs : otherRefs;
    const rid = str(r.id);
    if (rid) refs.add(`Patient/${rid}`);
    const url = fullUrlOf(r) ?? urlByResource.get(r);
    if (url) refs.add(url);
  }
  const singlePatient = patientCount <= 1;

  const belongs = (resource: Json): boolean => {
    const subject = subjectOf(resource);
    if (subject === undefined) {
      if (singlePatient) return true;
      issues.foreignSubject(String(resource.resourceType), NO_SUBJECT);
      return false;
    }
    if (ownRefs.has(subject) || relativeReference(subject) === patientRef) return true;
    const relative = relativeReference(subject);
    if (!otherRefs.has(subject) && !(relative && otherRefs.has(relative))) {
      issues.foreignSubject(String(resource.resourceType), subject);
    }
    return false;
  };

  const record: PatientRecord = {
    patient: patient ? patientFacts(patient, id, ctx) : { id, sex: 'unknown' },
    conditions: [],
    observations: [],
    medications: [],
    immunizations: [],
    labOrders: [],
    loads: input.loads ? { ...input.loads } : {},
    issues: [],
  };

  for (const resource of resources) {
    const type = resource.resourceType;
    if (!READ_TYPES.has(type)) continue;
    const r = resource as unknown as Json;
    const reference = referenceOf(resource, urlByResource);
    try {
      if (!belongs(r)) continue;
      switch (type) {
        case 'Condition': {
          const fact = conditionFact(r, reference, ctx);
          if (fact) record.conditions.push(fact);
          break;
        }
        case 'Observation':
          for (const fact of observationFacts(r, reference, ctx)) record.observations.push(fact);
          break;
        case 'Immunization': {
          const fact = immunizationFact(r, reference, ctx);
          if (fact) record.immunizations.push(fact);
          break;
        }
        case 'ServiceRequest': {
          const fact = labOrderFact(r, reference);
          if (fact) record.labOrders!.push(fact);
          break;
        }
        case 'MedicationRequest':
        case 'MedicationStatement': {
          const status = str(r.status)?.toLowerCase();
          if (status && IGNORED_STATUS.medication.has(status)) break;
          const { fact, issues: found } = toMedicationFact(
            resource as MedicationRequest | MedicationStatement,
            reference,
            (ref, container) => ctx.index.resolve(ref, container),
          );
          record.medications.push(fact as MedicationFact);
          issues.list.push(...found);
          break;
        }
      }
    } catch (error) {
      // Last line of defence: a shape no branch above foresaw must not take the report down.
      issues.add(reference, type, `could not be read (${error instanceof Error ? error.message : String(error)}); ignored.`);
    }
  }
  record.issues = issues.finish(patientRef);
  if (typeof input.observationsSince === 'string') record.observationsSince = input.observationsSince;
  return record;
}

