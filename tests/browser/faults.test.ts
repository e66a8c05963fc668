/**
 * What a clinician sees when the FHIR server misbehaves: the sandbox injects one fault per test
 * (latency, 5xx, 429, expired token, a broken page, malformed JSON, `_count` ignored), the app is
 * launched from the chart page as usual, and the sidebar must either be complete and correct or
 * say plainly what could not be checked, never a false all-clear and never a stack trace.
 */
import type { Frame, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { faultPreset, type FaultPlan } from '../../src/sandbox/faults';
import { openChart, useBrowserHarness, type PageLog } from './harness';

const LAB_ITEMS = ['cbc', 'liver-enzymes', 'lipid-panel', 'tb-screening', 'hepatitis-b', 'hepatitis-c'];
/** Items judged from Observations for scn-ready (a woman of child-bearing age: the pregnancy test applies). */
const OBSERVATION_ITEMS = [...LAB_ITEMS, 'pregnancy-test'];
const ALL_ITEMS = [...OBSERVATION_ITEMS, 'zoster-vaccine'];

const NO_WARNINGS = 'No warnings raised by the record.';
const OBSERVATIONS = 'Observations (lab results, vital signs)';
const CONDITIONS = 'Conditions (problems and diagnoses)';
const COULD_NOT_CHECK = 'Could not check';
const AGENTS = ['abrocitinib', 'upadacitinib', 'baricitinib', 'ruxolitinib-cream', 'delgocitinib-cream'];

interface Launched {
  app: Frame;
  page: Page;
  log: PageLog;
  /** Observation requests the app sent, by URL (one entry per attempt). */
  observationRequests: string[];
}

async function statusOf(app: Frame, itemId: string): Promise<string> {
  return (await app.getByTestId(`item-${itemId}`).locator('.status__text').textContent()) ?? '';
}

async function detailOf(app: Frame, itemId: string): Promise<string> {
  return (await app.getByTestId(`item-${itemId}`).locator('.item__detail').textContent()) ?? '';
}

/** Each agent's verdict word, in strip order. */
/** scn-ready under US labels (R3.5): every agent Ready but baricitinib, not approved for atopic dermatitis. */
const READY_US = AGENTS.map((agent) => (agent === 'baricitinib' ? 'Not approved' : 'Ready'));

async function verdicts(app: Frame): Promise<string[]> {
  return Promise.all(AGENTS.map(async (agent) => (await app.getByTestId(`verdict-${agent}`).locator('.verdict__word').textContent()) ?? ''));
}

async function gapsPanelText(app: Frame): Promise<string> {
  return (await app.getByTestId('data-gaps').innerText()).replace(/\s+/g, ' ');
}

async function warningsText(app: Frame): Promise<string> {
  return (await app.getByTestId('warnings').innerText()).replace(/\s+/g, ' ');
}

/** How often each distinct Observation URL was requested. */
function attemptsPerUrl(urls: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const url of urls) counts.set(url, (counts.get(url) ?? 0) + 1);
  return counts;
}

