// @vitest-environment node
/**
 * jsdom does no layout, so the narrow-sidebar and CSP promises are checked in the source:
 * nothing wider than the narrowest EHR sidebar, long strings wrap, no inline script.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const css = readFileSync(resolve(root, 'src/ui/sidebar.css'), 'utf8');
const indexHtml = readFileSync(resolve(root, 'index.html'), 'utf8');
const NARROWEST_SIDEBAR_PX = 320;

function declarations(property: RegExp): string[] {
  const found: string[] = [];
  for (const match of css.matchAll(/([a-z-]+)\s*:\s*([^;{}]+);/g)) {
    if (property.test(match[1]!)) found.push(match[2]!.trim());
  }
  return found;
}

function toPx(value: string): number | undefined {
  const match = /^(-?\d*\.?\d+)(px|rem|em)$/.exec(value);
  if (!match) return undefined;
  return Number(match[1]) * (match[2] === 'px' ? 1 : 16);
}

describe('narrow sidebar layout (320 px)', () => {
  it('sets no width or minimum width wider than the narrowest sidebar', () => {
    for (const value of declarations(/^(width|min-width|flex-basis)$/)) {
      const px = toPx(value);
      if (px !== undefined) expect(px, value).toBeLessThanOrEqual(NARROWEST_SIDEBAR_PX);
    }
  });

  it('wraps long record strings instead of scrolling sideways', () => {
    expect(css).toMatch(/\.sidebar\s*{[^}]*overflow-wrap:\s*anywhere/);
    // nowrap is only allowed on the visually hidden helper (1 px wide).
    const nowrapRules = [...css.matchAll(/([^{}]+){[^}]*white-space:\s*nowrap/g)].map((m) => m[1]!.trim());
    expect(nowrapRules).toEqual(['.visually-hidden']);
  });

  it('uses no fixed table or grid tracks that could force a wider layout', () => {
    expect(css).not.toMatch(/grid-template-columns\s*:[^;]*\d+px/);
    expect(css).not.toMatch(/display:\s*table/);
  });

  it('prints on A4 without evidence panels, buttons or the therapy selector (issue 8: one page, no ids)', () => {
    const print = css.slice(css.indexOf('@media print'));
    expect(print).toMatch(/size:\s*A4/);
    expect(print).toMatch(/\.evidence__panel\s*{\s*display:\s*none !important/);
    expect(print).toMatch(/button,[^{]*select,[^{]*{\s*display:\s*none !important/);
  });

  it('loads no external font', () => {
    expect(css).not.toMatch(/@import|@font-face|url\(/);
  });
});

describe('index.html', () => {
  it('has no inline script (the content security policy forbids it)', () => {
    const scripts = [...indexHtml.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc=/);
      expect(body!.trim()).toBe('');
    }
    expect(indexHtml).not.toMatch(/\son[a-z]+=/i);
    expect(indexHtml).not.toMatch(/\sstyle=/i);
  });

  it('declares the language and a mobile viewport', () => {
    expect(indexHtml).toMatch(/<html lang="en">/);
    expect(indexHtml).toMatch(/name="viewport" content="width=device-width, initial-scale=1"/);
  });
});
