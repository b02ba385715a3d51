/**
 * The daemon's herd: spawns agents from providers, keeps one LiveAgent per running agent, persists
 * what the store must remember (who they are, their status, how they ended), and tells listeners
 * about status changes and screen updates. It never renders anything and never reads a socket.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { inBackground, UserError, type Log } from '../errors.ts';
import { agentProviders, checkProviders, launchableProvider, UnknownProviderError } from '../providers/index.ts';
import type { AgentProvider, McpServerLaunch, ProviderOverride } from '../providers/types.ts';
import { agentEnv, droverArgv, droverCommandLine } from '../protocol/launch.ts';
import type { Status, StatusChange } from '../status/status.ts';
import type { AgentRecord, DeepReadonly, State } from '../store/state.ts';
import { InvalidStateError, type Store } from '../store/store.ts';
import { CommandNotFoundError, resolveCommand } from '../terminal/pty.ts';
import type { Adoptable, TerminalHolder } from './held-terminal.ts';
import { lastResponse, type LastResponse } from './last-response.ts';
import { LiveAgent } from './live-agent.ts';
import { hookRule } from './status-tracker.ts';
import { ensureWorktree, removeWorktree } from './worktree.ts';

/** A request drover refuses: no such agent, a bad name, nothing to resume, … */
export class SupervisorError extends UserError {}

export interface SpawnRequest {
  provider: string;
  /** Default: the provider's id and the first free number (claude-1, claude-2, …). */
  name?: string;
  cwd: string;
  args?: string[];
  env?: Record<string, string>;
  /** The first message (recorded with the agent; the caller queues it in the inbox). */
  prompt?: string;
  /** Work in a git worktree of `cwd` on this branch (true: a branch named after the agent). */
  worktree?: string | true;
  /** The agent (id) that assigned it its task, to be told the outcome. */
  assignedBy?: string;
}

/** An agent: what the store remembers, and while its process runs, the live agent. */
export interface AgentView {
  record: DeepReadonly<AgentRecord>;
  live?: LiveAgent;
}

export interface SupervisorOptions {
  store: Store;
  /** The user's provider settings (config.json `providers`). */
  providers?: Readonly<Record<string, ProviderOverride>>;
  /** Recordings go under `<stateDir>/recordings`. */
  stateDir: string;
  cols?: number;
  rows?: number;
  /** The daemon's socket, handed to agents so their hooks reach this daemon. */
  socket?: string;
  /**
   * Where agents' terminals are held so they outlive this daemon (the PTY host); asked at each
   * launch, as the holder may have to be found again. Without one, this process holds them.
   */
  terminals?: () => Promise<TerminalHolder>;
  log?: Log;
}

/** A provider the daemon can launch, and whether its command is on PATH. */
export interface LaunchableProvider {
  provider: AgentProvider;
  installed: boolean;
}

/** A relaunch records to a new file beside the old one (a.cast → a.2.cast → a.3.cast). */
function rotated(recording: string): string {
  const match = /^(.*?)(?:\.(\d+))?\.cast$/.exec(recording)!;
  return `${match[1]}.${Number(match[2] ?? 1) + 1}.cast`;
}

type StatusListener = (record: DeepReadonly<AgentRecord>, change: StatusChange) => void;
type ScreenListener = (id: string) => void;
type OutputListener = (id: string, data: string) => void;

/** Where and how to start an agent's program, and where to record its terminal. */
interface LaunchSpec {
  id: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  recording: string;
}

const noSuchAgent = (ref: string) => new SupervisorError(`no such agent: ${ref} (see drover ls)`);
const stillRunning = (name: string) => new SupervisorError(`${name} is running: drover kill ${name} first`);

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** The inbox's own addresses (the person, and drover's notices): a message to an agent named so would go astray. */
const RESERVED_NAMES: ReadonlySet<string> = new Set(['user', 'system']);

export class Supervisor {
  private readonly live = new Map<string, LiveAgent>();
  /** Names of agents being spawned whose records are not stored yet. */
  private readonly claimedNames = new Set<string>();
  /** Agents (ids) being restarted or resumed: a second relaunch meanwhile would start a second program. */
  private readonly relaunching = new Set<string>();
  private readonly statusListeners = new Set<StatusListener>();
  private readonly screenListeners = new Set<ScreenListener>();
  private readonly outputListeners = new Set<OutputListener>();
  private readonly log: Log;
  private providerSettings: Readonly<Record<string, ProviderOverride>>;
  /** Status writes waiting to be tried again (a failed write), each resumed early by endRetries. */
  private readonly retryPauses = new Set<() => void>();
  private stopping = false;

