/**
 * Ink's text caches as drover installs them (scripts/ink-caches.js, run by `npm install`): kept
 * across frames, so an unchanged row is not tokenized again each frame, and bounded, so a TUI that
 * runs for days does not grow with every distinct text it drew (Ink's own measure cache kept each
 * forever). The same measurements as before.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import widestLine from 'widest-line';
import { describe, expect, it, vi } from 'vitest';
import measureText from '../../node_modules/ink/build/measure-text.js';
import Output from '../../node_modules/ink/build/output.js';

const build = path.dirname(fileURLToPath(import.meta.resolve('ink')));
const MAX_TEXTS = 4096;

describe("Ink's text caches", () => {
  it('are the patched ones', () => {
    for (const file of ['measure-text.js', 'output.js', 'render-node-to-output.js']) {
      expect(readFileSync(path.join(build, file), 'utf8')).toContain('// drover: bounded, shared text caches (scripts/ink-caches.js)');
    }
  });

  it('measure as before', () => {
    for (const text of ['', 'a', 'agent-1  claude  ● working  12s', 'wide 漢字 and emoji 🚀', 'two\nlines, the second longer']) {
      expect(measureText(text)).toEqual(text ? { width: widestLine(text), height: text.split('\n').length } : { width: 0, height: 0 });
    }
  });

  it('are one for every frame, and hold at most a bounded number of texts', () => {
    type Caches = { styledChars: Map<string, unknown>; widths: Map<string, number> };
    const frame = (i: number) => {
      const output = new Output({ width: 40, height: 2 });
      output.write(0, 0, `agent-${i % 20}  working  ${i}s`, { transformers: [] });
      output.write(0, 1, 'a row that never changes', { transformers: [] });
      return { output, caches: (output as unknown as { caches: Caches }).caches };
    };
    const first = frame(0);
    expect(frame(1).caches).toBe(first.caches);
    for (let i = 0; i < MAX_TEXTS + 500; i++) {
      const { output } = frame(i);
      if (i % 500 === 0) expect(output.get().output).toBe(`agent-${i % 20}  working  ${i}s\na row that never changes`);
      else output.get();
    }
    expect(first.caches.styledChars.size).toBeLessThanOrEqual(MAX_TEXTS);
    expect(first.caches.widths.size).toBeLessThanOrEqual(MAX_TEXTS);
  });

  it('build each row once for the frames that write it the same, and each the same as Ink built it', () => {
    const frame = (writes: [number, number, string][], clip?: { x1: number; x2: number }) => {
      const output = new Output({ width: 12, height: 3 });
      if (clip) output.clip({ ...clip, y1: undefined, y2: undefined } as never);
      for (const [x, y, text] of writes) output.write(x, y, text, { transformers: [] });
      if (clip) output.unclip();
      return output.get();
    };
    const overlapping: [number, number, string][] = [[0, 0, 'hello world'], [6, 0, 'there'], [2, 2, '漢字x']];
    expect(frame(overlapping)).toEqual({ output: 'hello there\n\n  漢字x', height: 3 });
    const built = vi.spyOn(Output.prototype as unknown as { buildRow: () => string }, 'buildRow');
    expect(frame(overlapping)).toEqual({ output: 'hello there\n\n  漢字x', height: 3 });
    expect(built).not.toHaveBeenCalled();
    built.mockRestore();
    expect(frame([[0, 0, 'hello world'], [6, 0, 'drover'], [2, 2, '漢字x']]).output).toBe('hello drover\n\n  漢字x');
    expect(frame([[1, 1, 'abcdef']], { x1: 0, x2: 4 }).output).toBe('\n abc\n');
    expect(frame([[0, 0, '\u001b[31mred\u001b[39m plain']]).output).toBe('\u001b[31mred\u001b[39m plain\n\n');
    // Past the width, as Ink: the row grows.
    expect(frame([[8, 0, 'overflow']]).output).toBe('        overflow\n\n');
  });
});
