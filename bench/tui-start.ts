/**
 * How soon the TUI shows something: `drover` started in a real PTY (as a terminal would), with a
 * daemon already running and 20 agents in its store; the time to its first frame (the "starting…"
 * line drawn before anything slow) and to its first full frame (the agent list), read from the
 * composited screen. Alternating rounds with `node -e 0` give the baseline of the same moment.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Pty } from '../src/terminal/pty.ts';
import { Screen } from '../src/terminal/screen.ts';
import { median } from './proc.ts';
import { privateDirs } from '../test/helpers/drover.ts';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../bin/drover.js');
const ROUNDS = 9;
const AGENTS = 20;

export interface TuiStartFigures {
  nodeMs: number;
  firstFrameMs: number;
  fullFrameMs: number;
}

/** Starts the TUI and resolves with when (ms after start) its screen first showed each text. */
function timeTui(env: NodeJS.ProcessEnv): Promise<{ first: number; full: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const pty = new Pty({ command: process.execPath, args: [BIN], cols: 120, rows: 35, env });
    const screen = new Screen({ cols: 120, rows: 35 });
    let first: number | undefined;
    const timer = setTimeout(() => reject(new Error(`the TUI showed no agent list within 30 s:\n${screen.lines().join('\n')}`)), 30_000);
    pty.onData((data) =>
      screen.write(data, () => {
        const text = screen.lines().join('\n');
        first ??= text.includes('drover') ? performance.now() - started : undefined;
        const shown = first;
        if (shown !== undefined && text.includes('AGENTS')) {
          const full = performance.now() - started;
          clearTimeout(timer);
          pty.write('q');
          void pty.exited.then(() => {
            screen.dispose();
            resolve({ first: shown, full });
          });
        }
      }),
    );
  });
}

export async function measureTuiStart(): Promise<TuiStartFigures> {
  const root = mkdtempSync(path.join(tmpdir(), 'drover-tui-start-'));
  const env = privateDirs(root, { TERM: 'xterm-256color' });
  try {
    for (let i = 0; i < AGENTS; i++) await run(process.execPath, [BIN, 'spawn', 'shell', '--cwd', root, '--', '--norc', '--noprofile', '-i'], { env });
    const node: number[] = [];
    const first: number[] = [];
    const full: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      await run(process.execPath, ['-e', '0']);
      node.push(performance.now() - started);
      const tui = await timeTui(env);
      first.push(tui.first);
      full.push(tui.full);
    }
    return { nodeMs: median(node), firstFrameMs: median(first), fullFrameMs: median(full) };
  } finally {
    await run(process.execPath, [BIN, 'daemon', 'stop'], { env }).catch(() => {});
    rmSync(root, { recursive: true, force: true });
  }
}
