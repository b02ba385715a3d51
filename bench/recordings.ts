import { readdirSync } from 'node:fs';
import path from 'node:path';
import { openAsciicast, type AsciicastEvent, type AsciicastHeader } from '../src/terminal/asciicast.ts';

export interface LoadedRecording {
  name: string;
  header: AsciicastHeader;
  events: AsciicastEvent[];
  outputBytes: number;
}

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

/** Every recording under fixtures/, loaded into memory so file I/O is not what gets measured. */
export async function loadRecordings(): Promise<LoadedRecording[]> {
  const files = readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.cast'))
    .sort();
  const out: LoadedRecording[] = [];
  for (const file of files) {
    const { header, events } = await openAsciicast(path.join(FIXTURES, file));
    const list: AsciicastEvent[] = [];
    for await (const event of events) list.push(event);
    const outputBytes = list.reduce((sum, e) => sum + (e.type === 'o' ? Buffer.byteLength(e.data) : 0), 0);
    out.push({ name: file.replace(/\.cast$/, ''), header, events: list, outputBytes });
  }
  return out;
}