  constructor(private readonly options: SupervisorOptions) {
    this.log = options.log ?? (() => {});
    this.providerSettings = options.providers ?? {};
  }

  /**
   * The user's provider settings changed (config reloaded): later launches use them; running agents
   * keep the provider they were launched with. Every configured provider is checked first (its
   * base known, its rules valid): a bad one is refused and the settings in force stay.
   */
  setProviders(providers: Readonly<Record<string, ProviderOverride>>): void {
    checkProviders(providers);
    this.providerSettings = providers;
  }

  /**
   * After a daemon restart: each stored agent whose terminal the holder still has is adopted — its
   * screen redrawn from the holder's backlog, its status kept until the screen says otherwise —
   * and one whose program ended meanwhile gets its exit stored. Whatever else was running is
   * recorded as exited (its history stays), never left in a status nobody updates. A held
   * terminal the store does not know (its spawn's write failed) is ended.
   */
  async recoverAfterRestart(adoptable: readonly Adoptable[] = []): Promise<{ adopted: number; lost: number }> {
    const held = new Map(adoptable.map((entry) => [entry.terminal.id, entry]));
    const counts = { adopted: 0, lost: 0 };
    const now = new Date().toISOString();
    for (const record of this.options.store.read().agents) {
      const entry = held.get(record.id);
      held.delete(record.id);
      if (record.status === 'exited') {
        entry?.terminal.forget();
        continue;
      }
      if (entry && !entry.terminal.exit) {
        try {
          await this.adoptHeld(record, entry);
          counts.adopted++;
          continue;
        } catch (error) {
          this.log(`agent ${record.name}: could not be adopted (${error instanceof Error ? error.message : String(error)}); recorded as exited`);
        }
      }
      const exit = entry?.terminal.exit;
      await this.options.store.update((state) => {
        const stored = state.agents.find((a) => a.id === record.id);
        if (!stored) return;
        stored.status = 'exited';
        stored.statusAt = now;
        stored.exit = { code: exit?.code ?? null, signal: exit?.signal ?? null, at: now };
      });
      entry?.terminal.forget();
      if (!exit) counts.lost++;
    }
    for (const orphan of held.values()) {
      this.log(`terminal ${orphan.terminal.id} (pid ${orphan.terminal.pid}) belongs to no stored agent: ended`);
      void orphan.terminal.kill({ signal: 'SIGHUP', graceMs: 3000 }).then(() => orphan.terminal.forget());
    }
    if (counts.lost) {
      await this.options.store.update((state) => {
        state.audit.push({ at: now, actor: 'system', action: 'daemon.recover', detail: `${counts.lost} agent(s) lost with the previous daemon` });
      });
    }
    return counts;
  }

  private async adoptHeld(record: DeepReadonly<AgentRecord>, entry: Adoptable): Promise<void> {
    const provider = this.launchable(record.provider);
    const backlog = await entry.attach();
    let statusStored: Promise<void> = Promise.resolve();
    const agent: LiveAgent = new LiveAgent({
      id: record.id,
      provider,
      token: entry.terminal.token,
      cols: entry.terminal.cols,
      rows: entry.terminal.rows,
      held: { terminal: entry.terminal, backlog, status: record.status },
      onStatus: (change) => (statusStored = statusStored.then(() => this.persistStatus(agent, change))),
    });
    await agent.screen.flush(); // its screen is redrawn before anyone reads it (a pending approval's dialog)
    this.adopt(agent);
  }

  list(): AgentView[] {
    return this.options.store.read().agents.map((record) => this.view(record));
  }

  get(ref: string): AgentView {
    const view = this.find(ref);
    if (!view) throw noSuchAgent(ref);
    return view;
  }

  find(ref: string): AgentView | undefined {
    const record = this.options.store.read().agents.find((a) => a.id === ref || a.name === ref);
    return record && this.view(record);
  }

  /** The agent's live pipeline; a one-line refusal naming `what` could not be done when it has exited. */
  running(ref: string, what: string): { record: DeepReadonly<AgentRecord>; live: LiveAgent } {
    const { record, live } = this.get(ref);
    if (!live) throw new SupervisorError(`${record.name} has exited: ${what} (its recording: ${record.recording}; drover resume ${record.name} starts it again)`);
    return { record, live };
  }

