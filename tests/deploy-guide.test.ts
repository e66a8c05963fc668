/**
 * The deploy guide's "who to call" table quotes what the sidebar says (docs/deploy.md): each
 * quoted message must still be one the app shows, so a reworded screen cannot leave the guide
 * sending people after a message nobody sees.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/sandbox/server';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(name) ? [readFileSync(path, 'utf8')] : [];
  });
}

describe('the deploy guide', () => {
  const guide = readFileSync(join(REPO_ROOT, 'docs', 'deploy.md'), 'utf8');
  const table = guide.slice(guide.indexOf('| the sidebar says |'), guide.indexOf('## The static app behind nginx'));
  const quoted = table
    .split('\n')
    .slice(2)
    .map((row) => row.split('|')[1] ?? '')
    .flatMap((cell) => [...cell.matchAll(/"([^"]+)"/g)].map((m) => m[1]!.replace(/\s*…$/, '')));

  it('quotes only messages the app shows', () => {
    expect(quoted.length).toBeGreaterThanOrEqual(9);
    const code = [...sources(join(REPO_ROOT, 'src', 'ui')), ...sources(join(REPO_ROOT, 'src', 'fhir')), ...sources(join(REPO_ROOT, 'launch'))].join('\n').replace(/[’']/g, "'");
    expect(quoted.filter((message) => !code.includes(message.replace(/[’']/g, "'")))).toEqual([]);
  });
});
