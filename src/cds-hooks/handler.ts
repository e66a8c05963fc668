/**
 * The HTTP side of the CDS Hooks service: routes under `/cds-services`, CORS, body limits, JWT
 * checks, and every failure as a JSON answer with a status and a plain message (never a crash,
 * never patient data in the log). Plain Node `http`, so the sandbox mounts it in-process and
 * `npm run cds-hooks` serves it alone.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ClientAuthenticator, type AuthResult } from './auth';
import { CardIds } from './card-ids';
import type { CdsServiceConfig } from './config';
import { FeedbackError, feedbackLogLines, parseFeedback, unissuedIds } from './feedback';
import { HookError, lookbackDays, parseHookRequest, runHook, type HookDeps } from './hook';
import { CALL_DEADLINE_MS, CallTooLongError, MAX_JSON_DEPTH, nestsDeeperThan, withinDeadline } from './limits';
import { MemoryReplayStore, type ReplayStore } from './replay-cache';
import { discovery, serviceById } from './services';

export const MOUNT = '/cds-services';
const MAX_FEEDBACK_BYTES = 256 * 1024;

export interface CdsHooksServiceOptions {
  config: CdsServiceConfig;
  /** Per-instance by default; see replay-cache.ts to share it between copies. */
  replayStore?: ReplayStore;
  /** Receives structured JSON lines (feedback, calls, errors). Default: stdout. */
  log?: (line: string) => void;
  /** Today in the clinic's time zone, YYYY-MM-DD. Default: the server's local date. */
  today?: () => string;
  /** Replaces the FHIR read through `fhirAuthorization` (tests). */
  fetchData?: HookDeps['fetchData'];
  newUuid?: () => string;
  /** Signs the card and suggestion ids feedback is checked against; default: the config's shared secret, else one of this process (card-ids.ts). */
  cardIds?: CardIds;
  /** Longest a hook call may take (limits.ts); tests shorten it. */
  callDeadlineMs?: number;
}

