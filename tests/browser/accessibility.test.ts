/**
 * Accessibility in a real browser: axe-core on the sidebar (every scenario is checked by
 * sidebar-first-screen.test.ts; here the standalone sidebar with its banner and the monitoring
 * view), a keyboard-only walkthrough, and the narrow widths with every evidence panel open.
 */
import type { Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { describeViolations, openAppAlone, openChart, seriousAxeViolations, useBrowserHarness } from './harness';

/** Opens the first evidence disclosure of the checklist and of the cautions (when there are cautions). */
async function openSomeEvidence(app: Frame | Page): Promise<void> {
  await app.locator('.checklist .evidence__toggle').first().click();
  const caution = app.locator('.cautions .evidence__toggle').first();
  if ((await caution.count()) > 0) await caution.click();
  expect(await app.locator('.evidence__toggle[aria-expanded="true"]').count()).toBeGreaterThan(0);
}

/** The focused element, described well enough to find it again and to check its focus ring. */
async function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { tag: 'BODY', className: '', text: '', focusVisible: false, outline: 'none', expanded: null };
    const style = getComputedStyle(el);
    return {
      tag: el.tagName,
      className: el.className,
      text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
      focusVisible: el.matches(':focus-visible'),
      outline: `${style.outlineStyle} ${style.outlineWidth}`,
      expanded: el.getAttribute('aria-expanded'),
    };
  });
}

async function tabUntil(page: Page, predicate: (f: Awaited<ReturnType<typeof focused>>) => boolean, maxTabs = 40) {
  for (let i = 0; i < maxTabs; i += 1) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (predicate(f)) return f;
  }
  throw new Error(`no matching element within ${maxTabs} presses of Tab`);
}

function visibleRing(f: { focusVisible: boolean; outline: string }): boolean {
  return f.focusVisible && !f.outline.startsWith('none') && !/ 0px$/.test(f.outline);
}

async function horizontalOverflow(app: Frame | Page): Promise<{ scrollWidth: number; clientWidth: number }> {
  return app.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
  });
}