  /** The provider an agent was launched with (with the user's config applied). */
  providerOf(record: DeepReadonly<AgentRecord>): AgentProvider {
    return this.live.get(record.id)?.provider ?? this.launchableFor(record);
  }

  /**
   * The provider to launch a stored agent with. One whose provider drover no longer knows (a
   * configured one since removed from config.json) stays an inert record: listed, never launched.
   */
  private launchableFor(record: DeepReadonly<AgentRecord>): AgentProvider {
    try {
      return this.launchable(record.provider);
    } catch (error) {
      if (!(error instanceof UnknownProviderError)) throw error;
      throw new SupervisorError(`${record.name} was started with provider "${record.provider}", which drover no longer knows (${error.message}): add "${record.provider}" back under providers in config.json to launch it again`);
    }
  }

  /** Every provider the daemon can launch — built in or configured — and whether it is installed. */
  providers(): LaunchableProvider[] {
    const builtIn = agentProviders.map((p) => p.id);
    const ids = [...builtIn, ...Object.keys(this.providerSettings).filter((id) => !builtIn.includes(id))];
    return ids.flatMap((id): LaunchableProvider[] => {
      let provider: AgentProvider;
      try {
        provider = this.launchable(id);
      } catch {
        return []; // a generic base, or rules the config check will name when it is used
      }
      try {
        resolveCommand(provider.integrate.launch.command, process.env.PATH ?? '', process.cwd());
        return [{ provider, installed: true }];
      } catch {
        return [{ provider, installed: false }];
      }
    });
  }

  async spawn(request: SpawnRequest): Promise<AgentView> {
    const name = this.claimName(request.name, request.provider);
    let worktree: Awaited<ReturnType<typeof ensureWorktree>> | undefined;
    try {
      const provider = this.launchable(request.provider);
      const branch = request.worktree === true ? name : request.worktree;
      worktree = branch ? await ensureWorktree(request.cwd, branch, path.join(this.options.stateDir, 'worktrees')) : undefined;
      const cwd = worktree?.path ?? request.cwd;
      const id = randomUUID().slice(0, 8);
      const recordings = path.join(this.options.stateDir, 'recordings');
      mkdirSync(recordings, { recursive: true, mode: 0o700 });
      const recording = path.join(recordings, `${name}-${id}.cast`);
      const args = [...provider.integrate.launch.args, ...(request.args ?? [])];
      const now = new Date().toISOString();
      await this.launchRecorded(provider, { id, args, cwd, env: request.env ?? {}, recording }, (state, startStatus) => {
        const record: AgentRecord = {
          id,
          name,
          provider: provider.id,
          cwd: path.resolve(cwd),
          args,
          env: request.env ?? {},
          status: startStatus,
          createdAt: now,
          startedAt: now,
          statusAt: now,
          recording,
          ...(request.prompt ? { firstPrompt: request.prompt } : {}),
          ...(worktree ? { worktree: { path: worktree.path, branch: worktree.branch } } : {}),
          ...(request.assignedBy ? { assignedBy: request.assignedBy } : {}),
        };
        state.agents.push(record);
        state.audit.push({ at: now, actor: 'user', action: 'agent.spawn', agent: id, detail: `${provider.id} ${name} in ${record.cwd}` });
      });
      return this.get(id);
    } catch (error) {
      // A worktree made for an agent that never started would be left behind, holding its branch.
      if (worktree?.created) await removeWorktree(worktree.path).catch((cleanup: Error) => this.log(`worktree ${worktree!.path} of a failed spawn kept: ${cleanup.message}`));
      throw error;
    } finally {
      this.claimedNames.delete(name); // the stored record holds it now, or the spawn failed
    }
  }

  /**
   * Starts an exited agent again with its settings, in the same record (its history stays):
   * `restart` as it was, `resume` with the provider's resume arguments and the session id its
   * hooks reported.
   */
  async relaunch(ref: string, mode: 'restart' | 'resume'): Promise<AgentView> {
    const { record } = this.get(ref);
    if (this.relaunching.has(record.id)) throw new SupervisorError(`${record.name} is being restarted already`);
    this.relaunching.add(record.id);
    try {
      return await this.relaunchOnce(record.id, mode);
    } finally {
      this.relaunching.delete(record.id);
    }
  }

