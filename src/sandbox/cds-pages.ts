/**
 * The chart page's "order" box: a user drafts a MedicationRequest, sees the CDS Hooks cards as an
 * EHR would show them, accepts a suggestion or overrides a card with a reason. The browser only
 * talks to these /ehr/cds/* routes; the sandbox server signs the JWTs and calls the service, as an
 * EHR's back end does (the private key never reaches the page).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_APP_CONTEXT_LENGTH } from '../contract/app-context';
import { CdsClientError, DATA_MODES, ORDERABLE, orderableLabel, type CdsClientIdentity, type DataMode, type Orderable, type SandboxCdsClient } from './cds-client';
import { html, readBody, redirect, sendJson, type RawHtml } from './http-util';
import type { CardLaunchTickets } from './card-launches';

const MAX_BODY = 16 * 1024;
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

export interface CdsPagesDeps {
  client: SandboxCdsClient;
  identity: CdsClientIdentity;
  patientExists(id: string): boolean;
  /** An EHR launch of the patient, carrying the card's `appContext` (returned in the token response). */
  createLaunch(patientId: string, appContext?: string): string;
  /** One-time tickets for the card links this chart renders (src/sandbox/card-launches.ts). */
  tickets: CardLaunchTickets;
}

/** The order box on a chart page. */
export function orderBox(patientId: string): RawHtml {
  const medications = ORDERABLE.map((m) => html`<option value="${m}">${orderableLabel(m)}</option>`);
  const modes: Record<DataMode, string> = {
    'prefetch+token': 'EHR sends prefetch and a FHIR token',
    prefetch: 'EHR sends prefetch only',
    token: 'service reads FHIR with the token',
    none: 'neither (the service must answer 412)',
  };
  return html`<link rel="stylesheet" href="/ehr/cds-order.css">
<section class="cds-order" aria-labelledby="cds-order-title" data-patient="${patientId}">
<h2 id="cds-order-title">New medication order</h2>
<form id="cds-order-form">
<label>Medication <select name="medication" id="cds-medication">${medications}</select></label>
<label>When <select name="hook" id="cds-hook"><option value="order-select">choosing the order (order-select)</option><option value="order-sign">signing (order-sign)</option></select></label>
<label>Data <select name="data" id="cds-data">${DATA_MODES.map((m) => html`<option value="${m}">${modes[m]}</option>`)}</select></label>
<button type="submit">Draft order</button>
</form>
<p class="muted">Decision support from the JAK readiness CDS Hooks service at <code>/cds-services</code>, called with this EHR's signed JWT.</p>
<div id="cds-result" aria-live="polite"></div>
</section>
<script src="/ehr/cds-order.js" defer></script>`;
}

function isSameOrigin(req: IncomingMessage, origin: string): boolean {
  const from = req.headers.origin ?? req.headers.referer;
  if (!from) return true;
  try {
    return new URL(from).origin === origin;
  } catch {
    return false;
  }
}

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (!(req.headers['content-type'] ?? '').includes('application/json')) throw new CdsClientError('Send JSON.');
  if (Number(req.headers['content-length']) > MAX_BODY) throw new CdsClientError('Request too large.');
  const text = await readBody(req);
  if (Buffer.byteLength(text) > MAX_BODY) throw new CdsClientError('Request too large.');
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new CdsClientError('The body is not a JSON object.');
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Large prefetch Bundles stay out of the page: the JSON panel shows each key's entry count. */
function requestForDisplay(request: Record<string, unknown>): Record<string, unknown> {
  const shown: Record<string, unknown> = { ...request };
  const prefetch = request.prefetch as Record<string, unknown> | undefined;
  if (prefetch) {
    shown.prefetch = Object.fromEntries(
      Object.entries(prefetch).map(([key, value]) => {
        const entries = (value as { entry?: unknown[] } | null)?.entry;
        return [key, Array.isArray(entries) ? `(Bundle of ${entries.length})` : `(${(value as { resourceType?: string } | null)?.resourceType ?? 'null'})`];
      }),
    );
  }
  if (request.fhirAuthorization) shown.fhirAuthorization = { ...(request.fhirAuthorization as object), access_token: '(hidden)' };
  return shown;
}

