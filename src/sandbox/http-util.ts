/**
 * Small HTTP helpers shared by the sandbox's handlers (no framework: the sandbox is one
 * Node server so that tests can start and stop it in-process).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Body size cap: large enough for the biggest sample bundle, small enough to refuse junk. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'Request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Form fields of an application/x-www-form-urlencoded body (last value wins). */
export async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  const body = await readBody(req);
  return Object.fromEntries(new URLSearchParams(body));
}

/**
 * The origin the browser used to reach us. Derived per request from the Host header so that
 * `localhost` and `127.0.0.1` both work; `fallback` is the origin the server was bound to.
 */
export function requestOrigin(req: IncomingMessage, fallback: string): string {
  const host = req.headers.host;
  if (host && /^[A-Za-z0-9.\-:[\]]+$/.test(host)) return `http://${host}`;
  return fallback;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendHtml(res: ServerResponse, status: number, html: string, options: { frameSrc?: string } = {}): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    // The EHR pages need no script beyond our own file; framing is for the app iframe only, and
    // only the sandbox's own pages may frame these (the chart, the sign-in inside the app's frame):
    // another site cannot overlay them to steer a click.
    'Content-Security-Policy': `default-src 'self'; style-src 'self' 'unsafe-inline'; frame-src 'self'${options.frameSrc ? ` ${options.frameSrc}` : ''}; frame-ancestors 'self'`,
  });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { Location: location, 'Cache-Control': 'no-store' });
  res.end();
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Tagged template that escapes every interpolation unless it is wrapped in `raw()`. */
export class RawHtml {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

export function raw(html: string): RawHtml {
  return new RawHtml(html);
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): RawHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += renderValue(value) + (strings[i + 1] ?? '');
  });
  return new RawHtml(out);
}

function renderValue(value: unknown): string {
  if (value instanceof RawHtml) return value.html;
  if (Array.isArray(value)) return value.map(renderValue).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(value);
}