  private async relaunchOnce(ref: string, mode: 'restart' | 'resume'): Promise<AgentView> {
    const { record, live } = this.get(ref);
    if (live) {
      if (mode === 'resume') throw new SupervisorError(`${record.name} is running: nothing to resume`);
      await live.kill();
    }
    const provider = this.launchableFor(record);
    let args = [...record.args];
    if (mode === 'resume') {
      if (!provider.integrate.resumeArgs) throw new SupervisorError(`${provider.displayName} has no resume command in drover`);
      if (!record.sessionId) throw new SupervisorError(`${record.name}: its session id is unknown (its hooks never reported one), so it cannot be resumed`);
      args = [...args, ...provider.integrate.resumeArgs(record.sessionId)];
    }
    const recording = rotated(record.recording);
    const now = new Date().toISOString();
    await this.launchRecorded(provider, { id: record.id, args, cwd: record.cwd, env: { ...record.env }, recording }, (state, startStatus) => {
      const stored = state.agents.find((a) => a.id === record.id)!;
      stored.status = startStatus;
      stored.statusAt = now;
      stored.startedAt = now;
      stored.recording = recording;
      delete stored.exit;
      // A restart is a new session: its transcript is named by its hooks again (a resume goes on in the same one).
      if (mode === 'restart') delete stored.transcriptPath;
      state.audit.push({ at: now, actor: 'user', action: `agent.${mode}`, agent: record.id, detail: `${provider.id} ${record.name}` });
    });
    return this.get(record.id);
  }

  /**
   * A report from the agent's own hooks (`drover hook`, on a connection authenticated as the agent).
   * Taken as the status at once unless the screen has already said something newer.
   */
  async report(ref: string, report: { event: string; at: number; payload: Record<string, unknown> }): Promise<void> {
    const { record, live } = this.get(ref);
    const said = live?.provider.integrate.hookReport?.(report.event, report.payload) ?? {};
    const newSession = said.sessionId && said.sessionId !== record.sessionId;
    const newTranscript = said.transcriptPath && said.transcriptPath !== record.transcriptPath;
    if (newSession || newTranscript) {
      await this.options.store.update((state) => {
        const stored = state.agents.find((a) => a.id === record.id)!;
        if (said.sessionId) stored.sessionId = said.sessionId;
        if (said.transcriptPath) stored.transcriptPath = said.transcriptPath;
        // Another session, its transcript not named yet: the previous one is not its.
        else if (newSession) delete stored.transcriptPath;
      });
    }
    if (live && said.status) live.reported({ status: said.status, rule: hookRule(report.event) }, report.at);
  }

  /**
   * Its answer in its latest turn: from the CLI's own transcript where there is one (exact, any
   * length), else from its screen; an exited agent's from its transcript only.
   */
  async lastResponse(ref: string): Promise<AgentView & LastResponse> {
    const view = this.get(ref);
    let provider: AgentProvider | undefined = view.live?.provider;
    if (!provider) {
      try {
        provider = this.launchable(view.record.provider);
      } catch {
        provider = undefined; // a provider no longer configured: nothing to read it with
      }
    }
    return { ...view, ...(await lastResponse(view.record, provider, view.live)) };
  }

  /** Stops the agent; its worktree goes too only when asked (`removeWorktree`) and clean. */
  async kill(ref: string, force = false, removeWorktreeToo = false): Promise<AgentView> {
    const { record, live } = this.get(ref);
    if (live) await live.kill(force ? 0 : 3000);
    if (removeWorktreeToo && record.worktree) await removeWorktree(record.worktree.path);
    return this.get(record.id);
  }

  /**
   * Forgets an exited agent's record, so its name can be used again; its recordings stay on disk.
   * Its name stays held until `after` (the inbox and approvals letting go of it) is done: no new
   * agent takes it, and no message is queued to it, in between.
   */
  async remove(ref: string, after: (record: DeepReadonly<AgentRecord>) => Promise<void>): Promise<DeepReadonly<AgentRecord>> {
    const { record, live } = this.get(ref);
    if (live || record.status !== 'exited') throw stillRunning(record.name);
    this.claimedNames.add(record.name);
    try {
      const now = new Date().toISOString();
      await this.options.store.update((state) => {
        const at = state.agents.findIndex((a) => a.id === record.id);
        const stored = state.agents[at];
        if (!stored) throw noSuchAgent(ref);
        if (stored.status !== 'exited' || this.live.has(record.id)) throw stillRunning(record.name);
        state.agents.splice(at, 1);
        state.audit.push({ at: now, actor: 'user', action: 'agent.remove', agent: record.id, detail: `${record.provider} ${record.name}; recordings kept in ${path.dirname(record.recording)}` });
      });
      await after(record);
      return record;
    } finally {
      this.claimedNames.delete(record.name);
    }
  }

