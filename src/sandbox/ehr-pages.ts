/**
 * The fake EHR: a patient list and a chart page with the app in a sidebar iframe, opened by a
 * real SMART EHR launch (a launch id bound to the patient). Server-rendered, every value
 * escaped; the only script is /ehr/chart.js (sidebar width switcher).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Condition, Immunization, MedicationRequest, MedicationStatement, Observation, Patient } from 'fhir/r4';
import { html, sendHtml, sendJson, type RawHtml } from './http-util';
import type { PatientIndexedRepository } from './patient-repository';
import { UNREGISTERED_CLIENT_ID, type LaunchOptions } from './smart-auth';

export const SIDEBAR_WIDTHS = [320, 360, 400, 480] as const;
const DEFAULT_WIDTH = 400;
const RECENT_RESULTS = 30;

export interface ChartListing {
  id: string;
  title: string;
  summary?: string;
}

export interface EhrPagesDeps {
  repo: PatientIndexedRepository;
  /** Charts in list order (scenarios, then samples). */
  listings(): ChartListing[];
  createLaunch(patient: string, opts?: LaunchOptions): string;
  today: Date;
  /** Extra controls on the patient list (the fault-injection form). */
  listControls?: () => RawHtml;
  /** The origin the chart's app iframe loads from, when not the chart's own (a cross-site EHR). */
  appOrigin?: () => string;
  /** Extra sections at the top of a chart (the CDS Hooks order box). */
  chartExtras?: (patientId: string) => RawHtml;
}

