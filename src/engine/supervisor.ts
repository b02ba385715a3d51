/**
 * The daemon's herd: spawns agents from providers, keeps their live pipelines, persists what the
 * store must remember (who they are, their status, how they ended), and tells listeners about
 * status changes and screen updates. It never renders anything and never reads a socket.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../store/config.ts';
import type { Agent as AgentRecord, DeepReadonly } from '../store/state.ts';
import type { Store } from '../store/store.ts';
import { resolveProvider, UnknownProviderError } from '../providers/index.ts';
import type { AgentProvider } from '../providers/types.ts';
import { PtyError } from '../terminal/pty.ts';
import type { ScreenSnapshot } from '../terminal/screen.ts';
import { Agent } from './agent.ts';
import { compileRules, explain, type Explanation } from './rules.ts';
import type { StatusChange } from './status.ts';

export class SupervisorError extends Error {}

export interface SpawnRequest {
  provider: string;
  name: string;
  cwd: string;
  args?: string[];
  env?: Record<string, string>;
  /** Submitted once the agent first reaches a ready prompt. */
  prompt?: string;
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
    const record = this.options.store.read().agents.find((a) => a.id === ref || a.name === ref);
    if (!record) throw new SupervisorError(`no such agent: ${ref} (see drover ls)`);
    return this.view(record);
  }

  async spawn(request: SpawnRequest): Promise<AgentView> {
    if (!NAME.test(request.name)) {
      throw new SupervisorError(`invalid agent name "${request.name}": use letters, digits, . _ - (up to 64)`);
    }
    if (this.options.store.read().agents.some((a) => a.name === request.name)) {
      throw new SupervisorError(`an agent named "${request.name}" already exists (pick another name or drover kill it)`);
    }
    const provider = this.launchable(request.provider);
    const id = randomUUID().slice(0, 8);
    const recordings = path.join(this.options.stateDir, 'recordings');
    mkdirSync(recordings, { recursive: true, mode: 0o700 });
    const recording = path.join(recordings, `${request.name}-${id}.cast`);
    const args = [...provider.launch.args, ...(request.args ?? [])];
    let agent: Agent;
    try {
      agent = new Agent({
        provider,
        args,
        cwd: request.cwd,
        env: { ...process.env, ...request.env },
        cols: this.options.cols ?? 120,
        rows: this.options.rows ?? 35,
        recordTo: recording,
      });
    } catch (error) {
      if (error instanceof PtyError && error.message.startsWith('command not found')) {
        throw new SupervisorError(`${provider.displayName} (${provider.launch.command}) is not installed: ${provider.launch.install}`);
      }
      throw error;
    }
    const now = new Date().toISOString();
    const record: AgentRecord = {
      id,
      name: request.name,
      provider: provider.id,
      cwd: path.resolve(request.cwd),
      args,
      env: request.env ?? {},
      status: agent.status.status,
      createdAt: now,
      startedAt: now,
      statusAt: now,
      recording,
      ...(request.prompt ? { firstPrompt: request.prompt } : {}),
    };
    await this.options.store.update((state) => {
      state.agents.push(record);
      state.audit.push({ at: now, actor: 'user', action: 'agent.spawn', agent: id, detail: `${provider.id} ${request.name} in ${record.cwd}` });
    });
    this.adopt(id, agent, request.prompt);
    return this.get(id);
  }

  /** The provider's rules on the agent's screen now: the first match is the winner. */
  explain(ref: string): Explanation {
    const { record, live } = this.get(ref);
    if (!live) throw new SupervisorError(`${record.name} has exited: nothing to explain (replay its recording: ${record.recording})`);
    const provider = live.options.provider;
    return explain(compileRules(provider.rules), live.screen.lines(), live.screen.title);
  }

  screen(ref: string, styled = false): ScreenSnapshot {
    const { record, live } = this.get(ref);
    if (!live) throw new SupervisorError(`${record.name} has exited: its screen is gone (its recording: ${record.recording})`);
    return live.screen.snapshot({ styled });
  }

  async send(ref: string, message: { text?: string; keys?: string }): Promise<void> {
    const { record, live } = this.get(ref);
    if (!live) throw new SupervisorError(`${record.name} has exited (drover resume ${record.name} to start it again)`);
    if (message.keys !== undefined) live.write(message.keys);
    else await live.submit(message.text ?? '');
  }

  async kill(ref: string, force = false): Promise<AgentView> {
    const { record, live } = this.get(ref);
    if (live) {
      await live.kill(force ? 0 : 3000);
      await this.persisting.get(record.id);
    }
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

  /** Stops every live agent (daemon shutdown). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.live.values()].map((agent) => agent.kill(2000)));
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

  private adopt(id: string, agent: Agent, firstPrompt: string | undefined): void {
    this.live.set(id, agent);
    let prompted = !firstPrompt;
    agent.onStatus((change) => {
      this.rules.set(id, change.rule);
      this.persisting.set(id, this.persistStatus(id, change, agent));
      if (!prompted && (change.status === 'idle' || change.status === 'done')) {
        prompted = true;
        void agent.submit(firstPrompt!);
      }
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