/** Handles /ehr/cds/*, /ehr/cds-order.js and .css; false for other paths. */
export async function handleCdsPages(req: IncomingMessage, res: ServerResponse, url: URL, origin: string, deps: CdsPagesDeps): Promise<boolean> {
  const path = url.pathname;
  if (req.method === 'GET' && path === '/ehr/cds-order.js') {
    res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(ORDER_SCRIPT);
    return true;
  }
  if (req.method === 'GET' && path === '/ehr/cds-order.css') {
    res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(ORDER_STYLE);
    return true;
  }
  if (req.method === 'GET' && path === '/ehr/cds/jwks.json') {
    sendJson(res, 200, deps.identity.jwks());
    return true;
  }
  if (req.method === 'GET' && path === '/ehr/cds/launch') {
    // The card's smart link: this EHR launches the app for the patient on screen, and only with a
    // ticket its own chart page asked for (POST /ehr/cds/link); the patient and appContext are the
    // ticket's, never the URL's.
    const launch = deps.tickets.redeem(url.searchParams.get('ticket') ?? '');
    if (!launch || !deps.patientExists(launch.patient)) {
      sendJson(res, 403, { error: 'forbidden', message: 'This link was not issued by this EHR, was already used or has expired. Open the card again from the chart.' });
      return true;
    }
    redirect(res, `/launch/?${new URLSearchParams({ iss: `${origin}/fhir`, launch: deps.createLaunch(launch.patient, launch.appContext) })}`);
    return true;
  }
  if (!path.startsWith('/ehr/cds/')) return false;
  if (req.method !== 'POST') {
    sendJson(res, 405, { error: 'method_not_allowed' }, { Allow: 'POST' });
    return true;
  }
  if (!isSameOrigin(req, origin)) {
    sendJson(res, 403, { error: 'forbidden', message: 'Cross-origin requests are refused.' });
    return true;
  }
  try {
    const body = await jsonBody(req);
    if (path === '/ehr/cds/call') {
      const patientId = str(body.patientId);
      const medication = str(body.medication) as Orderable;
      const hook = str(body.hook);
      const data = str(body.data) as DataMode;
      if (!FHIR_ID.test(patientId) || !deps.patientExists(patientId)) throw new CdsClientError('Unknown patient.');
      if (!ORDERABLE.includes(medication)) throw new CdsClientError('Unknown medication.');
      if (hook !== 'order-select' && hook !== 'order-sign') throw new CdsClientError('Unknown hook.');
      if (!DATA_MODES.includes(data)) throw new CdsClientError('Unknown data mode.');
      const exchange = await deps.client.call({ patientId, medication, hook, data });
      sendJson(res, 200, { hookInstance: exchange.hookInstance, status: exchange.status, response: exchange.response, request: requestForDisplay(exchange.request) });
      return true;
    }
    if (path === '/ehr/cds/link') {
      const patientId = str(body.patientId);
      if (!FHIR_ID.test(patientId) || !deps.patientExists(patientId)) throw new CdsClientError('Unknown patient.');
      // The card's appContext goes to the app as an EHR passes it: in the token response. Longer
      // than any card writes, it is dropped rather than carried.
      const appContext = str(body.appContext);
      const carried = appContext.length > 0 && appContext.length <= MAX_APP_CONTEXT_LENGTH ? appContext : undefined;
      const ticket = deps.tickets.issue({ patient: patientId, ...(carried ? { appContext: carried } : {}) });
      sendJson(res, 200, { url: `/ehr/cds/launch?${new URLSearchParams({ ticket })}` });
      return true;
    }
    if (path === '/ehr/cds/accept') {
      const result = await deps.client.accept(str(body.hookInstance), str(body.card), str(body.suggestion));
      sendJson(res, 200, result);
      return true;
    }
    if (path === '/ehr/cds/override') {
      const status = await deps.client.override(str(body.hookInstance), str(body.card), str(body.reason) || undefined);
      sendJson(res, 200, { feedbackStatus: status });
      return true;
    }
    sendJson(res, 404, { error: 'not_found' });
  } catch (error) {
    if (!(error instanceof CdsClientError)) throw error;
    sendJson(res, 400, { error: 'invalid_request', message: error.message });
  }
  return true;
}

const ORDER_STYLE = `.cds-order{border:2px solid #22324a}.cds-order form{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end}
.cds-order label{display:flex;flex-direction:column;font-size:.9em}.cds-order select,.cds-order button{font:inherit;padding:.2rem .4rem}
.cds-card{border:1px solid #c9d3df;border-left:6px solid #5b6570;border-radius:4px;padding:.4rem .6rem;margin:.5rem 0;background:#fff}
.cds-card.critical{border-left-color:#b3261e}.cds-card.warning{border-left-color:#8a5a00}.cds-card.info{border-left-color:#0b57d0}
.cds-card .indicator{font-weight:bold;margin-right:.4rem}.cds-card.critical .indicator{color:#b3261e}.cds-card.warning .indicator{color:#8a5a00}.cds-card.info .indicator{color:#0b57d0}
.cds-card .detail{white-space:pre-wrap;margin:.3rem 0;font-size:.92em}.cds-card .source{color:#5b6570;font-size:.85em}
.cds-card .actions{display:flex;flex-wrap:wrap;gap:.4rem;margin-top:.4rem;align-items:center}.cds-card button,.cds-card select{font:inherit}
.cds-outcome{margin:.3rem 0;font-size:.9em;color:#1e7f3c}.cds-error{color:#b3261e}
.cds-order details{margin-top:.5rem;font-size:.85em}.cds-order pre{white-space:pre-wrap;word-break:break-word;max-height:20rem;overflow:auto;background:#f3f5f8;padding:.4rem}`;

