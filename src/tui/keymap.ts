/**
 * Every key the TUI takes, as data: the input handler looks keys up here and the help overlay is
 * generated from it, so the two cannot disagree.
 */
import type { Key } from 'ink';
import type { Pane } from './state.ts';

export type Command =
  | 'down'
  | 'up'
  | 'first'
  | 'last'
  | 'nextPane'
  | 'previousPane'
  | 'message'
  | 'messageInEditor'
  | 'filter'
  | 'help'
  | 'quit'
  | 'attach'
  | 'spawn'
  | 'kill'
  | 'remove'
  | 'rename'
  | 'restart'
  | 'resume'
  | 'approveOnce'
  | 'approveAlways'
  | 'deny'
  | 'retry'
  | 'scrollBack'
  | 'zoom'
  | 'wrap'
  | 'transcript'
  | 'diff'

  | 'dismiss'
  | 'dismissRead';

export interface Binding {
  /** Key names as keyName() gives them; the first is shown first in the help. */
  keys: string[];
  command: Command;
  help: string;
  /** A word for the status bar's key hints; bindings without one are only in the help. */
  hint?: string;
  /** Where it applies: every pane, or one. */
  pane: Pane | 'any';
  /** Hinted only while the selected agent has exited (and then first): what one does with a dead agent. */
  hintWhenExited?: true;
}

export const bindings: readonly Binding[] = [
  { keys: ['?'], command: 'help', help: 'this help', hint: 'help', pane: 'any' },
  { keys: ['q'], command: 'quit', help: 'quit; agents run on', hint: 'quit', pane: 'any' },
  { keys: ['tab'], command: 'nextPane', help: 'next pane', hint: 'pane', pane: 'any' },
  { keys: ['shift-tab'], command: 'previousPane', help: 'previous pane', pane: 'any' },
  { keys: ['j', 'down'], command: 'down', help: 'next item', pane: 'any' },
  { keys: ['k', 'up'], command: 'up', help: 'previous item', pane: 'any' },
  { keys: ['g', 'home'], command: 'first', help: 'first item', pane: 'any' },
  { keys: ['G', 'end'], command: 'last', help: 'last item', pane: 'any' },
  { keys: ['m'], command: 'message', help: 'message selected agent', hint: 'message', pane: 'any' },
  { keys: ['e'], command: 'messageInEditor', help: 'message it from $EDITOR', pane: 'any' },
  { keys: ['/'], command: 'filter', help: 'filter the agents', hint: 'filter', pane: 'any' },
  { keys: ['pageup'], command: 'scrollBack', help: 'scroll the preview back', hint: 'scroll', pane: 'any' },
  { keys: ['z'], command: 'zoom', help: 'zoom the preview or back', hint: 'zoom', pane: 'any' },
  { keys: ['w'], command: 'wrap', help: 'wrap or crop long lines', pane: 'any' },
  { keys: ['enter'], command: 'attach', help: 'attach to the agent', hint: 'attach', pane: 'agents' },
  { keys: ['s'], command: 'spawn', help: 'spawn a new agent', hint: 'spawn', pane: 'agents' },
  { keys: ['x'], command: 'kill', help: 'kill it (asks first)', hint: 'kill', pane: 'agents' },
  { keys: ['R'], command: 'restart', help: 'restart it with the same settings', hint: 'restart', pane: 'agents', hintWhenExited: true },
  { keys: ['r'], command: 'resume', help: 'resume an exited agent into its session', hint: 'resume', pane: 'agents', hintWhenExited: true },
  { keys: ['d'], command: 'remove', help: 'remove an exited agent (asks first)', hint: 'remove', pane: 'agents', hintWhenExited: true },
  { keys: ['N'], command: 'rename', help: 'rename it', pane: 'agents' },
  { keys: ['t'], command: 'transcript', help: 'read its transcript', hint: 'transcript', pane: 'agents' },
  { keys: ['D'], command: 'diff', help: 'read its diff (by git)', hint: 'diff', pane: 'agents' },
  { keys: ['y'], command: 'approveOnce', help: 'approve once', hint: 'once', pane: 'approvals' },
  { keys: ['a'], command: 'approveAlways', help: 'always (when offered)', hint: 'always', pane: 'approvals' },
  { keys: ['n'], command: 'deny', help: 'deny', hint: 'deny', pane: 'approvals' },
  { keys: ['enter'], command: 'attach', help: 'attach to the asker', hint: 'attach', pane: 'approvals' },
  { keys: ['r'], command: 'retry', help: 'resend a failed message', hint: 'retry', pane: 'inbox' },
  { keys: ['d'], command: 'dismiss', help: 'dismiss your message or notice', hint: 'dismiss', pane: 'inbox' },
  { keys: ['D'], command: 'dismissRead', help: 'dismiss every one you have read', pane: 'inbox' },
  { keys: ['enter'], command: 'attach', help: 'attach to its agent', hint: 'attach', pane: 'inbox' },
];

