/**
 * The pure core: one patient's record in, the readiness report out (clinical/spec.md). No I/O,
 * no clock: `now` is an argument, so the same record and date always give the same report.
 */
import { resolveConfig, type ConfigOverrides } from '../config';
import type { PatientRecord } from '../record';
import { AGENT_IDS, CHECKLIST_IDS, THERAPY_IDS, type ChecklistItem, type ReadinessReport, type TherapyId } from '../../contract/report';
import { toDay } from '../normalise/dates';
import { createContext, forTherapy, type AssessContext } from './context';
import { dosingAdvice } from './dosing';
import { monitoringSchedule, plannedTherapy } from './monitoring';
import { adjustForTreatment, withActions } from './on-treatment/findings';
import { withCurrentTherapy } from './on-treatment/verdict';
import { withRealStart } from './on-treatment/factors';
import { plannedJakUses, takenJakUses } from './on-treatment/course';
import { todoList } from './todo';
import { placedOrders } from './orders-in-flight';
import { agentVerdict } from './verdicts';
import { cbcItem } from './checklist/cbc';
import { lipidPanelItem, liverEnzymesItem } from './checklist/labs';
import { hepatitisBItem, hepatitisCItem, pregnancyTestItem, tbScreeningItem } from './checklist/screening';
import { zosterVaccineItem } from './checklist/zoster-vaccine';
import { cytopeniaFindings } from './cautions/blood-counts';
import { cardiovascularFindings, malignancyFindings } from './cautions/cardiovascular';
import { hepatitisFindings, herpesZosterFindings, seriousInfectionFindings, tuberculosisFindings } from './cautions/infections';
import { medicineFindings } from './cautions/medicines';
import { hepaticFindings, renalFindings } from './cautions/organ-function';
import { ageEligibilityFindings, labelIndicationFindings, weightEligibilityFindings } from './cautions/eligibility';
import { breastfeedingFindings, pregnancyFindings } from './cautions/reproductive';
import { resolveCautions, type Finding } from './cautions/resolve';
import { liveVaccineFindings } from './cautions/vaccines';
import { dataGaps } from './data-gaps';
import { regionalSource } from './regional-source';
import { decisionFactors } from './factors';
import { currentMedications, matchDrug } from './facts';
import { THERAPIES } from '../../kb/therapies';
import { jakInhibitors } from '../../kb/drugs';
import { isLocalForm } from './facts';

export interface AssessOptions {
  /** The day of the assessment, YYYY-MM-DD. */
  now: string;
  therapy?: TherapyId;
  config?: ConfigOverrides;
  /**
   * false: leave `byAgent` empty and assess the planned therapy only. For measuring what the
   * verdicts cost (npm run bench:assess); every integration keeps the default.
   */
  verdicts?: boolean;
}

const CHECKLIST_RULES: Record<(typeof CHECKLIST_IDS)[number], (ctx: AssessContext) => ChecklistItem> = {
  cbc: cbcItem,
  'liver-enzymes': liverEnzymesItem,
  'lipid-panel': lipidPanelItem,
  'tb-screening': tbScreeningItem,
  'hepatitis-b': hepatitisBItem,
  'hepatitis-c': hepatitisCItem,
  'pregnancy-test': pregnancyTestItem,
  'zoster-vaccine': zosterVaccineItem,
};

const CAUTION_RULES: Array<(ctx: AssessContext) => Finding[]> = [
  cytopeniaFindings, tuberculosisFindings, hepatitisFindings, seriousInfectionFindings, herpesZosterFindings,
  cardiovascularFindings, malignancyFindings, pregnancyFindings, breastfeedingFindings, medicineFindings,
  liveVaccineFindings, renalFindings, hepaticFindings, ageEligibilityFindings, weightEligibilityFindings, labelIndicationFindings,
];

export class AssessError extends Error {}

export function assess(record: PatientRecord, options: AssessOptions): ReadinessReport {
  const now = toDay(options.now);
  if (!now || now.length !== 10) throw new AssessError(`"now" must be a date (YYYY-MM-DD), got "${options.now}"`);
  const therapy = options.therapy ?? 'oral';
  if (!THERAPY_IDS.includes(therapy)) throw new AssessError(`unknown therapy "${therapy}" (one of ${THERAPY_IDS.join(', ')})`);
  const ctx = createContext(record, now, resolveConfig(options.config), therapy);

  // Findings do not depend on the planned therapy: computed once, resolved per agent.
  const monitoring = monitoringSchedule(ctx);
  // Revision 3 (R3.2, R3.3): results after the start get the label's action for the drug being taken.
  const findings = adjustForTreatment(CAUTION_RULES.flatMap((rule) => rule(ctx)).map((f) => regionalSource(ctx, f)), monitoring);
  const plan = (therapyCtx: AssessContext) => {
    // Items depend on the route only, except the blood count (abrocitinib's platelet threshold).
    const checklist = CHECKLIST_IDS.map((id) =>
      id === 'cbc' ? CHECKLIST_RULES.cbc(therapyCtx) : ctx.once(`item:${id}:${therapyCtx.therapy.route}`, () => CHECKLIST_RULES[id](therapyCtx)),
    );
    const cautions = withActions(resolveCautions(findings, therapyCtx.therapy), monitoring);
    return { checklist, cautions, todo: todoList(therapyCtx, checklist, cautions, findings, monitoring) };
  };
  const planned = plan(ctx);
  const byAgent = withCurrentTherapy(options.verdicts === false ? [] : AGENT_IDS.map((agent) => {
    const agentPlan = agent === therapy ? planned : plan(forTherapy(ctx, agent));
    return agentVerdict(ctx, agent, agentPlan.checklist, agentPlan.cautions, agentPlan.todo);
  }), monitoring);
  const report: ReadinessReport = {
    asOf: now,
    therapy,
    patient: { id: record.patient.id, age: ctx.age, sex: record.patient.sex },
    dataGaps: dataGaps(record),
    checklist: planned.checklist,
    cautions: planned.cautions,
    factors: withRealStart(decisionFactors(ctx, planned.checklist), monitoring),
    byAgent,
    dosing: dosingAdvice(ctx),
    monitoring,
    todo: planned.todo,
    orders: placedOrders(ctx),
  };
  const plannedOrder = plannedTherapy(ctx);
  if (plannedOrder) report.planned = plannedOrder;
  if (record.patient.deceased) report.patient.deceased = record.patient.deceased;
  if (record.patient.birthDate) report.patient.birthDate = record.patient.birthDate;
  if (record.patient.mrn) report.patient.mrn = record.patient.mrn;
  if (record.patient.name) report.patient.name = record.patient.name;
  return report;
}

/** The agent of an active or draft order/statement already in the record, to preselect it. */
export function preselectTherapy(record: PatientRecord, now: string): TherapyId | undefined {
  const ctx = createContext(record, now, resolveConfig(), 'oral');
  // R3.3: a draft order or a proposal is the planned therapy (a switch preselects the new agent); else the drug being taken.
  const planned = plannedJakUses(ctx).find((u) => u.agent) ?? takenJakUses(ctx).find((u) => u.agent);
  if (planned?.agent) return planned.agent;
  for (const med of currentMedications(ctx)) {
    const match = matchDrug(med, jakInhibitors.drugs);
    if (!match) continue;
    const therapy = Object.values(THERAPIES).find((t) => t.ingredient === match.drug.ingredient);
    if (!therapy) continue;
    if (therapy.ingredient === 'ruxolitinib' && !isLocalForm(med)) continue; // oral ruxolitinib (Jakafi) is not an eczema therapy
    return therapy.id;
  }
  return undefined;
}
