/**
 * Cross-checks drover's composited screen against tmux, an independent terminal emulator: the same
 * recorded bytes go into a tmux pane of the same size, and the screens must agree line by line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { replayRecording } from '../../src/engine/replay.ts';
import { genericProvider } from '../../src/providers/generic.ts';
import { FIXTURES, outputUntil, writeTemp } from '../helpers/fixtures.ts';
import { TmuxPane } from '../helpers/tmux.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'drover-tmux-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function tmuxScreen(bytesFile: string, cols: number, rows: number): Promise<string[]> {
  const channel = `drover-fed-${path.basename(bytesFile)}`;
  // -opost: the bytes were already translated by the recording's own terminal; pass them as they are.
  const pane = await TmuxPane.start(`stty -opost -echo; cat '${bytesFile}'; tmux wait-for -S ${channel}; sleep 600`, cols, rows);
  try {
    await pane.waitFor(channel);
    return await pane.capture();
  } finally {
    await pane.kill();
  }
}

async function droverScreen(file: string, until: number): Promise<string[]> {
  const result = await replayRecording(file, genericProvider.detect, { until });
  try {
    return result.screen.lines();
  } finally {
    result.screen.dispose();
  }
}

const cases: Array<[fixture: string, fractions: number[]]> = [
  ['progress', [0.3, 1]],
  ['top', [0.5, 0.9]],
  ['htop', [0.5, 0.9]],
  ['vim', [0.6, 0.93]],
  ['less', [0.5, 0.9]],
];

describe('drover screen = tmux screen for the same bytes', () => {
  for (const [name, fractions] of cases) {
    it(`${name}`, async () => {
      const file = path.join(FIXTURES, 'terminal', `${name}.cast`);
      const { duration } = await outputUntil(file);
      for (const fraction of fractions) {
        const until = duration * fraction;
        const { cols, rows, output } = await outputUntil(file, until);
        const bytesFile = writeTemp(scratch, `${name}-${fraction}.bin`, output);
        const [ours, theirs] = await Promise.all([droverScreen(file, until), tmuxScreen(bytesFile, cols, rows)]);
        expect(theirs.filter((line) => line.trim()).length, 'tmux drew the program').toBeGreaterThan(1);
        expect(ours, `${name} at ${until.toFixed(3)}s`).toEqual(theirs);
      }
    });
  }
});
