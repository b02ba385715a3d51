/** The inbox and approval verbs: messages to agents, the user's notices, permission requests. */
import { parseArgs } from 'node:util';
import type { Client } from '../client/client.ts';
import { ago } from '../client/format.ts';
import { messageTooLarge } from '../protocol/limits.ts';
import type { ApprovalView, MessageView } from '../protocol/schema.ts';
import { UserError } from '../errors.ts';
import { UsageError } from './errors.ts';
import { print, withClient } from './output.ts';

/** A message's state as a word; one in the user's own inbox is new, read or dismissed. */
function stateWord(m: MessageView): string {
  if (m.to !== 'user') return m.state;
  return m.dismissedAt ? 'dismissed' : m.readAt ? 'read' : 'new';
}

function messageLine(m: MessageView): string {
  const since = ago(Date.parse(m.deliveredAt ?? m.createdAt)).padStart(4);
  const body = m.body.replace(/\s+/g, ' ');
  const error = m.error ? `\n    ${m.error}` : '';
  return `${m.id}  ${since}  ${`${m.from} → ${m.to}`.padEnd(24)} ${stateWord(m).padEnd(10)} ${body.length > 60 ? `${body.slice(0, 59)}…` : body}${error}`;
}

function approvalLine(a: ApprovalView): string {
  const options = a.options.map((o) => o.choice).filter((c) => c !== 'other');
  const decided = a.state === 'pending' ? `offers ${[...new Set(options)].join('/') || 'nothing drover can type'}` : `${a.state} by ${a.decidedBy}: ${a.reason}`;
  return `${a.id}  ${ago(Date.parse(a.createdAt)).padStart(4)}  ${a.agentName.padEnd(16)} ${a.tool}: ${a.summary}\n    ${decided}`;
}

export async function sendCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { wait: { type: 'boolean' }, json: { type: 'boolean' }, keys: { type: 'string' } },
  });
  const [name, ...words] = positionals;
  const body = words.join(' ');
  if (name && values.keys !== undefined && !body) {
    const keys = unescapeKeys(values.keys);
    return withClient(async (client) => {
      await client.call('agents.keys', { agent: name, keys });
      print(values.json, { agent: name, typed: keys }, () => `typed into ${name}`);
      return 0;
    });
  }
  if (!name || !body || values.keys !== undefined) throw new UsageError('send needs an agent and the message: drover send NAME TEXT (or NAME --keys KEYS)');
  // Checked here too: a body past a request's 1 MiB would otherwise be refused as a frame.
  const tooLarge = messageTooLarge(body);
  if (tooLarge) throw new UsageError(tooLarge);
  return withClient(async (client) => {
    const settled = values.wait ? settledMessages(client) : undefined;
    const queued = await client.call('inbox.send', { to: name, body });
    const message = settled ? await Promise.race([settled(queued.id), exitOf(client, queued.to).then(() => undefined)]) : queued;
    if (!message) {
      throw new UserError(`${queued.to} has exited: message ${queued.id} stays queued, and goes in when it runs again (drover restart ${queued.to}, or drover resume ${queued.to})`);
    }
    print(values.json, message, () => (message.state === 'pending' ? `queued ${message.id} for ${message.to}` : messageLine(message)));
    return message.state === 'failed' ? 1 : 0;
  });
}

/** `\r`, `\n`, `\t`, `\e`, `\xHH` and `\\` as the keys they name: Enter, Esc and the like from a shell. */
export function unescapeKeys(text: string): string {
  const named: Record<string, string> = { r: '\r', n: '\n', t: '\t', e: '\x1b', '\\': '\\' };
  return text.replace(/\\(x[0-9a-fA-F]{2}|[rnte\\])/g, (_, code: string) => (code.startsWith('x') ? String.fromCharCode(parseInt(code.slice(1), 16)) : named[code]!));
}

