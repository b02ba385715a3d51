/**
 * Writing asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/) as it happens: a JSON
 * header line, then one `[seconds, code, data]` line per event. Reading, with its checks, is
 * asciicast.ts.
 */
import { createWriteStream, readdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { rm } from 'node:fs/promises';
import type { Clock } from './clock.ts';

/** The header fields drover writes (asciicast.ts checks every field a reader may meet). */
export interface RecordingHeader {
  width: number;
  height: number;
  timestamp?: number;
  command?: string;
  title?: string;
  env?: Record<string, string>;
}

/**
 * The most UTF-16 units of data one event line carries: written as JSON (at most six bytes a unit,
 * `\u001b`) a line stays within the reader's MAX_LINE_BYTES (asciicast.ts). Longer data (a whole screen's redraw when a
 * recording rotates) goes in several events at the same time, which replay the same.
 */
const MAX_EVENT_UNITS = 128 * 1024;

/**
 * Output is gathered this long and written together. A busy agent prints about ten times a second,
 * and a file write each (a thread-pool round trip) was about 40% of the PTY host's CPU with 20
 * working agents. Keys typed and resizes are written at once, with the output before them: a
 * restarted daemon settles a delivery from the keys a recording shows. The cost: a reader of the
 * growing file (`drover logs`) sees output up to this much late, and if the PTY host itself is
 * killed, this much of it is lost (its programs end with it). close() writes what is gathered.
 */
const GATHER_MS = 1000;

/** `data` in pieces of at most MAX_EVENT_UNITS, never between the two halves of a surrogate pair. */
function* pieces(data: string): Generator<string> {
  let start = 0;
  do {
    let end = Math.min(start + MAX_EVENT_UNITS, data.length);
    const lastUnit = data.charCodeAt(end - 1);
    if (end < data.length && lastUnit >= 0xd800 && lastUnit <= 0xdbff) end--;
    yield data.slice(start, end);
    start = end;
  } while (start < data.length);
}

/** Appends events to a recording as they happen; times come from the given clock. */
export class AsciicastWriter {
  private readonly out: WriteStream;
  private readonly startedAt: number;
  private readonly closed: Promise<void>;
  private gathering: NodeJS.Timeout | undefined;

  constructor(
    readonly file: string,
    header: RecordingHeader,
    private readonly clock: Clock,
  ) {
    this.out = createWriteStream(file, { encoding: 'utf8', mode: 0o600 });
    this.closed = new Promise((resolve, reject) => {
      this.out.once('finish', resolve);
      this.out.once('error', reject);
    });
    // A write that fails (disk full, folder gone) is reported by close(); until someone asks, it
    // must not count as an unhandled rejection, which would end the process.
    this.closed.catch(() => {});
    this.startedAt = clock.now();
    this.out.write(`${JSON.stringify({ version: 2, ...header })}\n`);
  }

  output(data: string): void {
    this.event('o', data);
  }

  input(data: string): void {
    this.event('i', data);
  }

  resize(cols: number, rows: number): void {
    this.event('r', `${cols}x${rows}`);
  }

  marker(label: string): void {
    this.event('m', label);
  }

  close(): Promise<void> {
    this.writeGathered();
    this.out.end();
    return this.closed;
  }

  /** Bytes written so far, or gathered to be (header included). */
  get size(): number {
    return this.out.bytesWritten + this.out.writableLength;
  }

  private event(code: string, data: string): void {
    for (const piece of pieces(data)) this.line(code, piece);
    if (code !== 'o') this.writeGathered();
  }

  private writeGathered(): void {
    clearTimeout(this.gathering);
    while (this.out.writableCorked) this.out.uncork();
  }

  private line(code: string, data: string): void {
    const seconds = Math.max(0, (this.clock.now() - this.startedAt) / 1000);
    if (code === 'o' && !this.out.writableCorked && !this.out.writableEnded) {
      this.out.cork();
      this.gathering = setTimeout(() => this.writeGathered(), GATHER_MS);
      this.gathering.unref();
    }
    this.out.write(`${JSON.stringify([Number(seconds.toFixed(6)), code, data])}\n`);
  }
}

/**
 * A recording that never grows without bound: past `maxBytes` it continues in a new file
 * (`x.cast` → `x.part2.cast` → …), each a complete asciicast that starts from the current
 * terminal size and screen (`restore` gives the bytes that redraw it), and only the newest
 * `keep` files are kept.
 */
export class RotatingAsciicast {
  private writer: AsciicastWriter;
  private part = 1;
  private readonly files: string[] = [];
  private closing: Promise<void> = Promise.resolve();

  constructor(
    readonly file: string,
    private header: RecordingHeader,
    private readonly clock: Clock,
    private readonly limits: { maxBytes: number; keep: number; restore?: () => string } = { maxBytes: 64 * 1024 * 1024, keep: 4 },
  ) {
    this.writer = new AsciicastWriter(file, header, clock);
    this.files.push(file);
  }

  /** The file being written now. */
  get current(): string {
    return this.writer.file;
  }

  output(data: string): void {
    this.writer.output(data);
    this.rotateIfFull();
  }

  input(data: string): void {
    this.writer.input(data);
    this.rotateIfFull();
  }

  resize(cols: number, rows: number): void {
    this.header = { ...this.header, width: cols, height: rows };
    this.writer.resize(cols, rows);
  }

  async close(): Promise<void> {
    await this.closing;
    await this.writer.close();
  }

  private rotateIfFull(): void {
    if (this.writer.size < this.limits.maxBytes) return;
    const previous = this.writer;
    this.part++;
    const next = partFile(this.file, this.part);
    this.writer = new AsciicastWriter(next, { ...this.header, timestamp: Math.floor(Date.now() / 1000) }, this.clock);
    const screen = this.limits.restore?.();
    if (screen) this.writer.output(screen);
    this.files.push(next);
    const dropped = this.files.splice(0, Math.max(0, this.files.length - this.limits.keep));
    this.closing = this.closing.then(async () => {
      await previous.close();
      await Promise.all(dropped.map((file) => rm(file, { force: true })));
    });
    this.closing.catch(() => {}); // reported by close(), like the writer's own failures
  }
}

/** Part `n` (2, 3, …) of a rotating recording: `x.cast` → `x.part<n>.cast`. */
function partFile(file: string, n: number): string {
  return file.replace(/(\.cast)?$/, `.part${n}.cast`);
}

/**
 * The newest file of the rotating recording that began at `file`: its highest part on disk, else
 * `file` itself (rotation deletes the oldest parts, the first one included).
 */
export function newestRecording(file: string): string {
  const first = path.basename(file).replace(/\.cast$/, '');
  let newest = 1;
  try {
    for (const name of readdirSync(path.dirname(file))) {
      const part = name.startsWith(`${first}.part`) ? /^\.part(\d+)\.cast$/.exec(name.slice(first.length)) : null;
      if (part) newest = Math.max(newest, Number(part[1]));
    }
  } catch {
    return file; // no folder: nothing to look for
  }
  return newest === 1 ? file : partFile(file, newest);
}
