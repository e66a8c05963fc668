/**
 * The three services this CDS Hooks server offers and their discovery entries.
 */
import { addDays } from '../engine/normalise';
import { prefetchTemplates } from './prefetch';
import type { HookName } from './types';

export interface ServiceDefinition {
  id: string;
  hook: HookName;
  title: string;
  description(options: { patientViewEnabled: boolean }): string;
}

export const SERVICES: readonly ServiceDefinition[] = [
  {
    id: 'jak-readiness-order-select',
    hook: 'order-select',
    title: 'JAK inhibitor readiness (order chosen)',
    description: () =>
      'When a draft order is for abrocitinib, upadacitinib, baricitinib, ruxolitinib cream or delgocitinib cream: ' +
      'do-not-start cautions, warnings and the pre-treatment to-do list for that agent, with one click to order the missing baseline labs. ' +
      'Other orders get no card.',
  },
  {
    id: 'jak-readiness-order-sign',
    hook: 'order-sign',
    title: 'JAK inhibitor readiness (before signing)',
    description: () =>
      'The same check as order-select, at signing: cards only when a draft order is for one of the five JAK inhibitors used for eczema.',
  },
  {
    id: 'jak-readiness-patient-view',
    hook: 'patient-view',
    title: 'JAK inhibitor readiness (chart open)',
    description: ({ patientViewEnabled }) =>
      (patientViewEnabled
        ? 'Enabled at this site. '
        : 'Off by default (answers no cards); a site enables it with "patientView": {"enabled": true} in the service\'s trust configuration. ') +
      'When enabled: on chart open, readiness cards for a JAK inhibitor already drafted for the patient (a draft MedicationRequest in the record); patients without one get no card.',
  },
];

export function serviceById(id: string): ServiceDefinition | undefined {
  return SERVICES.find((s) => s.id === id);
}

/** The discovery document for `today` (YYYY-MM-DD): the lab template starts `lookbackDays` before it. */
export function discovery(options: { patientViewEnabled: boolean; today: string; lookbackDays: number }) {
  const prefetch = prefetchTemplates(addDays(options.today, -options.lookbackDays));
  return {
    services: SERVICES.map((service) => ({
      hook: service.hook,
      id: service.id,
      title: service.title,
      description: service.description(options),
      prefetch,
    })),
  };
}
