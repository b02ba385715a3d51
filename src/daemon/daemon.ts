/**
 * The daemon process: takes the lock, opens the store, recovers from a previous daemon, serves the
 * protocol on the socket, and forwards the supervisor's events to clients. It owns every agent, so
 * agents outlive the TUI and an ssh session.
 */
import path from 'node:path';
import type { Env } from '../store/paths.ts';
import { ensurePrivateDir, runtimeDir, stateDir, stateFile } from '../store/paths.ts';
import { acquireDaemonLock, removeStaleSocket } from '../store/lock.ts';
import { Store } from '../store/store.ts';
import { loadConfig } from '../store/config.ts';
import { Supervisor, SupervisorError, type AgentView } from '../engine/supervisor.ts';
import { WorktreeError } from '../engine/worktree.ts';
import { Inbox, InboxError } from '../engine/inbox.ts';
import { ApprovalError, Approvals } from '../engine/approvals.ts';
import { sendNotices } from '../engine/notices.ts';
import { Delegation } from '../engine/delegation.ts';
import { RefError } from '../engine/refs.ts';
import type { Approval } from '../store/state.ts';
import { UnknownProviderError } from '../providers/index.ts';
import { PtyError } from '../terminal/pty.ts';
import { ErrorCode, PROTOCOL_VERSION, RpcError, type AgentSummary, type ApprovalView } from './protocol.ts';
import { startServer, type Handlers } from './server.ts';

export function socketPath(env: Env = process.env): string {
  return path.join(runtimeDir(env), 'drover.sock');
}

export interface RunningDaemon {
  socket: string;
  /** Settles when the daemon has stopped (daemon.stop, a signal, or stop()). */
  stopped: Promise<void>;
  stop(): Promise<void>;
}

export async function runDaemon(env: Env = process.env, log: (line: string) => void = () => {}): Promise<RunningDaemon> {
  const run = ensurePrivateDir(runtimeDir(env));
  const state = ensurePrivateDir(stateDir(env));
  const lock = acquireDaemonLock(run);
  try {
    const socket = socketPath(env);
    await removeStaleSocket(socket);
    const store = await Store.open(stateFile(env));
    const config = loadConfig();
    const supervisor = new Supervisor({ store, config, stateDir: state, socket });
    const inbox = new Inbox({ store, supervisor, batch: config.inbox.batch, log });
    const approvals = new Approvals({ store, supervisor, policies: config.policies, notify: (text) => void inbox.notify(text) });
    const delegation = new Delegation(supervisor, inbox, store);
    sendNotices(supervisor, inbox);
    const lost = await supervisor.recoverAfterRestart();
    if (lost) log(`${lost} agent(s) from the previous daemon marked exited`);
    const messages = await inbox.recoverAfterRestart();
    if (messages.requeued + messages.delivered + messages.failed) {
      log(`messages caught mid-delivery: ${messages.requeued} queued again, ${messages.delivered} delivered (per recording), ${messages.failed} failed (need a retry)`);
    }
    await approvals.recoverAfterRestart();

    const startedAt = Date.now();
    let stopping: Promise<void> | undefined;
    let resolveStopped!: () => void;
    const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
    const stop = () =>
      (stopping ??= (async () => {
        await supervisor.stopAll();
        await server.close();
        await store.idle(); // every write lands before another daemon may start
        lock.release();
        resolveStopped();
      })());

    const server = await startServer({
      socketPath: socket,
      handlers: handlers({ supervisor, inbox, approvals, delegation }, () => ({ startedAt, socket, clients: server.clients }), stop),
      log,
    });
    inbox.onChange((message) => server.broadcast('event.inbox', message));
    approvals.onChange((approval) => server.broadcast('event.approvals', approvalView(supervisor, approval)));
    supervisor.onStatus((record, change) => {
      server.broadcast('event.status', { agent: record.id, status: change.status, rule: change.rule, ...(change.detail ? { detail: change.detail } : {}), at: Date.now() });
    });
    supervisor.onScreen((id) => {
      if (!server.watched(id)) return; // nobody looks: no snapshot is taken
      const { live } = supervisor.get(id);
      if (live) server.broadcast('event.screen', { agent: id, ...live.screen.snapshot({ styled: true }) });
    });
    supervisor.onOutput((id, data) => {
      if (server.attached(id)) server.broadcast('event.output', { agent: id, data });
    });
    log(`drover daemon ${process.pid} listening on ${socket}`);
    return { socket, stopped, stop };
  } catch (error) {
    lock.release();
    throw error;
  }
}

function summary(view: AgentView): AgentSummary {
  const { record, live } = view;
  return {
    id: record.id,
    name: record.name,
    provider: record.provider,
    cwd: record.cwd,
    status: record.status,
    ...(view.statusRule ? { statusRule: view.statusRule } : {}),
    since: Date.parse(record.statusAt),
    ...(live ? { pid: live.pty.pid } : {}),
    ...(record.exit ? { exit: { code: record.exit.code, signal: record.exit.signal } } : {}),
    recording: record.recording,
  };
}

