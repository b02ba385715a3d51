/**
 * What each key of the keymap does in the panes. Daemon calls report their failure on the status
 * bar; leaving the TUI (attach, $EDITOR, quit) is asked of the runner through `leave`.
 */
import type { Client } from '../client/client.ts';
import type { Command } from './keymap.ts';
import {
  cyclePane,
  moveSelection,
  offersAlways,
  selectedAgent,
  selectedApproval,
  selectedMessage,
  hostOf,
  unread,
  withAgent,
  withApproval,
  withMessage,
  type SpawnForm,
  type TuiState,
} from './state.ts';
import { keepingPlace, openReader } from './reader.ts';
import type { TuiStore } from './store.ts';
import { textField } from './text-field.ts';

/** Why the Ink screen is left, for the runner to act on. */
export type Leave = { kind: 'quit' } | { kind: 'attach'; agent: string } | { kind: 'editor'; to: string };

export interface TuiContext {
  store: TuiStore;
  client: Client;
  leave(to: Leave): void;
  /** Installed providers, for the spawn dialog. */
  providers: string[];
  /** Where a new agent runs by default. */
  cwd: string;
}

/** The agent an item in the focused pane is about (for enter). */
function agentOfFocus(state: TuiState): string | undefined {
  switch (state.pane) {
    case 'agents':
      return selectedAgent(state)?.id;
    case 'approvals':
      return selectedApproval(state)?.agent;
    case 'inbox': {
      const message = selectedMessage(state);
      if (!message) return undefined;
      const other = message.to === 'user' ? message.from : message.to;
      return state.agents.find((a) => a.name === other)?.id;
    }
  }
}

async function answer(context: TuiContext, choice: 'once' | 'always' | 'deny'): Promise<void> {
  const { store, client } = context;
  const approval = selectedApproval(store.getState());
  if (!approval) return store.tell('nothing waits for approval');
  if (choice === 'always' && !offersAlways(approval)) {
    return store.tell(`${approval.agentName}'s prompt offers no "always" option (y approves once)`, true);
  }
  try {
    const answered = await client.call('approvals.answer', { id: approval.id, answer: choice });
    store.update((s) => withApproval(s, answered));
    store.tell(`${choice === 'deny' ? 'denied' : choice === 'always' ? 'approved always' : 'approved once'}: ${approval.agentName} ${approval.tool}`);
  } catch (error) {
    store.fail(`answering ${approval.agentName}`, error);
  }
}

async function retry({ store, client }: TuiContext): Promise<void> {
  const message = selectedMessage(store.getState());
  if (message?.state !== 'failed') return store.tell('only a failed message can be sent again');
  try {
    const queued = await client.call('inbox.retry', { id: message.id });
    store.update((s) => withMessage(s, queued));
    store.tell(`queued again for ${queued.to}`);
  } catch (error) {
    store.fail('inbox.retry', error);
  }
}

/** Takes messages out of the user's inbox: the selected one, or every one read (per host: each daemon has its own). */
async function dismiss({ store, client }: TuiContext, which: 'selected' | 'read'): Promise<void> {
  const state = store.getState();
  const selected = selectedMessage(state);
  if (which === 'selected' && selected?.to !== 'user') {
    return store.tell(selected ? `only your own messages and notices are dismissed (this one is to ${selected.to})` : 'nothing to dismiss');
  }
  const chosen = which === 'selected' ? [selected!] : state.messages.filter((m) => m.to === 'user' && !unread(m));
  if (chosen.length === 0) return store.tell('nothing read to dismiss (• marks what you have not read)');
  const byHost = new Map<string, string[]>();
  for (const m of chosen) byHost.set(hostOf(m.id), [...(byHost.get(hostOf(m.id)) ?? []), m.id]);
  try {
    const results = await Promise.all([...byHost.values()].map((ids) => client.call('inbox.dismiss', { ids })));
    const dismissed = results.flatMap((r) => r.messages);
    store.update((s) => dismissed.reduce(withMessage, s));
    store.tell(`dismissed ${dismissed.length === 1 ? `"${dismissed[0]!.body.slice(0, 40)}"` : `${dismissed.length} messages`}`);
  } catch (error) {
    store.fail('dismiss', error);
  }
}

