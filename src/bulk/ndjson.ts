/**
 * Reading NDJSON files line by line with Node streams, plain or gzip (by the `.gz` name or by
 * the gzip magic bytes, since servers do not always name compressed files). Memory stays flat
 * whatever the file size: one chunk and the current line at a time. A line longer than
 * `maxLineBytes` is reported and skipped rather than buffered without end.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export const MAX_LINE_BYTES = 32 * 1024 * 1024;

export interface LineHandler {
  /** A non-blank line, without its line break; `lineNo` counts from 1 and includes blank lines. */
  line(text: string, lineNo: number): void | Promise<void>;
  /** A line that was too long to keep. */
  tooLong?(lineNo: number, bytes: number): void;
}

async function isGzip(path: string): Promise<boolean> {
  if (/\.gz$/i.test(path)) return true;
  const handle = await open(path, 'r');
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** Opens the file as a stream of text, decompressing gzip. */
export async function openText(path: string): Promise<Readable> {
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  if (!(await isGzip(path))) {
    file.setEncoding('utf8');
    return file;
  }
  const gunzip = createGunzip();
  file.on('error', (error) => gunzip.destroy(error));
  file.pipe(gunzip);
  gunzip.setEncoding('utf8');
  return gunzip;
}

/**
 * Calls `handler.line` for every non-blank line. Resolves with the number of lines read;
 * rejects when the file cannot be read to its end (a truncated gzip, a read error), after
 * handing over every complete line before the fault.
 */
export async function readLines(path: string, handler: LineHandler, maxLineBytes = MAX_LINE_BYTES): Promise<number> {
  const stream = await openText(path);
  let lineNo = 0;
  let pending = '';
  let skipping = false; // inside an over-long line: drop text until its end
  let skippedBytes = 0;
  // Synchronous handlers (the usual case) cost no promise per line.
  const emit = (text: string): void | Promise<void> => {
    lineNo += 1;
    const line = lineNo === 1 ? text.replace(/^\uFEFF/, '') : text;
    const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (/\S/.test(trimmed)) return handler.line(trimmed, lineNo);
  };
  for await (const chunk of stream as AsyncIterable<string>) {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', start)) {
      if (skipping) {
        lineNo += 1;
        handler.tooLong?.(lineNo, skippedBytes + nl - start);
        skipping = false;
        skippedBytes = 0;
      } else {
        const piece = chunk.slice(start, nl);
        const line = pending ? pending + piece : piece;
        pending = '';
        const result = emit(line);
        if (result) await result;
      }
      start = nl + 1;
    }
    const rest = chunk.slice(start);
    if (skipping) skippedBytes += rest.length;
    else if (pending.length + rest.length > maxLineBytes) {
      skipping = true;
      skippedBytes = pending.length + rest.length;
      pending = '';
    } else pending += rest;
  }
  if (skipping) {
    lineNo += 1;
    handler.tooLong?.(lineNo, skippedBytes);
  } else if (pending) await emit(pending);
  return lineNo;
}
