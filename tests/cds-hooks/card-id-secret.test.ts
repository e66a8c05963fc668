/**
 * The card-id secret copies share (docs/cds-hooks.md, "Feedback ids"): how strong it must be,
 * where it is read from (CDS_HOOKS_CARD_ID_SECRET, or cardIdSecretFile next to the trust file),
 * and that two services given the same one accept each other's card ids. The running processes
 * are in replay-redis.test.ts and operations.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { cardIdSecretProblem } from '../../src/cds-hooks/card-id-secret';
import { CardIds } from '../../src/cds-hooks/card-ids';
import { loadTrustConfig, parseTrustConfig } from '../../src/cds-hooks/config';
import { cardIdsFromEnv } from '../../src/cds-hooks/env-config';
import { draftBundle, draftOrder, hookRequest, makeKey, ORDER_SIGN, post, sign, startService, TEST_ISS, type RunningService } from './helpers';

const bytes = (n: number) => randomBytes(n);

describe('how strong a card-id secret must be', () => {
  it.each([
    ['64 hex digits (openssl rand -hex 32)', bytes(32).toString('hex'), true],
    ['63 hex digits', bytes(32).toString('hex').slice(1), false],
    ['base64 of 32 bytes (openssl rand -base64 32)', bytes(32).toString('base64'), true],
    ['base64url of 32 bytes, unpadded', bytes(32).toString('base64url'), true],
    ['base64 of 31 bytes', bytes(31).toString('base64'), false],
    ['a word', 'changeme', false],
    ['a word repeated to length', 'changeme'.repeat(8), false],
    ['one character repeated', '0'.repeat(128), false],
  ])('%s: %s', (_what, secret, usable) => {
    expect(cardIdSecretProblem(secret) === undefined).toBe(usable);
  });

  it('CDS_HOOKS_CARD_ID_SECRET: unset is the per-copy default, a weak one names the variable and not the value', () => {
    expect(cardIdsFromEnv({})).toBeUndefined();
    expect(cardIdsFromEnv({ CDS_HOOKS_CARD_ID_SECRET: '  ' })).toBeUndefined();
    expect(() => cardIdsFromEnv({ CDS_HOOKS_CARD_ID_SECRET: 'hunter2-hunter2' })).toThrow(/^CDS_HOOKS_CARD_ID_SECRET is too short \(about 11 bytes of entropy\); at least 32 random bytes are needed: 64 hex digits or 44 base64 characters/);
    expect(() => cardIdsFromEnv({ CDS_HOOKS_CARD_ID_SECRET: 'hunter2-hunter2' })).not.toThrow(/hunter2/);
    const secret = bytes(32).toString('base64');
    expect(cardIdsFromEnv({ CDS_HOOKS_CARD_ID_SECRET: secret })!.issued(new CardIds(secret).issue())).toBe(true);
  });

  it('the secret does not show in a logged or serialised config', () => {
    const secret = bytes(32).toString('hex');
    const ids = new CardIds(secret);
    const hex = Buffer.from(secret).toString('hex');
    for (const shown of [JSON.stringify({ cardIds: ids }), inspect(ids, { showHidden: true, depth: 5 })]) {
      expect(shown).not.toContain(secret);
      expect(shown).not.toContain(hex);
    }
  });
});

describe('cardIdSecretFile in the trust file', () => {
  function trustDir(secretText: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'cds-card-secret-'));
    writeFileSync(join(dir, 'card-id-secret'), secretText);
    writeFileSync(join(dir, 'trust.json'), JSON.stringify({ issuers: [], cardIdSecretFile: 'card-id-secret' }));
    return dir;
  }

  it('is read relative to the trust file, the trailing newline ignored', () => {
    const secret = bytes(32).toString('base64');
    const config = loadTrustConfig(join(trustDir(`${secret}\n`), 'trust.json'));
    expect(config.cardIds!.issued(new CardIds(secret).issue())).toBe(true);
    expect(config.cardIds!.issued(new CardIds(bytes(32).toString('base64')).issue())).toBe(false);
  });

  it('refuses a missing or weak file with its path, without the value', () => {
    const dir = trustDir('tiny-secret');
    expect(() => loadTrustConfig(join(dir, 'trust.json'))).toThrow(new RegExp(`^cardIdSecretFile \\(${join(dir, 'card-id-secret')}\\) is too short`));
    expect(() => loadTrustConfig(join(dir, 'trust.json'))).not.toThrow(/tiny-secret/);
    expect(() => parseTrustConfig({ issuers: [], cardIdSecretFile: 'absent' }, { dir })).toThrow(/^cannot read cardIdSecretFile .*absent \(ENOENT\)/);
    expect(() => parseTrustConfig({ issuers: [], cardIdSecretFile: 42 })).toThrow(/cardIdSecretFile must be a file path/);
  });

  it('without it, each configuration signs with a secret of its own', () => {
    expect(parseTrustConfig({ issuers: [] }).cardIds).toBeUndefined();
  });
});

describe('two services with one cardIdSecretFile', () => {
  const running: RunningService[] = [];
  afterAll(() => Promise.all(running.map((s) => s.close())));

  it('feedback on a card one issued is accepted by the other; a service with another secret refuses it', async () => {
    const key = await makeKey();
    const file = join(mkdtempSync(join(tmpdir(), 'cds-card-secret-')), 'card-id-secret');
    writeFileSync(file, bytes(32).toString('hex'));
    running.push(await startService([key], { cardIdSecretFile: file }), await startService([key], { cardIdSecretFile: file }), await startService([key]));
    const [a, b, other] = running as [RunningService, RunningService, RunningService];
    const jwt = (service: RunningService, path: string) => sign(key, { iss: TEST_ISS, aud: service.url(path) });
    const prefetch = { patient: { resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1990-01-01' }, conditions: null, labResults: null, statusObservations: null, vitalSigns: null, medicationRequests: null, medicationStatements: null, immunizations: null };
    const answer = await post(a.url(ORDER_SIGN), hookRequest('order-sign', 'p1', { draftOrders: draftBundle(draftOrder('Rinvoq', 'p1')) }, { prefetch }), await jwt(a, ORDER_SIGN));
    const feedback = { feedback: [{ card: answer.body.cards[0].uuid, outcome: 'overridden', outcomeTimestamp: '2025-06-15T10:00:00Z' }] };
    const path = `${ORDER_SIGN}/feedback`;
    expect(await post(b.url(path), feedback, await jwt(b, path))).toMatchObject({ status: 200, body: { recorded: 1 } });
    expect(await post(other.url(path), feedback, await jwt(other, path))).toMatchObject({ status: 400, body: { error: 'unknown_card' } });
  });
});
