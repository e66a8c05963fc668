import type { TherapyId } from '../contract/report';
import type { LabelRegion } from '../contract/site-config';

/** A planned therapy the user can choose; generic ids (`oral`, `topical`) stand for their agents. */
export interface Therapy {
  id: TherapyId;
  label: string;
  route: 'oral' | 'topical';
  /** For a generic therapy, the specific agents whose rules it unites. */
  agents: TherapyId[];
  /** Ingredient name used to recognise an existing order for this agent. */
  ingredient?: string;
  brand?: string;
  /** Minimum approved age in years, when the label sets one. */
  minAge?: number;
  /** Age limits as the labels state them, most severe first (R2.4): below `below` years, `severity`. */
  ageLimits?: Array<{ below: number; severity: 'do-not-start' | 'warning'; text: string; /** Only under these label regions (R3.7); all when absent. */ regions?: LabelRegion[] }>;
  source: string;
}

export const THERAPIES: Record<TherapyId, Therapy> = {
  oral: {
    id: 'oral',
    label: 'Oral JAK inhibitor (any)',
    route: 'oral',
    agents: ['abrocitinib', 'upadacitinib', 'baricitinib'],
    source: 'The oral agents\' labels together',
  },
  abrocitinib: {
    id: 'abrocitinib',
    label: 'Abrocitinib (Cibinqo)',
    route: 'oral',
    agents: ['abrocitinib'],
    ingredient: 'abrocitinib',
    brand: 'Cibinqo',
    minAge: 12,
    ageLimits: [{ below: 12, severity: 'do-not-start', text: 'abrocitinib from 12 years' }],
    source: 'Cibinqo US prescribing information (age ≥ 12 since Feb 2023)',
  },
  upadacitinib: {
    id: 'upadacitinib',
    label: 'Upadacitinib (Rinvoq)',
    route: 'oral',
    agents: ['upadacitinib'],
    ingredient: 'upadacitinib',
    brand: 'Rinvoq',
    minAge: 12,
    ageLimits: [{ below: 12, severity: 'do-not-start', text: 'upadacitinib from 12 years' }],
    source: 'Rinvoq US prescribing information (age ≥ 12 and ≥ 40 kg)',
  },
  baricitinib: {
    id: 'baricitinib',
    label: 'Baricitinib (Olumiant)',
    route: 'oral',
    agents: ['baricitinib'],
    ingredient: 'baricitinib',
    brand: 'Olumiant',
    minAge: 2,
    ageLimits: [
      { below: 2, severity: 'do-not-start', text: 'baricitinib from 2 years' },
      { below: 18, severity: 'warning', text: 'baricitinib for children: approved in the EU only', regions: ['US'] },
    ],
    source: 'Olumiant product information (EU), section 4.1 (atopic dermatitis from 2 years); Olumiant label (US), section 1 (no atopic dermatitis indication)',
  },
  topical: {
    id: 'topical',
    label: 'Topical JAK inhibitor (any)',
    route: 'topical',
    agents: ['ruxolitinib-cream', 'delgocitinib-cream'],
    source: 'The creams\' labels (labs not required)',
  },
  'ruxolitinib-cream': {
    id: 'ruxolitinib-cream',
    label: 'Ruxolitinib 1.5% cream (Opzelura)',
    route: 'topical',
    agents: ['ruxolitinib-cream'],
    ingredient: 'ruxolitinib',
    brand: 'Opzelura',
    minAge: 2,
    ageLimits: [{ below: 2, severity: 'do-not-start', text: 'ruxolitinib cream from 2 years' }],
    source: 'Opzelura US prescribing information (age ≥ 2; ≤ 20% BSA; class boxed warning)',
  },
  'delgocitinib-cream': {
    id: 'delgocitinib-cream',
    label: 'Delgocitinib 2% cream (Anzupgo; chronic hand eczema)',
    route: 'topical',
    agents: ['delgocitinib-cream'],
    ingredient: 'delgocitinib',
    brand: 'Anzupgo',
    minAge: 18,
    ageLimits: [{ below: 18, severity: 'do-not-start', text: 'delgocitinib cream for adults' }],
    source: 'Anzupgo US prescribing information (adults; no boxed warning)',
  },
};
