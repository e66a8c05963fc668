/**
 * Writing to the chart from the sidebar (issue 11; orders read back as "awaiting", issue 18), end to end in Chromium against the sandbox:
 * a site that turns write-back on in smart-config.json gets the write scopes; "Order missing
 * labs" creates the draft ServiceRequests in the sandbox's FHIR server and "Save to chart" files
 * the note there; an EHR that offers SMART Web Messaging (a parent page that answers) gets
 * scratchpad.create messages instead, and nothing is written over FHIR.
 */
import type { BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { APP_READY_TIMEOUT, openAppAlone, useBrowserHarness } from './harness';

const PANELS = ['57021-8', '24325-3', '57698-3', '71773-6', '5196-1', '16933-4', '13955-0'];

/** The file the sandbox serves (its own issuer listed), with the site's write-back settings added. */
async function turnWriteBackOn(context: BrowserContext, settings: Record<string, boolean>): Promise<void> {
  await context.route('**/smart-config.json', async (route) => {
    const response = await route.fetch();
    const config = (await response.json()) as Record<string, unknown>;
    await route.fulfill({ response, json: { ...config, writeBack: settings } });
  });
}

describe('writing to the chart from the sidebar', () => {
  const harness = useBrowserHarness();

  async function search(path: string): Promise<Array<Record<string, any>>> {
    const token = harness.sandbox.issueToken({ scope: 'system/*.*' });
    const res = await fetch(`${harness.sandbox.fhirBase}/${path}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { entry?: Array<{ resource: Record<string, any> }> }).entry?.map((e) => e.resource) ?? [];
  }

  it('without the site setting no write scope is asked for and no button is shown', async () => {
    const { page } = await harness.open();
    const scopes: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/auth/authorize') scopes.push(url.searchParams.get('scope') ?? '');
    });
    await openAppAlone(page, harness.sandbox, 'scn-labs-missing');
    // Reading the orders already placed (issue 18) is asked for; writing is not.
    expect(scopes.join(' ')).toMatch(/patient\/ServiceRequest\.(read|rs)\b/);
    expect(scopes.join(' ')).not.toMatch(/ServiceRequest\.(c|write)\b|DocumentReference|messaging/);
    expect(await page.getByRole('button', { name: /Order missing labs/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save to chart' }).count()).toBe(0);
  });

  it('with the site setting off for the issuer, an EHR that grants create anyway gets no write button', async () => {
    const { context, page, log } = await harness.open();
    await context.route('**/smart-config.json', async (route) => {
      const response = await route.fetch();
      const config = (await response.json()) as { issuers: Record<string, Record<string, unknown>> };
      const issuers = Object.fromEntries(Object.entries(config.issuers).map(([iss, entry]) => [iss, { ...entry, writeBack: { orderLabs: false, saveNote: false } }]));
      await route.fulfill({ response, json: { ...config, writeBack: { orderLabs: true, saveNote: true }, issuers } });
    });
    const scopes: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/auth/authorize') scopes.push(url.searchParams.get('scope') ?? '');
    });
    // The EHR grants both creates although they were not asked for.
    await context.route('**/auth/token', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { scope?: string };
      await route.fulfill({ response, json: { ...body, scope: `${body.scope ?? ''} patient/ServiceRequest.c patient/DocumentReference.c` } });
    });
    await openAppAlone(page, harness.sandbox, 'scn-labs-missing');
    expect(scopes).toHaveLength(1);
    expect(scopes.join(' ')).not.toMatch(/ServiceRequest\.(c|write)\b|DocumentReference\.(c|write)\b|messaging/);
    expect(await page.getByRole('button', { name: 'Copy as note' }).count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: /Order missing labs/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save to chart' }).count()).toBe(0);
    expect(log.pageErrors).toEqual([]);
  });

  it('an EHR that offers SMART Web Messaging gets scratchpad.create messages instead, from a parent page that answers', async () => {
    const { context, page, log } = await harness.open({ viewport: { width: 900, height: 900 } });
    await turnWriteBackOn(context, { orderLabs: true, webMessaging: true });
    const origin = harness.sandbox.origin;
    // The EHR's token endpoint adds the messaging handle and its origin (SMART Web Messaging).
    await context.route('**/auth/token', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as Record<string, unknown>;
      await route.fulfill({ response, json: { ...body, smart_web_messaging_handle: 'sandbox-handle-1', smart_web_messaging_origin: origin } });
    });
    // The EHR window: embeds the app and answers each scratchpad.create with a scratchpad location.
    const launch = harness.sandbox.createLaunch('scn-labs-missing');
    const appUrl = `/launch/?${new URLSearchParams({ iss: harness.sandbox.fhirBase, launch })}`;
    await context.route('**/ehr/messaging-host', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="en"><title>EHR</title><body><iframe id="app" title="app" style="width:400px;height:800px" src="${appUrl}"></iframe>
<script>
  window.received = [];
  let n = 0;
  window.addEventListener('message', (event) => {
    if (event.origin !== ${JSON.stringify(origin)}) return;
    const m = event.data;
    window.received.push(m);
    if (!m || m.messagingHandle !== 'sandbox-handle-1' || m.messageType !== 'scratchpad.create') return;
    n += 1;
    event.source.postMessage({ messageId: 'ehr-' + n, responseToMessageId: m.messageId, payload: { status: '201 Created', location: 'ServiceRequest/scratchpad-' + n } }, event.origin);
  });
</script></body></html>`,
      }),
    );
    const before = await search('ServiceRequest?patient=scn-labs-missing');
    await page.goto(`${origin}/ehr/messaging-host`);
    const app = page.frameLocator('#app');
    await app.getByRole('button', { name: 'Order missing labs (7)' }).click({ timeout: APP_READY_TIMEOUT });
    await app.getByRole('group', { name: /to the EHR’s order list/ }).getByRole('button', { name: 'Send 7 orders' }).click();
    const result = app.getByTestId('order-labs-result');
    await result.waitFor();
    expect(await result.innerText()).toContain('7 draft orders sent to the EHR’s order list');
    expect(await result.innerText()).toContain('CBC with automated differential');
    expect(await result.innerText()).not.toContain('scratchpad-');

    const received = (await page.evaluate(() => (window as unknown as { received: unknown[] }).received)) as Array<{ messageType: string; messagingHandle: string; payload: { resource: Record<string, any> } }>;
    expect(received.map((m) => m.messageType)).toEqual(Array(7).fill('scratchpad.create'));
    expect(received.map((m) => m.payload.resource.code.coding[0].code).sort()).toEqual([...PANELS].sort());
    expect(received.every((m) => m.payload.resource.status === 'draft' && m.payload.resource.subject.reference === 'Patient/scn-labs-missing')).toBe(true);
    // Nothing went to the FHIR server: the EHR's scratchpad holds the drafts.
    expect(await search('ServiceRequest?patient=scn-labs-missing')).toHaveLength(before.length);
    expect(before).toHaveLength(0); // runs before the test that creates them over FHIR
    expect(log.pageErrors).toEqual([]);
  });

  it('orders the missing labs: the drafts are in the sandbox FHIR server, and the note is filed there too', async () => {
    const { context, page, log } = await harness.open();
    await turnWriteBackOn(context, { orderLabs: true, saveNote: true });
    await openAppAlone(page, harness.sandbox, 'scn-labs-missing');

    await page.getByRole('button', { name: 'Order missing labs (7)' }).click();
    const confirm = page.getByRole('group', { name: /Send 7 lab orders in the chart as draft orders\?/ });
    expect(await confirm.getByRole('listitem').count()).toBe(7);
    await confirm.getByRole('button', { name: 'Send 7 orders' }).click();
    const result = page.getByTestId('order-labs-result');
    await result.waitFor({ timeout: APP_READY_TIMEOUT });
    expect(await result.innerText()).toContain('7 draft orders created in the chart: sign them there.');
    // The confirmation names the tests, never record ids (issue 18).
    expect(await result.getByRole('listitem').allInnerTexts()).toContain('CBC with automated differential');
    expect(await result.innerText()).not.toContain('ServiceRequest/');

    const stored = await search('ServiceRequest?patient=scn-labs-missing');
    expect(stored).toHaveLength(7);
    for (const request of stored) {
      expect(request).toMatchObject({ status: 'draft', intent: 'order', subject: { reference: 'Patient/scn-labs-missing' } });
    }
    expect(stored.map((r) => r.code.coding[0].code).sort()).toEqual([...PANELS].sort());

    await page.getByRole('button', { name: 'Save to chart' }).click();
    await page.getByRole('button', { name: 'Save the note' }).click();
    await page.getByTestId('save-note-result').filter({ hasText: 'Saved to the chart' }).waitFor();
    const docId = /DocumentReference\/([\w-]+(?:\.[\w-]+)*)/.exec(await page.getByTestId('save-note-result').innerText())![1];
    const [document] = await search(`DocumentReference?_id=${docId}`);
    expect(document).toMatchObject({ type: { coding: [{ system: 'http://loinc.org', code: '34109-9' }] }, subject: { reference: 'Patient/scn-labs-missing' } });
    const text = Buffer.from(document!.content[0].attachment.data, 'base64').toString('utf8');
    expect(document!.content[0].attachment.contentType).toBe('text/plain; charset=utf-8');
    expect(text).toMatch(/^JAK inhibitor readiness: Oral JAK inhibitor \(any\)\nPatient: Daniel Okafor/);
    expect(text).toContain('- Order CBC');

    // Relaunch (issue 18): the orders just placed are read back, awaited, and not offered again.
    await openAppAlone(page, harness.sandbox, 'scn-labs-missing');
    const todo = page.getByTestId('todo');
    expect(await todo.innerText()).toMatch(/CBC ordered \d{4}-\d{2}-\d{2}, awaiting result/);
    expect(await todo.innerText()).not.toContain('Order CBC with automated differential');
    expect(await page.getByRole('button', { name: /Order missing labs/ }).count()).toBe(0);
    expect(await page.getByTestId('todo-awaiting-cbc').count()).toBe(1);
    expect(await page.locator('body').innerText()).toContain('7 labs awaiting results');
    expect(await page.locator('body').innerText()).not.toMatch(/\d+ labs? to order/);
    expect(log.pageErrors).toEqual([]);
  });
});
