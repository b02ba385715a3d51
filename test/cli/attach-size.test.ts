/**
 * drover attach through the real binary and daemon, on a real shell agent: without a terminal it
 * refuses in one line and leaves the agent as it was; in a terminal (tmux) the agent takes the
 * terminal's size, and gets its own back once the attach ends, by the detach key or by the
 * attached client going away.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { drover, DROVER_BIN, privateDirs } from '../helpers/drover.ts';
import { TmuxPane } from '../helpers/tmux.ts';

const root = mkdtempSync(path.join(tmpdir(), 'drover-attach-'));
const env = privateDirs(root, { PS1: 'ready$ ' });
const run = (...args: string[]) => drover(args, { env, timeout: 20_000 });

afterAll(async () => {
  await run('daemon', 'stop');
  rmSync(root, { recursive: true, force: true });
});

async function until<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The agent's terminal size as the daemon's emulator has it. */
async function sizeOf(name: string): Promise<string> {
  const { cols, rows } = JSON.parse((await run('screen', name, '--json')).stdout) as { cols: number; rows: number };
  return `${cols}x${rows}`;
}

const sized = (name: string, size: string) => until(async () => ((await sizeOf(name)) === size ? true : undefined), `${name} at ${size}`);

async function paneScreen(pane: TmuxPane, test: (screen: string) => boolean, what: string): Promise<string> {
  return until(async () => {
    const screen = (await pane.capture()).join('\n');
    return test(screen) ? screen : undefined;
  }, what);
}

describe('drover attach and the agent’s size', () => {
  it('refuses without a terminal, and gives the agent its size back after a detach or a client gone', { timeout: 90_000 }, async () => {
    expect((await run('spawn', 'shell', '--name', 'sized', '--cwd', root, '--', '--norc', '--noprofile', '-i')).exitCode).toBe(0);
    await until(async () => (JSON.parse((await run('status', 'sized', '--json')).stdout).status === 'idle' ? true : undefined), 'sized idle');
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

    const vars = ['XDG_STATE_HOME', 'XDG_RUNTIME_DIR', 'XDG_CONFIG_HOME'].map((name) => `${name}='${env[name as keyof typeof env]}'`).join(' ');
    const pane = await TmuxPane.start(`env ${vars} PS1='outer$ ' bash --norc --noprofile`, 90, 20);
    try {
      // Attached: the agent is the terminal's size; detached: its own again.
      await pane.keys(`node '${DROVER_BIN}' attach sized`, 'Enter');
      await paneScreen(pane, (s) => /ready\$ *$/m.test(s) && !s.includes('outer$'), 'the attached agent');
      await pane.keys('stty size', 'Enter');
      await paneScreen(pane, (s) => /^20 90$/m.test(s), 'the agent at the terminal size');
      expect(await sizeOf('sized')).toBe('90x20');
      await pane.keys('C-]');
      await paneScreen(pane, (s) => s.includes('[detached from sized]'), 'detached');
      await sized('sized', own);

      // The attached client killed (no detach said): its connection closing gives the size back too.
      await pane.keys(`node '${DROVER_BIN}' attach sized`, 'Enter');
      await paneScreen(pane, (s) => !s.includes('[detached from sized]') && /ready\$ *$/m.test(s), 'attached again');
      await sized('sized', '90x20');
    } finally {
      await pane.kill();
    }
    await sized('sized', own);
    expect((await run('send', 'sized', '--keys', 'stty size\\r')).exitCode).toBe(0);
    await until(async () => ((await run('screen', 'sized')).stdout.includes('35 120') ? true : undefined), 'the program itself told 120 columns, 35 rows');
  });
});