export class EhrPages {
  constructor(private readonly deps: EhrPagesDeps) {}

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, origin: string): Promise<boolean> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = url.pathname;
    if (path === '/ehr') {
      res.writeHead(302, { Location: '/ehr/' });
      res.end();
      return true;
    }
    if (path === '/ehr/') {
      sendHtml(res, 200, await this.listPage(origin));
      return true;
    }
    if (path === '/ehr/chart.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(CHART_SCRIPT);
      return true;
    }
    if (path === '/ehr/smart-style.json') {
      sendJson(res, 200, SMART_STYLE);
      return true;
    }
    const match = /^\/ehr\/patient\/([A-Za-z0-9\-.]{1,64})$/.exec(path);
    if (match?.[1]) {
      const width = Number(url.searchParams.get('width'));
      const order = url.searchParams.get('order') ?? undefined;
      const page = await this.chartPage(match[1], origin, SIDEBAR_WIDTHS.includes(width as never) ? width : DEFAULT_WIDTH, order);
      const appOrigin = this.deps.appOrigin?.();
      sendHtml(res, page ? 200 : 404, page ?? notFoundPage(), appOrigin ? { frameSrc: appOrigin } : {});
      return true;
    }
    return false;
  }

  private async listPage(origin: string): Promise<string> {
    const iss = `${origin}/fhir`;
    const rows: RawHtml[] = [];
    for (const listing of this.deps.listings()) {
      const patient = await this.patient(listing.id);
      if (!patient) continue;
      rows.push(html`<tr>
<td><a href="/ehr/patient/${listing.id}">${displayName(patient)}</a></td>
<td>${ageOf(patient, this.deps.today) ?? '?'}</td><td>${patient.gender ?? 'unknown'}</td>
<td>${listing.title}${listing.summary ? html`<div class="muted">${listing.summary}</div>` : ''}</td></tr>`);
    }
    const first = this.deps.listings()[0]?.id;
    const errorLaunch = first ? this.deps.createLaunch(first, { rejectClient: true }) : '';
    const standalone = `/launch/?${new URLSearchParams({ iss })}`;
    const rejected = `/launch/?${new URLSearchParams({ iss, launch: errorLaunch, client_id: UNREGISTERED_CLIENT_ID })}`;
    return page(
      'Sandbox EHR: patients',
      html`<header class="ehr-bar"><strong>Sandbox EHR</strong> <span class="muted">local test system, fictitious patients</span></header>
<main class="list">
<h1>Patients</h1>
<p>Open a chart to launch the app in the sidebar (SMART EHR launch). Other launches:
<a href="${standalone}">standalone launch (pick a patient)</a> ·
<a href="${rejected}">launch with an unregistered client (shows the OAuth error)</a></p>
<p class="muted">FHIR base: <code>${iss}</code></p>
${this.deps.listControls?.() ?? ''}
<table><thead><tr><th>Name</th><th>Age</th><th>Sex</th><th>Scenario</th></tr></thead><tbody>${rows}</tbody></table>
</main>`,
    );
  }

  /**
   * `?order=<MedicationRequest id>` opens the chart while that order (one of this patient's) is
   * being written: the launch carries it as `fhirContext`, as an EHR's order-entry launch does.
   */
  private async chartPage(id: string, origin: string, width: number, order?: string): Promise<string | undefined> {
    const patient = await this.patient(id);
    if (!patient) return undefined;
    const { repo, today } = this.deps;
    const listing = this.deps.listings().find((l) => l.id === id);
    const ordered = order && /^[A-Za-z0-9\-.]{1,64}$/.test(order) && repo.patientOf('MedicationRequest', order) === id ? order : undefined;
    const launch = this.deps.createLaunch(id, ordered ? { fhirContext: [{ reference: `MedicationRequest/${ordered}` }] } : {});
    // The FHIR server is the EHR's (this page's origin); the app may live on another site.
    const appSrc = `${this.deps.appOrigin?.() ?? ''}/launch/?${new URLSearchParams({ iss: `${origin}/fhir`, launch })}`;

    const conditions = repo.resourcesOf('Condition', id) as unknown as Condition[];
    const requests = repo.resourcesOf('MedicationRequest', id) as unknown as MedicationRequest[];
    const statements = repo.resourcesOf('MedicationStatement', id) as unknown as MedicationStatement[];
    const immunizations = repo.resourcesOf('Immunization', id) as unknown as Immunization[];
    const observations = (repo.resourcesOf('Observation', id) as unknown as Observation[])
      .map((o) => ({ o, date: observationDate(o) }))
      .sort((a, b) => b.date.localeCompare(a.date));

    const activeFirst = conditions
      .map((c) => ({ c, status: c.clinicalStatus?.coding?.[0]?.code ?? '', date: c.onsetDateTime ?? c.recordedDate ?? '' }))
      .sort((a, b) => Number(b.status === 'active') - Number(a.status === 'active') || b.date.localeCompare(a.date))
      .slice(0, 40);
    const meds = [
      ...requests.map((m) => ({ name: conceptText(m.medicationCodeableConcept) ?? m.medicationReference?.display, status: m.status, date: m.authoredOn })),
      ...statements.map((m) => ({ name: conceptText(m.medicationCodeableConcept) ?? m.medicationReference?.display, status: m.status, date: m.dateAsserted ?? m.effectiveDateTime })),
    ]
      .sort((a, b) => Number(b.status === 'active') - Number(a.status === 'active') || (b.date ?? '').localeCompare(a.date ?? ''))
      .slice(0, 40);
    const shots = immunizations
      .map((i) => ({ name: conceptText(i.vaccineCode), date: i.occurrenceDateTime ?? i.occurrenceString ?? '', status: i.status }))
      .sort((a, b) => b.date.localeCompare(a.date))
      .slice(0, 30);

    const widthButtons = SIDEBAR_WIDTHS.map(
      (w) => html`<button type="button" data-width="${w}" aria-pressed="${w === width ? 'true' : 'false'}">${w}</button>`,
    );
    const mrn = patient.identifier?.find((i) => i.type?.text === 'MRN')?.value ?? patient.identifier?.[0]?.value;

    return page(
      `Chart: ${displayName(patient)}`,
      html`<header class="ehr-bar"><a href="/ehr/">← Patients</a> <strong>Sandbox EHR</strong></header>
<section class="banner" aria-label="Patient banner">
<strong class="name">${displayName(patient)}</strong>
<span>${patient.gender ?? 'unknown'}</span><span>${ageOf(patient, today) ?? '?'} y</span>
<span>DOB ${patient.birthDate ?? 'unknown'}</span><span>MRN ${mrn ?? '-'}</span>
${listing ? html`<span class="muted">Scenario: ${listing.title}</span>` : ''}
</section>
<div class="layout">
<main class="chart">
${this.deps.chartExtras?.(id) ?? ''}
<section><h2>Problems (${conditions.length})</h2><ul>${activeFirst.map(
        ({ c, status, date }) => html`<li>${conceptText(c.code) ?? 'Unnamed condition'} <span class="muted">${status || 'status unknown'}, ${date.slice(0, 10)}${c.abatementDateTime ? html` to ${c.abatementDateTime.slice(0, 10)}` : ''}</span></li>`,
      )}</ul></section>
<section><h2>Medications (${requests.length + statements.length})</h2><ul>${meds.map(
        (m) => html`<li>${m.name ?? 'Unnamed medication'} <span class="muted">${m.status ?? ''}${m.date ? html`, ${m.date.slice(0, 10)}` : ''}</span></li>`,
      )}</ul></section>
<section><h2>Immunizations (${immunizations.length})</h2><ul>${shots.map(
        (s) => html`<li>${s.name ?? 'Unnamed vaccine'} <span class="muted">${s.status ?? ''}, ${s.date.slice(0, 10)}</span></li>`,
      )}</ul></section>
<section><h2>Recent results (${Math.min(RECENT_RESULTS, observations.length)} of ${observations.length})</h2>
<table><thead><tr><th>Test</th><th>Result</th><th>Date</th></tr></thead><tbody>${observations
        .slice(0, RECENT_RESULTS)
        .map(({ o, date }) => html`<tr><td>${conceptText(o.code) ?? '?'}</td><td>${valueText(o)}</td><td>${date.slice(0, 10)}</td></tr>`)}</tbody></table></section>
</main>
<aside class="sidebar" id="sidebar" style="width:${width}px">
<div class="sidebar-tools"><span>App width</span> ${widthButtons}
<a href="${appSrc}" target="_blank" rel="noopener">open in a tab</a></div>
<iframe id="app-frame" title="JAK readiness app" src="${appSrc}" style="width:${width}px"></iframe>
</aside>
</div>
<script src="/ehr/chart.js"></script>`,
    );
  }

  private async patient(id: string): Promise<Patient | undefined> {
    try {
      return (await this.deps.repo.readResource('Patient', id)) as unknown as Patient;
    } catch {
      return undefined;
    }
  }
}

