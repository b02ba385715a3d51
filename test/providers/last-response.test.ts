/**
 * Each provider's last-response reader on the recorded screens of the real CLIs. At the end of a
 * turn (a labelled `done` segment, or the end of the recording) the text read from scrollback and
 * viewport must be exactly what the mock model was scripted to answer (test/recorder/scenarios.ts).
 * The scripted answers are plain prose, so no CLI's markdown rendering changes them: what a person
 * would copy off the screen, with the CLI's soft wraps undone, is the scripted text itself.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayRecording } from '../../src/engine/replay.ts';
import { agentProviders, getProvider } from '../../src/providers/index.ts';
import { answerText } from '../../src/providers/shared/response.ts';
import { shell } from '../../src/providers/shell/index.ts';
import type { AgentProvider } from '../../src/providers/types.ts';
import { DEFAULT_SCROLLBACK, Screen } from '../../src/terminal/screen.ts';
import type { Provider } from '../agents/paths.ts';
import { labelledRecordings } from '../eval/evaluate.ts';
import { readLabels, type Labels } from '../eval/labels.ts';
import { SCENARIOS } from '../recorder/scenarios.ts';

/** What each turn of a scenario was scripted to say (tool commands aside, `outside` shows nowhere in it). */
function scriptedTexts(scenario: string, provider: string): string[] {
  const found = SCENARIOS.find((s) => s.name === scenario);
  if (!found) throw new Error(`no scenario ${scenario}`);
  return found.turns('/outside', provider as Provider).map((turn) => turn.text ?? '');
}

interface Checkpoint {
  name: string;
  /** Seconds into the recording. */
  at: number;
  /** The exact text, undefined for "no answer", or `prefixOf` for an answer cut short. */
  expected: { exact: string | undefined } | { prefixOf: string };
}

/** Just before the labelled segment ends: the turn's last screen before the next keystroke. */
function endOf(labels: Labels, status: string, nth: number): number {
  const segment = labels.segments.filter((s) => s.status === status)[nth];
  if (!segment) throw new Error(`${labels.recording}: no ${status} segment #${nth}`);
  return segment.to - 0.01;
}

function checkpoints(labels: Labels): Checkpoint[] {
  const texts = scriptedTexts(labels.scenario, labels.provider);
  switch (labels.scenario) {
    case 'basic':
      // turns: a stall, the long streamed answer, "I will create the file now." + a tool call, the reply after it.
      return [
        { name: 'the long streamed answer', at: endOf(labels, 'done', 0), expected: { exact: texts[1] } },
        { name: 'the reply after the tool call', at: endOf(labels, 'done', 1), expected: { exact: texts[3] } },
      ];
    case 'deny':
      // Every CLI ends the turn when the person refuses the tool, before the model is asked again:
      // the words it wrote before the tool call are its last ones.
      return [{ name: 'the words before the refused tool call', at: endOf(labels, 'done', 0), expected: { exact: texts[0] } }];
    case 'question':
      return [{ name: 'the reply after the question was answered', at: endOf(labels, 'done', 0), expected: { exact: texts[1] } }];
    case 'error':
      return [
        // The failed request's turn has no answer: the error message is the CLI's, not the model's.
        { name: 'nothing after a failed request', at: endOf(labels, 'error', 0), expected: { exact: undefined } },
        { name: 'the answer on the retry', at: endOf(labels, 'done', 0), expected: { exact: texts[1] } },
      ];
    case 'interrupt':
      // Esc stopped the stream: what had arrived is on screen, the start of the scripted answer. (At
      // the labelled end, before the CLI was closed: Copilot CLI leaves its alternate screen then.)
      return [{ name: 'the part streamed before Esc', at: labels.segments.at(-1)!.to - 0.01, expected: { prefixOf: texts[0]! } }];
    case 'spawn-prompt':
      return [{ name: 'the answer to the first prompt given at spawn', at: endOf(labels, 'done', 0), expected: { exact: texts[0] } }];
    case 'new-session':
      return [
        { name: 'the answer in the first session', at: endOf(labels, 'done', 0), expected: { exact: texts[0] } },
        { name: 'the answer in the new session', at: endOf(labels, 'done', 1), expected: { exact: texts[1] } },
      ];
    case 'mid-turn': {
      // The message sent while the first answer streamed is answered last.
      const last = labels.segments.filter((s) => s.status === 'done').length - 1;
      return [{ name: 'the answer to the message sent mid-turn', at: endOf(labels, 'done', last), expected: { exact: texts[1] } }];
    }
    default:
      throw new Error(`no checkpoints for scenario ${labels.scenario}`);
  }
}

/** What a caller hands the reader: scrollback and viewport, oldest first. */
function transcript(screen: Screen): string[] {
  return screen.history(DEFAULT_SCROLLBACK + screen.rows);
}

const files = labelledRecordings();

