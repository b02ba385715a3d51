// Strings a person watching each CLI at work would go by (observed at 120x35, test/agents/README.md).
// The drivers (drover doctor, the fixture recorder) use them to know when to act: they are not
// drover's status rules, which are what doctor checks.
import type { MockableProvider } from './homes.ts';

export interface ScreenSigns {
  /** Shown whenever the prompt accepts input. */
  ready: string;
  /** Shown only while a turn is running. */
  busy: string;
  /**
   * A row shown while the CLI runs a hook, its busy sign cut off at the edge when the hook's
   * command is long (Gemini CLI: "⠦ Executing Hook: '/usr/bin/node' '…/drover.js' hook gemini
   * AfterAgent (esc to ca"). Once the hook is over the row stays, without its spinner and without
   * the cut busy sign. At 100 columns Gemini may draw its "? for shortcuts" hint over the start of
   * that row, spinner and all ("? for shortcutsok: '/usr/bin/node' … AfterAgent (esc to ca"): the
   * cut busy sign at the row's end still says the hook runs.
   */
  hookRunning?: RegExp;
  /**
   * The window title while a turn or its hooks run (Gemini CLI: "✦  Working… (dir)"; "◇  Ready"
   * once they are over). The recorder's ready prompt needs the title not to say so: at 160 columns
   * Gemini's row for two hooks running is cut at the edge before its spinner's busy sign, and the
   * shortcuts hint can overwrite the spinner too.
   */
  busyTitle?: RegExp;
  /** Shown while a permission dialog is open. */
  permission: string;
  /** Shown while a question to the user is open (for CLIs that have a question tool). */
  question?: string;
  /** Shown once the input is drawn at start, before `ready` (where the CLI draws it later). */
  inputDrawn?: string;
  /** Shown once an Esc has cancelled a turn, where the CLI puts the prompt back into its input instead of `ready`. */
  cancelled?: string;
  /**
   * The placeholder of an empty input (absent while a message is in it): back after an Enter, the
   * message left the input (submitted or queued).
   */
  emptyInput?: string;
  /** Shown beside a message the CLI took and holds to send later (typed while it starts or works). */
  queued?: string;
}

export const SIGNS: Record<MockableProvider, ScreenSigns> = {
  claude: { ready: '? for shortcuts', busy: 'esc to interrupt', permission: 'Do you want to', question: 'Enter to select', inputDrawn: '\n❯' },
  codex: { ready: '› Ask Codex to do anything', busy: 'esc to interrupt', permission: 'Would you like to', question: 'Other' },
  gemini: {
    ready: 'Type your message',
    busy: 'esc to cancel',
    hookRunning: /^ *[\u2800-\u28ff] Executing Hooks?: |\(esc to ca?n?c?e?l? *$/m,
    busyTitle: /^✦/,
    permission: 'Allow execution of',
    question: 'Enter to select',
    emptyInput: 'Type your message',
    queued: 'Queued (press ↑ to edit)',
  },
  opencode: { ready: 'ctrl+p commands', busy: 'esc interrupt', permission: 'Permission required', question: 'enter submit', emptyInput: 'Ask anything', queued: 'QUEUED' },
  qwen: {
    ready: 'Type your message',
    busy: 'esc to cancel',
    permission: 'Allow execution of',
    cancelled: 'Request cancelled.',
    question: 'Which colour should the button be?',
    emptyInput: 'Type your message',
  },
  copilot: { ready: '/ commands', busy: 'Working', permission: 'Do you want to', question: 'enter accept' },
};

/** The screen says a turn is running (or the hooks around it). */
export function showsBusy(signs: ScreenSigns, screen: string): boolean {
  return screen.includes(signs.busy) || (signs.hookRunning?.test(screen) ?? false);
}