/** Keys of the text fields, dialogs and overlays (handled by their own code), for the help. */
export const modeKeys: readonly { title: string; keys: readonly [string, string][] }[] = [
  {
    title: 'text fields (message, filter, spawn, rename, search)',
    keys: [
      ['enter', 'send / accept'],
      ['esc', 'cancel (filter: clear)'],
      ['left right', 'move the cursor'],
      ['backspace', 'delete a character'],
      ['C-u', 'clear the field'],
    ],
  },
  {
    title: 'spawn dialog',
    keys: [
      ['tab down', 'next field (enter too)'],
      ['tab', 'in folder: complete it'],
      ['shift-tab up', 'previous field'],
      ['left right', 'choose the provider'],
      ['enter', 'spawn (last field)'],
    ],
  },
  {
    title: 'reading (pgup, t, D): the scrollback, transcript, diff',
    keys: [
      ['j k down up', 'a line'],
      ['pgdn pgup', 'a page (space b too); pgdn at the end: live'],
      ['g G home end', 'the top / the end'],
      ['h l left right', 'sideways (lines not wrapped)'],
      ['w z', 'wrap / zoom, as in the panes'],
      ['/', 'search (enter finds; smart case)'],
      ['n N', 'next / previous match'],
      ['esc q', 'back to the live preview'],
    ],
  },
  { title: 'this help, when it does not fit', keys: [['j k pgdn pgup', 'scroll it (g G: top / end)'], ['any other', 'close it']] },
  { title: 'kill and remove dialogs', keys: [['y', 'kill / remove it'], ['any other', 'keep it']] },
];

/** Ink's key event as one name: "j", "G", "enter", "shift-tab", "C-u", … */
export function keyName(input: string, key: Key): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'esc';
  if (key.tab) return key.shift ? 'shift-tab' : 'tab';
  // Terminals send DEL (0x7f) for backspace, which Ink names "delete".
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input.length === 1) return `C-${input}`;
  return input;
}

const CONTROL_NAMES: Record<string, string> = { '\r': 'enter', '\n': 'enter', '\t': 'tab', '\x7f': 'backspace', '\b': 'backspace', '\x1b': 'esc' };

/** The name of one character from a chunk of several (see splitKeys). */
export function charName(char: string): string {
  const named = CONTROL_NAMES[char];
  if (named) return named;
  const code = char.charCodeAt(0);
  return code < 0x20 ? `C-${String.fromCharCode(code + 0x60)}` : char;
}

/**
 * Ink hands over what one read of the terminal gave: several keys when they were typed fast, came
 * over a slow link, or were pasted. Split into control characters and runs of printable text.
 */
export function splitKeys(chunk: string): string[] {
  return chunk.match(/[\x00-\x1f\x7f]|[^\x00-\x1f\x7f]+/g) ?? [];
}

export function bindingFor(name: string, pane: Pane): Binding | undefined {
  return bindings.find((b) => b.keys.includes(name) && (b.pane === pane || b.pane === 'any'));
}

/** "G end" for the help and the hints. */
export function keysLabel(binding: { keys: readonly string[] }): string {
  return binding.keys.join(' ');
}
