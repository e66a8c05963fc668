/**
 * The README is the front door and docs/ holds the rest: every relative link in them (files,
 * images, and `#anchors` into a Markdown page) must lead somewhere, so a moved section or a
 * renamed file breaks the suite instead of a reader's path.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/sandbox/server';

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const counts = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const match = !fenced && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!match) continue;
    const slug = match[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const seen = counts.get(slug) ?? 0;
    counts.set(slug, seen + 1);
    anchors.add(seen === 0 ? slug : `${slug}-${seen}`);
  }
  return anchors;
}

/** Link targets of a Markdown text (inline links and images), outside code. */
export function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
}

const PAGES = ['README.md', ...readdirSync(join(REPO_ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

describe('documentation links', () => {
  it('finds the pages and their links (a parser that found nothing would pass anything)', () => {
    expect(PAGES).toEqual(expect.arrayContaining(['README.md', 'docs/deploy.md', 'docs/development.md', 'docs/clinical.md']));
    expect(linkTargets(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')).filter((t) => t.startsWith('docs/')).length).toBeGreaterThan(8);
    expect(headingAnchors('# A (b) `c`\n## Site settings (windows and thresholds)\n## A (b) c')).toEqual(new Set(['a-b-c', 'site-settings-windows-and-thresholds', 'a-b-c-1']));
  });

  for (const page of PAGES) {
    it(`every relative link in ${page} resolves`, () => {
      const text = readFileSync(join(REPO_ROOT, page), 'utf8');
      const broken: string[] = [];
      for (const target of linkTargets(text)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
        const [path, anchor] = target.split('#', 2) as [string, string | undefined];
        const file = path === '' ? join(REPO_ROOT, page) : resolve(dirname(join(REPO_ROOT, page)), decodeURIComponent(path));
        if (!relative(REPO_ROOT, file) || relative(REPO_ROOT, file).startsWith('..') || !existsSync(file)) {
          broken.push(`${target} (no such file)`);
          continue;
        }
        if (anchor && statSync(file).isFile() && file.endsWith('.md') && !headingAnchors(readFileSync(file, 'utf8')).has(anchor)) {
          broken.push(`${target} (no such heading)`);
        }
      }
      expect(broken).toEqual([]);
    });
  }
});
