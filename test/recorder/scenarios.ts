/**
 * What each recording does: the mock model's turns and the person's actions, in order. Every
 * scenario starts from launch (starting → idle) and covers one of the status issue's flows.
 */
import type { Provider } from '../agents/paths.ts';
import type { Turn } from '../../src/doctor/mock-model/server.ts';
import { askingPath, LONG_ANSWER, questionCall } from '../../src/doctor/scenarios.ts';
import type { RecordingSession } from './session.ts';

export interface Scenario {
  name: string;
  /** Providers it applies to (all when absent). */
  only?: Provider[];
  turns: (outside: string, provider: Provider) => Turn[];
  run: (session: RecordingSession) => Promise<void>;
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'basic',
    // start → idle; a stalled then slowly streamed answer → working → done; a tool call →
    // needs_permission → approve → working → done.
    turns: (outside, provider) => [
      { stall_s: 3 },
      { text: LONG_ANSWER, delay_ms_per_word: 150 },
      { text: 'I will create the file now.', tool: { shell: `touch ${askingPath(outside, provider, 'created.txt')}` } },
      { text: 'The file has been created. All done.', delay_ms_per_word: 80 },
    ],
    async run(s) {
      await s.startup();
      await s.prompt('Please say hello');
      await s.replyEnds('long answer');
      await s.prompt('Create the file please');
      await s.permission('once');
    },
  },
  {
    name: 'deny',
    turns: (outside, provider) => [
      { text: 'I will delete the file now.', tool: { shell: `rm -f ${askingPath(outside, provider, 'precious.txt')}` } },
      { text: 'Understood, I will leave it alone.', delay_ms_per_word: 60 },
    ],
    async run(s) {
      await s.startup();
      await s.prompt('Delete the file please');
      await s.permission('deny');
    },
  },
  {
    name: 'question',
    // Qwen Code 0.15 offers no question tool (record 0.24 on); Codex offers request_user_input only in Plan mode.
    only: ['claude', 'gemini', 'opencode', 'copilot', 'qwen'],
    turns: (_outside, provider) => [questionCall(provider)!, { text: 'Red it is. The button is now red.', delay_ms_per_word: 60 }],
    async run(s) {
      await s.startup();
      await s.prompt('Make the button a nice colour');
      await s.question();
    },
  },
  {
    name: 'error',
    // A request the API rejects on every retry (400), then a new prompt that works.
    turns: () => [
      { error: 400, sticky: true },
      { text: 'This time it worked. Done.', delay_ms_per_word: 60 },
    ],
    async run(s) {
      await s.startup();
      await s.prompt('Trigger a scripted error');
      await s.failsWithError();
      await s.prompt('Try again please');
      await s.replyEnds('recovered answer');
    },
  },
  {
    name: 'spawn-prompt',
    // The first prompt given at spawn (`drover spawn --prompt`): the inbox pastes it and presses
    // Enter as soon as the CLI is first ready, with no person reading the screen first.
    turns: () => [{ text: 'Hello! This is the answer to the first prompt, given at spawn. Done.', delay_ms_per_word: 80 }],
    async run(s) {
      await s.startup(0);
      await s.deliver('Please say hello');
      await s.replyEnds('answer to the first prompt');
    },
  },
  {
    name: 'mid-turn',
    // A message pasted and submitted while the answer streams; the CLI queues it (or not).
    turns: () => [
      { text: LONG_ANSWER, delay_ms_per_word: 150 },
      { text: 'Noted: I will keep it short from now on.', delay_ms_per_word: 80 },
    ],
    async run(s) {
      await s.startup();
      await s.prompt('Tell me a story');
      await s.messageMidTurn('One more thing: keep it short');
      await s.queuedMessageGoesIn();
    },
  },
  {
    name: 'new-session',
    // opencode draws a random tip under its input on the home screen once the project has a
    // session (not on a first start in a fresh HOME): "/new" after a turn brings the home back.
    only: ['opencode'],
    turns: () => [
      { text: 'Hello! A short answer in the first session.', delay_ms_per_word: 80 },
      { text: 'And this is the new session answering. Done.', delay_ms_per_word: 80 },
    ],
    async run(s) {
      await s.startup();
      await s.prompt('Please say hello');
      await s.replyEnds('first answer');
      await s.command('/new');
      await s.prompt('Hello again');
      await s.replyEnds('answer in the new session');
    },
  },
  {
    name: 'interrupt',
    turns: () => [{ text: `${LONG_ANSWER} ${LONG_ANSWER}`, delay_ms_per_word: 150 }],
    async run(s) {
      await s.startup();
      await s.prompt('Tell me a long story');
      await s.interrupt();
    },
  },
];
