/**
 * Newline-delimited text read from a byte stream (a socket, a file), holding at most a bounded
 * unfinished line: node:readline buffers a line without a newline for ever, so one peer or one
 * damaged file could make a reader hold gigabytes.
 *
 * Imports nothing, so the protocol's framing may use it too (.dependency-cruiser.cjs).
 */

/** A size in MiB, for the messages that name a limit: `1 MiB`. */
export function mebibytes(bytes: number): string {
  return `${bytes / (1024 * 1024)} MiB`;
}

export class LineSplitter {
  /** The unfinished line, in the pieces it came in. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private overflowed = false;

  /** `maxBytes`: the longest line accepted, without its line ending. */
  constructor(readonly maxBytes: number) {}

  /** A line passed `maxBytes` before its newline came: nothing more can be read from the stream. */
  get tooLong(): boolean {
    return this.overflowed;
  }

  /**
   * The lines this chunk completes (without `\n` or `\r\n`). Splitting bytes rather than text keeps
   * every character whole: UTF-8 never uses the newline byte inside a multi-byte character, so a
   * character split across chunks is joined before it is decoded.
   */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    while (!this.overflowed) {
      const newline = chunk.indexOf(0x0a, start);
      const piece = chunk.subarray(start, newline === -1 ? chunk.length : newline);
      if (this.pendingBytes + piece.length > this.maxBytes) {
        this.overflowed = true;
        this.pending = [];
        break;
      }
      if (newline === -1) {
        if (piece.length > 0) this.pending.push(piece);
        this.pendingBytes += piece.length;
        break;
      }
      lines.push(this.take(piece));
      start = newline + 1;
    }
    return lines;
  }

  /** The last line, when the stream ended without a newline after it. */
  end(): string | undefined {
    return this.pendingBytes > 0 && !this.overflowed ? this.take(Buffer.alloc(0)) : undefined;
  }

  private take(last: Buffer): string {
    const bytes = this.pending.length > 0 ? Buffer.concat([...this.pending, last]) : last;
    this.pending = [];
    this.pendingBytes = 0;
    const line = bytes.toString('utf8');
    return line.endsWith('\r') ? line.slice(0, -1) : line;
  }
}
