/**
 * The service's log: JSON lines through pino, one per HTTP call plus the handler's events
 * (calls, refusals, feedback, errors). What a line may hold is fixed here, so no patient data
 * reaches it: method, route (the path only when it is one of the service's own routes; never a
 * query string), status, duration, the CDS service id, and the caller's issuer when it is one the
 * trust file lists. Never a body, a patient id, a token or a header value.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeJwt } from 'jose';
import { pino, type Logger } from 'pino';
import type { CdsServiceConfig } from './config';
import { serviceById } from './services';

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'jak-readiness-cds-hooks' }, timestamp: pino.stdTimeFunctions.isoTime });
}

export const HEALTH_PATHS = ['/healthz', '/readyz'];

/** The route as logged: one of ours, or "(other)" (a stray path could carry anything). */
export function routeOf(pathname: string): { route: string; serviceId?: string } {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (HEALTH_PATHS.includes(path) || path === '/cds-services') return { route: path };
  const match = /^\/cds-services\/([^/]+)(\/feedback)?$/.exec(path);
  if (match && serviceById(match[1]!)) return { route: path, serviceId: match[1]! };
  return { route: '(other)' };
}

/** The bearer token's `iss` when the trust file lists it; "untrusted" for any other token. */
export function issuerOf(authorization: string | undefined, config: CdsServiceConfig): string | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return undefined;
  try {
    const iss = decodeJwt(token).iss;
    return config.issuers.some((issuer) => issuer.iss === iss) ? iss : 'untrusted';
  } catch {
    return 'untrusted';
  }
}

/** Logs the call when its answer has gone out (or the connection closed first). */
export function logAccess(logger: Logger, config: CdsServiceConfig, req: IncomingMessage, res: ServerResponse, url: URL): void {
  const started = process.hrtime.bigint();
  const { route, serviceId } = routeOf(url.pathname);
  const issuer = issuerOf(req.headers.authorization, config);
  let done = false;
  const write = () => {
    if (done) return;
    done = true;
    const entry = {
      event: 'http',
      method: req.method,
      path: route,
      status: res.headersSent ? res.statusCode : 0,
      ms: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10,
      ...(serviceId ? { cdsService: serviceId } : {}),
      ...(issuer ? { issuer } : {}),
    };
    // Load balancers poll the health routes every few seconds: keep them out of the info log.
    if (HEALTH_PATHS.includes(route)) logger.debug(entry);
    else logger.info(entry);
  };
  res.once('finish', write);
  res.once('close', write);
}

/** The handler's own JSON lines (createCdsHooksService `log`), into the same log. */
export function handlerLog(logger: Logger): (line: string) => void {
  return (line) => {
    try {
      logger.info(JSON.parse(line) as object);
    } catch {
      logger.info({ event: 'cds-hooks.log' });
    }
  };
}
