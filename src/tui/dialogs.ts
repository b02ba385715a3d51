/**
 * Keys while a dialog, a text field or the help has the keyboard: the filter, the message being
 * written, the spawn form, the kill question. Submitting calls the daemon; a refusal leaves the
 * dialog open with its text, and says why on the status bar.
 */
import path from 'node:path';
import { parse } from 'shell-quote';
import type { TuiContext } from './commands.ts';
import { completeFolder, resolveFolder } from './folder-completion.ts';
import { scrollHelp } from './help.ts';
import { submitSearch } from './reader.ts';
import { hostOf, SPAWN_FIELDS, withAgent, withoutAgent, type Mode, type SpawnForm } from './state.ts';
import { editText, textField } from './text-field.ts';

const NORMAL: Mode = { kind: 'normal' };

function setMode(context: TuiContext, mode: Mode): void {
  context.store.update((s) => ({ ...s, mode }));
}

/** The extra-arguments field as a shell splits it (quotes, escapes); undefined when it holds more than words (a pipe, a glob, a $VAR). */
function splitArgs(text: string): string[] | undefined {
  let variable = false;
  const words = parse(text, () => {
    variable = true;
    return '';
  });
  return !variable && words.every((word) => typeof word === 'string') ? (words as string[]) : undefined;
}

async function sendMessage(context: TuiContext, to: string, body: string): Promise<void> {
  const { store, client } = context;
  try {
    await client.call('inbox.send', { to, body });
    setMode(context, NORMAL);
    store.tell(`queued for ${to}: delivered when it is ready`);
  } catch (error) {
    store.fail(`message to ${to}`, error);
  }
}

async function spawn(context: TuiContext, form: SpawnForm): Promise<void> {
  const { store, client } = context;
  const provider = form.providers[form.provider]!;
  // Without a name the daemon picks one (provider-N).
  const name = form.name.value.trim();
  const args = splitArgs(form.args.value);
  if (!args) return store.tell('extra arguments: words only, quoted as in a shell (no pipes, globs or $variables: drover runs no shell)', true);
  const cwd = resolveFolder(form.cwd.value, context.cwd);
  try {
    const agent = await client.call('agents.spawn', {
      provider,
      ...(name ? { name } : {}),
      cwd,
      ...(args.length ? { args } : {}),
      ...(form.worktree.value.trim() ? { worktree: form.worktree.value.trim() } : {}),
      ...(form.prompt.value.trim() ? { prompt: form.prompt.value.trim() } : {}),
    });
    store.update((s) => ({
      ...withAgent(s, agent),
      selectedAgent: agent.id,
      pane: 'agents',
      filter: '',
      mode: NORMAL,
      spawnFolders: { ...s.spawnFolders, [provider]: cwd },
    }));
    store.tell(`spawned ${agent.name} (${agent.provider})`);
  } catch (error) {
    store.fail(`spawn ${name || provider}`, error);
  }
}

async function kill(context: TuiContext, agent: string, name: string): Promise<void> {
  try {
    await context.client.call('agents.kill', { agent });
    context.store.tell(`killing ${name}: hung up, SIGKILL in 3 s if it lingers`);
  } catch (error) {
    context.store.fail(`kill ${name}`, error);
  }
}

async function remove(context: TuiContext, agent: string, name: string): Promise<void> {
  try {
    const { removed } = await context.client.call('agents.remove', { agent });
    context.store.update((s) => withoutAgent(s, agent));
    const [gone] = removed;
    const where = gone ? `; its recordings stay in ${path.dirname(gone.recording)}` : '';
    const failed = gone?.failedMessages ? `; ${gone.failedMessages} queued message(s) marked failed` : '';
    context.store.tell(`removed ${name}${where}${failed}`);
  } catch (error) {
    context.store.fail(`remove ${name}`, error);
  }
}

async function rename(context: TuiContext, agent: string, from: string, to: string): Promise<void> {
  const { store, client } = context;
  try {
    const { previousName, movedMessages, ...renamed } = await client.call('agents.rename', { agent, name: to });
    store.update((s) => ({ ...withAgent(s, renamed), mode: NORMAL }));
    store.tell(`renamed ${previousName} to ${renamed.name}${movedMessages ? `; ${movedMessages} queued message(s) follow it` : ''}`);
  } catch (error) {
    // The prompt closes so the refusal shows on the status line (N opens it again).
    setMode(context, NORMAL);
    store.fail(`rename ${from}`, error);
  }
}

