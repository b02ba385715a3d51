/**
 * What each recording does: the mock model's turns and the person's actions, in order. Every
 * scenario starts from launch (starting → idle) and covers one of the status issue's flows.
 */
import type { Provider } from '../agents/paths.ts';
import type { Turn } from '../mock-model/server.ts';
import type { RecordingSession } from './session.ts';

export interface Scenario {
  name: string;
  /** Providers it applies to (all when absent). */
  only?: Provider[];
  turns: (outside: string, provider: Provider) => Turn[];
  run: (session: RecordingSession) => Promise<void>;
}

const LONG_ANSWER =
  'Hello! I am the mock model. I am streaming this answer slowly, one word at a time, so that the terminal ' +
  'shows the agent working for a while before the turn finishes. Each word arrives on its own, and the ' +
  'screen keeps changing while the answer grows. That is all for now.';

/** A question tool call in the shape each CLI's own question tool takes. */
function questionCall(provider: Provider): Turn {
  const options = [
    { label: 'Red', description: 'A warm colour' },
    { label: 'Blue', description: 'A cool colour' },
  ];
  const question = 'Which colour should the button be?';
  switch (provider) {
    case 'claude':
      return { tool: { name: 'AskUserQuestion', input: { questions: [{ question, header: 'Colour', options, multiSelect: false }] } } };
    case 'qwen': // 0.24 on (0.15 has none)
      return { tool: { name: 'ask_user_question', input: { questions: [{ question, header: 'Colour', options, multiSelect: false }] } } };
    case 'gemini':
      return { tool: { name: 'ask_user', input: { questions: [{ question, header: 'Colour', type: 'choice', options }] } } };
    case 'opencode':
      return { tool: { name: 'question', input: { questions: [{ question, header: 'Colour', options }] } } };
    case 'copilot': {
      // ask_user takes an elicitation form: one field, its choices an enum.
      const colour = { type: 'string', title: 'Colour', description: 'A warm or a cool colour', enum: ['red', 'blue'], enumNames: ['Red', 'Blue'] };
      return { tool: { name: 'ask_user', input: { message: question, requestedSchema: { type: 'object', properties: { colour }, required: ['colour'] } } } };
    }
    default:
      throw new Error(`${provider} has no question tool`);
  }
}

/**
 * A file for a tool call to touch so that the CLI asks first: outside the project, except for
 * Copilot CLI, which asks before every command in its default mode, and asks twice (path access,
 * then the command) for one outside.
 */
function askingPath(outside: string, provider: Provider, file: string): string {
  return provider === 'copilot' ? file : `${outside}/${file}`;
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
    turns: (_outside, provider) => [questionCall(provider), { text: 'Red it is. The button is now red.', delay_ms_per_word: 60 }],
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
    name: 'interrupt',
    turns: () => [{ text: `${LONG_ANSWER} ${LONG_ANSWER}`, delay_ms_per_word: 150 }],
    async run(s) {
      await s.startup();
      await s.prompt('Tell me a long story');
      await s.interrupt();
    },
  },
];
