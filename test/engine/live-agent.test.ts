import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LiveAgent } from '../../src/engine/live-agent.ts';
import { replayRecording } from '../../src/engine/replay.ts';
import type { Status, StatusChange } from '../../src/status/status.ts';
import { defineProvider } from '../../src/providers/define.ts';
import { shell } from '../../src/providers/shell/index.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'drover-agent-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function waitForStatus(agent: LiveAgent, status: Status, timeoutMs = 10_000): Promise<StatusChange> {
  if (agent.status.status === status) return Promise.resolve(agent.status);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${status} within ${timeoutMs} ms (now ${agent.status.status})`)), timeoutMs);
    const off = agent.onStatus((change) => {
      if (change.status !== status) return;
      clearTimeout(timer);
      off();
      resolve(change);
    });
  });
}

describe('a live shell agent', () => {
  it('is ready at its prompt, working while a command holds the terminal, done after, exited at the end', async () => {
    const recording = path.join(dir, 'shell.cast');
    const agent = new LiveAgent({
      provider: shell,
      command: 'bash',
      args: ['--norc', '--noprofile', '-i'],
      env: { ...process.env, PS1: 'ready$ ' },
      cols: 60,
      rows: 10,
      recordTo: recording,
    });
    const seen: Status[] = [];
    agent.onStatus((change) => seen.push(change.status));
    await waitForStatus(agent, 'idle');
    expect(agent.status.rule).toBe('shell.foreground');

    await agent.submitMessage('sleep 0.6; echo finished');
    // Working from the Enter itself; the child holding the terminal keeps it so.
    expect((await waitForStatus(agent, 'working')).rule).toBe('input.submit');
    await waitForStatus(agent, 'done');
    expect(agent.screen.lines().join('\n')).toContain('finished');

    agent.typeKeys('exit 4\r');
    expect(await agent.exited).toEqual({ code: 4, signal: null });
    expect(agent.status).toMatchObject({ status: 'exited', detail: 'code 4' });
    expect(seen).toEqual(['idle', 'working', 'done', 'working', 'exited']); // "exit 4" is a command too

    // The recording replays to the same screen the live agent ended on.
    const replayed = await replayRecording(recording, shell.detect);
    expect(replayed.screen.lines()).toEqual(agent.screen.lines());
    replayed.screen.dispose();
    agent.dispose();
  });
});

/**
 * A CLI-like program in a real PTY: a `> ` input line; a message is pasted, then Enter starts a
 * turn (`you: …`, then `Working…`, then an answer). It takes the first Enter as a newline in its
 * input, as Gemini CLI did with an Enter right after a paste: the screen changes, nothing is
 * submitted. It draws its turn `lagMs` after the Enter that starts it (Claude Code took 4.4 s).
 */
function cliLike(lagMs: number): string {
  return `
    process.stdin.setRawMode(true);
    let input = '', enters = 0, busy = false;
    const draw = () => process.stdout.write('\\x1b[2K\\r> ' + input.replace(/\\n/g, '⏎'));
    process.stdout.write('cli-like ready\\r\\n'); draw();
    process.stdin.on('data', (d) => {
      if (busy) return;
      for (const ch of String(d).replace(/\\x1b\\[20[01]~/g, '')) {
        if (ch !== '\\r') { input += ch; continue; }
        if (++enters === 1) { input += '\\n'; continue; }
        busy = true;
        const message = input.trim(); input = '';
        process.stdout.write('\\x1b[2K\\r\\r\\n> ');
        setTimeout(() => {
          process.stdout.write('\\x1b[2K\\ryou: ' + message + '\\r\\nWorking…');
          setTimeout(() => { process.stdout.write('\\x1b[2K\\ranswer to ' + message + '\\r\\n'); busy = false; draw(); }, 800);
        }, ${lagMs});
      }
      if (!busy) draw();
    });`;
}

const cliLikeProvider = defineProvider({
  id: 'cli-like',
  displayName: 'CLI-like test program',
  detect: {
    settleMs: 200,
    rules: [
      { id: 'cli.working', state: 'working', priority: 20, region: { bottom_lines: 2 }, match: { contains: 'Working…' } },
      { id: 'cli.prompt', state: 'idle', priority: 10, region: { bottom_lines: 1 }, match: { line_regex: '^>' } },
    ],
  },
  read: { permissionPrompt: () => undefined },
  integrate: { launch: { command: process.execPath, install: 'node' } },
});

describe('a message submitted to a CLI that does not take the first Enter', () => {
  it('is taken only once the turn shows: the submit key again (never the paste), and working, not done, until then', async () => {
    const recording = path.join(dir, 'cli-like.cast');
    const agent = new LiveAgent({ provider: cliLikeProvider, args: ['-e', cliLike(1500)], cols: 60, rows: 10, recordTo: recording });
    const seen: string[] = [];
    agent.onStatus((change) => seen.push(`${change.status} ${change.rule}`));
    await waitForStatus(agent, 'idle');

    const outcome = await agent.submitMessage('hello there');
    expect(outcome).toEqual({ taken: true });
    expect(agent.screen.lines().join('\n')).toContain('you: hello there');
    await waitForStatus(agent, 'done');
    expect(agent.screen.lines().join('\n')).toContain('answer to hello there');
    // Working from the first Enter through the one that took, and the 1.5 s before the turn showed.
    expect(seen.map((s) => s.split(' ')[0])).toEqual(['idle', 'working', 'done']);

    await agent.kill(500);
    agent.dispose();
    const input = readFileSync(recording, 'utf8');
    expect(input.split('"i","\\r"').length - 1, 'the submit key twice').toBe(2);
    expect(input.split('\\u001b[200~hello there').length - 1, 'the paste once').toBe(1);
  }, 30_000);
});
