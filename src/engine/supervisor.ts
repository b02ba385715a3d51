/**
 * The daemon's herd: spawns agents from providers, keeps their live pipelines, persists what the
 * store must remember (who they are, their status, how they ended), and tells listeners about
 * status changes and screen updates. It never renders anything and never reads a socket.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../store/config.ts';
import type { Agent as AgentRecord, DeepReadonly } from '../store/state.ts';
import type { Store } from '../store/store.ts';
import { resolveProvider, UnknownProviderError } from '../providers/index.ts';
import type { AgentProvider, McpServerLaunch } from '../providers/types.ts';
import { PtyError } from '../terminal/pty.ts';
import { DEFAULT_SCROLLBACK, type ScreenSnapshot } from '../terminal/screen.ts';
import { Agent } from './agent.ts';
import type { Explanation } from './rules.ts';
import { ensureWorktree, removeWorktree } from './worktree.ts';
import type { StatusChange } from './status.ts';

export class SupervisorError extends Error {}

export interface SpawnRequest {
  provider: string;
  name: string;
  cwd: string;
  args?: string[];
  env?: Record<string, string>;
  /** The first message (recorded with the agent; the daemon queues it in the inbox). */
  prompt?: string;
  /** Work in a git worktree of `cwd` on this branch. */
  worktree?: string;
  /** The agent (id) that assigned it its task, to be told the outcome. */
  assignedBy?: string;
}

export interface AgentView {
  record: DeepReadonly<AgentRecord>;
  /** Present while the process runs. */
  live?: Agent;
  statusRule?: string;
}

export interface SupervisorOptions {
  store: Store;
  config: Config;
  /** Recordings go under `<stateDir>/recordings`. */
  stateDir: string;
  cols?: number;
  rows?: number;
  /** The daemon's socket, handed to agents so their hooks reach this daemon. */
  socket?: string;
}

const DROVER_BIN = fileURLToPath(new URL('../../bin/drover.js', import.meta.url));

/** The command an agent's hook runs: this drover, by absolute path (the agent's PATH may differ). */
function hookCommand(provider: string, event: string): string {
  return `'${process.execPath}' '${DROVER_BIN}' hook ${provider} ${event}`;
}

