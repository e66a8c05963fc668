/**
 * Replay protection: a JWT's `jti` may be used once until the token expires. This is the only
 * state the service keeps. In memory it is per instance: two copies behind a load balancer would
 * each accept a token once. Several copies share one store instead: Redis
 * (redis-replay-store.ts, `SET key 1 NX EXAT <exp>`), chosen with CDS_HOOKS_REDIS_URL.
 */

export interface ReplayStore {
  /**
   * Records `key` until `expiresAtSeconds` (epoch seconds). Resolves true when it was not seen
   * before (the token may be used), false for a replay.
   */
  claim(key: string, expiresAtSeconds: number): boolean | Promise<boolean>;
  /** For /readyz: resolves when the store can take claims now, rejects with the reason otherwise. */
  ready?(): Promise<void>;
  /** Lets go of connections at shutdown. */
  close?(): Promise<void>;
  /** Named in /readyz and the start log: "memory", "redis". */
  readonly kind?: string;
}

/** Bounded in-memory store; refuses (fails closed) when full of unexpired entries. */
export class MemoryReplayStore implements ReplayStore {
  readonly kind = 'memory';
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly maxEntries = 100_000,
    private readonly nowSeconds: () => number = () => Date.now() / 1000,
  ) {}

  claim(key: string, expiresAtSeconds: number): boolean {
    const now = this.nowSeconds();
    const known = this.seen.get(key);
    if (known !== undefined && known >= now) return false;
    if (this.seen.size >= this.maxEntries) this.purge(now);
    if (this.seen.size >= this.maxEntries) throw new ReplayStoreFullError();
    this.seen.set(key, expiresAtSeconds);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private purge(now: number): void {
    for (const [key, expires] of this.seen) if (expires < now) this.seen.delete(key);
  }
}

/**
 * The token cannot be recorded now, so it is refused (503, fail closed) rather than accepted
 * unrecorded: the store is full (memory) or cannot be reached (Redis, the subclass below).
 */
export class ReplayStoreFullError extends Error {
  constructor(message = 'too many tokens in flight: try again shortly') {
    super(message);
  }
}

export class ReplayStoreUnavailableError extends ReplayStoreFullError {
  constructor() {
    super('the replay store cannot be reached: try again shortly');
  }
}
