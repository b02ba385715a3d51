/**
 * What the TUI shows, as one immutable value: the daemon's agents, inbox and approvals as last
 * heard, and the user's place in them (pane, selections, filter, the open dialog). Pure functions
 * only: the store (store.ts) holds the value, the daemon link (daemon-link.ts) feeds it.
 */
import type { AgentSummary, ApprovalView, MessageView, ScreenState } from '../protocol/schema.ts';
import { NEEDS_USER_STATUSES, type Status } from '../status/status.ts';

export const PANES = ['agents', 'approvals', 'inbox'] as const;
export type Pane = (typeof PANES)[number];

/** A single-line text being edited: its value and the cursor (an index into it). */
export interface TextField {
  value: string;
  cursor: number;
}

export const SPAWN_FIELDS = ['provider', 'name', 'cwd', 'args', 'worktree', 'prompt'] as const;
export type SpawnField = (typeof SPAWN_FIELDS)[number];

export interface SpawnForm {
  /** Installed providers to choose from, and the chosen one. */
  providers: string[];
  provider: number;
  focus: SpawnField;
  name: TextField;
  cwd: TextField;
  /** Until the user types in it, the folder follows the provider chosen: the one it was last spawned in. */
  cwdTyped: boolean;
  /** The folders tab found in the folder field, when it could be more than one. */
  completions: string[];
  /** Extra arguments for the CLI, as a shell would split them. */
  args: TextField;
  worktree: TextField;
  prompt: TextField;
}

/** What takes the keyboard besides the panes. */
export type Mode =
  | { kind: 'normal' }
  | { kind: 'help'; top: number }
  | { kind: 'filter'; text: TextField }
  | { kind: 'compose'; to: string; text: TextField }
  | { kind: 'spawn'; form: SpawnForm }
  | { kind: 'kill'; agent: string; name: string }
  | { kind: 'remove'; agent: string; name: string }
  | { kind: 'rename'; agent: string; name: string; text: TextField }
  | { kind: 'search'; text: TextField };

export interface Notice {
  text: string;
  error: boolean;
}

/** The selected agent's screen, or why there is none. */
/** The previewed agent, and why its screen cannot be shown (its rows are painted outside Ink: PreviewPainter). */
export type Preview = { agent: string; error?: string };

export type StyledRun = NonNullable<ScreenState['styled']>[number][number];

/** What a reader shows: the agent's terminal scrolled back (frozen when it opened), its recording as text, its changes. */
export type ReaderView = 'scrollback' | 'transcript' | 'diff';

/** A place in a reader's text: a line, and a UTF-16 index into its text. */
export interface TextPlace {
  line: number;
  index: number;
}

/** Text the user reads at leisure, scrolled and searched (reader.ts): in the preview pane, or full screen. */
export interface Reader {
  view: ReaderView;
  /** The agent's id and name. */
  agent: string;
  name: string;
  /** Its lines as styled runs and as text (for search), once loaded. */
  lines?: readonly StyledRun[][];
  text?: readonly string[];
  /** The first row shown (rows: lines as laid out, wrapped or not), and the first column (not wrapped). */
  top: number;
  left: number;
  /** The last search: its match now, which match that is (from 1) and how many there are. */
  search?: { query: string; match?: TextPlace; ordinal: number; count: number };
}

export interface TuiState {
  size: { cols: number; rows: number };
  agents: AgentSummary[];
  /** Undelivered and failed messages, and the user's inbox (not dismissed), newest first. */
  messages: MessageView[];
  /** Pending permission requests, oldest first. */
  approvals: ApprovalView[];
  pane: Pane;
  /** Selections by id, so they hold while lists change. */
  selectedAgent?: string;
  selectedApproval?: string;
  selectedMessage?: string;
  filter: string;
  mode: Mode;
  preview?: Preview;
  /** The preview full screen; long lines wrapped rather than cropped (the preview and readers). */
  zoom: boolean;
  wrap: boolean;
  reader?: Reader;
  notice?: Notice;
  /** Why each daemon out of reach is, by host ("" for this machine's), while the TUI reconnects; its agents are as last heard, greyed. */
  unreachable: Record<string, string>;
  /** Why a daemon cannot write its state file, by host ("" for this machine's), while it cannot. */
  stateWriteProblems: Record<string, string>;
  /** The folder each provider was last spawned in (the daemon remembers it), the spawn dialog's default. */
  spawnFolders: Record<string, string>;
}