describe('accessibility of the sidebar', () => {
  const harness = useBrowserHarness();

  it('the axe check itself reports a planted violation (so an empty list means something)', async () => {
    const { page } = await harness.open();
    const app = await openChart(page, harness.sandbox, 'scn-ready');
    await app.evaluate(() => document.querySelector('main')?.append(document.createElement('button')));
    const violations = await seriousAxeViolations(app);
    expect(violations.map((v) => v.id)).toContain('button-name');
  });

  it('the monitoring view (a patient on upadacitinib): no serious or critical axe violations, with evidence open', async () => {
    const { page } = await harness.open();
    const app = await openChart(page, harness.sandbox, 'scn-on-upadacitinib');
    await app.getByTestId('monitoring').locator('.evidence__toggle').first().click();
    const violations = await seriousAxeViolations(app);
    expect(violations, describeViolations(violations)).toEqual([]);
  });

  it('standalone sidebar with the patient banner: no serious or critical axe violations', async () => {
    const { page } = await harness.open();
    await page.goto(`${harness.sandbox.origin}/launch/?${new URLSearchParams({ iss: harness.sandbox.fhirBase })}`);
    await page.getByRole('radio', { name: /Whitfield, Grace/ }).check();
    await page.getByRole('button', { name: 'Open in app' }).click();
    await page.getByTestId('verdicts').waitFor();
    expect(await page.locator('.banner').count()).toBe(1);
    await openSomeEvidence(page);
    const violations = await seriousAxeViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  });

  it('keyboard only: Tab reaches the verdict rows (arrows choose the planned agent) and the therapy selector, Enter and Space open evidence, focus is visible', async () => {
    const { page } = await harness.open();
    await openAppAlone(page, harness.sandbox, 'scn-clopidogrel');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

    // The verdict strip is one radio group: one Tab stop, arrows move the planned agent.
    await tabUntil(page, (f) => f.tag === 'INPUT');
    const firstRing = await page.evaluate(() => {
      const row = document.activeElement?.closest('.verdict');
      const style = row ? getComputedStyle(row) : undefined;
      return style ? `${style.outlineStyle} ${style.outlineWidth}` : 'none';
    });
    expect(firstRing, 'the focused verdict row shows a focus ring').toMatch(/^solid [1-9]/);
    await page.keyboard.press('ArrowDown');
    expect(await page.getByLabel('Planned therapy').inputValue()).toBe('upadacitinib');
    await page.keyboard.press('ArrowUp');
    expect(await page.getByLabel('Planned therapy').inputValue()).toBe('abrocitinib');
    await page.locator('[data-testid="block-antiplatelet"]').waitFor();
    await page.getByLabel('Planned therapy').selectOption('oral');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

    const select = await tabUntil(page, (f) => f.tag === 'SELECT');
    expect(visibleRing(select), `focus ring on the selector: ${select.outline}`).toBe(true);
    const therapy = page.getByLabel('Planned therapy');
    expect(await therapy.inputValue()).toBe('oral');
    await page.keyboard.press('ArrowDown');
    expect(await therapy.inputValue()).toBe('abrocitinib');
    // The choice takes effect at once: clopidogrel is a reason not to start abrocitinib.
    await page.locator('[data-testid="do-not-start"] [data-testid="block-antiplatelet"]').waitFor();
    expect(await focused(page).then((f) => f.tag)).toBe('SELECT');

    const first = await tabUntil(page, (f) => f.className.includes('evidence__toggle'));
    expect(first.expanded).toBe('false');
    expect(visibleRing(first), `focus ring on the evidence button: ${first.outline}`).toBe(true);
    await page.keyboard.press('Enter');
    expect((await focused(page)).expanded).toBe('true');
    expect(await page.locator('.evidence__toggle[aria-expanded="true"] + .evidence__panel').first().isVisible()).toBe(true);

    const second = await tabUntil(page, (f) => f.className.includes('evidence__toggle'));
    expect(second.expanded).toBe('false');
    await page.keyboard.press('Space');
    expect((await focused(page)).expanded).toBe('true');
    expect(await page.locator('.evidence__toggle[aria-expanded="true"]').count()).toBe(2);
  });

  for (const width of [320, 480]) {
    it(`at ${width} px in the chart's sidebar there is no horizontal scrolling, even with every evidence panel open`, async () => {
      const { page } = await harness.open();
      const app = await openChart(page, harness.sandbox, 'scn-low-neutrophils', width);
      // The chart's sidebar border takes a pixel from the frame: the app gets at most `width`.
      const frameWidth = await app.evaluate(() => window.innerWidth);
      expect(frameWidth).toBeGreaterThanOrEqual(width - 2);
      expect(frameWidth).toBeLessThanOrEqual(width);
      const before = await horizontalOverflow(app);
      expect(before.scrollWidth, `scrollWidth ${before.scrollWidth} > clientWidth ${before.clientWidth}`).toBeLessThanOrEqual(before.clientWidth);

      for (const toggle of await app.locator('.evidence__toggle').all()) await toggle.click();
      const after = await horizontalOverflow(app);
      expect(after.scrollWidth, `scrollWidth ${after.scrollWidth} > clientWidth ${after.clientWidth}`).toBeLessThanOrEqual(after.clientWidth);
    });
  }

  it('at 320 px on its own (viewport 320) the clopidogrel sidebar has no horizontal scrolling', async () => {
    const { page } = await harness.open({ viewport: { width: 320, height: 700 } });
    await openAppAlone(page, harness.sandbox, 'scn-clopidogrel');
    await page.getByLabel('Planned therapy').selectOption('abrocitinib');
    for (const toggle of await page.locator('.evidence__toggle').all()) await toggle.click();
    const size = await horizontalOverflow(page);
    expect(size.scrollWidth, `scrollWidth ${size.scrollWidth} > clientWidth ${size.clientWidth}`).toBeLessThanOrEqual(size.clientWidth);
  });
});