/** No inline script (CSP): this file renders the cards with DOM text nodes only. */
const ORDER_SCRIPT = `(function(){
'use strict';
var box=document.querySelector('.cds-order');if(!box)return;
var form=document.getElementById('cds-order-form'),out=document.getElementById('cds-result'),patient=box.getAttribute('data-patient');
function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;if(text!==undefined)e.textContent=text;return e;}
function plain(markdown){return String(markdown||'').replace(/\\*\\*/g,'').replace(/\\\\([!-\\/:-@\\[-\`{-~])/g,'$1').replace(/&lt;/g,'<').replace(/&gt;/g,'>');}
function post(path,body){return fetch(path,{method:'POST',headers:{'Content-Type':'application/json'},body:JSON.stringify(body)}).then(function(r){return r.json().then(function(j){return {status:r.status,body:j};});});}
var WORDS={critical:'Critical',warning:'Warning',info:'Info'};
function note(card,text,isError){var p=el('p',isError?'cds-outcome cds-error':'cds-outcome',text);card.appendChild(p);}
function renderCard(hookInstance,c){
 var card=el('article','cds-card '+(WORDS[c.indicator]?c.indicator:'info'));card.setAttribute('data-card',c.uuid||'');
 var head=el('p');head.appendChild(el('span','indicator',(WORDS[c.indicator]||'Info')+':'));head.appendChild(el('strong','',c.summary||''));card.appendChild(head);
 if(c.detail)card.appendChild(el('div','detail',plain(c.detail)));
 card.appendChild(el('p','source','Source: '+((c.source&&c.source.label)||'not given')));
 var actions=el('div','actions');
 (c.suggestions||[]).forEach(function(s){var b=el('button','',s.label);b.type='button';b.setAttribute('data-suggestion',s.uuid||'');
  b.addEventListener('click',function(){b.disabled=true;post('/ehr/cds/accept',{hookInstance:hookInstance,card:c.uuid,suggestion:s.uuid}).then(function(r){
   if(r.status!==200){note(card,'Could not apply: '+(r.body.message||r.status),true);b.disabled=false;return;}
   var parts=[];if(r.body.created&&r.body.created.length)parts.push('Created in the chart: '+r.body.created.join(', '));
   if(r.body.removedDraft)parts.push('Draft removed');parts.push('Feedback sent (HTTP '+r.body.feedbackStatus+')');note(card,parts.join('. ')+'.');
   if(r.body.switchedTo){document.getElementById('cds-medication').value=r.body.switchedTo;submit();}
  });});actions.appendChild(b);});
 (c.links||[]).forEach(function(l){var b=el('button','',l.label);b.type='button';b.addEventListener('click',function(){
   post('/ehr/cds/link',{patientId:patient,appContext:l.appContext||''}).then(function(r){
    if(r.status!==200||!r.body.url){note(card,'Could not open the app: '+(r.body.message||r.status),true);return;}
    var frame=document.getElementById('app-frame');if(frame){frame.src=r.body.url;}else{window.open(r.body.url,'_blank','noopener');}});});actions.appendChild(b);});
 if(c.overrideReasons&&c.overrideReasons.length){var sel=el('select');sel.setAttribute('aria-label','Override reason');
  sel.appendChild(el('option','','(no reason)')).value='';c.overrideReasons.forEach(function(r){var o=el('option','',r.display||r.code);o.value=r.code;sel.appendChild(o);});
  var ob=el('button','','Override');ob.type='button';ob.addEventListener('click',function(){ob.disabled=true;post('/ehr/cds/override',{hookInstance:hookInstance,card:c.uuid,reason:sel.value}).then(function(r){
   note(card,r.status===200?'Overridden; feedback sent (HTTP '+r.body.feedbackStatus+').':'Could not record: '+(r.body.message||r.status),r.status!==200);});});
  actions.appendChild(sel);actions.appendChild(ob);}
 card.appendChild(actions);return card;}
function render(r){out.textContent='';var b=r.body;
 if(r.status!==200){out.appendChild(el('p','cds-error',b.message||('Error '+r.status)));return;}
 var res=b.response||{};
 if(b.status!==200){out.appendChild(el('p','cds-error','The CDS service answered HTTP '+b.status+': '+(res.message||res.error||'')));}
 else if(!res.cards||res.cards.length===0){out.appendChild(el('p','muted','No cards: the service has nothing to flag for this order.'));}
 else res.cards.forEach(function(c){out.appendChild(renderCard(b.hookInstance,c));});
 var d=el('details');d.appendChild(el('summary','','CDS Hooks request and response (JSON)'));d.appendChild(el('pre','',JSON.stringify({request:b.request,status:b.status,response:res},null,2)));out.appendChild(d);}
function submit(){out.textContent='Asking the CDS service…';
 post('/ehr/cds/call',{patientId:patient,medication:form.medication.value,hook:form.hook.value,data:form.data.value}).then(render,function(){out.textContent='The sandbox could not be reached.';});}
form.addEventListener('submit',function(e){e.preventDefault();submit();});
})();
`;
