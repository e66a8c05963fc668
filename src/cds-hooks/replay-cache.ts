/**
 * Replay protection: a JWT's `jti` may be used once until the token expires. This is the only
 * state the service keeps, and it is per instance: two copies behind a load balancer each accept
 * a token once. A site that needs replay protection across copies implements `ReplayStore` over
 * a shared store (e.g. Redis `SET key 1 NX EXAT <exp>`) and passes it to the service.
 */

export interface ReplayStore {
  /**
   * Records `key` until `expiresAtSeconds` (epoch seconds). Resolves true when it was not seen
   * before (the token may be used), false for a replay.
   */
  claim(key: string, expiresAtSeconds: number): boolean | Promise<boolean>;
}

/** Bounded in-memory store; refuses (fails closed) when full of unexpired entries. */
export class MemoryReplayStore implements ReplayStore {
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

export class ReplayStoreFullError extends Error {
  constructor() {
    super('too many tokens in flight: try again shortly');
  }
}