export function displayName(patient: Patient): string {
  const name = patient.name?.find((n) => n.use === 'official') ?? patient.name?.[0];
  if (!name) return `Patient ${patient.id ?? ''}`;
  if (name.text) return name.text;
  return `${name.family ?? ''}, ${(name.given ?? []).join(' ')}`.replace(/^, |, $/g, '') || `Patient ${patient.id ?? ''}`;
}

export function ageOf(patient: Patient, today: Date): number | undefined {
  const birth = patient.birthDate;
  if (!birth || !/^\d{4}-\d{2}-\d{2}/.test(birth)) return undefined;
  const [y, m, d] = birth.slice(0, 10).split('-').map(Number) as [number, number, number];
  let age = today.getFullYear() - y;
  if (today.getMonth() + 1 < m || (today.getMonth() + 1 === m && today.getDate() < d)) age -= 1;
  return age;
}

/** The chart shows record text in short form, like an EHR's list views (a 5 MB name must not stall the page). */
const CHART_TEXT_LENGTH = 200;

function short(text: string | undefined): string | undefined {
  return text !== undefined && text.length > CHART_TEXT_LENGTH ? `${text.slice(0, CHART_TEXT_LENGTH)}…` : text;
}

function conceptText(concept: { text?: string; coding?: { display?: string; code?: string }[] } | undefined): string | undefined {
  if (!concept) return undefined;
  return short(concept.text ?? concept.coding?.find((c) => c.display)?.display ?? concept.coding?.[0]?.code);
}

