/**
 * The daemon process: takes the lock, opens the store, reads the config (the one process that
 * does), recovers from a previous daemon, serves the protocol on the socket, and forwards the
 * supervisor's events to clients. It owns every agent, so agents outlive the TUI and an ssh session.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { inBackground, UserError, type Log } from '../errors.ts';
import { Approvals } from '../engine/approvals.ts';
import { Delegation } from '../engine/delegation.ts';
import { Inbox, USER } from '../engine/inbox.ts';
import { Notices } from '../engine/notices.ts';
import type { LiveAgent } from '../engine/live-agent.ts';
import { Supervisor, type AgentView } from '../engine/supervisor.ts';
import { checkProviders } from '../providers/index.ts';
import { PROTOCOL_VERSION, type AgentSummary, type ApprovalView, type MessageView } from '../protocol/schema.ts';
import { defaultConfigPath, loadConfig, type Config } from '../store/config.ts';
import { acquireDaemonLock, removeStaleSocket } from '../store/lock.ts';
import { ensurePrivateDir, ptyHostSocketPath, runtimeDir, socketPath, stateDir, stateFile, type Env } from '../store/paths.ts';
import { HOST_PROTOCOL_VERSION } from './pty-host/protocol.ts';
import type { Approval, Message } from '../store/state.ts';
import { Store, type WriteProblem } from '../store/store.ts';
import { PtyHostLink } from './pty-host/link.ts';
import { startServer, type CallContext, type Caller, type Handlers } from './server.ts';
import { watchConfig } from './config-watch.ts';
import { newestRecording } from '../terminal/asciicast-writer.ts';
import { transcript } from '../terminal/transcript.ts';
import { changesIn } from '../engine/changes.ts';

export interface RunningDaemon {
  socket: string;
  /** Settles when the daemon has stopped (daemon.stop, a signal, or stop()). */
  stopped: Promise<void>;
  /** Stops the daemon; its agents too unless `keepAgents` (they stay in the PTY host for the next daemon). */
  stop(options?: StopOptions): Promise<void>;
}

export interface StopOptions {
  keepAgents?: boolean;
}

export interface DaemonOptions {
  /** Where the config is read from (default: $XDG_CONFIG_HOME/drover/config.json). */
  configFile?: string;
  /** The store the daemon keeps its state in (default: opened from the state dir; tests inject one). */
  store?: Store;
}

/** The engine's services, wired together. */
interface Services {
  supervisor: Supervisor;
  inbox: Inbox;
  approvals: Approvals;
  delegation: Delegation;
  notices: Notices;
  config: () => Config;
  /** Reads config.json again and applies it; a bad file is refused and the config in force stays. */
  reload: () => { file: string };
  ptyHost: () => PtyHostLink;
  /** Why the state file cannot be written now, if it cannot. */
  stateWriteProblem: () => WriteProblem | undefined;
}

