/**
 * The sandbox's fault switch over HTTP, for demos and tests: `GET /ehr/faults` (the plan in
 * force and the presets), `POST /ehr/faults` with a JSON FaultPlan or `{"preset": name}`, and
 * the form on /ehr/ (posts `preset=name`, then returns to the list). Loopback callers only,
 * and a browser post must come from this origin, so another site cannot switch faults on.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  FAULT_PRESET_NAMES,
  FAULT_PRESETS,
  FaultPlanError,
  faultPreset,
  isFaultPresetName,
  presetOf,
  type FaultPlan,
  type FaultSwitch,
} from './faults';
import { html, readBody, sendJson, type RawHtml } from './http-util';

export const FAULTS_PATH = '/ehr/faults';

/** Plans are small; anything bigger is not a plan. */
const MAX_PLAN_BYTES = 64 * 1024;

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** Origin (or Referer) of a browser request must be ours; non-browser callers send neither. */
function sameOrigin(req: IncomingMessage, origin: string): boolean {
  const from = req.headers.origin ?? req.headers.referer;
  if (!from) return true;
  try {
    return new URL(from).origin === origin;
  } catch {
    return false;
  }
}

function describe(faults: FaultSwitch): Record<string, unknown> {
  const plan = faults.plan;
  return {
    plan: plan ?? null,
    preset: plan ? (presetOf(plan) ?? null) : null,
    presets: Object.fromEntries(FAULT_PRESET_NAMES.map((name) => [name, FAULT_PRESETS[name]])),
  };
}

/** Handles /ehr/faults; false for any other path. */
export async function handleFaultControls(req: IncomingMessage, res: ServerResponse, url: URL, origin: string, faults: FaultSwitch): Promise<boolean> {
  if (url.pathname !== FAULTS_PATH) return false;
  if (!isLoopback(req.socket.remoteAddress)) {
    sendJson(res, 403, { error: 'forbidden', error_description: 'Fault injection is available from this machine only' });
    return true;
  }
  if (req.method === 'GET' || req.method === 'HEAD') {
    sendJson(res, 200, describe(faults));
    return true;
  }
  if (req.method !== 'POST') {
    sendJson(res, 405, { error: 'method_not_allowed' }, { Allow: 'GET, POST' });
    return true;
  }
  if (!sameOrigin(req, origin)) {
    sendJson(res, 403, { error: 'forbidden', error_description: 'Cross-origin requests may not change faults' });
    return true;
  }

  const isForm = (req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded');
  const text = await readBody(req);
  if (Buffer.byteLength(text) > MAX_PLAN_BYTES) {
    sendJson(res, 413, { error: 'invalid_request', error_description: 'Fault plan too large' });
    return true;
  }
  try {
    if (isForm) {
      const preset = new URLSearchParams(text).get('preset');
      faults.set(planFromPreset(preset));
      res.writeHead(303, { Location: '/ehr/', 'Cache-Control': 'no-store' });
      res.end();
      return true;
    }
    let body: unknown;
    try {
      body = text.trim() ? JSON.parse(text) : {};
    } catch {
      throw new FaultPlanError('The body is not valid JSON');
    }
    const preset = typeof body === 'object' && body !== null && 'preset' in body ? (body as { preset: unknown }).preset : undefined;
    faults.set(preset !== undefined ? planFromPreset(preset) : (body as FaultPlan));
    sendJson(res, 200, describe(faults));
  } catch (error) {
    if (!(error instanceof FaultPlanError)) throw error;
    sendJson(res, 400, { error: 'invalid_request', error_description: error.message });
  }
  return true;
}

function planFromPreset(name: unknown): FaultPlan {
  if (!isFaultPresetName(name)) throw new FaultPlanError(`Unknown preset "${String(name)}" (one of ${FAULT_PRESET_NAMES.join(', ')})`);
  return faultPreset(name);
}

/** The form on the patient list: pick a preset; shows what is in force. */
export function faultControlsPanel(faults: FaultSwitch): RawHtml {
  const plan = faults.plan;
  const current = plan ? presetOf(plan) : undefined;
  const inForce = plan === undefined ? 'a custom fault hook' : current ? FAULT_PRESETS[current].label : `custom plan ${JSON.stringify(plan)}`;
  const options = FAULT_PRESET_NAMES.map(
    (name) => html`<option value="${name}"${current === name ? html` selected` : ''}>${FAULT_PRESETS[name].label}</option>`,
  );
  return html`<form class="faults" method="post" action="${FAULTS_PATH}" style="margin:0 0 1rem">
<label for="fault-preset"><strong>FHIR server faults</strong> (for testing the app)</label>
<select id="fault-preset" name="preset">${options}</select> <button type="submit">Apply</button>
<span class="muted" data-testid="faults-in-force">In force: ${inForce}</span>
</form>`;
}
