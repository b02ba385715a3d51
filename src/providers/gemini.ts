/**
 * Gemini CLI. A spinner line "⠧ Thinking... (esc to cancel, 5s)" sits above one rule; under it,
 * the " >   Type your message" input and a footer. Tool approvals are a rounded box with
 * "Allow execution of [Tool]?" / "Apply this change?" and "● 1. Allow once" options.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defineProvider } from './define.ts';
import { boxedApproval, lastAnswerReader } from './gemini-family.ts';

/** Where Gemini CLI reads the machine's system settings (its own default, unless the user moved it). */
function systemSettingsPath(): string {
  if (process.env.GEMINI_CLI_SYSTEM_SETTINGS_PATH) return process.env.GEMINI_CLI_SYSTEM_SETTINGS_PATH;
  return process.platform === 'darwin' ? '/Library/Application Support/GeminiCli/settings.json' : '/etc/gemini-cli/settings.json';
}

/**
 * Gemini takes MCP servers only from settings files; it merges `mcpServers` across its scopes. So
 * this launch gets its own system-scope file: the machine's system settings as they are, plus
 * drover's server (the user's ~/.gemini and the project's .gemini stay untouched and still apply).
 */
function registerMcp({ dir, server }: { dir: string; server: { command: string; args: string[]; env: Record<string, string> } }) {
  const system = systemSettingsPath();
  const machine = existsSync(system) ? (JSON.parse(readFileSync(system, 'utf8')) as { mcpServers?: object }) : {};
  const file = path.join(dir, 'gemini-system-settings.json');
  writeFileSync(file, JSON.stringify({ ...machine, mcpServers: { ...machine.mcpServers, drover: server } }, null, 2), { mode: 0o600 });
  return {
    args: [],
    env: {
      GEMINI_CLI_SYSTEM_SETTINGS_PATH: file,
      // Gemini looks for system defaults beside the system settings: keep them where they are.
      GEMINI_CLI_SYSTEM_DEFAULTS_PATH: process.env.GEMINI_CLI_SYSTEM_DEFAULTS_PATH || path.join(path.dirname(system), 'system-defaults.json'),
    },
  };
}

export const gemini = defineProvider({
  id: 'gemini',
  displayName: 'Gemini CLI',
  settleMs: 300,
  // The banner and the footer redraw for a moment after start; the spinner line (and the title,
  // always watched) say whether Gemini is still moving.
  settleRegions: [{ above_prompt_box: 1 }],
  doneAfterWork: true,
  initialStatus: 'starting',
  launch: { command: 'gemini', args: [], env: {}, install: 'npm install -g @google/gemini-cli' },
  resumeArgs: (sessionId) => ['--resume', sessionId],
  parsePermission: boxedApproval.parse,
  lastResponse: lastAnswerReader(1, /^ > /),
  mcp: registerMcp,
  rules: [
    {
      id: 'gemini.permission',
      state: 'needs_permission',
      priority: 100,
      region: 'viewport',
      match: boxedApproval.match,
      detail: boxedApproval.detail,
    },
    {
      // ask_user: an "Answer Questions" box with numbered choices.
      id: 'gemini.question',
      state: 'needs_input',
      priority: 95,
      region: 'viewport',
      match: { all: [{ line_regex: '^[\\s│]*Answer Questions' }, { contains: 'Enter to select' }] },
      detail: 'Answer Questions[\\s│]*\\n[\\s│]*\\n[\\s│]*([^│\\n]+?)[\\s│]*\\n',
    },
    {
      id: 'gemini.working',
      state: 'working',
      priority: 50,
      region: { above_prompt_box: 3 },
      match: { line_regex: '\\(esc to cancel, \\d' },
      detail: '^\\s*\\S\\s+([^(\\n]+?)\\s*\\(esc to cancel',
    },
    {
      // Gemini names its state in the window title: "✦  Working… (dir)", "◇  Ready (dir)",
      // "✋  Action Required (dir)" (the screen says whether that is a permission or a question).
      id: 'gemini.title-busy',
      state: 'working',
      priority: 45,
      region: 'title',
      match: { regex: '^✦ ' },
    },
    {
      id: 'gemini.api-error',
      state: 'error',
      priority: 40,
      region: { above_prompt_box: 5 },
      match: { regex: '(?:^|\\n)✕ \\[API Error[^\\n]*(?:\\n(?! > )[^\\n]*)*$' },
      detail: '✕ \\[(API Error[^\\n]{0,60})',
    },
    {
      id: 'gemini.title-ready',
      state: 'idle',
      priority: 11,
      region: 'title',
      match: { regex: '^◇ ' },
    },
    {
      id: 'gemini.input',
      state: 'idle',
      priority: 10,
      region: 'after_last_rule',
      match: { line_regex: '^\\s*>\\s' },
    },
  ],
});
