// @vitest-environment node
/**
 * "Narrowest read access" (docs/smart-registration.md): the shipped smart-config.json example
 * and the registration notes ask for the per-resource scopes the app uses, never a wildcard.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildScopes, parseScopes } from '../../src/fhir/scopes';

const ROOT = join(import.meta.dirname, '..', '..');

describe('the scopes the shipped configuration and the docs ask for', () => {
  it('every scopes entry in public/smart-config.json is the app\'s own narrowest list, with no wildcard', () => {
    const config = JSON.parse(readFileSync(join(ROOT, 'public', 'smart-config.json'), 'utf8')) as { issuers?: Record<string, { scopes?: string | string[] }> };
    const narrowest = parseScopes(buildScopes('ehr', 'v1')).sort();
    for (const [iss, entry] of Object.entries(config.issuers ?? {})) {
      if (iss.startsWith('$') || entry.scopes === undefined) continue;
      const scopes = Array.isArray(entry.scopes) ? entry.scopes : parseScopes(entry.scopes);
      expect(scopes.filter((s) => s.includes('*')), iss).toEqual([]);
      expect([...scopes].sort(), iss).toEqual(narrowest);
    }
  });

  it('the registration notes list exactly the scopes the app computes, v1 and v2', () => {
    const docs = readFileSync(join(ROOT, 'docs', 'smart-registration.md'), 'utf8');
    for (const version of ['v1', 'v2'] as const) {
      for (const scope of parseScopes(buildScopes('ehr', version, { onlineAccess: true }))) expect(docs, scope).toContain(scope);
    }
    // Wildcards appear only where the notes say not to ask for them.
    for (const line of docs.split('\n').filter((l) => /patient\/\*\./.test(l))) expect(line).toMatch(/not|never|instead of|wider/i);
  });
});
