/**
 * The real `drover` TUI in tmux on a private daemon: its folders, a pane with a shell in them, and
 * waiting on what the pane shows. Shared by the tmux tests of the TUI.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { drover, privateDirs } from '../helpers/drover.ts';
import { FIXTURES, replayingAgent } from '../helpers/fixtures.ts';
import { TmuxPane } from '../helpers/tmux.ts';

const roots: string[] = [];

/** Stops each private daemon and removes its folders (call from afterAll). */
export async function removeRoots(): Promise<void> {
  for (const root of roots.splice(0)) {
    await drover(['daemon', 'stop'], { env: privateDirs(root), timeout: 20_000 });
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * A private daemon's folders, with a shell agent that reads no rc file and prompts "agent$ ", and
 * Claude Code played from a recorded session (CI has no Claude: the stand-in waits for the keys
 * the session was recorded with, and takes "1" where Enter picked the first option).
 */
export function privateRoot(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'drover-tui-'));
  roots.push(root);
  mkdirSync(path.join(root, 'config', 'drover'), { recursive: true });
  const shell = { command: 'bash', args: ['--norc', '--noprofile', '-i'], env: { PS1: 'agent$ ' } };
  const claude = replayingAgent(path.join(FIXTURES, 'claude', 'basic-120x35.cast'), '--same', '\\r=1');
  writeFileSync(path.join(root, 'config', 'drover', 'config.json'), JSON.stringify({ providers: { shell, claude } }));
  return root;
}

/** A tmux pane with a shell on the private daemon's folders, in `root`. */
export async function paneIn(root: string, cols: number, rows: number): Promise<TmuxPane> {
  const env = privateDirs(root);
  const vars = ['XDG_STATE_HOME', 'XDG_RUNTIME_DIR', 'XDG_CONFIG_HOME'].map((name) => `${name}='${env[name as keyof typeof env]}'`).join(' ');
  const pane = await TmuxPane.start(`env ${vars} PS1='outer$ ' bash --norc --noprofile`, cols, rows);
  await pane.keys(`cd '${root}'`, 'Enter');
  return pane;
}

/** Writes a message to the selected agent from the inbox pane. */
export async function message(pane: TmuxPane, to: string, text: string): Promise<void> {
  await pane.keys('m');
  await until(pane, (s) => s.includes(` to ${to}:`), 'the message field');
  await pane.keys('-l', text);
  await pane.keys('Enter');
  await until(pane, (s) => s.includes(`queued for ${to}`), 'the message queued');
}

export async function until(pane: TmuxPane, test: (screen: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const screen = (await pane.capture()).join('\n');
    if (test(screen)) return screen;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen:\n${screen}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The agent list's row for `name`. */
export function row(screen: string, name: string): string {
  return screen.split('\n').find((line) => new RegExp(`^[› ][! ]${name} `).test(line)) ?? '';
}

export const isTui = (screen: string) => /^drover {2}\d+ working · \d+ needs you/.test(screen);
