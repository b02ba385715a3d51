/**
 * Keys while a dialog, a text field or the help has the keyboard: the filter, the message being
 * written, the spawn form, the kill question. Submitting calls the daemon; a refusal leaves the
 * dialog open with its text, and says why on the status bar.
 */
import os from 'node:os';
import path from 'node:path';
import type { TuiContext } from './commands.ts';
import { submitSearch } from './reader.ts';
import { SPAWN_FIELDS, withAgent, withoutAgent, type Mode, type SpawnForm } from './state.ts';
import { editText } from './text-field.ts';

const NORMAL: Mode = { kind: 'normal' };

function setMode(context: TuiContext, mode: Mode): void {
  context.store.update((s) => ({ ...s, mode }));
}

function resolveFolder(value: string, base: string): string {
  const folder = value.trim() || base;
  return folder === '~' || folder.startsWith('~/') ? path.join(os.homedir(), folder.slice(1)) : path.resolve(base, folder);
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
  try {
    const agent = await client.call('agents.spawn', {
      provider,
      ...(name ? { name } : {}),
      cwd: resolveFolder(form.cwd.value, context.cwd),
      ...(form.worktree.value.trim() ? { worktree: form.worktree.value.trim() } : {}),
      ...(form.prompt.value.trim() ? { prompt: form.prompt.value.trim() } : {}),
    });
    store.update((s) => ({ ...withAgent(s, agent), selectedAgent: agent.id, pane: 'agents', filter: '', mode: NORMAL }));
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
  const focus = (delta: number) => update({ focus: SPAWN_FIELDS[Math.min(SPAWN_FIELDS.length - 1, Math.max(0, at + delta))]! });
  if (name === 'esc') return setMode(context, NORMAL);
  if (name === 'tab' || name === 'down') return focus(1);
  if (name === 'shift-tab' || name === 'up') return focus(-1);
  if (name === 'enter') return at === SPAWN_FIELDS.length - 1 ? void spawn(context, form) : focus(1);
  if (form.focus === 'provider') {
    const count = form.providers.length;
    if (name === 'left') update({ provider: (form.provider - 1 + count) % count });
    if (name === 'right') update({ provider: (form.provider + 1) % count });
    return;
  }
  const field = form.focus;
  const edit = editText(form[field], name, input);
  if (edit.kind === 'changed') update({ [field]: edit.field });
}

/** Handles a key while `mode` (not normal) has the keyboard. */
export function dialogKey(context: TuiContext, mode: Exclude<Mode, { kind: 'normal' }>, name: string, input: string): void {
  const { store } = context;
  switch (mode.kind) {
    case 'help':
      return setMode(context, NORMAL);
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
