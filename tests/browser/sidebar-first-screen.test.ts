/**
 * The sidebar a clinician reads in five seconds (issue 8), checked in Chromium for every sandbox
 * scenario at the widths EHR sidebars have (320, 400, 480 px), one launch per patient:
 * - every reason not to start (the planned agent's, and each agent's in the verdict strip) lies
 *   within the top 600 px;
 * - no visible text is an internal id (checklist and caution ids, hyphenated severities and
 *   verdicts), a code-system address or a resource id; no number shows more than 3 decimals;
 * - no horizontal scrolling; axe finds no serious or critical violation;
 * - the sidebar opens (never an error screen) and no FHIR search carries a raw `//` (the
 *   real-world samples get that check in sample-parity.test.ts);
 * and the printout of a typical patient is one A4 page with identity, date, planned agent,
 * verdicts, to-do, cautions with sources and checklist rows, and no evidence panels or ids.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CAUTION_IDS, CHECKLIST_IDS, ITEM_STATUSES, SEVERITIES, VERDICTS } from '../../src/contract/report';
import { describeViolations, openAppAlone, recordFhirQueries, seriousAxeViolations, useBrowserHarness } from './harness';

const WIDTHS = [320, 400, 480];
const FIRST_SCREEN_PX = 600;

/** Ids a person should never read: every hyphenated id of the contract, and "cbc" in lower case. */
const IDS = [...new Set([...CHECKLIST_IDS, ...CAUTION_IDS, ...SEVERITIES, ...VERDICTS, ...ITEM_STATUSES].filter((id) => id.includes('-')))];
const ID_PATTERN = new RegExp(`(?:^|[^\\w-])(${[...IDS, 'cbc'].join('|')})(?![\\w-])`);
// The labels' public pages (DailyMed, EMA) are printed as plain URLs on paper (R3.8): those only.
const MACHINE_PATTERN = /https?:\/\/(?!dailymed\.nlm\.nih\.gov\/|www\.ema\.europa\.eu\/)|urn:oid:|\b(?:Observation|Condition|MedicationRequest|MedicationStatement|Immunization|Patient)\/[\w.-]+/;
const LONG_DECIMAL = /\d\.\d{4,}/;

interface ScreenCheck {
  /** Reasons not to start that end below the first screen: "text (bottom px)". */
  belowFold: string[];
  causes: number;
  text: string;
  scrollWidth: number;
  clientWidth: number;
}

