/**
 * The CLIs' own transcripts, as each real CLI wrote them against the mock model
 * (`fixtures/transcripts/<provider>/<version>/`, recorded by `test/recorder/transcripts.ts`: a
 * 60-paragraph answer, then a shell command and a short answer after it): each provider reads the
 * last answer exactly, at any length; a file cut mid-write, damaged or missing is no answer, never
 * an exception.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lastResponse, readTail, sameEnding } from '../../src/engine/last-response.ts';
import { agentProviders, getProvider } from '../../src/providers/index.ts';
import type { AgentProvider } from '../../src/providers/types.ts';
import type { LiveAgent } from '../../src/engine/live-agent.ts';
import type { AgentRecord } from '../../src/store/state.ts';
import { LONG_ANSWER, AFTER_TOOL } from '../live/answers.ts';

const ROOT = path.resolve(import.meta.dirname, '../../fixtures/transcripts');

const recordings = readdirSync(ROOT).flatMap((provider) =>
  readdirSync(path.join(ROOT, provider)).map((version) => {
    const dir = path.join(ROOT, provider, version);
    const files = readdirSync(dir);
    const turn = (n: number) => path.join(dir, files.find((f) => f.startsWith(`turn${n}.`))!);
    return { provider, version, dir, turn1: turn(1), turn2: turn(2), answers: JSON.parse(readFileSync(path.join(dir, 'answers.json'), 'utf8')) as { turn1: string; turn2: string } };
  }),
);

const scratch = mkdtempSync(path.join(tmpdir(), 'drover-transcripts-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it('has a recording of every CLI whose transcript drover reads', () => {
  const readers = agentProviders.filter((p) => p.read.transcriptResponse).map((p) => p.id);
  expect(readers.sort()).toEqual(['claude', 'codex', 'copilot', 'gemini', 'opencode', 'qwen']);
  expect([...new Set(recordings.map((r) => r.provider))].sort()).toEqual(readers);
});

describe.each(recordings)('$provider $version', ({ provider, turn1, turn2, answers }) => {
  const reader = (getProvider(provider) as AgentProvider).read;
  const read = (text: string) => reader.transcriptResponse!(text);

  it('the answers recorded are the mock model\'s', () => {
    expect(answers).toEqual({ turn1: LONG_ANSWER, turn2: AFTER_TOOL });
  });

  it('reads the long answer of the first turn exactly', () => {
    expect(read(readFileSync(turn1, 'utf8'))).toBe(LONG_ANSWER);
  });

  it('reads the answer after the tool call in the second turn, not the text before it nor the first turn\'s', () => {
    expect(read(readFileSync(turn2, 'utf8'))).toBe(AFTER_TOOL);
  });

  it('a file cut anywhere is read without throwing; cut before the second answer, it is not that answer', () => {
    const text = readFileSync(turn2, 'utf8');
    const cutAt = text.indexOf(AFTER_TOOL.slice(0, 30));
    expect(cutAt).toBeGreaterThan(0);
    // Cut inside the line that holds the second answer: a half-written line is skipped.
    expect(read(text.slice(0, cutAt + 10))).not.toBe(AFTER_TOOL);
    for (let i = 1; i < 40; i++) {
      const at = Math.floor((text.length * i) / 40);
      expect(() => read(text.slice(0, at))).not.toThrow();
    }
  });

  it('a turn with the prompt and no answer yet has no answer (not the previous turn\'s)', () => {
    const lines = readFileSync(turn2, 'utf8').split('\n');
    const first = readFileSync(turn1, 'utf8').split('\n').filter((l) => l.trim()).length;
    // The first lines of the second turn, up to before the first line holding any of its text.
    const upto = lines.findIndex((l, i) => i >= first && l.includes('I will create the file now'));
    const prefix = lines.slice(0, upto).join('\n') + '\n';
    expect(upto).toBeGreaterThan(first); // the second turn's prompt is in it
    expect(read(prefix)).toBeUndefined();
  });

  it('damaged text is no answer', () => {
    expect(read('')).toBeUndefined();
    expect(read('\u0000\u0001garbage{{{\n[1,2]\n"x"\nnull\n')).toBeUndefined();
  });
});

describe('reading the transcript file', () => {
  const claude = getProvider('claude') as AgentProvider;
  const record = (transcriptPath?: string): AgentRecord => ({
    id: 'a1', name: 'worker', provider: 'claude', cwd: '/', args: [], env: {}, status: 'done',
    createdAt: new Date().toISOString(), startedAt: new Date().toISOString(), statusAt: new Date().toISOString(),
    recording: '/dev/null', ...(transcriptPath ? { transcriptPath } : {}),
  });
  const claudeTurn1 = recordings.find((r) => r.provider === 'claude')!.turn1;

  it('reads the named transcript', async () => {
    expect(await lastResponse(record(claudeTurn1), claude, undefined)).toEqual({ text: LONG_ANSWER, source: 'transcript' });
  });

  it('a missing file, a folder, or no path is no answer, never an exception', async () => {
    expect(await lastResponse(record(path.join(scratch, 'missing.jsonl')), claude, undefined)).toEqual({});
    expect(await lastResponse(record(scratch), claude, undefined)).toEqual({});
    expect(await lastResponse(record(), claude, undefined)).toEqual({});
    expect(await readTail(path.join(scratch, 'missing'))).toBeUndefined();
  });

  it('a file longer than the tail read starts at its first whole line', async () => {
    const file = path.join(scratch, 'long.jsonl');
    writeFileSync(file, '{"a":1}\n{"b":22222}\n{"c":3}\n');
    expect((await readTail(file, 12))!.text).toBe('{"c":3}\n');
    expect((await readTail(file))!.text).toBe('{"a":1}\n{"b":22222}\n{"c":3}\n');
  });

  // What lastResponse asks of a live agent: its screen's reading, and when its latest turn began.
  const live = (screen: string | undefined, turnStartedAt?: number) => ({ lastResponse: () => screen, turnStartedAt }) as unknown as LiveAgent;

  it('prefers the transcript to the screen when they end alike (the screen has only the end of a long answer, or none)', async () => {
    expect(await lastResponse(record(claudeTurn1), claude, live(undefined, 0))).toEqual({ text: LONG_ANSWER, source: 'transcript' });
    const ending = 'so every word of it must arrive exactly as the model wrote it, number 60 included.';
    expect(await lastResponse(record(claudeTurn1), claude, live(ending, 0))).toEqual({ text: LONG_ANSWER, source: 'transcript' });
  });

  it('takes the screen when the transcript was last written before the latest turn began, or ends otherwise', async () => {
    const file = path.join(scratch, 'old.jsonl');
    writeFileSync(file, readFileSync(claudeTurn1));
    expect(await lastResponse(record(file), claude, live('The new answer.', Date.now() + 60_000))).toEqual({ text: 'The new answer.', source: 'screen' });
    expect(await lastResponse(record(file), claude, live(undefined, Date.now() + 60_000))).toEqual({});
    expect(await lastResponse(record(file), claude, live('The new answer.', 0))).toEqual({ text: 'The new answer.', source: 'screen' });
  });

  it('the screen and the transcript agree on how an answer ends, whatever the rendering', () => {
    expect(sameEnding('The **answer** is\nforty-two.', 'The answer is forty-two.')).toBe(true);
    expect(sameEnding('I will create the file now.', AFTER_TOOL)).toBe(false);
  });
});

describe("where each CLI's transcript is", () => {
  const report = (id: string, event: string, payload: object) => (getProvider(id) as AgentProvider).integrate.hookReport!(event, payload as Record<string, unknown>);

  it('Claude Code, Codex, Gemini CLI and Qwen Code name it in every hook payload (transcript_path); Copilot CLI in agentStop (transcriptPath)', () => {
    expect(report('claude', 'Stop', { session_id: 's1', transcript_path: '/h/.claude/projects/p/s1.jsonl' })).toEqual({ sessionId: 's1', status: 'idle', transcriptPath: '/h/.claude/projects/p/s1.jsonl' });
    expect(report('codex', 'SessionStart', { session_id: 's2', transcript_path: '/h/.codex/sessions/2026/11/30/rollout-x-s2.jsonl' })).toMatchObject({ transcriptPath: '/h/.codex/sessions/2026/11/30/rollout-x-s2.jsonl' });
    expect(report('gemini', 'AfterAgent', { session_id: 's3', transcript_path: '/h/.gemini/tmp/work/chats/session-x.jsonl' })).toMatchObject({ transcriptPath: '/h/.gemini/tmp/work/chats/session-x.jsonl' });
    expect(report('qwen', 'Stop', { session_id: 's4', transcript_path: '/h/.qwen/projects/p/chats/s4.jsonl' })).toMatchObject({ transcriptPath: '/h/.qwen/projects/p/chats/s4.jsonl' });
    expect(report('copilot', 'agentStop', { sessionId: 's5', transcriptPath: '/h/.copilot/session-state/s5/events.jsonl' })).toMatchObject({ transcriptPath: '/h/.copilot/session-state/s5/events.jsonl' });
    // A relative or empty path is nobody's file.
    expect(report('claude', 'Stop', { session_id: 's1', transcript_path: 'projects/s1.jsonl' })).toEqual({ sessionId: 's1', status: 'idle' });
    expect(report('claude', 'Stop', { session_id: 's1', transcript_path: '' })).toEqual({ sessionId: 's1', status: 'idle' });
  });

  it("Copilot CLI's is found from the session id before its agentStop names it", () => {
    const copilot = getProvider('copilot') as AgentProvider;
    expect(copilot.integrate.transcript!({ sessionId: 'f30eed01-f0c9-4f60-85ec-4f7e644f911a', env: { HOME: '/home/me' } })).toBe('/home/me/.copilot/session-state/f30eed01-f0c9-4f60-85ec-4f7e644f911a/events.jsonl');
    expect(copilot.integrate.transcript!({ sessionId: '../../etc', env: { HOME: '/home/me' } })).toBeUndefined();
  });
});
