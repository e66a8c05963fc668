/**
 * The patient sheet: what a nurse hands over at the end of the visit, in plain words, for one
 * agent. Every statement carries the source it restates: the agent's US Medication Guide (FDA-
 * approved patient labeling) or, where the US label has no eczema use or the point is EU-only,
 * the EU package leaflet. Wording is ours (short sentences for an 8th-grade reading level,
 * checked by tests/kb/patient-sheet.test.ts); the meaning is the leaflet's.
 *
 * Checked against (2026-12): Cibinqo Medication Guide (pfizermedicalinformation.com/en-us/
 * cibinqo-0/medguide): serious infections, shingles, "call your healthcare provider right away
 * if you have any symptoms of an infection", heart attack or stroke, blood clots, blood tests
 * before and during treatment; Opzelura prescribing information §2.1 (at most one 60 g tube a
 * week, no occlusive dressings); Anzupgo prescribing information (twice daily on hands and
 * wrists, at most 30 g per 2 weeks, not for oral or ophthalmic use, avoid live vaccines);
 * label-facts-and-codes.md for contraception and live vaccines of the oral agents.
 */
import type { AgentId } from '../contract/report';

export type SheetSourceId =
  | 'cibinqo-mg'
  | 'cibinqo-pl-eu'
  | 'rinvoq-mg'
  | 'olumiant-pl-eu'
  | 'opzelura-mg'
  | 'anzupgo-pi'
  | 'anzupgo-pl-eu';

/** Citations printed at the bottom of the sheet. */
export const SHEET_SOURCES: Record<SheetSourceId, string> = {
  'cibinqo-mg': 'CIBINQO (abrocitinib) Medication Guide, Pfizer, FDA-approved (pfizermedicalinformation.com/en-us/cibinqo-0/medguide)',
  'cibinqo-pl-eu': 'Cibinqo package leaflet (EU), section 2: contraception during treatment and for 1 month after',
  'rinvoq-mg': 'RINVOQ (upadacitinib) Medication Guide, AbbVie, FDA-approved (rxabbvie.com/pdf/rinvoq_medguide.pdf)',
  'olumiant-pl-eu': 'Olumiant (baricitinib) package leaflet (EU), Eli Lilly (ema.europa.eu, Olumiant EPAR, product information)',
  'opzelura-mg': 'OPZELURA (ruxolitinib) cream Medication Guide, Incyte, FDA-approved (opzelura.com, prescribing information and Medication Guide)',
  'anzupgo-pi': 'ANZUPGO (delgocitinib) cream prescribing information and Medication Guide, LEO Pharma, FDA-approved 2025 (drugs.com/pro/anzupgo.html)',
  'anzupgo-pl-eu': 'Anzupgo package leaflet (EU), section 2: pregnancy',
};

export interface SheetStatement {
  text: string;
  source: SheetSourceId;
}

export interface SheetTest {
  /** The test in plain words. */
  test: string;
  why: string;
  source: SheetSourceId;
}

export interface PatientSheetContent {
  /** "Cibinqo (abrocitinib)": the name on the box first. */
  medicine: string;
  /** One line on what it is. */
  about: SheetStatement;
  tests: SheetTest[];
  /** Said instead of the list when the leaflet asks for no tests. */
  noTests?: SheetStatement;
  avoid: SheetStatement[];
  reportAtOnce: SheetStatement[];
  /** Only where the label asks for it. */
  contraception?: SheetStatement;
}

/** The tests every oral JAK inhibitor's leaflet asks for, in plain words; each agent cites its own leaflet. */
function oralTests(source: SheetSourceId): SheetTest[] {
  return [
    { test: 'Blood count', why: 'This medicine can lower the cells that fight infection and carry oxygen.', source },
    { test: 'Liver tests', why: 'This medicine can raise liver enzymes.', source },
    { test: 'Cholesterol', why: 'This medicine can raise your cholesterol.', source },
    { test: 'TB test', why: 'TB that is asleep in your body can wake up on this medicine.', source },
    { test: 'Hepatitis B and C tests', why: 'These viruses can become active again.', source },
  ];
}

function oralReport(source: SheetSourceId): SheetStatement[] {
  return [
    { text: 'Signs of infection: fever, chills, cough, feeling very tired, or warm, red or painful skin.', source },
    { text: 'Shingles: a painful rash with blisters.', source },
    { text: 'Signs of a blood clot: a swollen or painful leg, chest pain, or short breath.', source },
    { text: 'Signs of a heart attack or stroke: chest pain, weakness on one side, or trouble speaking. Call 911 or your local emergency number.', source },
  ];
}

function liveVaccines(source: SheetSourceId): SheetStatement {
  return { text: 'Do not get live vaccines, such as the nasal flu spray or yellow fever vaccine, without asking us first.', source };
}