/** Settles once the agent `name` has exited (at once if it has): a message to it waits for its next launch. */
async function exitOf(client: Client, name: string): Promise<void> {
  if (name === 'user') return new Promise(() => {}); // the user's inbox takes a message at once
  let id: string | undefined;
  let exited!: () => void;
  const gone = new Promise<void>((resolve) => (exited = resolve));
  client.on('event.status', (event) => {
    if (event.agent === id && event.status === 'exited') exited();
  });
  // Asked after listening: an exit before the answer shows in it, one after it in an event.
  const agent = await client.call('agents.get', { agent: name });
  id = agent.id;
  if (agent.status === 'exited') exited();
  return gone;
}

/** Listens before the message is sent: the event saying it was delivered may come before the reply. */
function settledMessages(client: Client): (id: string) => Promise<MessageView> {
  const seen = new Map<string, MessageView>();
  const waiting = new Map<string, (message: MessageView) => void>();
  client.on('event.inbox', (message) => {
    if (message.state !== 'delivered' && message.state !== 'failed') return;
    seen.set(message.id, message);
    waiting.get(message.id)?.(message);
  });
  return (id) => new Promise((resolve) => (seen.has(id) ? resolve(seen.get(id)!) : waiting.set(id, resolve)));
}

export async function inboxCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { all: { type: 'boolean' }, json: { type: 'boolean' }, read: { type: 'boolean' } },
  });
  const [action, ...ids] = positionals;
  return withClient(async (client) => {
    if (action === 'retry') {
      if (ids.length !== 1) throw new UsageError('inbox retry needs a message id (see drover inbox)');
      const message = await client.call('inbox.retry', { id: ids[0]! });
      print(values.json, message, () => `queued ${message.id} again for ${message.to}`);
      return 0;
    }
    if (action === 'dismiss') {
      if (Boolean(ids.length) === Boolean(values.read)) throw new UsageError('inbox dismiss needs message ids, or --read for every one you have seen (drover inbox dismiss ID… | --read)');
      const { messages } = await client.call('inbox.dismiss', ids.length ? { ids } : { read: true });
      print(values.json, messages, () => `dismissed ${messages.length} message(s)${messages.length ? `: ${messages.map((m) => m.id).join(' ')}` : ''}`);
      return 0;
    }
    if (action !== undefined) throw new UsageError(`unknown inbox action "${action}" (drover inbox [retry ID | dismiss ID… | dismiss --read])`);
    if (values.read) throw new UsageError('--read goes with dismiss: drover inbox dismiss --read');
    const { messages } = await client.call('inbox.list', { all: Boolean(values.all) });
    print(values.json, messages, () => (messages.length ? messages.map(messageLine).join('\n') : 'inbox empty'));
    // Shown to the user (not handed to a program as JSON): what was new in their own inbox has been seen.
    const seen = values.json ? [] : messages.filter((m) => m.to === 'user' && !m.readAt && !m.dismissedAt).map((m) => m.id);
    if (seen.length) await client.call('inbox.read', { ids: seen });
    return 0;
  });
}

export async function approvalsCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { all: { type: 'boolean' }, json: { type: 'boolean' } } });
  return withClient(async (client) => {
    const { approvals } = await client.call('approvals.list', { all: Boolean(values.all) });
    print(values.json, approvals, () => (approvals.length ? approvals.map(approvalLine).join('\n') : 'no permission requests waiting'));
    return 0;
  });
}

export function approveCommand(argv: string[]): Promise<number> {
  return answer(argv, 'approve');
}

export function denyCommand(argv: string[]): Promise<number> {
  return answer(argv, 'deny');
}

async function answer(argv: string[], verb: 'approve' | 'deny'): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, ...(verb === 'approve' ? { always: { type: 'boolean' as const } } : {}) },
  });
  const [id] = positionals;
  if (!id) throw new UsageError(`${verb} needs a request id (see drover approvals)`);
  const choice = verb === 'deny' ? 'deny' : (values as { always?: boolean }).always ? 'always' : 'once';
  return withClient(async (client) => {
    const approval = await client.call('approvals.answer', { id, answer: choice });
    print(values.json, approval, () => `${approval.agentName}: ${approval.state} (${approval.tool}: ${approval.summary})`);
    return 0;
  });
}
