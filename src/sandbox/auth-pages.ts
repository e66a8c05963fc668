/** Server-rendered pages of the authorization server: the standalone patient picker and errors. */
import { html, type RawHtml } from './http-util';

export interface PickablePatient {
  id: string;
  name: string;
  title: string;
}

const STYLE = `body{font:15px/1.4 system-ui,sans-serif;margin:2rem auto;max-width:42rem;padding:0 1rem;color:#1b1f24}
h1{font-size:1.3rem}fieldset{border:1px solid #c8ced6;border-radius:6px;padding:.5rem 1rem}
label{display:block;padding:.3rem 0}button{font:inherit;padding:.4rem 1.2rem;margin-top:1rem}
.title{color:#56606b}`;

function page(title: string, body: RawHtml): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>${STYLE}</style></head>
<body>${body}</body></html>`.html;
}

/** Params of the original authorize request are carried in hidden fields (all escaped). */
export function renderPatientPicker(params: Record<string, string | undefined>, patients: PickablePatient[]): string {
  const hidden = Object.entries(params)
    .filter(([key, value]) => key !== 'sandbox_patient' && value !== undefined)
    .map(([key, value]) => html`<input type="hidden" name="${key}" value="${value}">`);
  const options = patients.map(
    (p, i) => html`<label><input type="radio" name="sandbox_patient" value="${p.id}" ${i === 0 ? 'required' : ''}>
 ${p.name} <span class="title">(${p.title})</span></label>`,
  );
  return page(
    'Choose a patient',
    html`<h1>Choose a patient</h1>
<p>The app "${params.client_id ?? ''}" asks to open a patient record. Pick one to continue.</p>
<form method="post" action="/auth/authorize">${hidden}
<fieldset><legend>Patients</legend>${options}</fieldset>
<button type="submit">Open in app</button></form>`,
  );
}

export function renderAuthError(error: string, description: string): string {
  return page('Authorization error', html`<h1>Authorization error</h1><p><code>${error}</code>: ${description}</p>`);
}
