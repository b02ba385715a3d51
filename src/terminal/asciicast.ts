/**
 * asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/): a JSON header line, then one
 * `[seconds, code, data]` line per event. Written as it happens, read as a stream, validated line
 * by line so a damaged file is reported by line number instead of crashing whatever reads it.
 */
import { createReadStream } from 'node:fs';
import { z } from 'zod';
import { UserError } from '../errors.ts';
import { LineSplitter, mebibytes } from './lines.ts';
import { MAX_COLS, MAX_ROWS } from './size.ts';

export const asciicastHeaderSchema = z.looseObject({
  version: z.literal(2),
  width: z.number().int().positive().max(MAX_COLS, { error: `at most ${MAX_COLS} columns` }),
  height: z.number().int().positive().max(MAX_ROWS, { error: `at most ${MAX_ROWS} rows` }),
  timestamp: z.number().optional(),
  duration: z.number().optional(),
  command: z.string().optional(),
  title: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
});
export type AsciicastHeader = z.infer<typeof asciicastHeaderSchema>;

// The writing half has no schema to load (the PTY host records without zod).
export { AsciicastWriter, RotatingAsciicast } from './asciicast-writer.ts';

const eventSchema = z.tuple([z.number().nonnegative(), z.string().min(1), z.string()]);

export type AsciicastEvent =
  | { time: number; type: 'o' | 'i'; data: string }
  | { time: number; type: 'r'; cols: number; rows: number }
  | { time: number; type: 'm'; label: string };

export class AsciicastError extends UserError {}

/** The longest line read, header included; the writer keeps each of its lines well within it. */
export const MAX_LINE_BYTES = 1024 * 1024;

export interface OpenAsciicast {
  header: AsciicastHeader;
  events: AsyncIterable<AsciicastEvent>;
}

/** Opens a recording: the header is read and checked now, the events as they are iterated. */
export async function openAsciicast(file: string): Promise<OpenAsciicast> {
  const lines = readLines(file);
  const first = await lines.next();
  if (first.done) throw new AsciicastError(`${file}: empty file, not an asciicast recording`);
  try {
    return { header: parseLine(file, 1, first.value, asciicastHeaderSchema, 'header'), events: readEvents(file, lines) };
  } catch (error) {
    await lines.return(undefined); // closes the file
    throw error;
  }
}

/** The file's lines, each held whole only up to MAX_LINE_BYTES: a 50 MB line is refused, not read. */
async function* readLines(file: string): AsyncGenerator<string> {
  const splitter = new LineSplitter(MAX_LINE_BYTES);
  let lineNumber = 0;
  try {
    for await (const chunk of createReadStream(file)) {
      for (const line of splitter.push(chunk as Buffer)) {
        lineNumber++;
        yield line;
      }
      if (splitter.tooLong) {
        throw new AsciicastError(`${file}:${lineNumber + 1}: line longer than ${mebibytes(MAX_LINE_BYTES)} (not an asciicast recording?)`);
      }
    }
  } catch (error) {
    if (error instanceof AsciicastError) throw error;
    throw new AsciicastError(`${file}: cannot read: ${(error as Error).message}`);
  }
  const last = splitter.end();
  if (last !== undefined) yield last;
}

/** `lines` goes on after the header; stopping early closes the file. */
async function* readEvents(file: string, lines: AsyncGenerator<string>): AsyncGenerator<AsciicastEvent> {
  let lineNumber = 1;
  let lastTime = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    const [time, code, data] = parseLine(file, lineNumber, line, eventSchema, 'event');
    if (time < lastTime) {
      throw new AsciicastError(`${file}:${lineNumber}: event time ${time} goes back before ${lastTime}`);
    }
    lastTime = time;
    const event = toEvent(file, lineNumber, time, code, data);
    if (event) yield event;
  }
}

function toEvent(file: string, line: number, time: number, code: string, data: string): AsciicastEvent | undefined {
  switch (code) {
    case 'o':
    case 'i':
      return { time, type: code, data };
    case 'r': {
      const match = /^(\d+)x(\d+)$/.exec(data);
      if (!match) throw new AsciicastError(`${file}:${line}: resize event "${data}" is not COLSxROWS`);
      const [cols, rows] = [Number(match[1]), Number(match[2])];
      if (cols > MAX_COLS || rows > MAX_ROWS) {
        throw new AsciicastError(`${file}:${line}: resize event "${data}" is larger than ${MAX_COLS}x${MAX_ROWS}`);
      }
      return { time, type: 'r', cols, rows };
    }
    case 'm':
      return { time, type: 'm', label: data };
    default:
      return undefined; // The format allows codes it does not define yet; they carry nothing for a screen.
  }
}

function parseLine<T>(file: string, line: number, text: string, schema: z.ZodType<T>, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AsciicastError(`${file}:${line}: ${what} is not valid JSON (truncated or damaged recording?)`);
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length ? ` at ${issue.path.join('.')}` : '';
    throw new AsciicastError(`${file}:${line}: invalid ${what}${where}: ${issue?.message ?? 'bad shape'}`);
  }
  return result.data;
}

/**
 * Everything typed into a recording ('i' events, concatenated). A recording cut short by a crash
 * (a half-written last line) gives what was written before the damage.
 */
export async function recordedInput(file: string): Promise<string> {
  let input = '';
  try {
    const { events } = await openAsciicast(file);
    for await (const event of events) if (event.type === 'i') input += event.data;
  } catch (error) {
    if (!(error instanceof AsciicastError)) throw error;
  }
  return input;
}