function spawnKey(context: TuiContext, form: SpawnForm, name: string, input: string): void {
  const at = SPAWN_FIELDS.indexOf(form.focus);
  const update = (changes: Partial<SpawnForm>) => setMode(context, { kind: 'spawn', form: { ...form, ...changes } });
  const focus = (delta: number) => update({ focus: SPAWN_FIELDS[Math.min(SPAWN_FIELDS.length - 1, Math.max(0, at + delta))]!, completions: [] });
  if (name === 'esc') return setMode(context, NORMAL);
  if (name === 'tab' && form.focus === 'cwd') return completeCwd(context, form, update, () => focus(1));
  if (name === 'tab' || name === 'down') return focus(1);
  if (name === 'shift-tab' || name === 'up') return focus(-1);
  if (name === 'enter') return at === SPAWN_FIELDS.length - 1 ? void spawn(context, form) : focus(1);
  if (form.focus === 'provider') {
    const count = form.providers.length;
    const choose = (provider: number) => {
      // A folder the user has not typed follows the provider: the one it was last spawned in.
      const folder = context.store.getState().spawnFolders[form.providers[provider]!] ?? context.cwd;
      update({ provider, ...(form.cwdTyped ? {} : { cwd: textField(folder) }) });
    };
    if (name === 'left') choose((form.provider - 1 + count) % count);
    if (name === 'right') choose((form.provider + 1) % count);
    return;
  }
  const field = form.focus;
  const edit = editText(form[field], name, input);
  if (edit.kind === 'changed') update({ [field]: edit.field, ...(field === 'cwd' ? { cwdTyped: true, completions: [] } : {}) });
}

/** Tab in the folder field: completes it from this machine's disk, or moves on when nothing completes (or the folder is a host's). */
function completeCwd(context: TuiContext, form: SpawnForm, update: (changes: Partial<SpawnForm>) => void, moveOn: () => void): void {
  if (hostOf(form.providers[form.provider]!)) return moveOn();
  const { value, candidates } = completeFolder(form.cwd.value, context.cwd);
  if (value === form.cwd.value && candidates.length === 0) return moveOn();
  update({ cwd: textField(value), cwdTyped: true, completions: candidates });
}

/** Handles a key while `mode` (not normal) has the keyboard. */
export function dialogKey(context: TuiContext, mode: Exclude<Mode, { kind: 'normal' }>, name: string, input: string): void {
  const { store } = context;
  switch (mode.kind) {
    case 'help': {
      const top = scrollHelp(store.getState().size, mode.top, name);
      return setMode(context, top === undefined ? NORMAL : { kind: 'help', top });
    }
    case 'kill':
      setMode(context, NORMAL);
      return name === 'y' ? void kill(context, mode.agent, mode.name) : store.tell(`kept ${mode.name}`);
    case 'remove':
      setMode(context, NORMAL);
      return name === 'y' ? void remove(context, mode.agent, mode.name) : store.tell(`kept ${mode.name}`);
    case 'rename': {
      const edit = editText(mode.text, name, input);
      if (edit.kind === 'cancel') return setMode(context, NORMAL);
      if (edit.kind === 'changed') return setMode(context, { ...mode, text: edit.field });
      if (edit.kind === 'submit') {
        const to = mode.text.value.trim();
        if (!to || to === mode.name) return setMode(context, NORMAL);
        return void rename(context, mode.agent, mode.name, to);
      }
      return;
    }
    case 'filter': {
      const edit = editText(mode.text, name, input);
      if (edit.kind === 'submit') return setMode(context, NORMAL);
      if (edit.kind === 'cancel') return store.update((s) => ({ ...s, filter: '', mode: NORMAL }));
      if (edit.kind === 'changed') store.update((s) => ({ ...s, filter: edit.field.value, mode: { kind: 'filter', text: edit.field } }));
      return;
    }
    case 'compose': {
      const edit = editText(mode.text, name, input);
      if (edit.kind === 'cancel') return setMode(context, NORMAL);
      if (edit.kind === 'changed') return setMode(context, { ...mode, text: edit.field });
      if (edit.kind === 'submit') {
        const body = mode.text.value.trim();
        return body ? void sendMessage(context, mode.to, body) : store.tell('nothing to send: type the message, or esc');
      }
      return;
    }
    case 'spawn':
      return spawnKey(context, mode.form, name, input);
    case 'search': {
      const edit = editText(mode.text, name, input);
      if (edit.kind === 'cancel') return setMode(context, NORMAL);
      if (edit.kind === 'changed') return setMode(context, { ...mode, text: edit.field });
      if (edit.kind === 'submit') submitSearch(context, mode.text.value);
      return;
    }
  }
}
