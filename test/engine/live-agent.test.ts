import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LiveAgent } from '../../src/engine/live-agent.ts';
import { replayRecording } from '../../src/engine/replay.ts';
import type { Status, StatusChange } from '../../src/status/status.ts';
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
