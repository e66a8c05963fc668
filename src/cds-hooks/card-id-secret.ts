/**
 * The card-id secret copies share (card-ids.ts): from `CDS_HOOKS_CARD_ID_SECRET` or the trust
 * file's `cardIdSecretFile`. Anyone who knows it can make ids this service takes as its own, so a
 * guessable one is refused at start. Strength is judged by the characters used: only hex digits
 * count 4 bits each, anything else 6 (base64), and 256 bits are needed — what
 * `openssl rand -hex 32` or `openssl rand -base64 32` gives. The value itself is never put in a
 * message or a log line.
 */

export const CARD_ID_SECRET_ENV = 'CDS_HOOKS_CARD_ID_SECRET';
export const MIN_CARD_ID_SECRET_BYTES = 32;

/** Why `secret` (already trimmed) cannot be used, or undefined when it can. */
export function cardIdSecretProblem(secret: string): string | undefined {
  const hexOnly = /^[0-9a-fA-F]+$/.test(secret);
  const bits = hexOnly ? secret.length * 4 : secret.replace(/=+$/, '').length * 6;
  const advice = `at least ${MIN_CARD_ID_SECRET_BYTES} random bytes are needed: 64 hex digits or 44 base64 characters, e.g. from \`openssl rand -base64 32\``;
  if (bits < MIN_CARD_ID_SECRET_BYTES * 8) return `is too short (about ${Math.floor(bits / 8)} bytes of entropy); ${advice}`;
  // A long run of one word ("changemechangeme…") is long enough but not random.
  if (new Set(secret).size < 8) return `is not random (fewer than 8 different characters); ${advice}`;
  return undefined;
}
