/**
 * A small FHIR Bulk Data server for the tests, on loopback: SMART configuration, a token
 * endpoint that verifies the client's private_key_jwt assertion with its registered public key
 * (jose), Group $export kick-off (202 + Content-Location), a status URL that answers 202 with
 * Retry-After a few times, then the manifest (with each file's count), and the NDJSON files
 * (token required); a CapabilityStatement at /fhir/metadata. Faults on demand: a failed job,
 * tokens that expire, a server that never finishes, a type it lacks, a file served short of its
 * count, failed files in the manifest, transient 500s and 429s (Retry-After as a delay, an HTTP
 * date or an epoch time), a server that refuses `Prefer: handling=lenient`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';

export interface BulkServerOptions {
  /** Folder whose *.ndjson files the export serves (type = the name before the first dot). */
  exportDir: string;
  clientId: string;
  jwks: JSONWebKeySet;
  groupId?: string;
  /** 202 answers before the manifest. */
  pollsBeforeDone?: number;
  retryAfterSeconds?: number;
  /** The job fails on the server: the status URL answers 500 with an OperationOutcome. */
  failJob?: boolean;
  /** Each token works for this many requests, then answers 401 (a token that expired). */
  tokenUses?: number;
  /** Every token is refused (401) everywhere. */
  refuseAllTokens?: boolean;
  /** The job never finishes. */
  neverDone?: boolean;
  tokenSeconds?: number;
  /** Serve the files' URLs from this host name instead of 127.0.0.1 (another origin). */
  fileHost?: string;
  /** Types the server lacks: not in its CapabilityStatement, refused in scopes (invalid_scope) and in `_type` (HTTP 400), as the reference server does. */
  lacksTypes?: string[];
  /** The CapabilityStatement lists every type even so (only the kick-off refuses the lacking ones). */
  capabilityListsAll?: boolean;
  /** /fhir/metadata answers 404. */
  noCapabilityStatement?: boolean;
  /** Refuse a kick-off that asks for `Prefer: handling=lenient` (HTTP 400). */
  refuseLenient?: boolean;
  /** Serve only the first `lines` lines of this file, cut at a line boundary; the manifest still gives the full count. */
  truncate?: { file: string; lines: number };
  /** The manifest lists these types' files, or these files, as failed (in `error`, the reference server's way). */
  failTypes?: string[];
  /** The first `times` status checks answer 500: with an OperationOutcome whose issue code is `transient`, or with no OperationOutcome at all. */
  transient?: { times: number; outcome: boolean };
  /** The first `times` status checks answer 429 with Retry-After `seconds` ahead, as a delay, an HTTP date or epoch seconds. */
  rateLimit?: { times: number; form: 'delay' | 'date' | 'epoch'; seconds: number };
  /** The first `times` status checks get their connection reset (no answer at all). */
  resetChecks?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  at: number;
  status?: number;
}

export interface BulkServer {
  base: string;
  tokenUrl: string;
  requests: RecordedRequest[];
  /** The verified assertions' claims and headers. */
  assertions: Array<{ header: Record<string, unknown>; claims: Record<string, unknown>; scope: string | null }>;
  tokensIssued: number;
  close(): Promise<void>;
}