  /**
   * Gives an agent (running or not) a new name, by the same rules as spawn's. Both names stay held
   * until `after` (the inbox readdressing what was queued to the old name) is done.
   */
  async rename(ref: string, wanted: string, after: (from: string, to: string) => Promise<void>): Promise<DeepReadonly<AgentRecord>> {
    const { record } = this.get(ref);
    if (wanted === record.name) throw new SupervisorError(`${record.name} is already named so`);
    const name = this.claimName(wanted, record.provider);
    this.claimedNames.add(record.name);
    try {
      const now = new Date().toISOString();
      await this.options.store.update((state) => {
        const stored = state.agents.find((a) => a.id === record.id);
        if (!stored) throw noSuchAgent(ref);
        stored.name = name;
        state.audit.push({ at: now, actor: 'user', action: 'agent.rename', agent: record.id, detail: `${record.name} → ${name}` });
      });
      await after(record.name, name);
      return this.get(record.id).record;
    } finally {
      this.claimedNames.delete(name);
      this.claimedNames.delete(record.name);
    }
  }

  /** Stops every live agent (daemon shutdown); resolves once their exits are stored and announced. */
  async stopAll(): Promise<void> {
    this.endRetries();
    await Promise.all([...this.live.values()].map((agent) => agent.kill(2000)));
  }

  /** Lets go of every live agent without stopping it (a daemon restart: its holder keeps them). */
  detachAll(): void {
    this.endRetries();
    for (const agent of this.live.values()) agent.dispose();
    this.live.clear();
  }