export const PATIENT_SHEETS: Record<AgentId, PatientSheetContent> = {
  abrocitinib: {
    medicine: 'Cibinqo (abrocitinib)',
    about: { text: 'Cibinqo is a pill for eczema. It calms your immune system.', source: 'cibinqo-mg' },
    tests: oralTests('cibinqo-mg'),
    avoid: [liveVaccines('cibinqo-mg'), { text: 'Do not take blood thinners that stop platelets, such as clopidogrel, in the first 3 months. Low-dose aspirin is fine.', source: 'cibinqo-mg' }],
    reportAtOnce: oralReport('cibinqo-mg'),
    contraception: { text: 'If you can get pregnant, use birth control while you take it and for 1 month after. Tell us at once if you get pregnant.', source: 'cibinqo-pl-eu' },
  },
  upadacitinib: {
    medicine: 'Rinvoq (upadacitinib)',
    about: { text: 'Rinvoq is a pill for eczema. It calms your immune system.', source: 'rinvoq-mg' },
    tests: oralTests('rinvoq-mg'),
    avoid: [liveVaccines('rinvoq-mg'), { text: 'Do not eat grapefruit or drink grapefruit juice.', source: 'rinvoq-mg' }],
    reportAtOnce: oralReport('rinvoq-mg'),
    contraception: { text: 'If you can get pregnant, use birth control while you take it and for 4 weeks after the last dose. Tell us at once if you get pregnant.', source: 'rinvoq-mg' },
  },
  baricitinib: {
    medicine: 'Olumiant (baricitinib)',
    about: { text: 'Olumiant is a pill for eczema. It calms your immune system.', source: 'olumiant-pl-eu' },
    tests: oralTests('olumiant-pl-eu'),
    avoid: [liveVaccines('olumiant-pl-eu')],
    reportAtOnce: oralReport('olumiant-pl-eu'),
    contraception: { text: 'If you can get pregnant, use birth control while you take it and for at least 1 week after. Do not take it if you are pregnant.', source: 'olumiant-pl-eu' },
  },
  'ruxolitinib-cream': {
    medicine: 'Opzelura (ruxolitinib) cream',
    about: { text: 'Opzelura is a cream for eczema. Use a thin layer on the patches of eczema only.', source: 'opzelura-mg' },
    tests: [{ test: 'TB test, if we ask for one', why: 'TB that is asleep in your body can wake up on medicines like this one.', source: 'opzelura-mg' }],
    avoid: [
      { text: 'Do not use more than 60 grams of cream in one week.', source: 'opzelura-mg' },
      { text: 'Do not cover the cream with a bandage or wrap.', source: 'opzelura-mg' },
    ],
    reportAtOnce: [
      { text: 'Signs of infection: fever, chills, cough, or warm, red or painful skin.', source: 'opzelura-mg' },
      { text: 'Shingles: a painful rash with blisters.', source: 'opzelura-mg' },
      { text: 'Signs of a blood clot: a swollen or painful leg, chest pain, or short breath.', source: 'opzelura-mg' },
    ],
  },
  'delgocitinib-cream': {
    medicine: 'Anzupgo (delgocitinib) cream',
    about: { text: 'Anzupgo is a cream for eczema of the hands. Use a thin layer on your hands and wrists twice a day.', source: 'anzupgo-pi' },
    tests: [],
    noTests: { text: 'This cream does not need blood tests. We will tell you if you need any.', source: 'anzupgo-pi' },
    avoid: [
      { text: 'Do not put it in your eyes or mouth, or on other parts of your body.', source: 'anzupgo-pi' },
      { text: 'Do not use more than 30 grams in 2 weeks.', source: 'anzupgo-pi' },
      liveVaccines('anzupgo-pi'),
    ],
    reportAtOnce: [
      { text: 'Skin that burns, stings or itches a lot where you put the cream.', source: 'anzupgo-pi' },
      { text: 'Signs of infection of the skin on your hands: warm, red, painful or oozing skin.', source: 'anzupgo-pi' },
    ],
    contraception: { text: 'If you are pregnant or plan to get pregnant, talk with us first. It is best not to use it while pregnant.', source: 'anzupgo-pl-eu' },
  },
};

/** Every sentence of a sheet, as the readability check reads it. */
export function sheetSentences(sheet: PatientSheetContent): string[] {
  return [
    sheet.about.text,
    ...sheet.tests.flatMap((t) => [`${t.test}.`, t.why]),
    ...(sheet.noTests ? [sheet.noTests.text] : []),
    ...sheet.avoid.map((s) => s.text),
    ...sheet.reportAtOnce.map((s) => s.text),
    ...(sheet.contraception ? [sheet.contraception.text] : []),
  ];
}

/** The sources a sheet cites, in the order first used. */
export function sheetSources(sheet: PatientSheetContent): SheetSourceId[] {
  const all = [sheet.about, ...sheet.tests, ...(sheet.noTests ? [sheet.noTests] : []), ...sheet.avoid, ...sheet.reportAtOnce, ...(sheet.contraception ? [sheet.contraception] : [])].map((s) => s.source);
  return [...new Set(all)];
}
