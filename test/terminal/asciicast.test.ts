import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AsciicastError, AsciicastWriter, MAX_LINE_BYTES, openAsciicast, type AsciicastEvent } from '../../src/terminal/asciicast.ts';
import { VirtualClock } from '../../src/terminal/clock.ts';
import { until } from '../helpers/until.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'drover-cast-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(file: string): Promise<AsciicastEvent[]> {
  const { events } = await openAsciicast(file);
  const out: AsciicastEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

function castFile(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, lines.join('\n'));
  return file;
}

const header = '{"version":2,"width":80,"height":24}';

describe('asciicast v2', () => {
  it('writes header and o/i/r/m events that read back the same', async () => {
    const clock = new VirtualClock(1000);
    const file = path.join(dir, 'round.cast');
    const writer = new AsciicastWriter(file, { width: 80, height: 24, command: 'bash' }, clock);
    writer.output('hello\r\n');
    clock.advanceTo(1500);
    writer.input('q');
    writer.resize(100, 30);
    clock.advanceTo(2250);
    writer.marker('turn done');
    await writer.close();

    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(JSON.parse(lines[0]!)).toEqual({ version: 2, width: 80, height: 24, command: 'bash' });
    expect(JSON.parse(lines[2]!)).toEqual([0.5, 'i', 'q']);
    const { header: read } = await openAsciicast(file);
    expect(read).toMatchObject({ version: 2, width: 80, height: 24 });
    expect(await readAll(file)).toEqual([
      { time: 0, type: 'o', data: 'hello\r\n' },
      { time: 0.5, type: 'i', data: 'q' },
      { time: 0.5, type: 'r', cols: 100, rows: 30 },
      { time: 1.25, type: 'm', label: 'turn done' },
    ]);
  });

  it('skips event codes it does not know and blank lines', async () => {
    const file = castFile('unknown-code.cast', [header, '[0.1,"x","future"]', '', '[0.2,"o","a"]']);
    expect(await readAll(file)).toEqual([{ time: 0.2, type: 'o', data: 'a' }]);
  });

  const bad: Array<[string, string[], RegExp]> = [
    ['empty', [], /empty file/],
    ['not-json-header', ['hello'], /:1: header is not valid JSON/],
    ['v1', ['{"version":1,"width":80,"height":24}'], /:1: invalid header at version/],
    ['truncated', [header, '[0.1,"o","a"]', '[0.2,"o","tru'], /:3: event is not valid JSON \(truncated/],
    ['bad-shape', [header, '[0.1,"o"]'], /:2: invalid event/],
    ['backwards', [header, '[0.5,"o","a"]', '[0.1,"o","b"]'], /:3: event time 0.1 goes back before 0.5/],
    ['bad-resize', [header, '[0.5,"r","wide"]'], /:2: resize event "wide" is not COLSxROWS/],
  ];
  for (const [name, lines, message] of bad) {
    it(`names the line of a ${name} file in a one-line error`, async () => {
      const file = castFile(`${name}.cast`, lines);
      const error = await readAll(file).then(() => undefined, (e: Error) => e);
      expect(error?.message).toMatch(message);
      expect(error?.message).not.toContain('\n');
    });
  }

  it('refuses a line longer than 1 MiB in one line naming it, header or event, without reading on', async () => {
    const long = 'x'.repeat(2 * MAX_LINE_BYTES);
    const longEvent = castFile('long-event.cast', [header, '[0.1,"o","a"]', `[0.2,"o","${long}"]`, '[0.3,"o","b"]']);
    const seen: AsciicastEvent[] = [];
    const error = await (async () => {
      for await (const event of (await openAsciicast(longEvent)).events) seen.push(event);
    })().then(() => undefined, (e: unknown) => e);
    expect(seen).toEqual([{ time: 0.1, type: 'o', data: 'a' }]);
    expect(error).toBeInstanceOf(AsciicastError);
    expect((error as Error).message).toBe(`${longEvent}:3: line longer than 1 MiB (not an asciicast recording?)`);

    const longHeader = castFile('long-header.cast', [`{"version":2,"width":80,"height":24,"title":"${long}"}`]);
    await expect(openAsciicast(longHeader)).rejects.toThrow(`${longHeader}:1: line longer than 1 MiB (not an asciicast recording?)`);
  });

  it('writes output longer than a line may hold as several events, each line within the limit', async () => {
    const file = path.join(dir, 'long-output.cast');
    const writer = new AsciicastWriter(file, { width: 80, height: 24 }, new VirtualClock(0));
    // A control character takes six bytes in JSON (\u0001); an emoji is two UTF-16 units, never to be parted.
    const data = '\u0001'.repeat(MAX_LINE_BYTES / 4 + 1) + '😀'.repeat(MAX_LINE_BYTES / 4);
    writer.output(data);
    await writer.close();
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_LINE_BYTES);
    const pieces = (await readAll(file)).map((event) => (event.type === 'o' ? event.data : ''));
    expect(pieces.join('')).toBe(data);
    expect(pieces.filter((piece) => /[\ud800-\udbff]$/.test(piece))).toEqual([]);
  });

  it('reports a missing file in one line', async () => {
    await expect(openAsciicast(path.join(dir, 'nope.cast'))).rejects.toThrow(/nope\.cast: cannot read: ENOENT/);
  });
  it('writes keys typed at once, with the output gathered before them (a restarted daemon settles deliveries from them)', async () => {
    const file = path.join(dir, 'keys.cast');
    const writer = new AsciicastWriter(file, { width: 80, height: 24 }, new VirtualClock(0));
    writer.output('$ ');
    writer.input('echo hi\r');
    const written = await until(() => {
      const text = existsSync(file) ? readFileSync(file, 'utf8') : ''; // the file opens asynchronously
      return text.includes('"i","echo hi\\r"') && text;
    }, 'the key line in the file');
    expect(written.indexOf('"o","$ "')).toBeGreaterThan(0);
    expect(written.indexOf('"o","$ "')).toBeLessThan(written.indexOf('"i",'));
    await writer.close();
  });
});