export interface CdsHooksService {
  /** Answers requests under /cds-services; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  readonly config: CdsServiceConfig;
}

class BodyError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

export function localToday(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new BodyError(413, `Request body over ${limit} bytes.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw new BodyError(413, `Request body over ${limit} bytes.`);
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new BodyError(400, 'The request body is empty: send the CDS Hooks request as JSON.');
  if (nestsDeeperThan(text)) throw new BodyError(400, `The request body nests deeper than ${MAX_JSON_DEPTH} levels: not a CDS Hooks request.`);
  try {
    return JSON.parse(text);
  } catch {
    throw new BodyError(400, 'The request body is not valid JSON.');
  }
}

export function createCdsHooksService(options: CdsHooksServiceOptions): CdsHooksService {
  const { config } = options;
  if (config.baseUrls.length === 0) throw new Error('The CDS Hooks service needs at least one public base URL (baseUrls) for the JWT audience check.');
  const authenticator = new ClientAuthenticator(config, options.replayStore ?? new MemoryReplayStore());
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const today = options.today ?? localToday;
  const cardIds = options.cardIds ?? config.cardIds ?? new CardIds();
  const newUuid = options.newUuid ?? (() => cardIds.issue());

  function cors(req: IncomingMessage): Record<string, string> {
    const origin = req.headers.origin;
    if (config.allowedOrigins.includes('*')) return { 'Access-Control-Allow-Origin': '*' };
    if (origin && config.allowedOrigins.includes(origin)) return { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' };
    return { Vary: 'Origin' };
  }

  function send(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...cors(req), ...headers });
    res.end(JSON.stringify(body));
  }

  function error(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
    send(req, res, status, { error: code, message }, headers);
  }

  async function authenticate(req: IncomingMessage, res: ServerResponse, url: URL): Promise<AuthResult & { ok: true } | undefined> {
    const audiences = config.baseUrls.map((base) => `${base}${url.pathname}`);
    const result = await authenticator.verify(req.headers.authorization, audiences);
    if (result.ok) return result;
    // Header values are Latin-1 at best: keep the description to printable ASCII.
    const challenge = `Bearer error="invalid_token", error_description="${result.message.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, '-')}"`;
    error(req, res, result.status, result.status === 401 ? 'invalid_token' : 'temporarily_unavailable', result.message, result.status === 401 ? { 'WWW-Authenticate': challenge } : {});
    return undefined;
  }

  async function hook(req: IncomingMessage, res: ServerResponse, url: URL, serviceId: string): Promise<void> {
    const service = serviceById(serviceId)!;
    const auth = await authenticate(req, res, url);
    if (!auth) return;
    const started = Date.now();
    let hookInstance: string | undefined;
    try {
      const body = await readJson(req, config.maxRequestBytes);
      const request = parseHookRequest(body, service);
      hookInstance = request.hookInstance;
      const deps: HookDeps = { config, today: today(), ...(options.fetchData ? { fetchData: options.fetchData } : {}), newUuid };
      const response = await withinDeadline((signal) => runHook(request, auth.client, { ...deps, signal }), options.callDeadlineMs ?? CALL_DEADLINE_MS);
      log(JSON.stringify({ event: 'cds-hooks.call', service: service.id, client: auth.client.iss, hookInstance, cards: response.cards.length, ms: Date.now() - started }));
      send(req, res, 200, response);
    } catch (caught) {
      if (caught instanceof BodyError) return error(req, res, caught.status, caught.status === 413 ? 'payload_too_large' : 'invalid_request', caught.message);
      if (caught instanceof HookError) {
        log(JSON.stringify({ event: 'cds-hooks.refused', service: service.id, client: auth.client.iss, ...(hookInstance ? { hookInstance } : {}), status: caught.status }));
        return error(req, res, caught.status, caught.status === 412 ? 'precondition_failed' : 'invalid_request', caught.message);
      }
      if (caught instanceof CallTooLongError) {
        log(JSON.stringify({ event: 'cds-hooks.refused', service: service.id, client: auth.client.iss, ...(hookInstance ? { hookInstance } : {}), status: 503 }));
        return error(req, res, 503, 'temporarily_unavailable', caught.message);
      }
      // The message may quote record content: log where it failed, not what it said.
      const where = String((caught as Error)?.stack ?? '').split('\n').slice(1, 3).map((l) => l.trim()).join(' | ');
      log(JSON.stringify({ event: 'cds-hooks.error', service: service.id, ...(hookInstance ? { hookInstance } : {}), error: (caught as Error)?.name ?? 'Error', where }));
      error(req, res, 500, 'server_error', 'The service failed on this request; no cards could be produced.');
    }
  }

  async function feedback(req: IncomingMessage, res: ServerResponse, url: URL, serviceId: string): Promise<void> {
    const auth = await authenticate(req, res, url);
    if (!auth) return;
    try {
      const entries = parseFeedback(await readJson(req, MAX_FEEDBACK_BYTES));
      const unknown = unissuedIds(entries, (id) => cardIds.issued(id));
      if (unknown) return error(req, res, 400, 'unknown_card', unknown);
      for (const line of feedbackLogLines(serviceId, auth.client.iss, entries, new Date().toISOString())) log(line);
      send(req, res, 200, { recorded: entries.length });
    } catch (caught) {
      if (caught instanceof BodyError) return error(req, res, caught.status, 'invalid_request', caught.message);
      if (caught instanceof FeedbackError) return error(req, res, 400, 'invalid_request', caught.message);
      throw caught;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const path = url.pathname.replace(/\/+$/, '');
    if (path !== MOUNT && !path.startsWith(`${MOUNT}/`)) return false;
    const method = (req.method ?? 'GET').toUpperCase();
    const parts = path.slice(MOUNT.length).split('/').filter(Boolean);

    if (method === 'OPTIONS') {
      res.writeHead(204, {
        ...cors(req),
        'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
        'Access-Control-Allow-Headers': 'authorization, content-type',
        'Access-Control-Max-Age': '600',
      });
      res.end();
      return true;
    }
    if (parts.length === 0) {
      if (method !== 'GET' && method !== 'HEAD') {
        error(req, res, 405, 'method_not_allowed', 'Discovery is GET /cds-services.', { Allow: 'GET, OPTIONS' });
        return true;
      }
      if (config.discoveryRequiresAuth && !(await authenticate(req, res, new URL(MOUNT, url)))) return true;
      send(req, res, 200, discovery({ patientViewEnabled: config.patientViewEnabled, today: today(), lookbackDays: lookbackDays(config) }));
      return true;
    }
    const [serviceId, sub, ...rest] = parts;
    if (!serviceId || !serviceById(serviceId) || rest.length > 0 || (sub !== undefined && sub !== 'feedback')) {
      error(req, res, 404, 'not_found', `No such CDS service: ${path.slice(0, 120)} (see GET ${MOUNT}).`);
      return true;
    }
    if (method !== 'POST') {
      error(req, res, 405, 'method_not_allowed', `${sub ? 'Feedback' : 'A CDS service'} is called with POST.`, { Allow: 'POST, OPTIONS' });
      return true;
    }
    if (sub === 'feedback') await feedback(req, res, url, serviceId);
    else await hook(req, res, url, serviceId);
    return true;
  }

  return { handle, config };
}