export function initialState(size: { cols: number; rows: number }): TuiState {
  return { size, agents: [], messages: [], approvals: [], pane: 'agents', filter: '', mode: { kind: 'normal' }, zoom: false, wrap: false, unreachable: {}, stateWriteProblems: {}, spawnFolders: {} };
}

/**
 * The host a name or id is from (`box:worker`, `box:1f2e3d4c`; names and ids hold no colon of their
 * own): "" for this machine.
 */
export function hostOf(ref: string): string {
  const at = ref.lastIndexOf(':');
  return at < 0 ? '' : ref.slice(0, at);
}

/** What the TUI last heard of a host: its agents, messages and requests. */
export function heardFrom(state: TuiState, host: string): Pick<TuiState, 'agents' | 'messages' | 'approvals'> {
  return {
    agents: state.agents.filter((a) => hostOf(a.name) === host),
    messages: state.messages.filter((m) => hostOf(m.id) === host),
    approvals: state.approvals.filter((a) => hostOf(a.id) === host),
  };
}

/** States where the agent waits for the user: marked in the list, counted, notified. */

/** The agents the filter lets through: a case-insensitive substring of name, provider or status. */
export function visibleAgents(state: TuiState): AgentSummary[] {
  const needle = state.filter.trim().toLowerCase();
  if (!needle) return state.agents;
  return state.agents.filter((a) => [a.name, a.provider, a.status].some((field) => field.toLowerCase().includes(needle)));
}

/** The selected agent if it is visible, else the first visible one. */
export function selectedAgent(state: TuiState): AgentSummary | undefined {
  const visible = visibleAgents(state);
  return visible.find((a) => a.id === state.selectedAgent) ?? visible[0];
}

/**
 * The agent in the preview: the asker of the selected request while the approvals pane has the
 * focus (its dialog is what is being answered), else the selected agent.
 */
export function previewedAgent(state: TuiState): AgentSummary | undefined {
  const asker = state.pane === 'approvals' ? selectedApproval(state)?.agent : undefined;
  return (asker && state.agents.find((a) => a.id === asker)) || selectedAgent(state);
}

export function selectedApproval(state: TuiState): ApprovalView | undefined {
  return state.approvals.find((a) => a.id === state.selectedApproval) ?? state.approvals[0];
}

/** Whether the request offers "always" (approve this and its like from now on). */
export function offersAlways(approval: ApprovalView): boolean {
  return approval.options.some((o) => o.choice === 'always');
}

export function selectedMessage(state: TuiState): MessageView | undefined {
  return state.messages.find((m) => m.id === state.selectedMessage) ?? state.messages[0];
}

/** Moves the focused pane's selection by `delta` (±Infinity: to an end), clamped. */
export function moveSelection(state: TuiState, delta: number): TuiState {
  const step = <T extends { id: string }>(items: T[], current: T | undefined): string | undefined => {
    if (items.length === 0) return undefined;
    const at = current ? items.indexOf(current) : 0;
    return items[Math.min(items.length - 1, Math.max(0, at + delta))]!.id;
  };
  switch (state.pane) {
    case 'agents':
      return { ...state, selectedAgent: step(visibleAgents(state), selectedAgent(state)) };
    case 'approvals':
      return { ...state, selectedApproval: step(state.approvals, selectedApproval(state)) };
    case 'inbox':
      return { ...state, selectedMessage: step(state.messages, selectedMessage(state)) };
  }
}

