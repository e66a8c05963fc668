/**
 * The card's appContext, written by the CDS service and read by the app from the token response:
 * the app takes only a known agent from it, and nothing from text it did not write.
 */
import { describe, expect, it } from 'vitest';
import { formatAppContext, MAX_APP_CONTEXT_LENGTH, therapyFromAppContext } from '../../src/contract/app-context';

describe('appContext: what the card writes, the app reads back', () => {
  it.each([
    ['what the card writes', formatAppContext({ therapy: 'upadacitinib', draftOrder: 'MedicationRequest/d1' }), 'upadacitinib'],
    ['without a draft order', formatAppContext({ therapy: 'ruxolitinib-cream' }), 'ruxolitinib-cream'],
  ])('%s: the agent', (_name, text, therapy) => {
    expect(therapyFromAppContext(text)).toBe(therapy);
  });

  it.each([
    ['an unknown agent', JSON.stringify({ therapy: 'tofacitinib' })],
    ['a therapy that is not a string', JSON.stringify({ therapy: ['abrocitinib'] })],
    ['not JSON', 'therapy=abrocitinib'],
    ['a JSON array', JSON.stringify(['abrocitinib'])],
    ['JSON null', 'null'],
    ['empty', ''],
    ['not a string', { therapy: 'abrocitinib' }],
    ['longer than any card writes', JSON.stringify({ therapy: 'abrocitinib', pad: 'x'.repeat(MAX_APP_CONTEXT_LENGTH) })],
  ])('%s: nothing', (_name, value) => {
    expect(therapyFromAppContext(value)).toBeUndefined();
  });
});
