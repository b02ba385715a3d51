/** What reaches the terminal: only the rows of a frame that changed, at absolute positions. */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FrameWriter } from '../../src/tui/frame-writer.ts';

function terminal() {
  const written: string[] = [];
  const tty = Object.assign(new EventEmitter(), {
    columns: 80,
    rows: 3,
    write: (data: string, callback?: () => void) => (written.push(data), callback?.(), true),
  });
  return { tty, written, writer: new FrameWriter(tty as unknown as NodeJS.WriteStream) };
}

const CLEAR_TERMINAL = '\x1b[2J\x1b[3J\x1b[H';
/** Rows as written: with autowrap off, so nothing spills into the next row. */
const frame = (rows: string) => `\x1b[?7l${rows}\x1b[?7h`;

describe('FrameWriter', () => {
  it('draws the first frame on a cleared screen, then only the rows that changed', () => {
    const { writer, written } = terminal();
    writer.write('one\ntwo\nthree');
    writer.write(`${CLEAR_TERMINAL}one\nTWO\nthree`);
    writer.write(`${CLEAR_TERMINAL}one\nTWO\nthree`);
    expect(written).toEqual([
      frame('\x1b[H\x1b[2J\x1b[1;1H\x1b[0m\x1b[2Kone\x1b[2;1H\x1b[0m\x1b[2Ktwo\x1b[3;1H\x1b[0m\x1b[2Kthree'),
      frame('\x1b[2;1H\x1b[0m\x1b[2KTWO'),
    ]);
  });

  it('never writes below the last row: a frame made before a resize is cut to the terminal', () => {
    const { writer, written } = terminal();
    writer.write('1\n2\n3\n4\n5');
    expect(written).toEqual([frame('\x1b[H\x1b[2J\x1b[1;1H\x1b[0m\x1b[2K1\x1b[2;1H\x1b[0m\x1b[2K2\x1b[3;1H\x1b[0m\x1b[2K3')]);
  });

  it('clears rows a shorter frame leaves, passes modes on, and redraws everything after a resize', () => {
    const { tty, writer, written } = terminal();
    const resized: number[] = [];
    writer.on('resize', () => resized.push(writer.rows));
    writer.write('a\nb');
    writer.write('\x1b[?25l');
    writer.write(`${CLEAR_TERMINAL}a`);
    tty.rows = 2;
    tty.emit('resize');
    writer.write('\x1b[2K\x1b[1A\x1b[2K\x1b[G'); // Ink erasing its output
    writer.write(`${CLEAR_TERMINAL}a\nb`);
    expect(written.slice(1)).toEqual(['\x1b[?25l', frame('\x1b[2;1H\x1b[0m\x1b[2K'), frame('\x1b[H\x1b[2J\x1b[1;1H\x1b[0m\x1b[2Ka\x1b[2;1H\x1b[0m\x1b[2Kb')]);
    expect(resized).toEqual([2]);
    writer.close();
    tty.emit('resize');
    expect(resized).toEqual([2]);
  });

  it('paints an overlay over the frame, again where a frame rewrites a row, and gives Ink its rows back', () => {
    const { writer, written } = terminal();
    writer.write('list │ \nitem │ \nfoot');
    const paint = (y: number, text: string) => `\x1b[${y + 1};8H\x1b[0m\x1b[K${text}\x1b[0m`;
    writer.setOverlay({ top: 0, left: 7, rows: ['$ ls', 'a.txt'] });
    writer.setOverlay({ top: 0, left: 7, rows: ['$ ls', 'b.txt'] }); // one row changed: one row painted
    writer.write(`${CLEAR_TERMINAL}list │ \nITEM │ \nfoot`); // Ink rewrote row 2: the overlay goes back over it
    writer.setOverlay(undefined);
    expect(written.slice(1)).toEqual([
      frame(paint(0, '$ ls') + paint(1, 'a.txt')),
      frame(paint(1, 'b.txt')),
      frame(`\x1b[2;1H\x1b[0m\x1b[2KITEM │ ${paint(1, 'b.txt')}`),
      frame('\x1b[1;1H\x1b[0m\x1b[2Klist │ \x1b[2;1H\x1b[0m\x1b[2KITEM │ '),
    ]);
  });
});
