/**
 * Serves the app (`/`) and the SMART launch page (`/launch/`): through Vite in middleware
 * mode while developing, or from the built `dist/` folder (what the browser tests use).
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { extname, join, normalize, relative, resolve, sep } from 'node:path';
import { appContentSecurityPolicy, issuerOrigins, sourcesFromEnv } from './csp';

export interface AppHost {
  handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
  close(): Promise<void>;
}

export async function createViteHost(root: string, httpServer: Server): Promise<AppHost> {
  const { createServer } = await import('vite');
  const vite = await createServer({
    root,
    configFile: join(root, 'vite.config.ts'),
    appType: 'mpa',
    // HMR rides on our own server: a separate HMR port would clash between test instances.
    server: { middlewareMode: true, hmr: { server: httpServer } },
    logLevel: 'warn',
  });
  return {
    handle(req, res) {
      vite.middlewares(req, res, () => {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Not found');
      });
    },
    close: () => vite.close(),
  };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export interface DistHostOptions {
  /** connect-src sources beyond the file's issuers (the sandbox's own FHIR base on each loopback name). */
  connectSrc?: () => readonly string[];
  /** Who may frame the app when CSP_FRAME_ANCESTORS is not set (the sandbox's chart pages). */
  frameAncestors?: () => readonly string[];
}

/** The built app's policy: connect-src from dist/smart-config.json's issuers, the host's own, and CSP_CONNECT_SRC. */
async function distPolicy(base: string, extra: readonly string[], ancestors: readonly string[]): Promise<string> {
  let smartConfig: unknown;
  try {
    smartConfig = JSON.parse(await readFile(join(base, 'smart-config.json'), 'utf8'));
  } catch {
    smartConfig = undefined;
  }
  return appContentSecurityPolicy({
    connectSrc: [...issuerOrigins(smartConfig), ...extra, ...sourcesFromEnv(process.env.CSP_CONNECT_SRC)],
    frameAncestors: process.env.CSP_FRAME_ANCESTORS ? sourcesFromEnv(process.env.CSP_FRAME_ANCESTORS) : ancestors,
  });
}

export function createDistHost(distDir: string, options: DistHostOptions = {}): AppHost {
  const base = resolve(distDir);
  let policy: Promise<string> | undefined;
  return {
    async handle(req, res) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' });
        res.end();
        return;
      }
      let pathname: string;
      let search: string;
      try {
        const requested = new URL(req.url ?? '/', 'http://x');
        pathname = decodeURIComponent(requested.pathname);
        search = requested.search;
      } catch {
        res.writeHead(400).end();
        return;
      }
      if (pathname.endsWith('/')) pathname += 'index.html';
      const file = normalize(join(base, pathname));
      if (file !== base && !file.startsWith(base + sep)) {
        res.writeHead(403).end();
        return;
      }
      const info = await stat(file).catch(() => undefined);
      if (info?.isDirectory()) {
        // `/launch` -> `/launch/` so relative asset URLs resolve like in Vite. The target is the
        // folder's own path under the app, never the request's text: `/%2Fevil.example%2F..%2Flaunch`
        // decodes to `//evil.example/../launch`, and echoing that would redirect off-site.
        const folder = relative(base, file).split(sep).map(encodeURIComponent).join('/');
        res.writeHead(301, { Location: `/${folder}/${search}` });
        res.end();
        return;
      }
      if (!info) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(`Not found${pathname === '/index.html' ? ' (run `npm run build` first, or start without --dist)' : ''}`);
        return;
      }
      const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
      // Hashed assets can be cached; pages must not be (they carry no hash).
      const cache = pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      const headers: Record<string, string | number> = { 'Content-Type': type, 'Content-Length': info.size, 'Cache-Control': cache };
      // Only documents are governed by a policy; smart-config.json is read once, at the first page.
      if (type.startsWith('text/html')) headers['Content-Security-Policy'] = await (policy ??= distPolicy(base, options.connectSrc?.() ?? [], options.frameAncestors?.() ?? []));
      res.writeHead(200, headers);
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      createReadStream(file).pipe(res);
    },
    close: async () => {},
  };
}
