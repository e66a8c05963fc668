/**
 * What the sandbox accepts before any route: only its own loopback names in the Host header
 * (a page on `rebind.evil.example` whose DNS now points at 127.0.0.1 must not reach the EHR,
 * its tokens or its patients), and cross-origin calls only from pages on those same names, so
 * the app may run on another loopback site than the EHR (the cross-site iframe test).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LOOPBACK_HOSTNAMES } from './clients';

/** The hostname of a Host header (`127.0.0.1:5173` → `127.0.0.1`, `[::1]:80` → `[::1]`), lowercased. */
export function hostnameOf(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/i.exec(host.trim());
  return match?.[1]?.toLowerCase();
}

/** The Host names the sandbox answers to: the loopback names, plus the address it was bound to when that is a specific one. */
export function allowedHostnames(boundHost: string): Set<string> {
  const names = new Set(LOOPBACK_HOSTNAMES);
  const bound = boundHost.toLowerCase();
  if (bound !== '0.0.0.0' && bound !== '::' && bound !== '') names.add(bound.includes(':') && !bound.startsWith('[') ? `[${bound}]` : bound);
  return names;
}

/** Answers 403 (and returns false) for a request whose Host is not one of ours. */
export function checkHost(req: IncomingMessage, res: ServerResponse, allowed: ReadonlySet<string>): boolean {
  const name = hostnameOf(req.headers.host);
  if (name && allowed.has(name)) return true;
  res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end('Forbidden: this sandbox answers only to 127.0.0.1 and localhost.');
  return false;
}

/** Paths a browser app calls cross-origin: the FHIR API, its SMART configuration, the token endpoint. */
function isApiPath(pathname: string): boolean {
  return pathname === '/fhir' || pathname.startsWith('/fhir/') || pathname === '/auth/token';
}

/**
 * CORS for the API paths, for origins on our own Host names only (any port): answers a
 * preflight itself (returns true) or adds the headers to the coming answer (returns false).
 */
export function handleCors(req: IncomingMessage, res: ServerResponse, pathname: string, allowed: ReadonlySet<string>): boolean {
  if (!isApiPath(pathname)) return false;
  const origin = req.headers.origin;
  let trusted = false;
  if (typeof origin === 'string') {
    try {
      const url = new URL(origin);
      trusted = url.protocol === 'http:' && allowed.has(url.hostname.toLowerCase());
    } catch {
      trusted = false;
    }
  }
  if (trusted) {
    res.setHeader('Access-Control-Allow-Origin', origin as string);
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Expose-Headers', 'Location, ETag, Retry-After, WWW-Authenticate');
  }
  if (req.method !== 'OPTIONS') return false;
  if (trusted) {
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
    res.setHeader('Access-Control-Allow-Headers', 'authorization, content-type, accept');
    res.setHeader('Access-Control-Max-Age', '600');
  }
  res.writeHead(trusted ? 204 : 403);
  res.end();
  return true;
}
