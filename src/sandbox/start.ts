/**
 * `npm start`: the local EHR sandbox with the app. Flags: --dist (serve the built app from
 * dist/, also SANDBOX_DIST=1), --no-samples. Env: PORT, HOST, TOKEN_TTL_SECONDS.
 */
import { startSandbox } from './server';

const args = new Set(process.argv.slice(2));
const sandbox = await startSandbox({
  dist: args.has('--dist') || process.env.SANDBOX_DIST === '1',
  samples: !args.has('--no-samples'),
});

const stop = () => {
  void sandbox.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
