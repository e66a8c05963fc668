/**
 * Orders in flight (issue 18): lab orders already placed (ServiceRequest) as named scenarios, in
 * both directions — awaited (to-do `awaiting`, out of the orders and the counts) and not
 * (answered by a result, revoked, another test, performed long ago without a result).
 */
import { describe, expect, it } from 'vitest';
import { labOrderDrafts } from '../../../src/fhir/lab-orders';
import { NOW, daysAgo, lab, medication, readyBaseline, reportFor } from './builders';

type Json = Record<string, unknown>;
let seq = 0;

function labOrder(code: string, display: string, options: { status?: string; days?: number | null; doNotPerform?: boolean } = {}): Json {
  const order: Json = {
    resourceType: 'ServiceRequest', id: `sr${++seq}`, status: options.status ?? 'active', intent: 'order',
    subject: { reference: 'Patient/p1' }, code: { coding: [{ system: 'http://loinc.org', code, display }], text: display },
  };
  if (options.days !== null) order.authoredOn = daysAgo(options.days ?? 3);
  if (options.doNotPerform) order.doNotPerform = true;
  return order;
}
const cbcOrder = (options: Parameters<typeof labOrder>[2] = {}) => labOrder('57021-8', 'CBC with automated differential', options);
/** Everything but the blood count is on record: only the CBC is to order. */
const allButCbc = () => readyBaseline().filter((r) => !['718-7', '777-3', '751-8', '731-0'].some((c) => JSON.stringify(r).includes(`"code":"${c}"`)));

