/**
 * What a built page costs to start: the JavaScript its HTML loads before anything runs (entry
 * script + modulepreloads, i.e. the entry chunk and its static imports), and separately the
 * chunks that entry imports lazily. Sizes are gzip (node:zlib default level 6) as a server
 * would send them.
 */
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface ChunkSize {
  file: string;
  bytes: number;
  gzip: number;
}

export interface PageJs {
  initial: ChunkSize[];
  lazy: ChunkSize[];
}

const SCRIPT_SRC = /<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g;
const MODULEPRELOAD = /<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g;
/** `import("./engine-abc.js")` as Rollup/Rolldown emit it (possibly inside a preload helper). */
const DYNAMIC_IMPORT = /import\(\s*["'`](\.{1,2}\/[^"'`]+\.js)["'`]\s*\)/g;
/** `from"./x.js"` / `import"./x.js"`: a chunk's static imports, loaded together with it. */
const STATIC_IMPORT = /(?:\bfrom|\bimport)\s*["'`](\.{1,2}\/[^"'`]+\.js)["'`]/g;

async function sizeOf(root: string, file: string): Promise<ChunkSize> {
  const content = await readFile(join(root, file));
  return { file, bytes: content.byteLength, gzip: gzipSync(content).byteLength };
}

/** `/assets/x.js` with base `/naive/` -> `assets/x.js` relative to the build root. */
function toFile(url: string, base: string): string {
  const path = url.startsWith(base) ? url.slice(base.length) : url.replace(/^\//, '');
  return posix.normalize(path);
}

export async function measurePageJs(root: string, htmlFile: string, base = '/'): Promise<PageJs> {
  const html = await readFile(join(root, htmlFile), 'utf8');
  const initialFiles = new Set<string>();
  for (const pattern of [SCRIPT_SRC, MODULEPRELOAD]) {
    for (const match of html.matchAll(pattern)) initialFiles.add(toFile(match[1]!, base));
  }
  const initial = await Promise.all([...initialFiles].map((file) => sizeOf(root, file)));

  // Lazy: what the initial chunks import dynamically, plus those chunks' own static imports
  // that are not already loaded.
  const lazyFiles = new Set<string>();
  const queue: Array<{ file: string; pattern: RegExp }> = [...initialFiles].map((file) => ({ file, pattern: DYNAMIC_IMPORT }));
  for (let next = queue.shift(); next; next = queue.shift()) {
    const code = await readFile(join(root, next.file), 'utf8');
    for (const match of code.matchAll(next.pattern)) {
      const target = posix.normalize(posix.join(posix.dirname(next.file), match[1]!));
      if (initialFiles.has(target) || lazyFiles.has(target)) continue;
      lazyFiles.add(target);
      queue.push({ file: target, pattern: STATIC_IMPORT }, { file: target, pattern: DYNAMIC_IMPORT });
    }
  }
  const lazy = await Promise.all([...lazyFiles].map((file) => sizeOf(root, file)));
  return { initial, lazy };
}

export const total = (chunks: ChunkSize[], key: 'bytes' | 'gzip'): number => chunks.reduce((sum, c) => sum + c[key], 0);
