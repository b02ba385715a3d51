import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openAsciicast } from '../../src/terminal/asciicast.ts';

export const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');

/**
 * The command and arguments that run a recorded session as a stand-in for its CLI
 * (test/helpers/replaying-agent.ts), from any working directory.
 */
export function replayingAgent(recording: string, ...options: string[]): { command: string; args: string[] } {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { command: process.execPath, args: ['--import', tsx, path.resolve(import.meta.dirname, 'replaying-agent.ts'), recording, ...options] };
}

/** The program output of a recording up to `until` seconds, concatenated, with its size. */
export async function outputUntil(file: string, until = Number.POSITIVE_INFINITY) {
  const { header, events } = await openAsciicast(file);
  let output = '';
  let duration = 0;
  for await (const event of events) {
    if (event.time > until) break;
    if (event.type === 'r') throw new Error(`${file}: has resize events; a fixed-size comparison cannot use it`);
    if (event.type === 'o') output += event.data;
    duration = event.time;
  }
  return { cols: header.width, rows: header.height, output, duration };
}

export function writeTemp(dir: string, name: string, data: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, data);
  return file;
}

/** Seconds into the recording of the first output event containing `text`. */
export async function timeOfOutput(file: string, text: string): Promise<number> {
  const { events } = await openAsciicast(file);
  for await (const event of events) if (event.type === 'o' && event.data.includes(text)) return event.time;
  throw new Error(`${file}: no output contains ${JSON.stringify(text)}`);
}
