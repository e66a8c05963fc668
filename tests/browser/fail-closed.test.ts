/**
 * Hostile links and hostile data in a real browser, against the built app: a crafted `iss`, a
 * crafted `clientId`, an error page anyone can link to, huge strings in the record, and the
 * order being written passed as launch context.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Condition, Observation, Resource } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addBaseline } from '../../src/sandbox/scenarios/baseline';
import { ChartBuilder } from '../../src/sandbox/scenarios/chart-builder';
import { CONDITIONS } from '../../src/sandbox/scenarios/codes';
import { appFrame, useBrowserHarness, waitForOutcome, type BrowserHarness } from './harness';

/** The session keys fhirclient left in this page's sessionStorage. */
const storedKeys = (page: Page) => page.evaluate(() => Object.keys(sessionStorage));

async function putResources(harness: BrowserHarness, resources: Resource[]): Promise<void> {
  const token = harness.sandbox.issueToken({ scope: 'system/*.*' });
  const res = await fetch(harness.sandbox.fhirBase, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/fhir+json' },
    body: JSON.stringify({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: resources.map((resource) => ({ resource, request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` } })),
    }),
  });
  expect(res.status).toBe(200);
}

describe('fail closed', () => {
  const harness = useBrowserHarness();

  it('a crafted link to an unlisted FHIR server is refused with a screen naming it and how to add it', async () => {
    const { page } = await harness.open();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`${harness.sandbox.origin}/launch/?${new URLSearchParams({ iss: 'https://attacker.example/fhir', launch: 'x' })}`);
    await waitForOutcome(page);

    expect(await page.locator('#launch').getAttribute('data-kind')).toBe('error');
    const text = await page.locator('#launch').innerText();
    expect(text).toContain('This app is not set up for the FHIR server https://attacker.example/fhir');
    expect(text).toContain('"issuers"');
    expect(text).toContain('smart-config.json');
    expect(requests.some((url) => new URL(url).hostname === 'attacker.example')).toBe(false);
    expect(new URL(page.url()).pathname).toBe('/launch/');
    expect(await storedKeys(page)).toEqual([]);
  });

  it('the app as shipped (smart-config.json lists no FHIR server) refuses every launch with a screen that says how to add one', async () => {
    const { context, page } = await harness.open();
    const shipped = readFileSync(join(process.cwd(), 'public', 'smart-config.json'), 'utf8');
    // Served as the file is, without the sandbox's own FHIR base that npm start adds.
    await context.route('**/smart-config.json', (route) => route.fulfill({ contentType: 'application/json', body: shipped }));
    const launch = harness.sandbox.createLaunch('scn-ready');
    await page.goto(`${harness.sandbox.origin}/launch/?${new URLSearchParams({ iss: harness.sandbox.fhirBase, launch })}`);
    await waitForOutcome(page);

    expect(await page.locator('#launch').getAttribute('data-kind')).toBe('error');
    const text = await page.locator('#launch').innerText();
    expect(text).toContain(`This app is not set up for the FHIR server ${harness.sandbox.fhirBase}, nor for any other yet`);
    expect(text).toContain('smart-config.json');
    expect(text).toContain(`"issuers": { "${harness.sandbox.fhirBase}": { "clientId": "…" } }`);
    expect(new URL(page.url()).pathname).toBe('/launch/');
    expect(await storedKeys(page)).toEqual([]);
  });

  it('a launch link carrying clientId is refused before any sign-in starts', async () => {
    const { page } = await harness.open();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const launch = harness.sandbox.createLaunch('scn-ready');
    await page.goto(`${harness.sandbox.origin}/launch/?${new URLSearchParams({ iss: harness.sandbox.fhirBase, launch, clientId: 'jak-readiness-dev' })}`);
    await waitForOutcome(page);

    expect(await page.locator('#launch').innerText()).toContain('The launch link carries clientId, which this app does not accept');
    expect(requests.some((url) => url.includes('/auth/authorize'))).toBe(false);
  });

  it('an error link anyone can send shows no attacker-written text', async () => {
    const { page } = await harness.open();
    const bait = 'Your account is locked. Call 555-0100 and give your password.';
    await page.goto(`${harness.sandbox.origin}/?${new URLSearchParams({ error: 'access_denied', error_description: bait })}`);
    await waitForOutcome(page);

    const screen = page.getByRole('alert');
    expect(await screen.innerText()).toContain('access_denied');
    expect(await screen.innerText()).not.toContain('555-0100');
    expect(await screen.innerText()).toContain('does not belong to a sign-in started in this window');
  });

  it("the EHR's own refusal of a launch this tab started keeps its description, and the session is forgotten", async () => {
    const { page } = await harness.open();
    await page.goto(`${harness.sandbox.origin}/ehr/`);
    await page.getByRole('link', { name: /unregistered client/ }).click();
    await waitForOutcome(page);

    const facts = (await page.getByRole('alert').locator('.screen__facts').innerText()).replace(/\s+/g, ' ');
    expect(facts).toMatch(/Description Client "[^"]+" is not authorized for this launch/);
    expect(await storedKeys(page)).toEqual([]);
  });
});

describe('bounded input in the sidebar', () => {
  const harness = useBrowserHarness();
  const PATIENT = 'long-strings-1';
  const REPORT = `Negative. ${'Interpretation text pasted from the laboratory system. '.repeat(1800)}`; // ~100 KB
  const HUGE = 'D'.repeat(5 * 1024 * 1024);

  function longChart(): Resource[] {
    const chart = new ChartBuilder(PATIENT, new Date());
    chart.patient({ given: ['Lena'], family: 'Long', sex: 'female', ageYears: 52 });
    chart.condition(CONDITIONS.atopicDermatitis, 2000);
    const dvt: Condition = chart.condition(CONDITIONS.dvt, 1100, { status: 'resolved', abatementDaysAgo: 1000 });
    dvt.code = { ...dvt.code, text: HUGE };
    addBaseline(chart, { daysAgo: 12 });
    for (const resource of chart.resources) {
      const obs = resource as Observation;
      if (resource.resourceType === 'Observation' && obs.code.coding?.[0]?.code === '71773-6') {
        delete obs.valueCodeableConcept;
        obs.valueString = REPORT;
      }
    }
    return chart.resources;
  }

  it('a 100 KB result text and a 5 MB condition name render at once, cut with "…", the full text one click away', async () => {
    await putResources(harness, longChart());
    const { page, log } = await harness.open();
    await page.goto(`${harness.sandbox.origin}/ehr/patient/${PATIENT}`);
    const started = Date.now();
    const app = await appFrame(page);
    await waitForOutcome(app);
    console.info(`chart with a 100 KB and a 5 MB string: sidebar ${Date.now() - started} ms after the chart page loaded`);
    expect(await app.getByTestId('verdicts').count()).toBe(1);

    // A past clot is a reason not to start an oral agent: it leads the sidebar, its evidence one click away.
    const caution = app.getByTestId('block-thrombosis-history');
    await caution.locator('.evidence__toggle').click();
    const cautionText = await caution.innerText();
    expect(cautionText).toContain(`${'D'.repeat(500)}…`);
    expect(cautionText).not.toContain('D'.repeat(501));

    const tb = app.getByTestId('item-tb-screening');
    await tb.locator('.evidence__toggle').click();
    await tb.getByRole('button', { name: 'Show the full text' }).click();
    const box = tb.getByRole('region', { name: 'Full text of valueString' });
    expect((await box.textContent())?.length).toBe(REPORT.length);
    const height = await box.evaluate((node) => node.getBoundingClientRect().height);
    expect(height).toBeLessThan(300);
    expect(log.pageErrors).toEqual([]);
  });
});

describe('the order being written, passed by the EHR as launch context', () => {
  const harness = useBrowserHarness();

  it('preselects its agent in the sidebar', async () => {
    await putResources(harness, [
      {
        resourceType: 'MedicationRequest',
        id: 'order-being-written',
        status: 'draft',
        intent: 'order',
        subject: { reference: 'Patient/scn-ready' },
        medicationCodeableConcept: { text: 'Rinvoq 15 MG Extended Release Oral Tablet' },
      } as Resource,
    ]);
    const { page } = await harness.open();
    await page.goto(`${harness.sandbox.origin}/ehr/patient/scn-ready?order=order-being-written`);
    const app = await appFrame(page);
    await waitForOutcome(app);

    expect(await app.getByLabel('Planned therapy').inputValue()).toBe('upadacitinib');
    expect(await app.getByText('Preselected from the order being written.').count()).toBe(1);

    // The same chart without the order in context: the default therapy.
    await page.goto(`${harness.sandbox.origin}/ehr/patient/scn-labs-missing`);
    const plain = await appFrame(page);
    await waitForOutcome(plain);
    expect(await plain.getByLabel('Planned therapy').inputValue()).toBe('oral');
  });

  it("preselects the agent of the CDS card whose link opened the app (the card's appContext)", async () => {
    const { page } = await harness.open();
    const appContext = JSON.stringify({ therapy: 'baricitinib', draftOrder: 'MedicationRequest/draft-1' });
    // What the card's link does in the sandbox's chart: an EHR launch that carries the appContext.
    await page.goto(harness.sandbox.cardLaunchUrl('scn-ready', appContext));
    await waitForOutcome(page);

    expect(await page.getByLabel('Planned therapy').inputValue()).toBe('baricitinib');
    expect(await page.getByText('Preselected from the order being written.').count()).toBe(1);
  });
});