function observationDate(o: Observation): string {
  return o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.effectiveInstant ?? o.issued ?? '';
}

function valueText(o: Observation): string {
  if (o.valueQuantity) {
    const q = o.valueQuantity;
    return `${q.comparator ?? ''}${q.value ?? ''} ${q.unit ?? q.code ?? ''}`.trim();
  }
  if (o.valueCodeableConcept) return conceptText(o.valueCodeableConcept) ?? '';
  if (o.valueString !== undefined) return short(o.valueString) ?? '';
  if (o.component?.length) {
    return o.component.map((c) => `${c.valueQuantity?.value ?? ''}`).join('/') + ` ${o.component[0]?.valueQuantity?.unit ?? ''}`;
  }
  return '';
}

function notFoundPage(): string {
  return page('Not found', html`<main class="list"><h1>No such patient</h1><p><a href="/ehr/">Back to the patient list</a></p></main>`);
}

const STYLE = `*{box-sizing:border-box}body{margin:0;font:14px/1.4 system-ui,sans-serif;color:#1b1f24;background:#f3f5f8}
a{color:#0b57d0}.muted{color:#5b6570;font-size:.92em}
.ehr-bar{background:#22324a;color:#fff;padding:.45rem 1rem;display:flex;gap:1rem;align-items:center}.ehr-bar a{color:#cfe0ff}
.list{max-width:70rem;margin:1rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid #e1e5ea;padding:.35rem .5rem;text-align:left;vertical-align:top}
.banner{background:#fff;border-bottom:2px solid #c9d3df;padding:.5rem 1rem;display:flex;gap:1.2rem;flex-wrap:wrap;align-items:baseline}
.banner .name{font-size:1.2rem}
.layout{display:flex;align-items:stretch;min-height:calc(100vh - 6rem)}
.chart{flex:1;min-width:0;padding:.5rem 1rem;overflow:auto}.chart section{background:#fff;margin:.5rem 0;padding:.25rem .75rem;border-radius:4px}
.chart h2{font-size:1rem;margin:.4rem 0}.chart ul{margin:.2rem 0 .5rem;padding-left:1.1rem}
.sidebar{flex:none;border-left:1px solid #c9d3df;background:#fff;display:flex;flex-direction:column}
.sidebar-tools{padding:.3rem .5rem;border-bottom:1px solid #e1e5ea;display:flex;gap:.3rem;align-items:center;flex-wrap:wrap;font-size:.85rem}
.sidebar-tools button{font:inherit;padding:.1rem .4rem}.sidebar-tools button[aria-pressed=true]{font-weight:bold;background:#dbe7ff}
#app-frame{border:0;flex:1;min-height:calc(100vh - 9rem);max-width:100%}`;

function page(title: string, body: RawHtml): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><link rel="icon" href="/favicon.svg" type="image/svg+xml"><style>${STYLE}</style></head>
<body>${body}</body></html>`.html;
}

/** Resizes the sidebar without reloading (a reload would start a new launch). */
const CHART_SCRIPT = `(function(){
var aside=document.getElementById('sidebar'),frame=document.getElementById('app-frame');
if(!aside||!frame)return;
document.querySelectorAll('button[data-width]').forEach(function(b){b.addEventListener('click',function(){
var w=b.getAttribute('data-width');aside.style.width=w+'px';frame.style.width=w+'px';
document.querySelectorAll('button[data-width]').forEach(function(o){o.setAttribute('aria-pressed',String(o===b));});
});});})();
`;

/** SMART style (smart_style_url): colours an embedded app may adopt to blend with the EHR. */
const SMART_STYLE = {
  color_background: '#ffffff',
  color_error: '#b3261e',
  color_highlight: '#0b57d0',
  color_modal_backdrop: 'rgba(0,0,0,0.4)',
  color_success: '#1e7f3c',
  color_text: '#1b1f24',
  dim_border_radius: '4px',
  dim_font_size: '14px',
  dim_spacing_size: '8px',
  font_family_body: 'system-ui, sans-serif',
  font_family_heading: 'system-ui, sans-serif',
};
