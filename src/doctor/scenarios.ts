/**
 * What the mock model says in the standard scenarios, per CLI where the CLIs differ: the long
 * answer, the shell command that makes a CLI ask first, each CLI's own question tool. drover doctor
 * and the fixture recorder (test/recorder) script the same turns.
 */
import type { MockableProvider } from './homes.ts';
import type { Turn } from './mock-model/server.ts';

export const LONG_ANSWER =
  'Hello! I am the mock model. I am streaming this answer slowly, one word at a time, so that the terminal ' +
  'shows the agent working for a while before the turn finishes. Each word arrives on its own, and the ' +
  'screen keeps changing while the answer grows. That is all for now.';

/**
 * A question tool call in the shape the CLI's own question tool takes; undefined for a CLI drover
 * knows none of (Qwen Code 0.15 has none; Codex offers request_user_input only in Plan mode).
 */
export function questionCall(provider: MockableProvider): (Turn & { tool: { name: string } }) | undefined {
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
      return undefined;
  }
}

/**
 * A file for a tool call to touch so that the CLI asks first: outside the project, except for
 * Copilot CLI, which asks before every command in its default mode, and asks twice (path access,
 * then the command) for one outside.
 */
export function askingPath(outside: string, provider: MockableProvider, file: string): string {
  return provider === 'copilot' ? file : `${outside}/${file}`;
}
