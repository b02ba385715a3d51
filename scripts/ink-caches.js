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
 * each (the oldest go first); each row Ink writes is built once for the frames that write it the
 * same (MAX_ROWS), and a text's width for wrapping comes from the measure cache. Idempotent; an Ink
 * whose files are not the ones this knows is left as it is, with a warning
 * (test/tui/ink-caches.test.ts then fails). Ink 8 is faster but needs Node 22; drover keeps Node 20.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MARKER = '// drover: bounded, shared text caches (scripts/ink-caches.js)';
const MAX_TEXTS = 4096;
// Rows built, at most: a few frames' worth (a row is up to a terminal's width of styled text).
const MAX_ROWS = 1024;
const REMEMBER = `${MARKER}
const MAX_TEXTS = ${MAX_TEXTS};
function remember(cache, key, value, max = MAX_TEXTS) {
    if (cache.size >= max) cache.delete(cache.keys().next().value);
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
  // Rows: each frame built a width × height grid of cell objects and turned every row back into a
  // string, cell by cell — most of a frame's time at 177×54, and most of its garbage. A row is now
  // keyed by what was written into it (after clipping and transformers), and one written as in an
  // earlier frame is not built again.
  [
    `        const output = [];
        for (let y = 0; y < this.height; y++) {
            const row = [];
            for (let x = 0; x < this.width; x++) {
                row.push({
                    type: 'char',
                    value: ' ',
                    fullWidth: false,
                    styles: [],
                });
            }
            output.push(row);
        }
`,
    `        const output = Array.from({ length: this.height }, () => []);
`,
  ],
  [
    `                    const currentLine = output[y + offsetY];
                    // Line can be missing if \`text\` is taller than height of pre-initialized \`this.output\`
                    if (!currentLine) {
                        continue;
                    }
                    for (const transformer of transformers) {
                        line = transformer(line, index);
                    }
                    const characters = this.caches.getStyledChars(line);
                    let offsetX = x;`,
    `                    const writes = output[y + offsetY];
                    // Line can be missing if \`text\` is taller than height of pre-initialized \`this.output\`
                    if (!writes) {
                        continue;
                    }
                    for (const transformer of transformers) {
                        line = transformer(line, index);
                    }
                    writes.push(x, line);
                    offsetY++;
                }
            }
        }
        const generatedOutput = output
            .map(writes => {
            if (writes.length === 0) return '';
            const key = JSON.stringify([this.width, writes]);
            let row = builtRows.get(key);
            if (row === undefined) {
                row = this.buildRow(writes);
                remember(builtRows, key, row, MAX_ROWS);
            }
            return row;
        })
            .join('\\n');
        return {
            output: generatedOutput,
            height: output.length,
        };
    }
    /** One row from its writes (x, text, x, text, …), as Ink built it. */
    buildRow(writes) {
        const currentLine = [];
        for (let x = 0; x < this.width; x++) {
            currentLine.push({ type: 'char', value: ' ', fullWidth: false, styles: [] });
        }
        for (let w = 0; w < writes.length; w += 2) {
                    const characters = this.caches.getStyledChars(writes[w + 1]);
                    let offsetX = writes[w];`,
  ],
  [
    `                        offsetX += characterWidth;
                    }
                    offsetY++;
                }
            }
        }
        const generatedOutput = output
            .map(line => {
            // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
            const lineWithoutEmptyItems = line.filter(item => item !== undefined);
            return styledCharsToString(lineWithoutEmptyItems).trimEnd();
        })
            .join('\\n');
        return {
            output: generatedOutput,
            height: output.length,
        };
    }`,
    `                        offsetX += characterWidth;
                    }
        }
        // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
        const lineWithoutEmptyItems = currentLine.filter(item => item !== undefined);
        return styledCharsToString(lineWithoutEmptyItems).trimEnd();
    }`,
  ],
  [
    'const sharedCaches = new OutputCaches();\n',
    `const sharedCaches = new OutputCaches();
const MAX_ROWS = ${MAX_ROWS};
const builtRows = new Map();
`,
  ],
]);

// Each text's width, measured again at every frame to decide whether to wrap it: from the measure
// cache (the same widestLine), as layout measured it a moment before.
patch('render-node-to-output.js', [
  ["import widestLine from 'widest-line';\n", `import measureText from './measure-text.js';\n${MARKER}\n`],
  ['                const currentWidth = widestLine(text);', '                const currentWidth = measureText(text).width;'],
]);