  /** Shutdown: status writes still failing get one last try now instead of waiting on. */
  private endRetries(): void {
    this.stopping = true;
    for (const resume of [...this.retryPauses]) resume();
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

  /** Raw output of every agent, each chunk once parsed (for attached clients). */
  onOutput(listener: OutputListener): () => void {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  /**
   * The new agent's name (`wanted`, or the provider's first free one), checked and held until its
   * record is stored: two spawns at once never get the same name.
   */
  private claimName(wanted: string | undefined, provider: string): string {
    const name = wanted ?? this.freeName(provider);
    if (!NAME.test(name)) {
      throw new SupervisorError(`invalid agent name "${name}": use letters, digits, . _ - (up to 64)`);
    }
    if (RESERVED_NAMES.has(name)) throw new SupervisorError(`the name "${name}" is reserved: pick another`);
    if (this.takenNames().has(name)) {
      throw new SupervisorError(`an agent named "${name}" already exists (pick another name or drover kill it)`);
    }
    this.claimedNames.add(name);
    return name;
  }

  private freeName(provider: string): string {
    const taken = this.takenNames();
    for (let n = 1; ; n++) if (!taken.has(`${provider}-${n}`)) return `${provider}-${n}`;
  }

  private takenNames(): Set<string> {
    return new Set([...this.options.store.read().agents.map((a) => a.name), ...this.claimedNames]);
  }

  /**
   * Starts the agent's program and stores its launch (`recordLaunch`, given the status it starts
   * in). The program may change its status, even exit, before that write lands: those changes are
   * stored after it, in order. If the write fails the program is stopped: no agent runs that the
   * store does not know.
   */
  private async launchRecorded(
    provider: AgentProvider,
    spec: LaunchSpec,
    recordLaunch: (state: State, startStatus: Status) => void,
  ): Promise<void> {
    let recordStored!: (stored: boolean) => void;
    const agent = await this.launch(provider, spec, new Promise<boolean>((resolve) => (recordStored = resolve)));
    const startStatus = agent.status.status;
    try {
      await this.options.store.update((state) => recordLaunch(state, startStatus));
    } catch (error) {
      recordStored(false);
      await agent.kill(0);
      agent.dispose();
      throw error;
    }
    this.adopt(agent);
    recordStored(true);
  }

  /** Starts the program; its status changes are stored in order, once `recordStored` says its record is there. */
  private async launch(provider: AgentProvider, spec: LaunchSpec, recordStored: Promise<boolean>): Promise<LiveAgent> {
    const token = randomBytes(16).toString('hex');
    const dir = path.join(this.options.stateDir, 'agents', spec.id);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { integrate } = provider;
    const hooks = integrate.hooks?.({ dir, command: (event) => droverCommandLine(['hook', provider.id, event]) });
    const { socket } = this.options;
    const server: McpServerLaunch | undefined = socket ? { ...droverArgv(['mcp']), env: agentEnv({ agent: spec.id, token, socket }) } : undefined;
    const mcp = server && integrate.mcp?.({ dir, server });
    let statusStored = recordStored;
    const args = [...spec.args, ...(hooks?.args ?? []), ...(mcp?.args ?? [])];
    const env = { ...process.env, ...spec.env, ...integrate.launch.env, ...hooks?.env, ...mcp?.env, ...agentEnv({ agent: spec.id, token, socket }) };
    const cols = this.options.cols ?? 120;
    const rows = this.options.rows ?? 35;
    try {
      const holder = await this.options.terminals?.();
      const terminal = await holder?.spawn({ id: spec.id, command: integrate.launch.command, args, cwd: spec.cwd, env, cols, rows, recording: spec.recording, token });
      const agent: LiveAgent = new LiveAgent({
        id: spec.id,
        provider,
        token,
        args,
        cwd: spec.cwd,
        env,
        cols,
        rows,
        recordTo: spec.recording,
        ...(terminal ? { held: { terminal } } : {}),
        onStatus: (change) => {
          statusStored = statusStored.then(async (recorded) => {
            if (recorded) await this.persistStatus(agent, change);
            return recorded;
          });
          return statusStored.then(() => {});
        },
      });
      return agent;
    } catch (error) {
      if (error instanceof CommandNotFoundError) {
        throw new SupervisorError(`${provider.displayName} (${error.command}) is not installed: ${integrate.launch.install}`);
      }
      throw error;
    }
  }

  private launchable(id: string): AgentProvider {
    return launchableProvider(id, this.providerSettings);
  }

  private view(record: DeepReadonly<AgentRecord>): AgentView {
    const live = this.live.get(record.id);
    return live ? { record, live } : { record };
  }

  private adopt(agent: LiveAgent): void {
    const { id } = agent;
    this.live.set(id, agent);
    agent.onOutput((data) => {
      for (const listener of this.outputListeners) listener(id, data);
    });
    agent.onScreenChange(() => {
      for (const listener of this.screenListeners) listener(id);
    });
    inBackground(
      agent.handled().then(() => {
        if (this.live.get(id) !== agent) return; // let go of (detachAll)
        this.live.delete(id);
        agent.dispose();
        agent.heldTerminal?.forget(); // its exit is stored: the holder may let it go
      }),
      `agent ${id}: cleaning up after its exit`,
      this.log,
    );
  }

  /**
   * Stores the change, then tells the listeners. A write that fails (a full disk, a read-only
   * folder) is logged and tried again, with longer pauses, until it lands: the agent's later
   * changes wait behind it, so none is lost or told out of order. Never thrown into the pipeline;
   * at shutdown the last try is the last.
   */
  private async persistStatus(agent: LiveAgent, change: StatusChange): Promise<void> {
    const { id } = agent;
    for (let attempt = 0; ; attempt++) {
      try {
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
        if (attempt > 0) this.log(`agent ${id}: its status ${change.status} is stored after ${attempt + 1} tries`);
        if (!record) return;
        for (const listener of this.statusListeners) listener(record, change);
        return;
      } catch (error) {
        const retry = !(error instanceof InvalidStateError) && !this.stopping;
        if (attempt === 0 || !retry) {
          this.log(`agent ${id}: storing its status ${change.status} failed${retry ? ' (trying again)' : ''}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        }
        if (!retry) return;
        await this.pauseBeforeRetry(attempt);
      }
    }
  }

  /** 0.5 s, 1 s, 2 s, … up to 30 s between tries; cut short when the daemon stops. */
  private pauseBeforeRetry(attempt: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.retryPauses.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.min(500 * 2 ** attempt, 30_000));
      this.retryPauses.add(done);
    });
  }
}
