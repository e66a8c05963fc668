/**
 * Reading NDJSON files line by line with Node streams, plain or gzip (by the `.gz` name or by
 * the gzip magic bytes, since servers do not always name compressed files). Memory stays flat
 * whatever the file size: one chunk and the current line at a time. A line longer than
 * `maxLineBytes` is reported and skipped rather than buffered without end.
 *
 * Lines are split on the newline byte before decoding (UTF-8 never uses that byte inside a
 * character), which also lets a plain file be read in byte ranges by several threads: a range
 * owns the lines that start inside it.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export const MAX_LINE_BYTES = 32 * 1024 * 1024;
const NEWLINE = 0x0a;

export interface LineHandler {
  /** A non-blank line, without its line break; `lineNo` counts from 1 (of the range) and includes blank lines. */
  line(text: string, lineNo: number): void | Promise<void>;
  /** A line that was too long to keep. */
  tooLong?(lineNo: number, bytes: number): void;
}

export interface LineRange {
  /** First byte of the range; the line it falls in belongs to the previous range unless it starts there. */
  start: number;
  /** The range owns the lines that start before this byte. */
  end: number;
}

export async function isGzip(path: string): Promise<boolean> {
  if (/\.gz$/i.test(path)) return true;
  const handle = await open(path, 'r');
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

async function openBytes(path: string, from: number): Promise<Readable> {
  const file = createReadStream(path, { highWaterMark: 1 << 20, start: from });
  if (from > 0 || !(await isGzip(path))) return file;
  const gunzip = createGunzip();
  file.on('error', (error) => gunzip.destroy(error));
  return file.pipe(gunzip);
}

/**
 * Calls `handler.line` for every non-blank line (of the range, when given: plain files only).
 * Resolves with the number of lines; rejects when the file cannot be read to its end (a
 * truncated gzip, a read error), after handing over every complete line before the fault.
 */
export async function readLines(path: string, handler: LineHandler, options: { maxLineBytes?: number; range?: LineRange } = {}): Promise<number> {
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  const range = options.range;
  // Start one byte early: if that byte is a newline, the range's first line starts exactly at `start`.
  const from = range && range.start > 0 ? range.start - 1 : 0;
  const stream = await openBytes(path, from);
  let position = from; // file offset of the next byte of `pending`/chunk
  let skipFirst = Boolean(range && range.start > 0); // drop the tail of the line that started in the previous range
  let lineNo = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lineStart = from;
  let skipping = false;
  let skippedBytes = 0;
  let ended = false;

  const emit = (bytes: Buffer | Buffer[]): void | Promise<void> => {
    lineNo += 1;
    let buffer = Array.isArray(bytes) ? Buffer.concat(bytes) : bytes;
    let end = buffer.length;
    if (end > 0 && buffer[end - 1] === 0x0d) end -= 1;
    let start = 0;
    if (lineNo === 1 && lineStart === 0 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) start = 3;
    if (start >= end) return;
    const text = buffer.toString('utf8', start, end);
    if (/\S/.test(text)) return handler.line(text, lineNo);
  };

  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let offset = 0;
      while (offset < chunk.length && !ended) {
        if (range && !skipFirst && !skipping && pendingBytes === 0 && position + offset >= range.end) {
          ended = true;
          break;
        }
        const nl = chunk.indexOf(NEWLINE, offset);
        const stop = nl === -1 ? chunk.length : nl;
        if (skipFirst) {
          if (nl !== -1) {
            skipFirst = false;
            lineStart = position + nl + 1;
          }
        } else if (skipping) {
          skippedBytes += stop - offset;
          if (nl !== -1) {
            lineNo += 1;
            handler.tooLong?.(lineNo, skippedBytes);
            skipping = false;
            skippedBytes = 0;
            lineStart = position + nl + 1;
          }
        } else if (nl === -1) {
          pending.push(chunk.subarray(offset));
          pendingBytes += chunk.length - offset;
          if (pendingBytes > maxLineBytes) {
            skipping = true;
            skippedBytes = pendingBytes;
            pending = [];
            pendingBytes = 0;
          }
        } else if (pendingBytes + nl - offset > maxLineBytes) {
          lineNo += 1;
          handler.tooLong?.(lineNo, pendingBytes + nl - offset);
          pending = [];
          pendingBytes = 0;
          lineStart = position + nl + 1;
        } else {
          const piece = chunk.subarray(offset, nl);
          const result = emit(pendingBytes ? [...pending, piece] : piece);
          pending = [];
          pendingBytes = 0;
          lineStart = position + nl + 1;
          if (result) await result;
        }
        offset = stop + 1;
      }
      position += chunk.length;
      if (ended) break;
    }
  } finally {
    stream.destroy();
  }
  if (!ended && !skipFirst) {
    if (skipping) {
      lineNo += 1;
      handler.tooLong?.(lineNo, skippedBytes);
    } else if (pendingBytes) {
      const result = emit(pending);
      if (result) await result;
    }
  }
  return lineNo;
}
