/**
 * `jak-readiness backend-key <name> [--alg ES384|RS384]`: a key pair for SMART Backend Services
 * registration, made by `jose`: <name>.private.jwk.json (for --key; readable by you only) and
 * <name>.jwks.json (the public JWK Set to register with the EHR or to host at a JWKS URL).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { exportJWK, generateKeyPair } from 'jose';
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from '../bulk/backend-auth';
import { optionValue, parseArgs, UsageError } from './args';

const USAGE = 'usage: jak-readiness backend-key <name> [--alg ES384|RS384]';

export async function runBackendKeyCommand(argv: string[], io: { stdout: NodeJS.WritableStream } = { stdout: process.stdout }): Promise<number> {
  const args = parseArgs(argv, { '--alg': { value: true }, '--help': { value: false, aliases: ['-h'] } }, USAGE);
  if (args.options.has('--help')) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const alg = (optionValue(args, '--alg') ?? 'ES384') as SigningAlgorithm;
  if (!SIGNING_ALGORITHMS.includes(alg)) throw new UsageError(`--alg must be ES384 or RS384, got "${alg}"`);
  if (args.positional.length !== 1) throw new UsageError(`give one name for the key files. ${USAGE}`);
  const name = args.positional[0]!;
  const privatePath = `${name}.private.jwk.json`;
  const publicPath = `${name}.jwks.json`;
  for (const path of [privatePath, publicPath]) if (existsSync(path)) throw new UsageError(`${path} already exists; not overwriting a key`);
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS384' ? { modulusLength: 3072 } : {}) });
  const kid = randomUUID();
  const common = { alg, kid, use: 'sig' };
  writeFileSync(privatePath, `${JSON.stringify({ ...(await exportJWK(privateKey)), ...common, key_ops: ['sign'] }, null, 2)}\n`, { mode: 0o600 });
  writeFileSync(publicPath, `${JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), ...common, key_ops: ['verify'] }] }, null, 2)}\n`);
  io.stdout.write(`private key (for --key, keep it secret): ${privatePath}\npublic key set (register it with the EHR): ${publicPath}\nkey id: ${kid}, algorithm: ${alg}\n`);
  return 0;
}