async function checkScreen(page: Page): Promise<ScreenCheck> {
  await page.evaluate(() => window.scrollTo(0, 0));
  return page.evaluate((fold) => {
    const causes = [...document.querySelectorAll('.block__cause, .verdict--do-not-start .verdict__reasons')];
    const belowFold = causes
      .map((el) => ({ text: (el.textContent ?? '').trim(), bottom: el.getBoundingClientRect().bottom }))
      .filter((c) => c.bottom > fold)
      .map((c) => `${c.text} (${Math.round(c.bottom)} px)`);
    const root = document.scrollingElement ?? document.documentElement;
    return { belowFold, causes: causes.length, text: document.body.innerText, scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
  }, FIRST_SCREEN_PX);
}

function expectPlainWords(text: string, where: string): void {
  expect(text.match(ID_PATTERN)?.[1], `internal id on screen (${where})`).toBeUndefined();
  expect(text.match(MACHINE_PATTERN)?.[0], `address or resource id on screen (${where})`).toBeUndefined();
  expect(text.match(LONG_DECIMAL)?.[0], `number with more than 3 decimals (${where})`).toBeUndefined();
}

/** Pages in a PDF: one "/Type /Page" object per page ("/Type /Pages" is the tree). */
function pdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

/** Reading order of a blocked patient (scn-clopidogrel, abrocitinib planned): verdicts, reason not to start, to-do. */
async function expectBlockedPatientReadingOrder(page: Page): Promise<void> {
  await page.getByRole('radio', { name: /Abrocitinib/ }).check();
  const block = page.getByTestId('block-antiplatelet');
  expect(await block.locator('.block__line').innerText()).toBe('Antiplatelet medicine — clopidogrel · label: contraindicated');
  expect(await block.locator('.source-line').innerText()).toMatch(/^Source: Cibinqo label \(US\), section 4 · Cibinqo label \(US\)/);
  const tops = await page.evaluate(() =>
    ['verdicts', 'do-not-start', 'todo', 'warnings'].map((id) => document.querySelector(`[data-testid="${id}"]`)!.getBoundingClientRect().top),
  );
  expect([...tops].sort((a, b) => a - b), 'verdicts, do-not-start, to-do, warnings from the top').toEqual(tops);
  expect(tops[2]!).toBeLessThan(FIRST_SCREEN_PX);
  // The planned agent is marked in words as well as by its frame.
  expect(await page.getByTestId('verdict-abrocitinib').innerText()).toMatch(/Abrocitinib\s+Do not start · planned\s+clopidogrel/);
  expect(await page.getByLabel('Planned therapy').inputValue()).toBe('abrocitinib');
}

/**
 * A patient on a JAK inhibitor (scn-on-upadacitinib) opens on the monitoring schedule and says
 * so, with no verdicts until "Before starting" is chosen (the caller's loop then chooses it).
 */
async function expectMonitoringFirst(page: Page): Promise<void> {
  expect(await page.getByTestId('monitoring-note').innerText()).toMatch(/^On upadacitinib since \d{4}-\d{2}-\d{2} \(week 15\): this is the monitoring schedule/);
  const first = page.locator('.schedule > li').first();
  expect(await first.locator('.status__text').innerText()).toBe('Overdue');
  expect(await first.locator('.item__label').innerText()).toBe('CBC at week 12');
  expect(await page.getByTestId('todo').innerText()).toContain('CBC at week 12, overdue since');
  expect(await page.getByTestId('verdicts').count()).toBe(0);
}

/** Typical patients, whose printout must fit one A4 page (with the agent to plan, where not the default). */
const TYPICAL: Record<string, { agent?: string; name: RegExp }> = {
  'scn-low-neutrophils': { name: /Grace Whitfield/ },
  'scn-labs-missing': { name: /Daniel Okafor/ },
  'scn-clopidogrel': { agent: 'Abrocitinib', name: /Omar Haddad/ },
  'scn-smoker-hypertension': { name: /Robert James Kowalski/ },
  'scn-ready': { name: /Amelia Rose Hartley/ },
};

/** The printout: identity, date, planned agent, verdicts, to-do, cautions with sources, checklist; no evidence, ids or addresses. Returns its pages. */
async function printedPages(page: Page, patient: { agent?: string; name: RegExp }, id: string): Promise<number> {
  if (patient.agent) await page.getByRole('radio', { name: new RegExp(patient.agent) }).check();
  // Open some evidence on screen: the printout must leave it out all the same.
  for (const toggle of (await page.locator('.evidence__toggle').all()).slice(0, 3)) {
    if ((await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
  }
  await page.emulateMedia({ media: 'print' });
  try {
    const printed = await page.locator('body').innerText();
    expect(printed).toMatch(patient.name);
    expect(printed).toMatch(/born \d{4}-\d{2}-\d{2} · MRN MRN-SCN-/);
    expect(printed).toMatch(/As of \d{4}-\d{2}-\d{2} · planned: /);
    expect(printed).toContain('Verdict per agent');
    expect(printed).toContain('To do');
    expect(printed).toContain('Baseline checklist');
    expect(printed).toMatch(/Source: /);
    expect(printed).not.toMatch(/Evidence \(\d+\)|Matched by|Copy as note|Planned therapy/);
    expectPlainWords(printed, `${id} printed`);
    // Chromium's own print-to-PDF, in print media (as the Print button's preview), A4.
    return pdfPages(await page.pdf({ format: 'A4', printBackground: true }));
  } finally {
    await page.emulateMedia({ media: null });
  }
}

describe('the first screen, plain words, layout at 320, 400 and 480 px, and print', () => {
  const harness = useBrowserHarness();

  // One launch per scenario for every check of this file (a launch is most of a browser test's
  // cost): the checks of the whole first screen for all, and the patient-specific ones on the way.
  it('every scenario: reasons not to start on the first screen, no ids, no long decimals, no sideways scrolling, axe clean; a blocked patient reads verdicts, reason, to-do; a patient on therapy opens on monitoring; typical patients print on one A4 page', async () => {
    const { page } = await harness.open({ viewport: { width: 320, height: 900 } });
    const fhirQueries = recordFhirQueries(page);
    const problems: string[] = [];
    const printed: string[] = [];
    const specificChecks: string[] = [];
    let causesSeen = 0;
    for (const { id } of harness.sandbox.patients) {
      await page.setViewportSize({ width: 320, height: 900 });
      await openAppAlone(page, harness.sandbox, id);
      if ((await page.locator('[data-testid="verdicts"], [data-testid="monitoring-note"]').count()) !== 1) {
        problems.push(`${id}: no sidebar: ${(await page.locator('body').innerText()).slice(0, 300)}`);
        continue;
      }
      if (id === 'scn-on-upadacitinib') await expectMonitoringFirst(page);
      const views = (await page.getByRole('button', { name: 'Before starting' }).count()) > 0 ? ['monitoring', 'before starting'] : ['before starting'];
      for (const view of views) {
        if (view === 'before starting' && views.length > 1) await page.getByRole('button', { name: 'Before starting' }).click();
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: 900 });
          const check = await checkScreen(page);
          causesSeen += check.causes;
          if (check.belowFold.length) problems.push(`${id} ${view} at ${width} px: below the first screen: ${check.belowFold.join('; ')}`);
          if (check.scrollWidth > check.clientWidth) problems.push(`${id} at ${width} px: scrolls sideways (${check.scrollWidth} > ${check.clientWidth})`);
          expectPlainWords(check.text, `${id}, ${view}, ${width} px`);
        }
      }
      // axe once per patient (contrast does not change with width), with some evidence open.
      await page.setViewportSize({ width: 400, height: 900 });
      const toggles = page.locator('.evidence__toggle');
      if ((await toggles.count()) > 0) await toggles.first().click();
      const violations = await seriousAxeViolations(page);
      if (violations.length) problems.push(`${id}: axe: ${describeViolations(violations)}`);

      if (id === 'scn-clopidogrel') {
        await expectBlockedPatientReadingOrder(page);
        specificChecks.push(id);
      }
      if (id === 'scn-on-upadacitinib') {
        // Opened on monitoring (checked above); "Before starting" showed the verdicts.
        expect(views).toEqual(['monitoring', 'before starting']);
        expect(await page.getByTestId('verdicts').count()).toBe(1);
        specificChecks.push(id);
      }
      const typical = TYPICAL[id];
      if (typical) printed.push(`${id}: ${await printedPages(page, typical, id)}`);
    }
    expect(problems.join('\n')).toBe('');
    expect(specificChecks).toEqual(['scn-clopidogrel', 'scn-on-upadacitinib']);
    expect(printed.sort()).toEqual(Object.keys(TYPICAL).sort().map((id) => `${id}: 1`));
    // The check had something to find: blocked scenarios (pregnancy, ANC, clot, live vaccine…) were seen.
    expect(causesSeen).toBeGreaterThan(20);
    expect(harness.sandbox.patients.length).toBeGreaterThan(10);
    expect(fhirQueries.queries.length).toBeGreaterThanOrEqual(harness.sandbox.patients.length * 6);
    expect(fhirQueries.withRawDoubleSlash()).toEqual([]);
  });
});