export function cyclePane(state: TuiState, delta: 1 | -1): TuiState {
  const at = PANES.indexOf(state.pane);
  return { ...state, pane: PANES[(at + delta + PANES.length) % PANES.length]! };
}

/** Adds an item or replaces the one with its id, keeping the list's order. */
function upsert<T extends { id: string }>(items: T[], item: T): T[] {
  const at = items.findIndex((i) => i.id === item.id);
  return at < 0 ? [...items, item] : items.map((i, index) => (index === at ? item : i));
}

/** An agent's status changed; undefined when the agent is not known here yet. */
export function withStatus(state: TuiState, agent: string, status: Status, since: number): TuiState | undefined {
  if (!state.agents.some((a) => a.id === agent)) return undefined;
  return { ...state, agents: state.agents.map((a) => (a.id === agent ? { ...a, status, since } : a)) };
}

export function withAgent(state: TuiState, agent: AgentSummary): TuiState {
  return { ...state, agents: upsert(state.agents, agent) };
}

/** An agent the daemon no longer has (removed). */
export function withoutAgent(state: TuiState, agent: string): TuiState {
  return { ...state, agents: state.agents.filter((a) => a.id !== agent) };
}

/** Whether a message belongs in the inbox pane: undelivered or failed, or the user's own until dismissed. */
function listed(message: MessageView): boolean {
  return message.to === 'user' ? !message.dismissedAt : message.state !== 'delivered';
}

/** The messages to list, newest first (each host's arrive in its own order). */
export function inboxOrder(messages: readonly MessageView[]): MessageView[] {
  return messages.filter(listed).sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
}

/** A message as the daemon now has it: listed while it is undelivered, failed, or the user's and not dismissed. */
export function withMessage(state: TuiState, message: MessageView): TuiState {
  const others = state.messages.filter((m) => m.id !== message.id);
  const messages = inboxOrder(listed(message) ? [message, ...others] : others);
  // The selected one leaving (delivered, dismissed): the selection stays at its row, not on whatever comes first.
  const at = state.messages.findIndex((m) => m.id === state.selectedMessage);
  const left = at >= 0 && !messages.some((m) => m.id === state.selectedMessage);
  return { ...state, messages, ...(left ? { selectedMessage: messages[Math.min(at, messages.length - 1)]?.id } : {}) };
}

/** Whether the user has yet to see it: a message in their own inbox not read. */
export function unread(message: MessageView): boolean {
  return message.to === 'user' && !message.readAt;
}

/** A permission request as the daemon now has it: listed while pending. */
export function withApproval(state: TuiState, approval: ApprovalView): TuiState {
  const approvals =
    approval.state === 'pending' ? upsert(state.approvals, approval) : state.approvals.filter((a) => a.id !== approval.id);
  return { ...state, approvals };
}

/** A daemon's state file stopped taking writes (`problem`), or takes them again (undefined). */
export function withStateWriteProblem(state: TuiState, host: string, problem: { message: string; since: number } | undefined): TuiState {
  const { [host]: _was, ...others } = state.stateWriteProblems;
  if (!problem) return _was === undefined ? state : { ...state, stateWriteProblems: others };
  const since = new Date(problem.since).toLocaleTimeString();
  return { ...state, stateWriteProblems: { ...others, [host]: `${problem.message} (since ${since})` } };
}

export interface Counts {
  working: number;
  needsYou: number;
  done: number;
  inbox: number;
  approvals: number;
}

export function counts(state: TuiState): Counts {
  const count = (test: (status: Status) => boolean) => state.agents.filter((a) => test(a.status)).length;
  return {
    working: count((s) => s === 'working'),
    needsYou: count((s) => NEEDS_USER_STATUSES.has(s)),
    done: count((s) => s === 'done'),
    inbox: state.messages.length,
    approvals: state.approvals.length,
  };
}
