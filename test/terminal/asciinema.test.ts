/**
 * Recordings made by `drover record` play in asciinema itself: played into a tmux pane of the
 * recorded size, asciinema's output leaves the same screen drover's replay ends on.
 */
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { replayRecording } from '../../src/engine/replay.ts';
import { genericProvider } from '../../src/providers/generic.ts';
import { FIXTURES } from '../helpers/fixtures.ts';
import { TmuxPane } from '../helpers/tmux.ts';

const asciinema = await execa('asciinema', ['--version'], { reject: false });

describe('asciinema plays drover recordings', () => {
  // .ci/run installs asciinema; a developer machine without it skips, and says so.
  it.runIf(asciinema.exitCode === 0)('progress.cast plays to the screen drover replays', async () => {
    const file = path.join(FIXTURES, 'terminal', 'progress.cast');
    const replayed = await replayRecording(file, genericProvider.detect);
    const { cols, rows } = replayed.screen;
    const ours = replayed.screen.lines();
    replayed.screen.dispose();

    const channel = `drover-asciinema-${process.pid}`;
    const pane = await TmuxPane.start(`asciinema play -i 0.05 '${file}'; tmux wait-for -S ${channel}; sleep 600`, cols, rows);
    try {
      await pane.waitFor(channel, 20_000);
      const theirs = await pane.capture();
      expect(theirs.filter((line) => line).length).toBeGreaterThan(5);
      expect(theirs.slice(0, rows - 1)).toEqual(ours.slice(0, rows - 1)); // the last row holds the shell's cursor
    } finally {
      await pane.kill();
    }
  });
});
