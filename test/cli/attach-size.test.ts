/**
 * drover attach through the real binary and daemon, on a real shell agent: without a terminal it
 * refuses in one line and leaves the agent as it was; in a terminal (tmux) the agent takes the
 * terminal's size, and gets its own back once the attach ends, by the detach key or by the
 * attached client going away.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { DROVER_BIN, privateDaemon } from '../helpers/drover.ts';
import { until } from '../helpers/until.ts';
import { paneIn, until as untilScreen } from '../tui/tmux-tui.ts';

const { root, run, remove } = privateDaemon('attach', { PS1: 'ready$ ' });
afterAll(remove);

/** The agent's terminal size as the daemon's emulator has it. */
async function sizeOf(name: string): Promise<string> {
  const { cols, rows } = JSON.parse((await run('screen', name, '--json')).stdout) as { cols: number; rows: number };
  return `${cols}x${rows}`;
}

const sized = (name: string, size: string) => until(async () => (await sizeOf(name)) === size, `${name} at ${size}`);

describe('drover attach and the agent’s size', () => {
  it('refuses without a terminal, and gives the agent its size back after a detach or a client gone', { timeout: 90_000 }, async () => {
    expect((await run('spawn', 'shell', '--name', 'sized', '--cwd', root, '--', '--norc', '--noprofile', '-i')).exitCode).toBe(0);
    await until(async () => JSON.parse((await run('status', 'sized', '--json')).stdout).status === 'idle', 'sized idle');
    const own = await sizeOf('sized');
    expect(own).toBe('120x35');

    // No terminal: one line, exit 2, and the agent untouched.
    const refused = await run('attach', 'sized');
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr.trim().split('\n')).toEqual([
      'drover: attach needs a terminal, and stdin is not one: see the agent with drover screen sized, type into it with drover send sized --keys',
    ]);
    expect(refused.stdout).toBe('');
    expect(await sizeOf('sized')).toBe(own);

    const pane = await paneIn(root, 90, 20);
    try {
      // Attached: the agent is the terminal's size; detached: its own again.
      await pane.keys(`node '${DROVER_BIN}' attach sized`, 'Enter');
      await untilScreen(pane, (s) => /ready\$ *$/m.test(s) && !s.includes('outer$'), 'the attached agent');
      await pane.keys('stty size', 'Enter');
      await untilScreen(pane, (s) => /^20 90$/m.test(s), 'the agent at the terminal size');
      expect(await sizeOf('sized')).toBe('90x20');
      await pane.keys('C-]');
      await untilScreen(pane, (s) => s.includes('[detached from sized]'), 'detached');
      await sized('sized', own);

      // The attached client killed (no detach said): its connection closing gives the size back too.
      await pane.keys(`node '${DROVER_BIN}' attach sized`, 'Enter');
      await untilScreen(pane, (s) => !s.includes('[detached from sized]') && /ready\$ *$/m.test(s), 'attached again');
      await sized('sized', '90x20');
    } finally {
      await pane.kill();
    }
    await sized('sized', own);
    expect((await run('send', 'sized', '--keys', 'stty size\\r')).exitCode).toBe(0);
    await until(async () => (await run('screen', 'sized')).stdout.includes('35 120'), 'the program itself told 120 columns, 35 rows');
  });
});
