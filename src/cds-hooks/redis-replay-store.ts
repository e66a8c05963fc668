/**
 * The replay store shared by several copies of the service: one Redis. A `jti` is claimed with
 * `SET <key> 1 EXAT <token exp> NX`, atomic in Redis, so of two copies that see the same token at
 * the same moment exactly one accepts it; the key expires with the token, so Redis holds no more
 * than the tokens still alive. When Redis cannot be reached the token is refused (503), never
 * accepted unrecorded, and /readyz says not ready so the load balancer stops sending calls.
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { ReplayStoreUnavailableError, type ReplayStore } from './replay-cache';

const KEY_PREFIX = 'jak-readiness:cds-hooks:jti:';
/** A hook call waits at most this long for Redis; readiness checks too. */
const TIMEOUT_MS = 2000;

export interface RedisReplayStoreOptions {
  /** redis://[:password@]host:port[/db] or rediss:// for TLS. */
  url: string;
  /** Connection errors (host and reason only), for the log; called once per outage. */
  onError?: (message: string) => void;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class RedisReplayStore implements ReplayStore {
  readonly kind = 'redis';
  private readonly redis: Redis;
  private down = false;

  constructor(options: RedisReplayStoreOptions) {
    this.redis = new Redis(options.url, {
      connectTimeout: TIMEOUT_MS,
      commandTimeout: TIMEOUT_MS,
      // Fail a call quickly while Redis is away instead of queueing it for minutes.
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    this.redis.on('error', (error: Error) => {
      if (this.down) return;
      this.down = true;
      options.onError?.(`Redis replay store unreachable: ${error.message}`);
    });
    this.redis.on('ready', () => {
      this.down = false;
    });
  }

  async claim(key: string, expiresAtSeconds: number): Promise<boolean> {
    // Hashed: the key holds the issuer and the token id, nothing else, at a fixed length.
    const redisKey = KEY_PREFIX + createHash('sha256').update(key).digest('hex');
    const expires = Math.max(Math.ceil(expiresAtSeconds), Math.floor(Date.now() / 1000) + 1);
    let answer: string | null;
    try {
      answer = await withTimeout(this.redis.set(redisKey, '1', 'EXAT', expires, 'NX'), TIMEOUT_MS);
    } catch {
      throw new ReplayStoreUnavailableError();
    }
    return answer === 'OK';
  }

  async ready(): Promise<void> {
    const pong = await withTimeout(this.redis.ping(), TIMEOUT_MS);
    if (pong !== 'PONG') throw new Error(`Redis answered ${pong}`);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
