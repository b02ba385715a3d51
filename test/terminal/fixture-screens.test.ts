/** Final and mid-session screens of real programs recorded with `drover record` (fixtures/terminal). */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayRecording } from '../../src/engine/replay.ts';
import { genericProvider } from '../../src/providers/generic.ts';
import { FIXTURES, timeOfOutput } from '../helpers/fixtures.ts';

const fixture = (name: string) => path.join(FIXTURES, 'terminal', `${name}.cast`);

async function screenAt(name: string, until?: number) {
  const result = await replayRecording(fixture(name), genericProvider.detect, { until });
  const snapshot = result.screen.snapshot();
  result.screen.dispose();
  return snapshot;
}

describe('screens of recorded real programs', () => {
  it('bash progress bars, a redrawn box and a spinner end as a person would see them', async () => {
    const screen = await screenAt('progress');
    expect(screen.lines).toEqual([
      'Building drover fixture  日本語 ✓',
      'step 1 [####################] 100%',
      'step 2 [####################] 100%',
      'step 3 [####################] 100%',
      'ok three steps',
      '',
      '',
      '+----------------+',
      '| count: 5 of 5  |',
      '+----------------+',
      'waiting done',
      'temp',
      'red underlined inverse',
      '',
      '',
      '',
    ]);
  });

  it('vim: the alternate screen with line numbers, then the shell screen back after :q!', async () => {
    const numbered = await screenAt('vim', await timeOfOutput(fixture('vim'), '  3 '));
    expect(numbered.altScreen).toBe(true);
    expect(numbered.lines.slice(0, 4)).toEqual(['  1 first line', '  2 second line', '  3 typed in vim', '~']);
    const after = await screenAt('vim');
    expect(after.altScreen).toBe(false);
    expect(after.lines.every((line) => line === '')).toBe(true);
  });

  it('less: paging and a search land on the right lines', async () => {
    const found = await screenAt('less', await timeOfOutput(fixture('less'), 'line 99'));
    expect(found.lines[0]).toBe('line 77');
    expect(found.lines[22]).toBe('line 99');
    expect(found.lines[23]).toBe(':');
  });

  it('top: a full-screen refresh shows its header and process table', async () => {
    const screen = await screenAt('top', 2);
    expect(screen.lines[0]).toMatch(/^top - \d\d:\d\d:\d\d up .* load average: [\d.]+, [\d.]+, [\d.]+$/);
    expect(screen.lines[6]).toMatch(/^\s+PID USER\s+PR\s+NI\s+VIRT\s+RES\s+SHR S\s+%CPU\s+%MEM\s+TIME\+ COMMAND$/);
  });

  it('htop: meters and the process header', async () => {
    const screen = await screenAt('htop', 2);
    expect(screen.lines.join('\n')).toMatch(/Load average: [\d.]+ [\d.]+ [\d.]+/);
    expect(screen.lines.some((line) => /PID USER\s+PRI\s+NI\s+VIRT\s+RES/.test(line))).toBe(true);
  });
});