describe('FHIR server faults, as the sidebar shows them', () => {
  const harness = useBrowserHarness();

  afterEach(() => {
    harness.sandbox.setFaultPlan({});
  });

  async function launchWith(plan: FaultPlan, patientId: string): Promise<Launched> {
    harness.sandbox.setFaultPlan(plan);
    const { page, log } = await harness.open();
    const observationRequests: string[] = [];
    const observationBase = `${harness.sandbox.fhirBase}/Observation`;
    // Page-level events include the app's iframe, where the FHIR requests are made.
    page.on('request', (request) => {
      if (request.url().startsWith(observationBase)) observationRequests.push(request.url());
    });
    const app = await openChart(page, harness.sandbox, patientId);
    return { app, page, log, observationRequests };
  }

  /** The sidebar for scn-ready when every type loaded: every agent Ready, everything Done, no gap. */
  async function expectCompleteReadySidebar(app: Frame): Promise<void> {
    expect(await verdicts(app)).toEqual(READY_US);
    for (const item of ALL_ITEMS) expect(await statusOf(app, item), item).toBe('Done');
    expect(await app.getByTestId('data-gaps').count()).toBe(0);
    expect(await app.getByTestId('gap-alert').count()).toBe(0);
    expect(await warningsText(app)).toContain(NO_WARNINGS);
  }

  /** Nothing on screen may read as "complete" when part of the record is missing. */
  async function expectNoCompletenessClaim(app: Frame, notApproved: readonly string[] = ['baricitinib']): Promise<void> {
    // No agent is "Ready": each says it could not be checked (none is blocked in scn-ready), but
    // an agent whose label does not cover this patient (baricitinib for atopic dermatitis in the
    // US; delgocitinib cream without hand eczema) says so whatever the record holds.
    expect(await verdicts(app)).toEqual(AGENTS.map((agent) => (notApproved.includes(agent) ? 'Not approved' : COULD_NOT_CHECK)));
    // The first screen says so before anything else can be read as an answer.
    expect(await app.getByTestId('gap-alert').innerText()).toContain('Part of the record could not be read');
    const warnings = await warningsText(app);
    expect(warnings).not.toContain(NO_WARNINGS);
    expect(warnings).toContain('Not fully checked');
    expect(await app.getByTestId('todo').innerText()).not.toContain('Nothing to order or confirm from the record.');
  }

  it('slow Observation searches (1.5 s): the sidebar still renders complete and correct', async () => {
    const { app, log } = await launchWith({ Observation: { latencyMs: 1500 } }, 'scn-ready');

    await expectCompleteReadySidebar(app);
    expect(log.pageErrors).toEqual([]);
  });

  it('Observation 503 with an OperationOutcome: labs say Could not check with the reason, vaccine still Done', async () => {
    const outcomeText = 'Lab results store offline for maintenance';
    const { app, log } = await launchWith({ Observation: { status: 503, operationOutcome: outcomeText } }, 'scn-ready');

    for (const item of OBSERVATION_ITEMS) {
      expect(await statusOf(app, item), item).toBe(COULD_NOT_CHECK);
      const detail = await detailOf(app, item);
      expect(detail, item).toContain('HTTP 503');
      expect(detail, item).toContain(outcomeText);
    }
    expect(await statusOf(app, 'zoster-vaccine')).toBe('Done');
    await expectNoCompletenessClaim(app);
    // The to-do list sends the nurse to the chart for what could not be read.
    expect(await app.getByTestId('todo').innerText()).toContain('Check the lab results in the chart: they could not be loaded');
    const gaps = await gapsPanelText(app);
    expect(gaps).toContain(`${OBSERVATIONS}:`);
    expect(gaps).toContain(outcomeText);
    expect(log.pageErrors).toEqual([]);
  });

  it('Observation 429 that never lets up: labs say Could not check, and each search is retried at most once', async () => {
    const { app, log, observationRequests } = await launchWith(
      { Observation: { rateLimit: { retryAfterSeconds: 1, times: Infinity } } },
      'scn-ready',
    );

    for (const item of OBSERVATION_ITEMS) {
      expect(await statusOf(app, item), item).toBe(COULD_NOT_CHECK);
      expect(await detailOf(app, item), item).toContain('HTTP 429');
    }
    await expectNoCompletenessClaim(app);
    expect(await gapsPanelText(app)).toContain(`${OBSERVATIONS}:`);

    // The app sends three Observation searches (labs, statuses, body weight), their three count
    // checks, one newest-results search per checklist item family (7) and the count they share:
    // 14 requests. A server that keeps refusing gets one retry each, not a loop.
    const attempts = attemptsPerUrl(observationRequests);
    expect(attempts.size).toBeGreaterThan(0);
    expect(attempts.size).toBeLessThanOrEqual(14);
    for (const [url, count] of attempts) expect(count, url).toBeLessThanOrEqual(2);
    expect(observationRequests.length).toBeLessThanOrEqual(28);
    expect(log.pageErrors).toEqual([]);
  });

  it('Observation 429 once (Retry-After 1), then answered: the retry succeeds and everything is Done', async () => {
    const { app, log, observationRequests } = await launchWith(faultPreset('observation-429'), 'scn-ready');

    await expectCompleteReadySidebar(app);
    // Each search was refused once and asked again once: the retry is what made the result complete.
    for (const [url, count] of attemptsPerUrl(observationRequests)) expect(count, url).toBe(2);
    expect(log.pageErrors).toEqual([]);
  });

  it('expired token (401 on every FHIR request): the session-expired screen, no partial sidebar, no stack trace', async () => {
    const { app, log } = await launchWith(faultPreset('expired-token'), 'scn-ready');

    const screen = app.getByRole('alert');
    expect(await screen.getByRole('heading', { name: 'Session expired' }).count()).toBe(1);
    expect(await screen.innerText()).toContain("Relaunch the app from the patient's chart");
    expect(await app.getByTestId('verdicts').count()).toBe(0);
    expect(await app.locator('[data-testid^="item-"], [data-testid^="caution-"], [data-testid^="verdict-"]').count()).toBe(0);
    const text = await app.locator('body').innerText();
    expect(text).not.toMatch(/Error\b|\bat \S+ \(|\.js:\d+|undefined|\[object /);
    expect(log.pageErrors).toEqual([]);
  });

  it('page 2 of the Observation search fails (scn-heavy-record): labs say Could not check, naming page 2', async () => {
    const { app, log, observationRequests } = await launchWith(faultPreset('observation-page-2-broken'), 'scn-heavy-record');

    // The fault only bites if the app really asked for a second page.
    expect(observationRequests.some((url) => new URL(url).searchParams.has('_offset'))).toBe(true);
    for (const item of LAB_ITEMS) {
      expect(await statusOf(app, item), item).toBe(COULD_NOT_CHECK);
      expect(await detailOf(app, item), item).toMatch(/page 2 failed \(HTTP 500/);
    }
    await expectNoCompletenessClaim(app, ['baricitinib', 'delgocitinib-cream']);
    const gaps = await gapsPanelText(app);
    expect(gaps).toContain(`${OBSERVATIONS}: incomplete:`);
    expect(gaps).toContain('page 2');
    expect(log.pageErrors).toEqual([]);
  });

  it('Observation answers malformed JSON: labs say Could not check because of malformed JSON', async () => {
    const { app, log } = await launchWith(faultPreset('malformed-json'), 'scn-ready');

    for (const item of OBSERVATION_ITEMS) {
      expect(await statusOf(app, item), item).toBe(COULD_NOT_CHECK);
      expect(await detailOf(app, item), item).toContain('malformed JSON');
    }
    expect(await statusOf(app, 'zoster-vaccine')).toBe('Done');
    await expectNoCompletenessClaim(app);
    expect(await gapsPanelText(app)).toContain(`${OBSERVATIONS}:`);
    expect(log.pageErrors).toEqual([]);
  });

  it('server ignores _count (scn-heavy-record, one big page per search): the sidebar is complete and correct', async () => {
    // The heavy record is the one that needs paging at the app's page size, so here ignoring
    // _count changes what the app receives: hundreds of results in a single page, no next link.
    const { app, log, observationRequests } = await launchWith(faultPreset('ignores-count'), 'scn-heavy-record');

    // No prior systemic therapy and no hand eczema in this chart (R3.5): the oral agents wait for
    // the prescriber's confirmation, baricitinib and delgocitinib cream are not approved for him.
    expect(await verdicts(app)).toEqual(['Needs work', 'Needs work', 'Not approved', 'Ready', 'Not approved']);
    for (const item of [...LAB_ITEMS, 'zoster-vaccine']) expect(await statusOf(app, item), item).toBe('Done');
    expect(await app.getByTestId('data-gaps').count()).toBe(0);
    expect(await warningsText(app)).toContain(NO_WARNINGS);
    expect(observationRequests.some((url) => new URL(url).searchParams.has('_offset'))).toBe(false);
    expect(log.pageErrors).toEqual([]);
  });

  it('Condition 502: the cautions say they were not fully checked and the gap names Conditions, no "no cautions"', async () => {
    const { app, log } = await launchWith({ Condition: { status: 502 } }, 'scn-ready');

    // Conditions feed cautions for every agent: none may be called Ready.
    expect(await verdicts(app)).toEqual(AGENTS.map((agent) => (agent === 'baricitinib' ? 'Not approved' : COULD_NOT_CHECK)));
    expect(await app.getByTestId('gap-alert').innerText()).toContain(CONDITIONS);
    expect(await gapsPanelText(app)).toContain(`${CONDITIONS}: HTTP 502`);
    const warnings = await warningsText(app);
    expect(warnings).not.toContain(NO_WARNINGS);
    expect(warnings).toContain(`Not fully checked: ${CONDITIONS} could not be read completely`);
    // Labs do not depend on Conditions: they are still judged.
    for (const item of OBSERVATION_ITEMS) expect(await statusOf(app, item), item).toBe('Done');
    expect(log.pageErrors).toEqual([]);
  });

  it('"Try again" after a failing search (keyboard, 320 px): only that search is sent again, and the sidebar is complete', async () => {
    harness.sandbox.setFaultPlan({ Condition: { status: 502 } });
    const { page, log } = await harness.open({ viewport: { width: 320, height: 900 } });
    const app = await openChart(page, harness.sandbox, 'scn-ready', 320);
    expect(await verdicts(app)).toEqual(AGENTS.map((agent) => (agent === 'baricitinib' ? 'Not approved' : COULD_NOT_CHECK)));
    const button = app.getByTestId('gap-alert').getByRole('button', { name: 'Try again' });
    const box = (await button.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(320);

    // The server recovers; the nurse reaches the button with Tab and presses Enter.
    harness.sandbox.setFaultPlan({});
    const sent: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/fhir/')) sent.push(url.pathname);
    });
    let reached = false;
    for (let presses = 0; presses < 60 && !reached; presses += 1) {
      await page.keyboard.press('Tab');
      reached = await button.evaluate((element) => element === element.ownerDocument.activeElement);
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await app.getByTestId('retry-outcome').waitFor();

    expect(sent).toEqual(['/fhir/Condition']);
    expect(await app.getByTestId('retry-outcome').innerText()).toBe('Read again: everything that failed has now loaded.');
    expect(await verdicts(app)).toEqual(READY_US);
    expect(await app.getByTestId('data-gaps').count()).toBe(0);
    expect(await app.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    expect(log.pageErrors).toEqual([]);
  });
});