const OUTCOME = (diagnostics: string) => JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing', diagnostics }] });

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startBulkServer(options: BulkServerOptions): Promise<BulkServer> {
  const keySet = createLocalJWKSet(options.jwks);
  const tokens = new Map<string, number>(); // token -> uses left
  const jtis = new Set<string>();
  const requests: RecordedRequest[] = [];
  const assertions: BulkServer['assertions'] = [];
  let polls = 0;
  let faults = 0;
  let asked: string[] | undefined; // the kick-off's _type: the manifest lists only those types
  let issued = 0;
  const lacks = new Set(options.lacksTypes ?? []);
  const served = () => readdirSync(options.exportDir).filter((f) => f.endsWith('.ndjson'));
  const lineCount = (f: string) => readFileSync(join(options.exportDir, f), 'utf8').split('\n').filter((l) => l.trim()).length;
  let origin = '';
  const fileOrigin = () => (options.fileHost ? origin.replace('127.0.0.1', options.fileHost) : origin);

  const send = (res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/fhir+json', ...headers });
    res.end(text);
  };
  const authorized = (req: IncomingMessage, res: ServerResponse): boolean => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const left = token ? tokens.get(token) : undefined;
    if (options.refuseAllTokens || left === undefined || left <= 0) {
      send(res, 401, OUTCOME('access token expired or not valid'), { 'www-authenticate': 'Bearer error="invalid_token"' });
      return false;
    }
    tokens.set(token!, left - 1);
    return true;
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname + url.search, headers: req.headers, at: Date.now() };
    requests.push(record);
    const originalWriteHead = res.writeHead.bind(res);
    res.writeHead = ((status: number, ...rest: unknown[]) => {
      record.status = status;
      return (originalWriteHead as (...a: unknown[]) => ServerResponse)(status, ...rest);
    }) as typeof res.writeHead;
    try {
      if (url.pathname === '/fhir/.well-known/smart-configuration') {
        send(res, 200, JSON.stringify({ token_endpoint: `${origin}/auth/token`, grant_types_supported: ['client_credentials'], token_endpoint_auth_methods_supported: ['private_key_jwt'], token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'], capabilities: ['client-confidential-asymmetric'] }), { 'content-type': 'application/json' });
        return;
      }
      if (url.pathname === '/fhir/metadata') {
        if (options.noCapabilityStatement) return send(res, 404, OUTCOME('not found'));
        const offered = ['Patient', 'Group', 'Encounter', 'Condition', 'Observation', 'MedicationRequest', 'MedicationStatement', 'Medication', 'Immunization', 'ServiceRequest', ...served().map((f) => f.split('.')[0]!)];
        const types = [...new Set(offered)].filter((t) => options.capabilityListsAll || !lacks.has(t));
        send(res, 200, JSON.stringify({ resourceType: 'CapabilityStatement', status: 'active', kind: 'instance', fhirVersion: '4.0.1', format: ['json'], rest: [{ mode: 'server', resource: types.map((type) => ({ type })) }] }));
        return;
      }
      if (url.pathname === '/auth/token' && req.method === 'POST') {
        const form = new URLSearchParams(await body(req));
        const fail = (description: string) => send(res, 400, JSON.stringify({ error: 'invalid_client', error_description: description }), { 'content-type': 'application/json' });
        if (form.get('grant_type') !== 'client_credentials') return fail('grant_type must be client_credentials');
        if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return fail('wrong client_assertion_type');
        let verified;
        try {
          verified = await jwtVerify(form.get('client_assertion') ?? '', keySet, { issuer: options.clientId, subject: options.clientId, audience: `${origin}/auth/token`, algorithms: ['RS384', 'ES384'] });
        } catch (error) {
          return fail(`assertion not valid: ${(error as Error).message}`);
        }
        const { payload, protectedHeader } = verified;
        if (typeof payload.exp !== 'number' || payload.exp - Date.now() / 1000 > 300 + 5) return fail('exp more than 5 minutes ahead');
        if (typeof payload.jti !== 'string' || jtis.has(payload.jti)) return fail('jti missing or reused');
        jtis.add(payload.jti);
        const lacking = (form.get('scope') ?? '').split(' ').find((sc) => lacks.has(sc.replace(/^system\/|\.(read|\*|rs)$/g, '')));
        if (lacking) return send(res, 400, JSON.stringify({ error: 'invalid_scope', error_description: `Invalid scope: ${lacking}` }), { 'content-type': 'application/json' });
        assertions.push({ header: protectedHeader as Record<string, unknown>, claims: payload as Record<string, unknown>, scope: form.get('scope') });
        issued += 1;
        const token = `token-${issued}`;
        tokens.set(token, options.tokenUses ?? 1e9);
        send(res, 200, JSON.stringify({ access_token: token, token_type: 'bearer', expires_in: options.tokenSeconds ?? 300, scope: form.get('scope') }), { 'content-type': 'application/json' });
        return;
      }
      if (!authorized(req, res)) return;
      const kickoff = /^\/fhir\/Group\/([^/]+)\/\$export$/.exec(url.pathname);
      if (kickoff && req.method === 'GET') {
        const prefer = String(req.headers.prefer ?? '').split(',').map((p) => p.trim());
        if (req.headers.accept !== 'application/fhir+json' || !prefer.includes('respond-async')) return send(res, 400, OUTCOME('Accept: application/fhir+json and Prefer: respond-async are required'));
        if (options.refuseLenient && prefer.includes('handling=lenient')) return send(res, 400, OUTCOME('Prefer: handling=lenient is not supported'));
        if (decodeURIComponent(kickoff[1]!) !== (options.groupId ?? 'clinic')) return send(res, 404, OUTCOME(`Group/${kickoff[1]} not found`));
        const badType = (url.searchParams.get('_type') ?? '').split(',').find((t) => lacks.has(t));
        if (badType) return send(res, 400, OUTCOME(`The requested resource type "${badType}" is not available on this server`));
        asked = url.searchParams.get('_type')?.split(',');
        send(res, 202, '', { 'content-location': `${origin}/jobs/1` });
        return;
      }
      if (url.pathname === '/jobs/1' && req.method === 'DELETE') return send(res, 202, '');
      if (url.pathname === '/jobs/1') {
        if (options.resetChecks && faults < options.resetChecks) {
          faults += 1;
          record.status = 0;
          req.socket.resetAndDestroy();
          return;
        }
        if (options.transient && faults < options.transient.times) {
          faults += 1;
          if (options.transient.outcome) return send(res, 500, JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient', diagnostics: 'An unknown error occurred (transient_error). Please try again.' }] }));
          return send(res, 500, '<html><body>Internal Server Error</body></html>', { 'content-type': 'text/html' });
        }
        if (options.rateLimit && faults < options.rateLimit.times) {
          faults += 1;
          const at = Date.now() + options.rateLimit.seconds * 1000;
          const value = options.rateLimit.form === 'delay' ? String(options.rateLimit.seconds) : options.rateLimit.form === 'date' ? new Date(at).toUTCString() : String(Math.ceil(at / 1000));
          return send(res, 429, OUTCOME('Too many requests'), { 'retry-after': value });
        }
        polls += 1;
        if (options.failJob && polls > 1) return send(res, 500, OUTCOME('export job failed: database connection lost'));
        if (options.neverDone || polls <= (options.pollsBeforeDone ?? 2)) {
          send(res, 202, '', { 'retry-after': String(options.retryAfterSeconds ?? 1), 'x-progress': `${polls * 30}% done` });
          return;
        }
        const files = served().filter((f) => !asked || f.startsWith('OperationOutcome') || asked.includes(f.split('.')[0]!));
        const failed = (f: string) => (options.failTypes ?? []).some((t) => t === f || t === f.split('.')[0]);
        send(res, 200, JSON.stringify({
          transactionTime: new Date().toISOString(),
          request: `${origin}/fhir/Group/${options.groupId ?? 'clinic'}/$export`,
          requiresAccessToken: true,
          output: files.filter((f) => !f.startsWith('OperationOutcome') && !failed(f)).map((f) => ({ type: f.split('.')[0], url: `${fileOrigin()}/files/${f}`, count: lineCount(f) })),
          error: [
            ...files.filter((f) => f.startsWith('OperationOutcome')).map((f) => ({ type: 'OperationOutcome', url: `${fileOrigin()}/files/${f}` })),
            ...files.filter(failed).map((f) => ({ type: 'OperationOutcome', url: `${fileOrigin()}/failed/${f}` })),
          ],
        }), { 'content-type': 'application/json' });
        return;
      }
      const failedFile = /^\/failed\/([A-Za-z0-9.]+\.ndjson)$/.exec(url.pathname);
      if (failedFile) return send(res, 200, `${OUTCOME(`Failed to export ${failedFile[1]}`)}\n`, { 'content-type': 'application/fhir+ndjson' });
      const file = /^\/files\/([A-Za-z0-9.]+\.ndjson)$/.exec(url.pathname);
      if (file) {
        let text = readFileSync(join(options.exportDir, file[1]!), 'utf8');
        const cut = options.truncate;
        if (cut && cut.file === file[1]) text = text.split('\n').slice(0, cut.lines).map((l) => `${l}\n`).join('');
        send(res, 200, text, { 'content-type': 'application/fhir+ndjson' });
        return;
      }
      send(res, 404, OUTCOME('not found'));
    } catch (error) {
      send(res, 500, OUTCOME((error as Error).message));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base: `${origin}/fhir`,
    tokenUrl: `${origin}/auth/token`,
    requests,
    assertions,
    get tokensIssued() {
      return issued;
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
