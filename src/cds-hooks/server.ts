/**
 * The service as its own process serves it (main.ts): the CDS Hooks routes, the two health
 * routes a load balancer or orchestrator polls, one access-log line per call, and a graceful
 * stop. Health routes need no JWT and say nothing about patients.
 *
 * - GET /healthz (liveness): 200 while the process answers at all.
 * - GET /readyz (readiness): 200 when the trust file is loaded and the replay store takes claims;
 *   503 with the reason otherwise, and from the moment a shutdown begins, so no new calls come.
 * - shutdown(): stop accepting connections, let the calls in flight finish (up to a limit), close
 *   the replay store, then resolve; idle keep-alive connections are closed at once.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { handlerLog, logAccess } from './access-log';
import { normaliseBaseUrl, type CdsServiceConfig } from './config';
import { createCdsHooksService } from './handler';
import type { ReplayStore } from './replay-cache';

export interface CdsServerOptions {
  config: CdsServiceConfig;
  replayStore: ReplayStore;
  logger: Logger;
  host: string;
  port: number;
  shutdownTimeoutMs: number;
}

export interface RunningCdsServer {
  /** http://host:port the process listens on. */
  local: string;
  server: Server;
  /** Resolves true when every call in flight finished, false when the time limit cut some. */
  shutdown(): Promise<boolean>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

export async function startCdsServer(options: CdsServerOptions): Promise<RunningCdsServer> {
  const { config, replayStore, logger } = options;
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const local = `http://${shown}:${address.port}`;
  if (config.baseUrls.length === 0) {
    config.baseUrls = [local, ...(shown === '127.0.0.1' ? [`http://localhost:${address.port}`] : [])].map(normaliseBaseUrl);
    logger.warn({ event: 'config' }, 'no baseUrls configured: accepting JWTs addressed to this local address only');
  }
  const service = createCdsHooksService({ config, replayStore, log: handlerLog(logger) });
  let draining = false;

  async function readiness(): Promise<{ ready: boolean; body: Record<string, unknown> }> {
    const store = replayStore.kind ?? 'custom';
    if (draining) return { ready: false, body: { status: 'not-ready', reason: 'shutting down', replayStore: store } };
    try {
      await replayStore.ready?.();
    } catch (error) {
      return { ready: false, body: { status: 'not-ready', reason: `replay store: ${(error as Error).message}`, replayStore: store } };
    }
    return { ready: true, body: { status: 'ready', trustedIssuers: config.issuers.length, replayStore: store } };
  }

  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', local);
    logAccess(logger, config, req, res, url);
    const path = url.pathname.replace(/\/+$/, '');
    const method = (req.method ?? 'GET').toUpperCase();
    // A request that arrives on a kept-alive connection after the stop began is still answered;
    // the connection then closes, health checks included (else a load balancer's kept-alive
    // probe would keep reaching a copy that is going away).
    if (draining) res.setHeader('Connection', 'close');
    if ((path === '/healthz' || path === '/readyz') && (method === 'GET' || method === 'HEAD')) {
      if (path === '/healthz') return json(res, 200, { status: 'ok' });
      void readiness().then(({ ready, body }) => json(res, ready ? 200 : 503, body));
      return;
    }
    service
      .handle(req, res, url)
      .then((handled) => {
        if (!handled) json(res, 404, { error: 'not_found', message: 'This server answers under /cds-services only.' });
      })
      .catch(() => {
        if (!res.headersSent) json(res, 500, { error: 'server_error', message: 'Internal error' });
        else res.end();
      });
  });

  let stopping: Promise<boolean> | undefined;
  function shutdown(): Promise<boolean> {
    stopping ??= new Promise<boolean>((resolve) => {
      draining = true;
      logger.info({ event: 'shutdown' }, 'stopping: no new connections, finishing calls in flight');
      let finished = true;
      const timer = setTimeout(() => {
        finished = false;
        logger.warn({ event: 'shutdown' }, `calls still in flight after ${options.shutdownTimeoutMs} ms: closing their connections`);
        server.closeAllConnections();
      }, options.shutdownTimeoutMs);
      server.close(() => {
        clearTimeout(timer);
        void (replayStore.close?.() ?? Promise.resolve())
          .catch(() => undefined)
          .then(() => resolve(finished));
      });
      server.closeIdleConnections();
    });
    return stopping;
  }

  return { local, server, shutdown };
}