describe('orders in flight: a test already ordered', () => {
  interface Row { scenario: string; resources: Json[]; kind: 'awaiting' | 'order-lab'; text: string }
  const rows: Row[] = [
    { scenario: 'active CBC order 3 days ago, no result: awaiting', resources: [cbcOrder({ days: 3 })], kind: 'awaiting', text: `CBC ordered ${daysAgo(3)}, awaiting result` },
    { scenario: 'draft CBC order (placed by the sidebar): awaiting', resources: [cbcOrder({ status: 'draft', days: 0 })], kind: 'awaiting', text: `CBC ordered ${NOW}, awaiting result` },
    { scenario: 'on-hold CBC order: awaiting', resources: [cbcOrder({ status: 'on-hold', days: 10 })], kind: 'awaiting', text: `CBC ordered ${daysAgo(10)}, awaiting result` },
    { scenario: 'CBC ordered as 58410-2 (CBC panel): awaiting', resources: [labOrder('58410-2', 'CBC panel')], kind: 'awaiting', text: `CBC ordered ${daysAgo(3)}, awaiting result` },
    { scenario: 'completed CBC order 10 days ago, no result yet: still awaiting', resources: [cbcOrder({ status: 'completed', days: 10 })], kind: 'awaiting', text: `CBC ordered ${daysAgo(10)}, awaiting result` },
    { scenario: 'completed CBC order 45 days ago, no result: offered again, "no result yet"', resources: [cbcOrder({ status: 'completed', days: 45 })], kind: 'order-lab', text: `Order CBC with automated differential (CBC ordered ${daysAgo(45)}, no result yet)` },
    { scenario: 'revoked CBC order: offered as usual', resources: [cbcOrder({ status: 'revoked' })], kind: 'order-lab', text: 'Order CBC with automated differential' },
    { scenario: 'entered-in-error CBC order: offered as usual', resources: [cbcOrder({ status: 'entered-in-error' })], kind: 'order-lab', text: 'Order CBC with automated differential' },
    { scenario: '"do not perform" CBC order: offered as usual', resources: [cbcOrder({ doNotPerform: true })], kind: 'order-lab', text: 'Order CBC with automated differential' },
    { scenario: 'open CBC order without a date: awaiting, saying the date is not recorded', resources: [cbcOrder({ days: null })], kind: 'awaiting', text: 'CBC ordered (date not recorded), awaiting result' },
    { scenario: 'performed CBC order without a date: cannot be compared with results, offered as usual', resources: [cbcOrder({ status: 'completed', days: null })], kind: 'order-lab', text: 'Order CBC with automated differential' },
    { scenario: 'completed CBC order exactly 30 days ago, no result: still awaiting', resources: [cbcOrder({ status: 'completed', days: 30 })], kind: 'awaiting', text: `CBC ordered ${daysAgo(30)}, awaiting result` },
    { scenario: 'completed CBC order 31 days ago, no result: "no result yet"', resources: [cbcOrder({ status: 'completed', days: 31 })], kind: 'order-lab', text: `Order CBC with automated differential (CBC ordered ${daysAgo(31)}, no result yet)` },
    { scenario: 'an order for another test (lipid panel): the CBC is still offered', resources: [labOrder('57698-3', 'Lipid panel')], kind: 'order-lab', text: 'Order CBC with automated differential' },
    { scenario: 'a result after the order (a hemoglobin alone): not awaiting, the rest of the CBC offered', resources: [cbcOrder({ days: 20 }), lab.hemoglobin(13.1, 'g/dL', 5)], kind: 'order-lab', text: 'Order CBC with automated differential' },
  ];
  it.each(rows)('$scenario', (row) => {
    const report = reportFor([...allButCbc(), ...row.resources]);
    const cbc = report.todo.filter((t) => t.from.some((f) => f.id === 'cbc'));
    expect(cbc.map((t) => [t.kind, t.text])).toEqual([[row.kind, row.text]]);
  });

  it('an awaited test leaves "Order missing labs" and the count of labs to order; the verdict says it is awaited', () => {
    const report = reportFor([...allButCbc(), cbcOrder()], { therapy: 'abrocitinib' });
    expect(labOrderDrafts(report, { patientId: 'p1', today: NOW, agentLabel: 'Abrocitinib' })).toEqual([]);
    const verdict = report.byAgent.find((v) => v.therapy === 'abrocitinib')!;
    expect(verdict.reasons).toContain('1 lab awaiting results');
    expect(verdict.reasons.join(' ')).not.toMatch(/to order/);
    expect(report.orders).toEqual([{ reference: expect.stringMatching(/^ServiceRequest\/sr/), test: expect.objectContaining({ code: '57021-8' }), status: 'active', date: daysAgo(3), state: 'awaiting' }]);
  });

  it('without the order the same record offers the CBC and counts it', () => {
    const report = reportFor(allButCbc(), { therapy: 'abrocitinib' });
    expect(labOrderDrafts(report, { patientId: 'p1', today: NOW, agentLabel: 'Abrocitinib' }).map((d) => d.order.code)).toEqual(['57021-8']);
    expect(report.byAgent.find((v) => v.therapy === 'abrocitinib')!.reasons).toContain('1 lab to order');
    expect(report.orders).toEqual([]);
  });

  it('the report lists the orders in flight with their state; a result after the order takes it off the list', () => {
    const report = reportFor([...allButCbc(), cbcOrder({ status: 'completed', days: 45 }), labOrder('57698-3', 'Lipid panel', { days: 40 })]);
    expect(report.orders!.map((o) => [o.test.code, o.state, o.date])).toEqual([['57021-8', 'no-result-yet', daysAgo(45)]]);
    expect(report.todo.find((t) => t.id === 'order-cbc')!.placed).toEqual([expect.objectContaining({ state: 'no-result-yet' })]);
  });

  it('part of a panel ordered: the other test stays to order, the ordered one is awaited', () => {
    const withoutHepB = readyBaseline().filter((r) => !['5196-1', '16933-4'].some((c) => JSON.stringify(r).includes(`"code":"${c}"`)));
    const todo = reportFor([...withoutHepB, labOrder('5196-1', 'HBsAg', { days: 2 })]).todo.filter((t) => t.from.some((f) => f.id === 'hepatitis-b'));
    expect(todo.map((t) => [t.kind, t.text, t.orders!.map((o) => o.code)])).toEqual([
      ['order-lab', 'Order hepatitis B core antibody, total (anti-HBc)', ['16933-4']],
      ['awaiting', `HBsAg ordered ${daysAgo(2)}, awaiting result`, ['5196-1']],
    ]);
  });

  it('on treatment: a due check already ordered is awaited, with when it is due', () => {
    const report = reportFor([medication('abrocitinib 100 MG Oral Tablet', { authoredDays: 60 }), lab.hemoglobin(13.2, 'g/dL', 30), labOrder('57698-3', 'Lipid panel', { days: 1 })], { therapy: 'abrocitinib' });
    expect(report.todo.filter((t) => t.from.some((f) => f.id === 'lipid-panel-week-4')).map((t) => [t.kind, t.text])).toEqual([
      ['awaiting', `Lipid panel ordered ${daysAgo(1)}, awaiting result (Lipid panel at week 4, overdue since ${daysAgo(60 - 28)})`],
    ]);
  });

  it('orders that could not be read leave the to-dos as they are and say so as a data gap', () => {
    const report = reportFor(allButCbc(), { loads: { ServiceRequest: { state: 'denied', reason: 'the EHR did not grant access to ServiceRequest (scope patient/ServiceRequest.read / .rs)' } }, therapy: 'abrocitinib' });
    expect(report.todo.filter((t) => t.kind === 'order-lab').map((t) => t.text)).toEqual(['Order CBC with automated differential']);
    expect(report.dataGaps).toContainEqual({ resourceType: 'ServiceRequest', reason: expect.stringMatching(/^could not check orders already placed \(not permitted: /), affects: ['lab orders already placed'] });
    // Not a reason to call the agent "unknown": only the orders are unchecked, not the patient.
    expect(report.byAgent.find((v) => v.therapy === 'abrocitinib')!.verdict).toBe('needs-work');
  });
});
