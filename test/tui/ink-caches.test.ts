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
import { describe, expect, it } from 'vitest';
import measureText from '../../node_modules/ink/build/measure-text.js';
import Output from '../../node_modules/ink/build/output.js';

const build = path.dirname(fileURLToPath(import.meta.resolve('ink')));
const MAX_TEXTS = 4096;

describe("Ink's text caches", () => {
  it('are the patched ones', () => {
    for (const file of ['measure-text.js', 'output.js']) {
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
});
