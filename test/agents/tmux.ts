// Runs a prepared agent CLI in a private tmux server so its real screen can be read and driven.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import type { PreparedAgent } from './homes.ts';

export const COLS = 120;
export const ROWS = 35;

export interface TmuxAgent {
  capture(): Promise<string>;
  /** The pane's title, as the program last set it (OSC 0/2). */
  title(): Promise<string>;
  /** Types literal text (no Enter). */
  type(text: string): Promise<void>;
  /** Types text, then Enter after a pause (fast text + Enter can be taken for a paste, e.g. by Codex). */
  submit(text: string): Promise<void>;
  /** Sends tmux key names, e.g. 'Enter', 'Escape'. */
  keys(...names: string[]): Promise<void>;
  /** Pastes text as a terminal does: bracketed (ESC[200~ … ESC[201~) when the program asked for it, as the CLIs do. */
  paste(text: string): Promise<void>;
  /** Polls the screen until `test` matches it; returns the last screen and whether it matched. */
  waitFor(test: (screen: string) => boolean, timeoutMs: number): Promise<{ ok: boolean; screen: string }>;
  /** Kills the agent's whole process tree, anything else still running with its HOME, and the tmux server. */
  stop(): Promise<void>;
  /**
   * Ends the agent the way closing its program would: its children (the CLI under a wrapper such
   * as `drover record`) are killed first, the pane's own process is left to exit by itself (so a
   * recording is closed properly), then everything is stopped.
   */
  end(timeoutMs?: number): Promise<void>;
}

export interface PaneSize {
  cols: number;
  rows: number;
}

export async function launchInTmux(
  agent: PreparedAgent,
  name: string,
  size: PaneSize = { cols: COLS, rows: ROWS },
): Promise<TmuxAgent> {
  // One tmux server per agent, its socket and config beside the HOME (removed with the temp root):
  // nothing leaks into the user's tmux.
  const root = path.dirname(agent.home);
  const socket = path.join(root, 'tmux.sock');
  const conf = path.join(root, 'tmux.conf');
  // remain-on-exit keeps the last screen of a CLI that crashes at startup.
  writeFileSync(conf, 'set -g remain-on-exit on\nset -g history-limit 5000\n');
  const tmux = (...args: string[]) => execa('tmux', ['-S', socket, '-f', conf, ...args]);

  // env -i: the pane gets exactly the prepared env (tmux would otherwise add its own, e.g. TMUX).
  const envArgs = Object.entries(agent.env).map(([k, v]) => `${k}=${v}`);
  await tmux('new-session', '-d', '-s', name, '-x', String(size.cols), '-y', String(size.rows), '-c', agent.cwd, '--',
    'env', '-i', ...envArgs, agent.command, ...agent.args);
  const panePid = Number((await tmux('display-message', '-p', '-t', name, '#{pane_pid}')).stdout.trim());

  const capture = async () => (await tmux('capture-pane', '-p', '-t', name)).stdout;
  const title = async () => (await tmux('display-message', '-p', '-t', name, '#{pane_title}')).stdout.trim();
  const type = async (text: string) => {
    await tmux('send-keys', '-t', name, '-l', text);
  };
  const keys = async (...names: string[]) => {
    await tmux('send-keys', '-t', name, ...names);
  };
  const paste = async (text: string) => {
    await tmux('set-buffer', '-b', 'drover-paste', '--', text);
    await tmux('paste-buffer', '-p', '-d', '-b', 'drover-paste', '-t', name);
  };
  const stop = async () => {
    // gemini re-execs itself and survives kill-session; kill the tree and any HOME stragglers by pid.
    killAll([...descendants(panePid), panePid, ...processesWithHome(agent.home)]);
    await tmux('kill-server').catch(() => undefined);
  };
  return {
    capture,
    title,
    type,
    keys,
    paste,
    async submit(text) {
      await type(text);
      await sleep(500);
      await keys('Enter');
    },
    async waitFor(test, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      let screen = await capture();
      while (!test(screen) && Date.now() < deadline) {
        await sleep(250);
        screen = await capture();
      }
      return { ok: test(screen), screen };
    },
    stop,
    async end(timeoutMs = 5000) {
      killAll([...descendants(panePid), ...processesWithHome(agent.home)].filter((pid) => pid !== panePid));
      const deadline = Date.now() + timeoutMs;
      while (readProc(panePid, 'stat') && !/^\d+ \(.*\) Z/.test(readProc(panePid, 'stat')!) && Date.now() < deadline) {
        await sleep(50);
      }
      await stop();
    },
  };
}

function killAll(pids: number[]): void {
  for (const pid of new Set(pids)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function childrenOf(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const pid of listPids()) {
    const stat = readProc(pid, 'stat');
    if (!stat) continue;
    // The ppid is the second field after the parenthesised command name (which may contain spaces).
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  return children;
}

function descendants(root: number): number[] {
  const children = childrenOf();
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

/** Processes that escaped the tree (daemonised) are still recognisable by their throwaway HOME. */
function processesWithHome(home: string): number[] {
  return listPids().filter((pid) => pid !== process.pid && readProc(pid, 'environ')?.split('\0').includes(`HOME=${home}`));
}

function listPids(): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}