function approvalView(supervisor: Supervisor, approval: Approval): ApprovalView {
  const agent = supervisor.find(approval.agent)?.record;
  return { ...approval, agentName: agent?.name ?? approval.agent, provider: agent?.provider ?? 'unknown' };
}

const USER_FACING = [SupervisorError, WorktreeError, UnknownProviderError, PtyError, InboxError, ApprovalError, RefError];

/** Errors a user can act on travel as their one-line message; anything else is a daemon bug. */
async function userFacing<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (USER_FACING.some((kind) => error instanceof kind)) {
      throw new RpcError((error as Error).message, ErrorCode.Failed);
    }
    throw error;
  }
}

function handlers(
  { supervisor, inbox, approvals, delegation }: { supervisor: Supervisor; inbox: Inbox; approvals: Approvals; delegation: Delegation },
  status: () => { startedAt: number; socket: string; clients: number },
  stop: () => Promise<void>,
): Handlers {
  return {
    'agents.list': () => ({ agents: supervisor.list().map(summary) }),
    'agents.get': ({ agent }) => userFacing(() => summary(supervisor.get(agent))),
    'agents.spawn': (params) =>
      userFacing(async () => {
        const worktree = params.worktree === true ? params.name : params.worktree || undefined;
        const view = await supervisor.spawn({ ...params, worktree });
        if (params.prompt) await inbox.send({ from: 'user', to: view.record.id, body: params.prompt });
        return summary(view);
      }),
    'agents.kill': ({ agent, force, removeWorktree }) => userFacing(async () => summary(await supervisor.kill(agent, force, removeWorktree))),
    'agents.restart': ({ agent }) => userFacing(async () => summary(await supervisor.relaunch(agent, 'restart'))),
    'agents.resume': ({ agent }) => userFacing(async () => summary(await supervisor.relaunch(agent, 'resume'))),
    'agents.report': ({ agent, ...report }) =>
      userFacing(async () => {
        await supervisor.report(agent, report);
        return {};
      }),
    'agents.send': ({ agent, keys }) =>
      userFacing(() => {
        supervisor.type(agent, keys);
        return {};
      }),
    'inbox.send': ({ to, body, from }) =>
      userFacing(() => {
        const sender = from ? supervisor.authenticate(from.agent, from.token, 'message').record.name : 'user';
        return inbox.send({ from: sender, to, body });
      }),
    'agents.delegate': ({ from, ...request }) =>
      userFacing(async () => summary(await delegation.delegate(supervisor.authenticate(from.agent, from.token, 'delegation'), request))),
    'agents.lastResponse': ({ agent }) =>
      userFacing(() => {
        const { record } = supervisor.get(agent);
        const text = supervisor.lastResponse(record.id);
        return { agent: record.id, name: record.name, status: record.status, ...(text !== undefined ? { text } : {}) };
      }),
    'inbox.list': ({ all }) => ({ messages: inbox.list({ all }) }),
    'inbox.retry': ({ id }) => userFacing(() => inbox.retry(id)),
    'approvals.list': ({ all }) => ({ approvals: approvals.list({ all }).map((a) => approvalView(supervisor, a)) }),
    'approvals.answer': ({ id, answer }) => userFacing(async () => approvalView(supervisor, await approvals.answer(id, answer))),
    'agents.screen': ({ agent, styled }) => userFacing(() => supervisor.screen(agent, styled)),
    'agents.explain': ({ agent }) =>
      userFacing(() => {
        const { record } = supervisor.get(agent);
        return { status: record.status, matched: supervisor.explain(agent).matched };
      }),
    'agents.subscribe': ({ agent }, context) =>
      userFacing(() => {
        const { record } = supervisor.get(agent);
        context.subscribe(record.id); // before the snapshot, so no frame falls between
        return { agent: record.id, ...supervisor.screen(record.id, true) };
      }),
    'agents.unsubscribe': ({ agent }, context) =>
      userFacing(() => {
        context.unsubscribe(supervisor.get(agent).record.id);
        return {};
      }),
    'agents.attach': ({ agent, cols, rows }, context) =>
      userFacing(() => {
        const { record, live } = supervisor.get(agent);
        if (!live) throw new SupervisorError(`${record.name} has exited (its recording: ${record.recording})`);
        supervisor.resize(record.id, cols, rows);
        // Attach and take the redraw together: the next parsed chunk is the first event.output.
        context.attach(record.id);
        return { agent: record.id, name: record.name, redraw: live.screen.serialize() };
      }),
    'agents.detach': ({ agent }, context) =>
      userFacing(() => {
        context.detach(supervisor.get(agent).record.id);
        return {};
      }),
    'agents.resize': ({ agent, cols, rows }) =>
      userFacing(() => {
        supervisor.resize(agent, cols, rows);
        return {};
      }),
    'daemon.status': () => {
      const { startedAt, socket, clients } = status();
      return { pid: process.pid, version: PROTOCOL_VERSION, socket, startedAt, clients, agents: supervisor.list().length };
    },
    'daemon.stop': () => {
      setImmediate(() => void stop());
      return {};
    },
  };
}
