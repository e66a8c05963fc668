/**
 * Builds one patient's FHIR R4 resources with ids unique per resource (`<patient>-<kind>-<n>`)
 * and dates relative to today.
 */
import type {
  CodeableConcept,
  Coding,
  Condition,
  Immunization,
  MedicationRequest,
  Observation,
  Patient,
  Resource,
} from 'fhir/r4';
import { ClinicalCalendar } from './calendar';
import {
  CVX,
  ICD10CM,
  LOINC,
  OBS_CATEGORY,
  RXNORM,
  SNOMED,
  UCUM,
  type ConditionDef,
  type LabDef,
  type MedicationDef,
} from './codes';

const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

export interface PatientSpec {
  given: string[];
  family: string;
  sex: 'female' | 'male';
  ageYears: number;
}

export class ChartBuilder {
  readonly resources: Resource[] = [];
  readonly calendar: ClinicalCalendar;
  private counter = 0;

  constructor(
    readonly patientId: string,
    today: Date,
  ) {
    this.calendar = new ClinicalCalendar(today);
  }

  private nextId(kind: string): string {
    this.counter += 1;
    return `${this.patientId}-${kind}-${this.counter}`;
  }

  private get subject() {
    return { reference: `Patient/${this.patientId}` };
  }

  patient(spec: PatientSpec): Patient {
    const patient: Patient = {
      resourceType: 'Patient',
      id: this.patientId,
      identifier: [
        {
          use: 'usual',
          type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }], text: 'MRN' },
          system: 'urn:jak-readiness:sandbox:mrn',
          value: `MRN-${this.patientId.toUpperCase()}`,
        },
      ],
      active: true,
      name: [{ use: 'official', family: spec.family, given: spec.given }],
      gender: spec.sex,
      birthDate: this.calendar.birthDateForAge(spec.ageYears),
      extension: [
        {
          url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex',
          valueCode: spec.sex === 'female' ? 'F' : 'M',
        },
      ],
    };
    this.resources.push(patient);
    return patient;
  }

  /** A quantitative result; interpretation follows the reference interval. */
  lab(def: LabDef, value: number, daysAgo: number, minute = 0): Observation {
    const low = def.low !== undefined ? { value: def.low, unit: def.unitText ?? def.unit, system: UCUM, code: def.unit } : undefined;
    const high = def.high !== undefined ? { value: def.high, unit: def.unitText ?? def.unit, system: UCUM, code: def.unit } : undefined;
    const flag = def.low !== undefined && value < def.low ? 'L' : def.high !== undefined && value > def.high ? 'H' : 'N';
    const obs: Observation = {
      resourceType: 'Observation',
      id: this.nextId('obs'),
      status: 'final',
      category: [categoryOf(def.category ?? 'laboratory')],
      code: { coding: [{ system: LOINC, code: def.loinc, display: def.display }], text: def.display },
      subject: this.subject,
      effectiveDateTime: this.calendar.dateTime(daysAgo, minute),
      issued: this.calendar.dateTime(daysAgo, minute + 90).replace('Z', '.000Z'),
      valueQuantity: { value, unit: def.unitText ?? def.unit, system: UCUM, code: def.unit },
      ...(def.category === 'vital-signs'
        ? {}
        : {
            interpretation: [{ coding: [{ system: INTERPRETATION, code: flag, display: INTERPRETATION_TEXT[flag] }] }],
          }),
      ...(low || high ? { referenceRange: [{ ...(low ? { low } : {}), ...(high ? { high } : {}) }] } : {}),
    };
    this.resources.push(obs);
    return obs;
  }

  /** A qualitative result whose value is a SNOMED finding (Negative, Positive...). */
  codedResult(test: { loinc: string; display: string }, value: Coding, daysAgo: number, category = 'laboratory'): Observation {
    const obs: Observation = {
      resourceType: 'Observation',
      id: this.nextId('obs'),
      status: 'final',
      category: [categoryOf(category)],
      code: { coding: [{ system: LOINC, code: test.loinc, display: test.display }], text: test.display },
      subject: this.subject,
      effectiveDateTime: this.calendar.dateTime(daysAgo),
      ...(category === 'laboratory' ? { issued: this.calendar.dateTime(daysAgo, 120).replace('Z', '.000Z') } : {}),
      valueCodeableConcept: { coding: [value], text: value.display ?? value.code ?? '' },
    };
    this.resources.push(obs);
    return obs;
  }

  /** A blood-pressure panel with systolic and diastolic components. */
  bloodPressure(systolic: number, diastolic: number, daysAgo: number): Observation {
    const component = (code: string, display: string, value: number) => ({
      code: { coding: [{ system: LOINC, code, display }] },
      valueQuantity: { value, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' },
    });
    const obs: Observation = {
      resourceType: 'Observation',
      id: this.nextId('obs'),
      status: 'final',
      category: [categoryOf('vital-signs')],
      code: { coding: [{ system: LOINC, code: '85354-9', display: 'Blood pressure panel with all children optional' }], text: 'Blood pressure' },
      subject: this.subject,
      effectiveDateTime: this.calendar.dateTime(daysAgo),
      component: [
        component('8480-6', 'Systolic blood pressure', systolic),
        component('8462-4', 'Diastolic blood pressure', diastolic),
      ],
    };
    this.resources.push(obs);
    return obs;
  }

  condition(
    def: ConditionDef,
    onsetDaysAgo: number,
    opts: { status?: 'active' | 'resolved' | 'inactive'; abatementDaysAgo?: number; category?: 'problem-list-item' | 'encounter-diagnosis' } = {},
  ): Condition {
    const status = opts.status ?? 'active';
    const coding: Coding[] = [{ system: SNOMED, code: def.snomed, display: def.display }];
    if (def.icd10) coding.push({ system: ICD10CM, code: def.icd10, display: def.icd10Display ?? def.display });
    const condition: Condition = {
      resourceType: 'Condition',
      id: this.nextId('cond'),
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: status }],
      },
      verificationStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }],
      },
      category: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/condition-category',
              code: opts.category ?? 'problem-list-item',
            },
          ],
        },
      ],
      code: { coding, text: def.display },
      subject: this.subject,
      onsetDateTime: this.calendar.dateTime(onsetDaysAgo),
      recordedDate: this.calendar.dateTime(onsetDaysAgo),
      ...(opts.abatementDaysAgo !== undefined ? { abatementDateTime: this.calendar.dateTime(opts.abatementDaysAgo) } : {}),
    };
    this.resources.push(condition);
    return condition;
  }

  medicationRequest(
    def: MedicationDef,
    authoredDaysAgo: number,
    status: MedicationRequest['status'] = 'active',
  ): MedicationRequest {
    const medication: CodeableConcept = def.rxnorm
      ? { coding: [{ system: RXNORM, code: def.rxnorm, display: def.display }], text: def.display }
      : { text: def.display };
    const request: MedicationRequest = {
      resourceType: 'MedicationRequest',
      id: this.nextId('medrx'),
      status,
      intent: 'order',
      medicationCodeableConcept: medication,
      subject: this.subject,
      authoredOn: this.calendar.dateTime(authoredDaysAgo),
      requester: { reference: 'Practitioner/sandbox-clinician', display: 'Sandbox Clinician' },
      dosageInstruction: [{ text: def.dosage, ...(def.route ? { route: { text: def.route } } : {}) }],
    };
    this.resources.push(request);
    return request;
  }

  immunization(vaccine: { code: string; display: string }, daysAgo: number): Immunization {
    const immunization: Immunization = {
      resourceType: 'Immunization',
      id: this.nextId('imm'),
      status: 'completed',
      vaccineCode: { coding: [{ system: CVX, code: vaccine.code, display: vaccine.display }], text: vaccine.display },
      patient: this.subject,
      occurrenceDateTime: this.calendar.dateTime(daysAgo),
      primarySource: true,
    };
    this.resources.push(immunization);
    return immunization;
  }
}

const INTERPRETATION_TEXT: Record<string, string> = { L: 'Low', H: 'High', N: 'Normal' };

function categoryOf(code: string): CodeableConcept {
  const display = code === 'vital-signs' ? 'Vital Signs' : code === 'social-history' ? 'Social History' : 'Laboratory';
  return { coding: [{ system: OBS_CATEGORY, code, display }] };
}