export async function runDaemon(env: Env = process.env, log: Log = () => {}, options: DaemonOptions = {}): Promise<RunningDaemon> {
  const run = ensurePrivateDir(runtimeDir(env));
  const state = ensurePrivateDir(stateDir(env));
  const lock = acquireDaemonLock(run);
  try {
    const socket = socketPath(env);
    await removeStaleSocket(socket);
    const store = options.store ?? (await Store.open(stateFile(env)));
    const configFile = options.configFile ?? defaultConfigPath(env as NodeJS.ProcessEnv);
    let config = loadConfig(configFile);
    checkProviders(config.providers);
    // The host may die (kill -9): its agents end with it, and the next launch finds or starts another.
    const openHost = async () => {
      const link = await PtyHostLink.open(env, log);
      void link.closed.then((lost) => {
        const names = lost.map((id) => supervisor.find(id)?.record.name ?? id);
        if (names.length) inBackground(inbox.notify(`the PTY host ended (pid ${link.hostPid}), and ${names.join(', ')} with it: drover resume or drover restart each`), 'notice of the PTY host ending', log);
      });
      return link;
    };
    let ptyHost = await openHost();
    const terminals = async () => (ptyHost.open ? ptyHost : (ptyHost = await openHost()));
    const supervisor = new Supervisor({ store, providers: config.providers, stateDir: state, socket, terminals, log });
    const inbox = new Inbox({ store, supervisor, batch: config.inbox.batch, log });
    store.onForeignFile((aside) => {
      const text = `${store.file} was replaced while the daemon ran; the file found there is kept at ${aside}, and the daemon's own state written in its place`;
      log(text);
      inBackground(inbox.notify(text), 'notice of a foreign state file', log);
    });
    const approvals = new Approvals({
      store,
      supervisor,
      policies: config.policies,
      notify: (text, about) => inBackground(inbox.notify(text, about), 'notice of a permission request', log),
      log,
    });
    const delegation = new Delegation(supervisor, inbox, store, log);
    const notices = new Notices(supervisor, inbox, approvals, log);
    const { adopted, lost } = await supervisor.recoverAfterRestart(ptyHost.adoptable);
    if (adopted) log(`${adopted} agent(s) adopted from the PTY host (pid ${ptyHost.hostPid})`);
    if (lost) log(`${lost} agent(s) from the previous daemon marked exited`);
    const messages = await inbox.recoverAfterRestart();
    if (messages.requeued + messages.delivered + messages.failed) {
      log(`messages caught mid-delivery: ${messages.requeued} queued again, ${messages.delivered} delivered (per recording), ${messages.failed} failed (need a retry)`);
    }
    await approvals.recoverAfterRestart();
    for (const other of await otherPtyHosts(env)) {
      const text = `a PTY host of another drover version still runs (${other}): its agents keep running, but this daemon cannot see them; they end with it (kill it once they are done)`;
      log(text);
      inBackground(inbox.notify(text), 'notice of an older PTY host', log);
    }

    const reload = () => {
      const next = loadConfig(configFile);
      supervisor.setProviders(next.providers);
      approvals.setPolicies(next.policies);
      inbox.setBatch(next.inbox.batch);
      config = next;
      log(`config reloaded from ${configFile}`);
      return { file: configFile };
    };
    const stopWatching = watchConfig(configFile, () => {
      try {
        reload();
      } catch (error) {
        const text = `${error instanceof Error ? error.message : String(error)} (the config in force stays)`;
        log(text);
        inBackground(inbox.notify(`config not reloaded: ${text}`), 'notice of a bad config', log);
      }
    });

    const startedAt = Date.now();
    let stopping: Promise<void> | undefined;
    let resolveStopped!: () => void;
    const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
    const stop = ({ keepAgents = false }: StopOptions = {}) =>
      (stopping ??= (async () => {
        stopWatching();
        if (keepAgents) supervisor.detachAll();
        else await supervisor.stopAll();
        for (const service of [notices, delegation, approvals, inbox]) service.dispose();
        await server.close();
        await store.idle(); // every write lands before another daemon may start
        await ptyHost.detach(); // with no agent left, the host exits by itself
        lock.release();
        resolveStopped();
      })());

    const services: Services = {
      supervisor,
      inbox,
      approvals,
      delegation,
      config: () => config,
      reload,
      ptyHost: () => ptyHost,
      notices,
      stateWriteProblem: () => store.writeProblem(),
    };
    const server = await startServer({
      socketPath: socket,
      handlers: handlers(services, () => ({ startedAt, socket, clients: server.clients }), stop, (agent, removed) =>
        server.broadcast('event.agent', { agent, ...(removed ? { removed } : {}) }),
      ),
      identify: (claim) => identify(supervisor, claim),
      log,
    });
    inbox.onChange((message) => server.broadcast('event.inbox', messageView(message)));
    store.onWriteProblem((problem) => {
      log(problem ? `the state file cannot be written (${problem.message}): changes are held and retried` : 'the state file takes writes again');
      server.broadcast('event.state', problem ? { writeProblem: problem } : {});
    });
    approvals.onChange((approval) => server.broadcast('event.approvals', approvalView(supervisor, approval)));
    supervisor.onStatus((record, change) => {
      server.broadcast('event.status', { agent: record.id, status: change.status, rule: change.rule, ...(change.detail ? { detail: change.detail } : {}), at: Date.now() });
    });
    // A watched screen goes to its watchers at a pace a person can read, the last frame always.
    const sendScreen = throttledPerKey(SCREEN_EVENT_MS, (id: string) => {
      if (!server.watched(id)) return; // nobody looks: no snapshot is taken
      const live = supervisor.find(id)?.live;
      if (live) server.broadcast('event.screen', { agent: id, ...live.snapshot(true) });
    });
    supervisor.onScreen(sendScreen);
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

/**
 * Screen events to clients, per agent, at most this often: a spinner redraws 30–60 times a second,
 * and every event is a styled snapshot to take, send and draw. Ten frames a second reads as live.
 */
const SCREEN_EVENT_MS = 100;

/** `fn(key)` at most once per `ms` for each key; a call inside the interval runs at its end. */
function throttledPerKey(ms: number, fn: (key: string) => void): (key: string) => void {
  const lastRun = new Map<string, number>();
  const pending = new Set<string>();
  return (key) => {
    if (pending.has(key)) return;
    const wait = (lastRun.get(key) ?? Number.NEGATIVE_INFINITY) + ms - Date.now();
    const run = () => {
      pending.delete(key);
      lastRun.set(key, Date.now());
      fn(key);
    };
    if (wait <= 0) return run();
    pending.add(key);
    setTimeout(run, wait).unref();
  };
}

function summary({ record, live }: AgentView): AgentSummary {
  return {
    id: record.id,
    name: record.name,
    provider: record.provider,
    cwd: record.cwd,
    status: record.status,
    ...(live ? { statusRule: live.status.rule, pid: live.pty.pid } : {}),
    ...(live?.tracker.unrecognisedMs ? { unrecognisedMs: live.tracker.unrecognisedMs } : {}),
    since: Date.parse(record.statusAt),
    ...(record.exit ? { exit: { code: record.exit.code, signal: record.exit.signal } } : {}),
    // The file being written now, or the newest left: rotation deletes the oldest, the first included.
    recording: live?.recording ?? newestRecording(record.recording),
  };
}

/** A stored message on the wire: the fields the wire names (the store may hold more). */
function messageView(message: Message): MessageView {
  return message satisfies MessageView;
}

function approvalView(supervisor: Supervisor, approval: Approval): ApprovalView {
  const agent = supervisor.find(approval.agent)?.record;
  return { ...(approval satisfies Omit<ApprovalView, 'agentName' | 'provider'>), agentName: agent?.name ?? approval.agent, provider: agent?.provider ?? 'unknown' };
}

/**
 * The clients attached to each agent, and the size the agent had before the first of them: an
 * attach gives the agent the attacher's size, and once the last one has gone (detached, or its
 * connection closed) the agent gets its own size back.
 */
class Attachments {
  private readonly byAgent = new Map<string, { live: LiveAgent; before: { cols: number; rows: number }; clients: Set<CallContext> }>();

  add(agentId: string, live: LiveAgent, client: CallContext): void {
    let entry = this.byAgent.get(agentId);
    if (entry?.live !== live) {
      entry = { live, before: { cols: live.screen.cols, rows: live.screen.rows }, clients: new Set() };
      this.byAgent.set(agentId, entry);
    }
    if (entry.clients.has(client)) return;
    entry.clients.add(client);
    client.onClose(() => this.remove(agentId, client));
  }

  remove(agentId: string, client: CallContext): void {
    const entry = this.byAgent.get(agentId);
    if (!entry?.clients.delete(client) || entry.clients.size > 0) return;
    this.byAgent.delete(agentId);
    // Only the program it was taken from: a relaunch meanwhile starts at the launch size.
    if (entry.live.status.status !== 'exited') entry.live.resize(entry.before.cols, entry.before.rows);
  }
}

/**
 * Who a connection acts for. An agent's id and token make it that agent; no id makes it the user,
 * unless the caller's session is a running agent's (a drover started in that agent's terminal with
 * its identity stripped from the environment). Both are the client's word: against a process of
 * the same user that means harm nothing on the socket is a boundary (README, Security).
 */
function identify(supervisor: Supervisor, claim: { agent?: { id: string; token: string }; session?: number }): Caller {
  if (claim.agent) {
    const view = supervisor.find(claim.agent.id);
    if (!view?.live?.authenticate(claim.agent.token)) {
      throw new UserError(
        `this drover runs as agent ${claim.agent.id} (DROVER_AGENT_ID), and ${claim.agent.token ? 'its token (DROVER_HOOK_TOKEN) is not that running agent\'s' : 'DROVER_HOOK_TOKEN is not set'}: an agent acts only as itself; run drover from your own terminal to act as you`,
      );
    }
    return { kind: 'agent', id: view.record.id, name: view.record.name };
  }
  const host = claim.session === undefined ? undefined : supervisor.list().find((view) => view.live?.pty.pid === claim.session);
  if (host) {
    throw new UserError(
      `this drover runs in agent ${host.record.name}'s terminal without its identity (DROVER_AGENT_ID, DROVER_HOOK_TOKEN): it may act only as that agent; run drover from your own terminal to act as you`,
    );
  }
  return { kind: 'user' };
}

/** The agent a connection acts as, as it is now (it may have been renamed since its hello). */
function callingAgent(supervisor: Supervisor, caller: Caller): AgentView {
  if (caller.kind !== 'agent') throw new UserError('only an agent may do this');
  return supervisor.get(caller.id);
}

function handlers(
  { supervisor, inbox, approvals, delegation, notices, config, reload, ptyHost, stateWriteProblem: writeProblem }: Services,
  status: () => { startedAt: number; socket: string; clients: number },
  stop: (options: StopOptions) => Promise<void>,
  agentChanged: (agent: string, removed?: true) => void,
): Handlers {
  const stateWriteProblem = () => {
    const problem = writeProblem();
    return problem ? { stateWriteProblem: problem } : {};
  };
  /** Forgets an exited agent; what waited for it is failed or settled, with the reason, never lost. */
  const remove = async (ref: string) => {
    let failedMessages = 0;
    let staleApprovals = 0;
    const record = await supervisor.remove(ref, async ({ id, name }) => {
      const why = `${name} was removed (drover rm) before it was delivered`;
      failedMessages = (await inbox.failPendingFor(name, why)).length;
      staleApprovals = (await approvals.settlePendingFor(id, `${name} was removed (drover rm)`)).length;
    });
    notices.agentReset(record.id);
    agentChanged(record.id, true);
    return { id: record.id, name: record.name, recording: record.recording, failedMessages, staleApprovals };
  };

  const attachments = new Attachments();

  /** Starts an agent again; what its notices said is over. */
  const relaunch = async (ref: string, mode: 'restart' | 'resume') => {
    const view = await supervisor.relaunch(ref, mode);
    notices.agentReset(view.record.id);
    return summary(view);
  };

  return {
    'agents.list': () => ({ agents: supervisor.list().map(summary), ...stateWriteProblem() }),
    'agents.get': ({ agent }) => summary(supervisor.get(agent)),
    'agents.spawn': async ({ worktree, ...request }) =>
      summary(await delegation.spawn({ ...request, ...(worktree ? { worktree } : {}) })),
    'agents.kill': async ({ agent, force, removeWorktree }) => summary(await supervisor.kill(agent, force, removeWorktree)),
    'agents.remove': async ({ agent, allExited }) => {
      if (Boolean(agent) === Boolean(allExited)) throw new UserError('remove needs an agent name or --all-exited (not both)');
      if (agent) return { removed: [await remove(agent)] };
      const exited = supervisor.list().filter((view) => !view.live && view.record.status === 'exited');
      const removed = [];
      for (const view of exited) removed.push(await remove(view.record.id));
      return { removed };
    },
    'agents.rename': async ({ agent, name }) => {
      let movedMessages = 0;
      const previous = supervisor.get(agent).record.name;
      const record = await supervisor.rename(agent, name, async (from, to) => {
        movedMessages = (await inbox.readdress(from, to)).length;
      });
      agentChanged(record.id);
      return { ...summary(supervisor.get(record.id)), previousName: previous, movedMessages };
    },
    'agents.restart': async ({ agent }) => relaunch(agent, 'restart'),
    'agents.resume': async ({ agent }) => relaunch(agent, 'resume'),
    'agents.report': async (report, { caller }) => {
      await supervisor.report(callingAgent(supervisor, caller).record.id, report);
      return {};
    },
    'agents.keys': ({ agent, keys }) => {
      supervisor.running(agent, 'nothing to type into').live.typeKeys(keys);
      return {};
    },
    'inbox.send': ({ to, body }, { caller }) => {
      const sender = caller.kind === 'agent' ? callingAgent(supervisor, caller).record.name : USER;
      return inbox.send({ from: sender, to, body }).then(messageView);
    },
    'agents.delegate': async (request, { caller }) => summary(await delegation.delegate(callingAgent(supervisor, caller), request)),
    'agents.lastResponse': async ({ agent }) => {
      const { record, text, source } = await supervisor.lastResponse(agent);
      return { agent: record.id, name: record.name, status: record.status, ...(text !== undefined ? { text, source } : {}) };
    },
    'inbox.list': ({ all }) => ({ messages: inbox.list({ all }).map(messageView) }),
    'inbox.retry': async ({ id }) => messageView(await inbox.retry(id)),
    'inbox.read': async ({ ids }) => ({ messages: (await inbox.markRead(ids)).map(messageView) }),
    'inbox.dismiss': async ({ ids, read }) => ({ messages: (await inbox.dismiss({ ...(ids ? { refs: ids } : {}), read: Boolean(read) })).map(messageView) }),
    'approvals.list': ({ all }) => ({ approvals: approvals.list({ all }).map((a) => approvalView(supervisor, a)) }),
    'approvals.answer': async ({ id, answer }) => approvalView(supervisor, await approvals.answer(id, answer)),
    'agents.screen': ({ agent, styled }) => supervisor.running(agent, 'its screen is gone').live.snapshot(styled),
    'agents.buffer': ({ agent, start, count, styled }) => supervisor.running(agent, 'its screen is gone').live.screen.bufferRows(count, start, { styled }),
    'agents.transcript': async ({ agent }) => {
      const view = supervisor.get(agent);
      const recording = summary(view).recording;
      if (!recording) throw new UserError(`${view.record.name} has no recording`);
      return { recording, lines: await transcript(recording) };
    },
    'agents.diff': async ({ agent }) => {
      const { record } = supervisor.get(agent);
      return { cwd: record.cwd, ...(await changesIn(record.cwd, record.name)) };
    },
    'agents.explain': ({ agent }) => {
      const { record, live } = supervisor.running(agent, 'nothing to explain');
      const unrecognisedMs = live.tracker.unrecognisedMs;
      return { status: record.status, ...(unrecognisedMs ? { unrecognisedMs } : {}), matched: live.explain().matched };
    },
    'agents.subscribe': ({ agent }, context) => {
      const { record, live } = supervisor.running(agent, 'its screen is gone');
      // In one go: the next screen event to this connection carries the rows changed since this one.
      const screen = live.snapshot(true);
      context.subscribe(record.id, screen);
      return { agent: record.id, ...screen };
    },
    'agents.unsubscribe': ({ agent }, context) => {
      context.unsubscribe(supervisor.get(agent).record.id);
      return {};
    },
    'agents.attach': ({ agent, cols, rows }, context) => {
      const { record, live } = supervisor.running(agent, 'nothing to attach to');
      attachments.add(record.id, live, context);
      live.resize(cols, rows);
      // Attach and take the redraw together: the next parsed chunk is the first event.output.
      context.attach(record.id);
      return { agent: record.id, name: record.name, redraw: live.screen.serialize() };
    },
    'agents.detach': ({ agent }, context) => {
      const { id } = supervisor.get(agent).record;
      context.detach(id);
      attachments.remove(id, context);
      return {};
    },
    'agents.resize': ({ agent, cols, rows }) => {
      supervisor.running(agent, 'nothing to resize').live.resize(cols, rows);
      return {};
    },
    'providers.list': () => {
      const folders = delegation.spawnFolders();
      return {
        providers: supervisor.providers().map(({ provider, installed }) => ({
          id: provider.id,
          displayName: provider.displayName,
          command: provider.integrate.launch.command,
          installed,
          ...(folders[provider.id] ? { lastCwd: folders[provider.id] } : {}),
        })),
      };
    },
    'settings.get': () => ({ keybindings: { detach: config().keybindings.detach }, notify: config().notify }),
    'daemon.status': () => {
      const { startedAt, socket, clients } = status();
      const running = supervisor.list().filter((view) => view.live).length;
      return { pid: process.pid, version: PROTOCOL_VERSION, socket, startedAt, clients, agents: supervisor.list().length, running, ptyHostPid: ptyHost().hostPid, ...stateWriteProblem() };
    },
    'daemon.stop': ({ keepAgents }) => {
      const kept = keepAgents ? supervisor.list().filter((view) => view.live).length : 0;
      setImmediate(() => void stop({ keepAgents }));
      return { keptAgents: kept };
    },
    'daemon.reload': () => reload(),
  };
}

/** Live PTY hosts of other protocol versions (an upgrade left one holding its agents): their sockets. */
async function otherPtyHosts(env: Env): Promise<string[]> {
  const mine = path.basename(ptyHostSocketPath(env, HOST_PROTOCOL_VERSION));
  const others = readdirSync(runtimeDir(env)).filter((name) => /^pty-host-v\d+\.sock$/.test(name) && name !== mine);
  const live = [];
  for (const name of others) {
    const file = path.join(runtimeDir(env), name);
    if ((await removeStaleSocket(file)) === 'live') live.push(file);
  }
  return live;
}
