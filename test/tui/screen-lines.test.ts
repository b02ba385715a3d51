/** The preview's lines: styled runs as ANSI, cropped to the pane by columns, anchored at the cursor. */
import { describe, expect, it } from 'vitest';
import { previewLines, styledLine } from '../../src/tui/screen-lines.ts';
import { screen } from './fake-client.ts';

describe('styledLine', () => {
  it('writes palette, bright, 256 and true colours, and attributes, each run reset after', () => {
    const line = styledLine(
      [{ text: 'a', fg: 1 }, { text: 'b', fg: 9, bg: 4 }, { text: 'c', fg: 200 }, { text: 'd', bg: '#102030', underline: true }, { text: 'e' }],
      80,
      true,
    );
    expect(line).toBe('\x1b[31ma\x1b[0m\x1b[91;44mb\x1b[0m\x1b[38;5;200mc\x1b[0m\x1b[4;48;2;16;32;48md\x1b[0me');
  });

  it('drops colours, not attributes, without colour', () => {
    expect(styledLine([{ text: 'x', fg: 1, bold: true, inverse: true }, { text: 'y', bg: 2 }], 80, false)).toBe('\x1b[1;7mx\x1b[0my');
  });

  it('crops by columns: wide characters count two and are not split', () => {
    expect(styledLine([{ text: 'abc' }, { text: 'def', fg: 2 }], 4, true)).toBe('abc\x1b[32md\x1b[0m');
    expect(styledLine([{ text: '日本語' }], 5, true)).toBe('日本');
    expect(styledLine([{ text: 'a日本' }], 4, true)).toBe('a日');
  });
});

describe('previewLines', () => {
  it('shows the rows up to the cursor or the last written row, whichever is lower', () => {
    const lines = ['1', '2', '3', '4', '5', '', ''];
    expect(previewLines(screen(lines, { cursor: { x: 0, y: 1 } }), 10, 3, false)).toEqual(['3', '4', '5']);
    expect(previewLines(screen(lines, { cursor: { x: 0, y: 6 } }), 10, 3, false)).toEqual(['5', '', '']);
    expect(previewLines(screen(['only'], { cursor: { x: 0, y: 0 } }), 2, 5, false)).toEqual(['on']);
  });
});
