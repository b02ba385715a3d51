/**
 * The TUI's bundle lays out text with a bounded cache (scripts/ink-measure-text.mjs in place of
 * Ink's build/measure-text.js, whose cache keeps every text forever): the same measurements, and a
 * TUI that runs for days does not grow with every distinct text it drew.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import inksOwn from '../../node_modules/ink/build/measure-text.js';
// @ts-expect-error: plain JavaScript, no types
import bounded, { cachedTexts, MAX_CACHED_TEXTS } from '../../scripts/ink-measure-text.mjs';

const measure = bounded as (text: string) => { width: number; height: number };

describe("the TUI's text measurement", () => {
  it("measures as Ink's own does", () => {
    for (const text of ['', 'a', 'agent-1  claude  ● working  12s', 'wide 漢字 and emoji 🚀', 'two\nlines, the second longer', '\u001b[1mbold\u001b[22m']) {
      expect(measure(text)).toEqual(inksOwn(text));
    }
  });

  it('keeps a bounded number of texts, however many it is shown', () => {
    for (let i = 0; i < 3 * MAX_CACHED_TEXTS; i++) measure(`agent-${i % 20}  working  ${i}s`);
    expect(cachedTexts()).toBe(MAX_CACHED_TEXTS);
    expect(measure('working  1s')).toEqual({ width: 11, height: 1 });
  });

  it('is the one in the built bundle', () => {
    const dist = path.resolve(import.meta.dirname, '../../dist/chunks');
    const bundled = readdirSync(dist)
      .filter((file) => file.endsWith('.js'))
      .map((file) => readFileSync(path.join(dist, file), 'utf8'))
      .filter((code) => code.includes('widestLine'));
    expect(bundled.join('\n')).toContain('cache.size >= MAX_CACHED_TEXTS');
  });
});