describe('rotating recordings', () => {
  it('continue in new files past the size limit, each replaying from the screen it starts on, keeping the newest', async () => {
    const { RotatingAsciicast } = await import('../../src/terminal/asciicast.ts');
    const { existsSync } = await import('node:fs');
    const { Screen } = await import('../../src/terminal/screen.ts');
    const { replayRecording } = await import('../../src/engine/replay.ts');
    const { genericProvider } = await import('../../src/providers/generic.ts');
    const clock = new VirtualClock(0);
    const screen = new Screen({ cols: 40, rows: 5 });
    const file = path.join(dir, 'rotating.cast');
    const recording = new RotatingAsciicast(file, { width: 40, height: 5 }, clock, { maxBytes: 1500, keep: 2, restore: () => screen.serialize() });
    for (let i = 0; i < 150; i++) { // about 6 KB: four files
      const data = `line ${i} ${'x'.repeat(20)}\r\n`;
      screen.write(data);
      await screen.flush();
      clock.advanceTo(i * 10);
      recording.output(data);
    }
    await recording.close();
    const last = recording.current;
    expect(last).toMatch(/rotating\.part\d+\.cast$/);
    expect(existsSync(file)).toBe(false); // only the newest two are kept
    const { newestRecording } = await import('../../src/terminal/asciicast-writer.ts');
    expect(newestRecording(file)).toBe(last); // what drover logs names once the first file is gone
    expect(existsSync(last.replace(/part(\d+)/, (_, n) => `part${Number(n) - 1}`))).toBe(true);
    const replayed = await replayRecording(last, genericProvider.detect);
    expect(replayed.screen.lines()).toEqual(screen.lines());
    replayed.screen.dispose();
  });
});
