/**
 * Card and suggestion ids the service can recognise as its own: a UUID-shaped id whose first half
 * is random and whose second half is an HMAC of the first under a secret of this process. Feedback
 * is accepted only for such ids, without keeping a store of every card ever issued. A restart
 * makes a new secret, so feedback on cards from before it is refused (the CDS client sends
 * feedback within minutes of the card); copies behind a load balancer share one by passing the
 * same `secret` (`CDS_HOOKS_CARD_ID_SECRET` or `cardIdSecretFile`, card-id-secret.ts).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export class CardIds {
  // A true private field: not in JSON.stringify, util.inspect or a logged config object.
  readonly #secret: Buffer;

  constructor(secret?: Buffer | string) {
    this.#secret = secret === undefined ? randomBytes(32) : Buffer.from(secret);
  }

  /** A fresh id, in the UUID v4 form CDS clients expect. */
  issue(): string {
    const bytes = Buffer.alloc(16);
    randomBytes(8).copy(bytes, 0);
    bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
    this.mac(bytes.subarray(0, 8)).copy(bytes, 8);
    bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  /** True only for an id `issue` made under this secret. */
  issued(id: string): boolean {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)) return false;
    const bytes = Buffer.from(id.replace(/-/g, ''), 'hex');
    const expected = this.mac(bytes.subarray(0, 8));
    expected[0] = (expected[0]! & 0x3f) | 0x80;
    return timingSafeEqual(expected, bytes.subarray(8, 16));
  }

  private mac(data: Buffer): Buffer {
    return createHmac('sha256', this.#secret).update(data).digest().subarray(0, 8);
  }
}