describe('last response read from recorded screens', () => {
  it('covers basic, deny, error and interrupt for the six CLIs that run here, at both sizes', () => {
    const seen = new Set(files.map((file) => readLabels(file)).map((l) => `${l.provider} ${l.scenario} ${l.cols}x${l.rows}`));
    for (const provider of ['claude', 'codex', 'gemini', 'opencode', 'qwen', 'copilot']) {
      for (const scenario of ['basic', 'deny', 'error', 'interrupt']) {
        for (const size of ['120x35', '80x24']) expect(seen).toContain(`${provider} ${scenario} ${size}`);
      }
    }
  });

  for (const file of files) {
    const labels = readLabels(file);
    const cast = path.join(path.dirname(file), labels.recording);
    describe(`${labels.provider}/${labels.recording}`, () => {
      for (const checkpoint of checkpoints(labels)) {
        it(checkpoint.name, async () => {
          const provider = getProvider(labels.provider) as AgentProvider;
          const { screen } = await replayRecording(cast, provider.detect, { until: checkpoint.at });
          const text = provider.read.lastResponse!(transcript(screen), screen.cols);
          screen.dispose();
          if ('exact' in checkpoint.expected) {
            expect(text).toBe(checkpoint.expected.exact);
          } else {
            expect(text, 'some of the answer had streamed').toBeTruthy();
            expect(checkpoint.expected.prefixOf.startsWith(text!), JSON.stringify(text)).toBe(true);
          }
        });
      }
    });
  }

  // While the long answer streams, every frame must read as the start of it: never a spinner, a
  // hint or the person's message. Whitespace is compared loosely: Qwen Code wraps the pending
  // answer a column narrower than the finished one, so mid-stream a soft wrap can read as a newline.
  for (const file of files.filter((f) => path.basename(f).startsWith('basic-'))) {
    const labels = readLabels(file);
    it(`${labels.provider}/${labels.recording}: mid-stream readings are the start of the answer`, async () => {
      const provider = getProvider(labels.provider) as AgentProvider;
      const answer = scriptedTexts('basic', labels.provider)[1]!;
      const streaming = labels.segments.find((s) => s.status === 'working')!;
      const wrong: string[] = [];
      let read = 0;
      const { screen } = await replayRecording(path.join(path.dirname(file), labels.recording), provider.detect, {
        until: streaming.to,
        observe: (frame, atMs) => {
          if (atMs / 1000 < streaming.from) return;
          const text = provider.read.lastResponse!(transcript(frame), frame.cols);
          if (text === undefined) return;
          read++;
          if (!answer.startsWith(text.replace(/\s+/g, ' '))) wrong.push(text);
        },
      });
      screen.dispose();
      expect(wrong.slice(0, 3)).toEqual([]);
      expect(read).toBeGreaterThan(0);
    });
  }
});

describe('answerText', () => {
  it('joins rows the CLI wrapped, keeps paragraphs, list items and short lines', () => {
    const rows = [
      '● The first paragraph is long enough that',
      '  the CLI wrapped it here.',
      '',
      '  Steps:',
      '  - one',
      '  - two',
    ];
    expect(answerText(rows, /^● /, 44)).toBe('The first paragraph is long enough that the CLI wrapped it here.\n\nSteps:\n- one\n- two');
  });
});

describe('which providers read a last response', () => {
  it('every agent that runs here', () => {
    const readers = agentProviders.filter((p) => p.read.lastResponse).map((p) => p.id);
    expect(readers.sort()).toEqual(['claude', 'codex', 'copilot', 'gemini', 'opencode', 'qwen', 'shell']);
  });
});

describe('shell last response', () => {
  async function screenOf(bytes: string, cols = 30): Promise<Screen> {
    const screen = new Screen({ cols, rows: 6 });
    screen.write(bytes);
    await screen.flush();
    return screen;
  }

  it('is the output between the prompt the command was typed at and the prompt now at the bottom', async () => {
    const screen = await screenOf('me@box:~$ ls\r\nold\r\nme@box:~$ printf "a\\nb"\r\na\r\nb\r\nme@box:~$ ');
    expect(shell.read.lastResponse!(transcript(screen), screen.cols)).toBe('a\nb');
  });

  it('joins a line the terminal wrapped, and scrolled-away output still counts', async () => {
    const long = 'x'.repeat(45);
    const screen = await screenOf(`$ cat long\r\n${long}\r\n1\r\n2\r\n3\r\n4\r\n5\r\n$ `);
    expect(shell.read.lastResponse!(transcript(screen), screen.cols)).toBe(`${long}\n1\n2\n3\n4\n5`);
  });

  it('is nothing while a command still runs', async () => {
    const screen = await screenOf('$ sleep 10\r\n');
    expect(shell.read.lastResponse!(transcript(screen), screen.cols)).toBeUndefined();
  });
});
