/**
 * The patient sheet's content (src/kb/patient-sheet.ts): one sheet per agent, every statement
 * with its source, the points the issue asks for, and plain language: the Flesch-Kincaid grade
 * of each sheet (flesch-kincaid with the syllable counter, both by wooorm) at or below 8th grade.
 * The scores are printed, so a change in wording shows its effect.
 */
import { fleschKincaid } from 'flesch-kincaid';
import { syllable } from 'syllable';
import { describe, expect, it } from 'vitest';
import { AGENT_IDS } from '../../src/contract/report';
import { PATIENT_SHEETS, SHEET_SOURCES, sheetSentences, sheetSources } from '../../src/kb/patient-sheet';

/** Sentences end at . ! ? (a colon-led list item counts as one sentence); words are runs of letters and digits. */
function readingGrade(sentences: readonly string[]): { grade: number; sentence: number; word: number; syllable: number } {
  const text = sentences.join(' ');
  const sentence = text.split(/[.!?]+(?:\s|$)/).filter((s) => /[A-Za-z]/.test(s)).length;
  const words = text.match(/[A-Za-z0-9][A-Za-z0-9'-]*/g) ?? [];
  const syllables = words.reduce((sum, word) => sum + Math.max(1, syllable(word)), 0);
  return { grade: fleschKincaid({ sentence, word: words.length, syllable: syllables }), sentence, word: words.length, syllable: syllables };
}

describe('the patient sheet', () => {
  it.each(AGENT_IDS)('%s: reads at or below 8th grade (Flesch-Kincaid)', (agent) => {
    const score = readingGrade(sheetSentences(PATIENT_SHEETS[agent]));
    console.log(`[readability] ${agent}: Flesch-Kincaid grade ${score.grade.toFixed(1)} (${score.sentence} sentences, ${score.word} words, ${score.syllable} syllables)`);
    expect(score.grade).toBeLessThanOrEqual(8);
  });

  it('the check would catch clinician prose: a label sentence scores far above 8th grade', () => {
    const label = ['Increased risk of serious bacterial, fungal, viral and opportunistic infections leading to hospitalization or death, including tuberculosis.'];
    expect(readingGrade(label).grade).toBeGreaterThan(12);
  });

  it('tells the oral agents\' patients about live vaccines, infection, shingles and clots, and the tests with their reasons', () => {
    for (const agent of ['abrocitinib', 'upadacitinib', 'baricitinib'] as const) {
      const sheet = PATIENT_SHEETS[agent];
      const text = sheetSentences(sheet).join(' ');
      expect(text, agent).toMatch(/live vaccines/);
      expect(text, agent).toMatch(/Signs of infection/);
      expect(text, agent).toMatch(/Shingles/);
      expect(text, agent).toMatch(/blood clot/);
      expect(sheet.tests.map((t) => t.test), agent).toEqual(['Blood count', 'Liver tests', 'Cholesterol', 'TB test', 'Hepatitis B and C tests']);
      expect(sheet.contraception, `${agent}: its label asks for contraception`).toBeDefined();
    }
    expect(PATIENT_SHEETS['ruxolitinib-cream'].contraception).toBeUndefined();
  });

  it('cites a Medication Guide or package leaflet for every statement', () => {
    for (const agent of AGENT_IDS) {
      const sources = sheetSources(PATIENT_SHEETS[agent]);
      expect(sources.length, agent).toBeGreaterThan(0);
      for (const id of sources) expect(SHEET_SOURCES[id], `${agent}: ${id}`).toMatch(/Medication Guide|package leaflet|Patient Information/);
    }
  });
});
