/**
 * A progress line on stderr for long runs: silent for the first second, then at most once a
 * second on a terminal (rewriting one line) and every 5 s into a file or pipe.
 */
export class Progress {
  private readonly started = Date.now();
  private last = 0;
  private shown = false;

  constructor(
    private readonly stream: NodeJS.WriteStream | { write(text: string): boolean; isTTY?: boolean } = process.stderr,
    private readonly quietMs = 1000,
  ) {}

  update(text: string): void {
    const now = Date.now();
    if (now - this.started < this.quietMs) return;
    const tty = Boolean(this.stream.isTTY);
    if (now - this.last < (tty ? 1000 : 5000)) return;
    this.last = now;
    const line = `jak-readiness: ${text} (${((now - this.started) / 1000).toFixed(0)} s)`;
    this.stream.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
    this.shown = true;
  }

  /** Ends a rewritten terminal line before other output. */
  done(): void {
    if (this.shown && this.stream.isTTY) this.stream.write('\r\x1b[2K');
  }
}
