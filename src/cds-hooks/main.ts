/**
 * `npm run cds-hooks`: the CDS Hooks service alone, for a hospital to deploy behind its TLS proxy.
 * Trust configuration: `--config <file>` or env CDS_HOOKS_CONFIG (required). Env PORT (default
 * 3010), HOST (default 127.0.0.1). Without `baseUrls` in the configuration the service answers
 * only at http://HOST:PORT (and localhost), which suits a local test, not production.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadTrustConfig, normaliseBaseUrl, TrustConfigError } from './config';
import { createCdsHooksService } from './handler';

function configPath(argv: string[]): string | undefined {
  const index = argv.indexOf('--config');
  if (index >= 0) return argv[index + 1];
  return argv.find((a) => a.startsWith('--config='))?.slice('--config='.length) ?? process.env.CDS_HOOKS_CONFIG;
}

const path = configPath(process.argv.slice(2));
if (!path) {
  console.error('cds-hooks: no trust configuration. Use --config <file> or CDS_HOOKS_CONFIG=<file> (see src/cds-hooks/config.example.json).');
  process.exit(2);
}
let config;
try {
  config = loadTrustConfig(path);
} catch (error) {
  console.error(`cds-hooks: ${error instanceof TrustConfigError ? error.message : String(error)}`);
  process.exit(2);
}

const host = process.env.HOST ?? '127.0.0.1';
const port = process.env.PORT ? Number(process.env.PORT) : 3010;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`cds-hooks: PORT must be a port number, got "${process.env.PORT}"`);
  process.exit(2);
}

const server = createServer();
server.listen(port, host, () => {
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const local = `http://${shown}:${address.port}`;
  if (config.baseUrls.length === 0) {
    config.baseUrls = [local, ...(shown === '127.0.0.1' ? [`http://localhost:${address.port}`] : [])].map(normaliseBaseUrl);
    console.error('cds-hooks: no baseUrls in the configuration; accepting JWTs addressed to this local address only.');
  }
  const service = createCdsHooksService({ config });
  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', local);
    service
      .handle(req, res, url)
      .then((handled) => {
        if (!handled) {
          res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify({ error: 'not_found', message: 'This server answers under /cds-services only.' }));
        }
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ error: 'server_error', message: 'Internal error' }));
      });
  });
  console.error(`CDS Hooks service: discovery at ${config.baseUrls[0]}/cds-services (${config.issuers.length} trusted issuer(s); listening on ${local})`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