/** drover's MCP server for one agent: this drover, told which agent it serves and how to prove it. */
function mcpServer(agentId: string, token: string, socket: string): McpServerLaunch {
  return {
    command: process.execPath,
    args: [DROVER_BIN, 'mcp'],
    env: { DROVER_AGENT_ID: agentId, DROVER_HOOK_TOKEN: token, DROVER_SOCKET: socket },
  };
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A relaunch records to a new file beside the old one (a.cast → a.2.cast → a.3.cast). */
function rotated(recording: string): string {
  const match = /^(.*?)(?:\.(\d+))?\.cast$/.exec(recording)!;
  return `${match[1]}.${Number(match[2] ?? 1) + 1}.cast`;
}

type StatusListener = (record: DeepReadonly<AgentRecord>, change: StatusChange) => void;
type ScreenListener = (id: string) => void;
type OutputListener = (id: string, data: string) => void;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class Supervisor {
  private readonly live = new Map<string, Agent>();
  private readonly rules = new Map<string, string>();
  /** The last status write per agent, so a caller can wait until the store says what happened. */
  private readonly persisting = new Map<string, Promise<void>>();
  /** Per-agent secrets its hooks must present: only that agent's own hook can report for it. */
  private readonly tokens = new Map<string, string>();
  /** When (epoch ms) each agent's status last changed from its screen: older hook reports are stale. */
  private readonly screenSaidAt = new Map<string, number>();
  private readonly statusListeners = new Set<StatusListener>();
  private readonly screenListeners = new Set<ScreenListener>();
  private readonly outputListeners = new Set<OutputListener>();

  constructor(private readonly options: SupervisorOptions) {}

  /**
   * After a daemon restart no agent process is ours any more: whatever was running is recorded as
   * exited (its history stays), never left waiting in a status nobody updates.
   */
  async recoverAfterRestart(): Promise<number> {
    const now = new Date().toISOString();
    return this.options.store.update((state) => {
      let count = 0;
      for (const agent of state.agents) {
        if (agent.status === 'exited') continue;
        agent.status = 'exited';
        agent.statusAt = now;
        agent.exit = { code: null, signal: null, at: now };
        count++;
      }
      if (count) state.audit.push({ at: now, actor: 'system', action: 'daemon.recover', detail: `${count} agent(s) lost with the previous daemon` });
      return count;
    });
  }

  list(): AgentView[] {
    return this.options.store.read().agents.map((record) => this.view(record));
  }

  get(ref: string): AgentView {
    const view = this.find(ref);
    if (!view) throw new SupervisorError(`no such agent: ${ref} (see drover ls)`);
    return view;
  }

  find(ref: string): AgentView | undefined {
    const record = this.options.store.read().agents.find((a) => a.id === ref || a.name === ref);
    return record && this.view(record);
  }

  /** The provider an agent was launched with (with the user's config applied). */
  providerOf(record: DeepReadonly<AgentRecord>): AgentProvider {
    return this.live.get(record.id)?.options.provider ?? this.launchable(record.provider);
  }

  async spawn(request: SpawnRequest): Promise<AgentView> {
    if (!NAME.test(request.name)) {
      throw new SupervisorError(`invalid agent name "${request.name}": use letters, digits, . _ - (up to 64)`);
    }
    if (this.options.store.read().agents.some((a) => a.name === request.name)) {
      throw new SupervisorError(`an agent named "${request.name}" already exists (pick another name or drover kill it)`);
    }
    const provider = this.launchable(request.provider);
    const worktree = request.worktree
      ? await ensureWorktree(request.cwd, request.worktree, path.join(this.options.stateDir, 'worktrees'))
      : undefined;
    const cwd = worktree?.path ?? request.cwd;
    const id = randomUUID().slice(0, 8);
    const recordings = path.join(this.options.stateDir, 'recordings');
    mkdirSync(recordings, { recursive: true, mode: 0o700 });
    const recording = path.join(recordings, `${request.name}-${id}.cast`);
    const args = [...provider.launch.args, ...(request.args ?? [])];
    const agent = this.launch(provider, { id, args, cwd, env: request.env ?? {}, recording });
    const now = new Date().toISOString();
    const record: AgentRecord = {
      id,
      name: request.name,
      provider: provider.id,
      cwd: path.resolve(cwd),
      args,
      env: request.env ?? {},
      status: agent.status.status,
      createdAt: now,
      startedAt: now,
      statusAt: now,
      recording,
      ...(request.prompt ? { firstPrompt: request.prompt } : {}),
      ...(worktree ? { worktree } : {}),
      ...(request.assignedBy ? { assignedBy: request.assignedBy } : {}),
    };
    await this.options.store.update((state) => {
      state.agents.push(record);
      state.audit.push({ at: now, actor: 'user', action: 'agent.spawn', agent: id, detail: `${provider.id} ${request.name} in ${record.cwd}` });
    });
    this.adopt(id, agent);
    return this.get(id);
  }

  /**
   * Starts an exited agent again with its settings, in the same record (its history stays):
   * `restart` as it was, `resume` with the provider's resume arguments and the session id its
   * hooks reported.
   */
  async relaunch(ref: string, mode: 'restart' | 'resume'): Promise<AgentView> {
    const { record, live } = this.get(ref);
    if (live) {
      if (mode === 'resume') throw new SupervisorError(`${record.name} is running: nothing to resume`);
      await this.kill(record.id);
    }
    const provider = this.launchable(record.provider);
    let args = [...record.args];
    if (mode === 'resume') {
      if (!provider.resumeArgs) throw new SupervisorError(`${provider.displayName} has no resume command in drover`);
      if (!record.sessionId) throw new SupervisorError(`${record.name}: its session id is unknown (its hooks never reported one), so it cannot be resumed`);
      args = [...args, ...provider.resumeArgs(record.sessionId)];
    }
    const agent = this.launch(provider, { id: record.id, args, cwd: record.cwd, env: { ...record.env }, recording: rotated(record.recording) });
    const now = new Date().toISOString();
    await this.options.store.update((state) => {
      const stored = state.agents.find((a) => a.id === record.id)!;
      stored.status = agent.status.status;
      stored.statusAt = now;
      stored.startedAt = now;
      stored.recording = agent.options.recordTo!;
      delete stored.exit;
      state.audit.push({ at: now, actor: 'user', action: `agent.${mode}`, agent: record.id, detail: `${provider.id} ${record.name}` });
    });
    this.adopt(record.id, agent);
    return this.get(record.id);
  }

  /** The agent calling through its hooks or MCP server, proven by the token its launch got. */
  authenticate(ref: string, token: string, what: string): AgentView {
    const view = this.get(ref);
    const expected = this.tokens.get(view.record.id);
    if (!expected || !sameSecret(expected, token)) throw new SupervisorError(`${what} for ${view.record.name} refused: wrong token`);
    return view;
  }

  /** The agent's answer in its latest turn, as its provider reads it from screen and scrollback. */
  lastResponse(ref: string): string | undefined {
    const { live } = this.get(ref);
    if (!live) return undefined;
    const { screen } = live;
    return live.options.provider.lastResponse?.(screen.history(DEFAULT_SCROLLBACK + screen.rows), screen.cols);
  }

  /**
   * A report from the agent's own hooks (`drover hook`), authenticated by the token its launch got.
   * Taken as the status at once unless the screen has already said something newer.
   */
  async report(ref: string, report: { token: string; event: string; at: number; payload: Record<string, unknown> }): Promise<void> {
    const { record, live } = this.authenticate(ref, report.token, 'hook report');
    const provider = live?.options.provider;
    const said = provider?.hookReport?.(report.event, report.payload) ?? {};
    if (said.sessionId && said.sessionId !== record.sessionId) {
      await this.options.store.update((state) => {
        state.agents.find((a) => a.id === record.id)!.sessionId = said.sessionId;
      });
    }
    if (live && said.status && report.at >= (this.screenSaidAt.get(record.id) ?? 0)) {
      live.tracker.reported({ status: said.status, rule: `hook.${report.event}` });
    }
  }

  /** The provider's rules on the agent's screen now: the first match is the winner. */
  explain(ref: string): Explanation {
    const { record, live } = this.get(ref);
    if (!live) throw new SupervisorError(`${record.name} has exited: nothing to explain (replay its recording: ${record.recording})`);
    return live.options.provider.explain(live.screen.lines(), live.screen.title);
  }

  screen(ref: string, styled = false): ScreenSnapshot {
    const { record, live } = this.get(ref);
    if (!live) throw new SupervisorError(`${record.name} has exited: its screen is gone (its recording: ${record.recording})`);
    return live.screen.snapshot({ styled });
  }

  /** Raw keystrokes, as typed (messages go through the inbox, which waits until the agent is ready). */
  type(ref: string, keys: string): void {
    const { record, live } = this.get(ref);
    if (!live) throw new SupervisorError(`${record.name} has exited (drover resume ${record.name} to start it again)`);
    live.write(keys);
  }

  /** Stops the agent; its worktree goes too only when asked (`removeWorktree`) and clean. */
  async kill(ref: string, force = false, removeWorktreeToo = false): Promise<AgentView> {
    const { record, live } = this.get(ref);
    if (live) {
      await live.kill(force ? 0 : 3000);
      await this.persisting.get(record.id);
    }
    if (removeWorktreeToo && record.worktree) await removeWorktree(record.worktree.path);
    return this.get(record.id);
  }

  /** The agent's terminal takes this size (an attached client's). */
  resize(ref: string, cols: number, rows: number): void {
    const { record, live } = this.get(ref);
    if (!live) throw new SupervisorError(`${record.name} has exited`);
    live.resize(cols, rows);
  }

  /** Raw output of every agent, each chunk once parsed (for attached clients). */
  onOutput(listener: OutputListener): () => void {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  /** Stops every live agent (daemon shutdown); resolves once their exits are stored and announced. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.live.values()].map((agent) => agent.kill(2000)));
    await Promise.all(this.persisting.values());
  }

  onStatus(listener: StatusListener): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Called (at most ~30 times a second per agent) when an agent's screen changed. */
  onScreen(listener: ScreenListener): () => void {
    this.screenListeners.add(listener);
    return () => this.screenListeners.delete(listener);
  }

  private launch(
    provider: AgentProvider,
    spec: { id: string; args: string[]; cwd: string; env: Record<string, string>; recording: string },
  ): Agent {
    const token = randomBytes(16).toString('hex');
    const dir = path.join(this.options.stateDir, 'agents', spec.id);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const hookArgs = provider.hooks?.({ dir, command: (event) => hookCommand(provider.id, event) }).args ?? [];
    const { socket } = this.options;
    const mcp = socket ? provider.mcp?.({ dir, server: mcpServer(spec.id, token, socket) }) : undefined;
    try {
      const agent = new Agent({
        provider,
        args: [...spec.args, ...hookArgs, ...(mcp?.args ?? [])],
        cwd: spec.cwd,
        env: {
          ...process.env,
          ...spec.env,
          ...mcp?.env,
          DROVER_AGENT_ID: spec.id,
          DROVER_HOOK_TOKEN: token,
          ...(this.options.socket ? { DROVER_SOCKET: this.options.socket } : {}),
        },
        cols: this.options.cols ?? 120,
        rows: this.options.rows ?? 35,
        recordTo: spec.recording,
      });
      this.tokens.set(spec.id, token);
      return agent;
    } catch (error) {
      if (error instanceof PtyError && error.message.startsWith('command not found')) {
        throw new SupervisorError(`${provider.displayName} (${provider.launch.command}) is not installed: ${provider.launch.install}`);
      }
      throw error;
    }
  }

  private launchable(id: string): AgentProvider {
    const provider = resolveProvider(id, this.options.config);
    if (!('launch' in provider)) throw new UnknownProviderError(`provider "${id}" cannot be launched (it only reads recordings)`);
    return provider as AgentProvider;
  }

  private view(record: DeepReadonly<AgentRecord>): AgentView {
    const live = this.live.get(record.id);
    const statusRule = this.rules.get(record.id);
    return { record, ...(live ? { live } : {}), ...(statusRule ? { statusRule } : {}) };
  }

  private adopt(id: string, agent: Agent): void {
    this.live.set(id, agent);
    agent.onStatus((change) => {
      this.rules.set(id, change.rule);
      if (!change.rule.startsWith('hook.')) this.screenSaidAt.set(id, Date.now());
      this.persisting.set(id, this.persistStatus(id, change, agent));
    });
    agent.onOutput((data) => {
      for (const listener of this.outputListeners) listener(id, data);
    });
    // Screen updates, coalesced: a spinner redrawing at 60 Hz is forwarded at most every 33 ms.
    let pending: NodeJS.Timeout | undefined;
    agent.screen.onParsed(() => {
      pending ??= setTimeout(() => {
        pending = undefined;
        for (const listener of this.screenListeners) listener(id);
      }, 33);
    });
    void agent.exited.then(() => {
      clearTimeout(pending);
      this.live.delete(id);
      agent.dispose();
    });
  }

  private async persistStatus(id: string, change: StatusChange, agent: Agent): Promise<void> {
    const at = new Date().toISOString();
    const exit = change.status === 'exited' ? agent.pty.exit : undefined;
    const record = await this.options.store.update((state) => {
      const stored = state.agents.find((a) => a.id === id);
      if (!stored) return undefined;
      stored.status = change.status;
      stored.statusAt = at;
      if (exit) stored.exit = { code: exit.code, signal: exit.signal, at };
      return structuredClone(stored);
    });
    if (!record) return;
    for (const listener of this.statusListeners) listener(record, change);
  }
}