/** Starts the selected agent again: as it was (`restart`), or into its session (`resume`). */
async function relaunch({ store, client }: TuiContext, mode: 'restart' | 'resume'): Promise<void> {
  const agent = selectedAgent(store.getState());
  if (!agent) return store.tell('no agent selected');
  if (mode === 'resume' && agent.status !== 'exited') return store.tell(`${agent.name} is running: nothing to resume (R restarts it)`, true);
  try {
    const started = await client.call(mode === 'restart' ? 'agents.restart' : 'agents.resume', { agent: agent.id });
    store.update((s) => withAgent(s, started));
    store.tell(`${mode === 'restart' ? 'restarted' : 'resumed'} ${started.name}`);
  } catch (error) {
    store.fail(`${mode} ${agent.name}`, error);
  }
}

export function runCommand(command: Command, context: TuiContext): void {
  const { store, leave } = context;
  const state = store.getState();
  const agent = selectedAgent(state);
  const needAgent = (then: (name: string, id: string) => void) => (agent ? then(agent.name, agent.id) : store.tell('no agent selected'));
  switch (command) {
    case 'down':
      return store.update((s) => moveSelection(s, 1));
    case 'up':
      return store.update((s) => moveSelection(s, -1));
    case 'first':
      return store.update((s) => moveSelection(s, -Infinity));
    case 'last':
      return store.update((s) => moveSelection(s, Infinity));
    case 'nextPane':
      return store.update((s) => cyclePane(s, 1));
    case 'previousPane':
      return store.update((s) => cyclePane(s, -1));
    case 'message':
      return needAgent((to) => store.update((s) => ({ ...s, mode: { kind: 'compose', to, text: textField() } })));
    case 'messageInEditor':
      return needAgent((to) => leave({ kind: 'editor', to }));
    case 'filter':
      return store.update((s) => ({ ...s, pane: 'agents', mode: { kind: 'filter', text: textField(s.filter) } }));
    case 'help':
      return store.update((s) => ({ ...s, mode: { kind: 'help', top: 0 } }));
    case 'quit':
      return leave({ kind: 'quit' });
    case 'attach': {
      if (state.pane === 'agents' && agent?.status === 'exited') {
        return store.tell(`${agent.name} has exited: R restarts it, r resumes its session, d removes it`);
      }
      const target = agentOfFocus(state);
      return target ? leave({ kind: 'attach', agent: target }) : store.tell('no agent to attach to here');
    }
    case 'spawn': {
      if (context.providers.length === 0) return store.tell('spawn: no agent CLI found on PATH (not even a shell)', true);
      const preferred = Math.max(0, context.providers.indexOf(agent?.provider ?? ''));
      const form: SpawnForm = {
        providers: context.providers,
        provider: preferred,
        focus: 'provider',
        name: textField(),
        cwd: textField(state.spawnFolders[context.providers[preferred]!] ?? context.cwd),
        cwdTyped: false,
        completions: [],
        args: textField(),
        worktree: textField(),
        prompt: textField(),
      };
      return store.update((s) => ({ ...s, mode: { kind: 'spawn', form } }));
    }
    case 'kill':
      return needAgent((name, id) => store.update((s) => ({ ...s, mode: { kind: 'kill', agent: id, name } })));
    case 'remove':
      return needAgent((name, id) =>
        agent?.status === 'exited'
          ? store.update((s) => ({ ...s, mode: { kind: 'remove', agent: id, name } }))
          : store.tell(`${name} is running: x kills it first`, true),
      );
    case 'rename':
      return needAgent((name, id) => store.update((s) => ({ ...s, mode: { kind: 'rename', agent: id, name, text: textField(name) } })));
    case 'restart':
      return void relaunch(context, 'restart');
    case 'resume':
      return void relaunch(context, 'resume');
    case 'approveOnce':
      return void answer(context, 'once');
    case 'approveAlways':
      return void answer(context, 'always');
    case 'deny':
      return void answer(context, 'deny');
    case 'retry':
      return void retry(context);
    case 'scrollBack':
      return void openReader(context, 'scrollback');
    case 'transcript':
      return void openReader(context, 'transcript');
    case 'diff':
      return void openReader(context, 'diff');
    case 'zoom':
      return store.update((s) => keepingPlace(s, (t) => ({ ...t, zoom: !t.zoom })));
    case 'wrap':
      return store.update((s) => keepingPlace(s, (t) => ({ ...t, wrap: !t.wrap })));
    case 'dismiss':
      return void dismiss(context, 'selected');
    case 'dismissRead':
      return void dismiss(context, 'read');
  }
}
