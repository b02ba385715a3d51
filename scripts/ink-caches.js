#!/usr/bin/env node
/**
 * Ink's text caches, kept across frames and bounded (run by `npm install`, as part of drover's
 * postinstall, before the build bundles Ink).
 *
 * Ink 6.8 measures and tokenizes every text it lays out. Its measure cache (build/measure-text.js)
 * keeps each distinct text forever, so a TUI that runs for days grows with every clock tick it
 * drew ("12s in working"); its output caches (build/output.js) are made anew for every frame, so
 * each frame tokenizes again every row that did not change — in drover's agent list that was most
 * of a frame's time. Here both are one cache for the process, holding at most MAX_TEXTS texts
 * each (the oldest go first). Idempotent; an Ink whose files are not the ones this knows is left
 * as it is, with a warning (test/tui/ink-caches.test.ts then fails).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MARKER = '// drover: bounded, shared text caches (scripts/ink-caches.js)';
const MAX_TEXTS = 4096;
const REMEMBER = `${MARKER}
const MAX_TEXTS = ${MAX_TEXTS};
function remember(cache, key, value) {
    if (cache.size >= MAX_TEXTS) cache.delete(cache.keys().next().value);
    cache.set(key, value);
}
`;

// Ink's entry is build/index.js (its package.json is not exported).
const build = path.dirname(fileURLToPath(import.meta.resolve('ink')));

/** Applies `edits` ([before, after] pairs, each found exactly once) to one of Ink's build files. */
function patch(file, edits) {
  const target = path.join(build, file);
  let text = readFileSync(target, 'utf8');
  if (text.includes(MARKER)) return;
  for (const [before, after] of edits) {
    if (text.split(before).length !== 2) {
      console.warn(`drover: ${target} is not the Ink 6.8 file this patch knows: its text caches are left as they are`);
      return;
    }
    text = text.replace(before, after);
  }
  writeFileSync(target, text);
}

patch('measure-text.js', [
  ["import widestLine from 'widest-line';\n", `import widestLine from 'widest-line';\n${REMEMBER}`],
  ['    cache.set(text, dimensions);', '    remember(cache, text, dimensions);'],
]);

patch('output.js', [
  ['class OutputCaches {', `${REMEMBER}class OutputCaches {`],
  ['            this.styledChars.set(line, cached);', '            remember(this.styledChars, line, cached);'],
  ['            this.widths.set(text, cached);', '            remember(this.widths, text, cached);'],
  ['            this.blockWidths.set(text, cached);', '            remember(this.blockWidths, text, cached);'],
  ['export default class Output {', 'const sharedCaches = new OutputCaches();\nexport default class Output {'],
  ['    caches = new OutputCaches();', '    caches = sharedCaches;'],
]);
