/**
 * One CLI under drover doctor: the mock model on 127.0.0.1, a throwaway HOME pointed at it, a
 * daemon of its own (its state, socket and recordings inside that HOME, so the user's daemon and
 * agents are never touched), the CLI spawned by that daemon as any agent is — drover's launch,
 * hooks and MCP included, its terminal held and recorded by the PTY host — and driven with keys.
 *
 * What the driver knows is kept apart from what drover says: it acts on the mock's events and on
 * the strings a person would go by (signs.ts), never on drover's status, which it only reads from
 * the daemon's status events, to judge.
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '../client/client.ts';
import { connectOrStart } from '../client/daemon-connection.ts';
import { getProvider } from '../providers/index.ts';
import type { AgentProvider } from '../providers/types.ts';
import type { EventParams } from '../protocol/schema.ts';
import type { Status } from '../status/status.ts';
import { agentLayout, prepareHome, type MockableProvider, type PreparedAgent } from './homes.ts';
import { startMockServer, type MockEvent, type MockServer, type Turn } from './mock-model/server.ts';
import { showsBusy, SIGNS, type ScreenSigns } from './signs.ts';

const SCREEN_POLL_MS = 100;

export interface SessionOptions {
  provider: MockableProvider;
  /** The CLI's executable (absolute). */
  command: string;
  cols: number;
  rows: number;
  /** Copilot CLI's unpacked app, and the packages opencode installs at start: kept across runs. */
  copilotPackages: string;
  opencodePackages: string;
  /**
   * Where the throwaway HOME is made (inside, removed afterwards). Not under a world-writable
   * folder such as /tmp: Gemini CLI skips a settings file with one among its parents ("Parent
   * directory '/tmp' is insecure"), and with it the hooks and MCP server drover injects.
   */
  homesDir: string;
}

type StatusEvent = EventParams<'event.status'>;

/** What drover said about the agent, and when (epoch ms, as the daemon announced it). */
export interface Said {
  status: Status;
  rule: string;
  at: number;
}

export class DoctorSession {
  readonly signs: ScreenSigns;
  readonly provider: AgentProvider;
  readonly statuses: Said[] = [];
  readonly mockEvents: MockEvent[] = [];
  mock!: MockServer;
  agent!: PreparedAgent;
  /** The agent's terminal recording (inside the throwaway HOME until `keep`). */
  recording = '';
  launchedAt = 0;
  private root = '';
  private client?: Client;
  private agentId = '';
  private readonly waiters = new Set<() => void>();
  /** Ctrl-C: the CLI, the daemon and the HOME go with doctor, not left behind (the recording is kept). */
  private readonly interrupted = () => void this.finish(this.keepAs).finally(() => process.exit(130));
  private keepAs: string | undefined;

  constructor(private readonly options: SessionOptions) {
    this.signs = SIGNS[options.provider];
    this.provider = getProvider(options.provider) as AgentProvider;
  }

  get outsideDir(): string {
    return agentLayout(this.root).outsideDir;
  }

  /** The mock, the HOME, the daemon; then the CLI, launched. */
  async start(keepAs: string): Promise<void> {
    this.keepAs = keepAs;
    process.once('SIGINT', this.interrupted);
    mkdirSync(this.options.homesDir, { recursive: true, mode: 0o700 });
    this.root = mkdtempSync(path.join(this.options.homesDir, `${this.options.provider}-`));
    this.mock = await startMockServer({ port: 0, scenario: { turns: [] } });
    this.mock.events.on('mock-event', (event: MockEvent) => {
      this.mockEvents.push(event);
      this.wake();
    });
    this.agent = prepareHome(this.options.provider, this.options.command, {
      mockUrl: this.mock.url,
      root: this.root,
      copilotPackages: this.options.copilotPackages,
      opencodePackages: this.options.opencodePackages,
    });
    // The CLI the user named, by the config the daemon reads (a provider's `command`), in the HOME's own config.
    writeJson(path.join(this.agent.env.XDG_CONFIG_HOME!, 'drover', 'config.json'), {
      providers: { [this.options.provider]: { command: this.options.command } },
    });
    const runtime = path.join(this.root, 'run');
    mkdirSync(runtime, { mode: 0o700 });
    chmodSync(runtime, 0o700);
    // The daemon gets the HOME's environment and, of this one, only how this machine reaches the
    // network (no keys, no config folders, no DROVER_* of an agent this runs in): every other
    // variable here is unset for it.
    const unset = Object.fromEntries(Object.keys(process.env).map((key) => [key, undefined]));
    this.client = await connectOrStart({ ...unset, ...networkEnv(), ...this.agent.env, XDG_RUNTIME_DIR: runtime });
    this.client.on('event.status', (event: StatusEvent) => {
      if (this.agentId && event.agent !== this.agentId) return;
      this.statuses.push({ status: event.status, rule: event.rule, at: event.at });
      this.wake();
    });
    this.launchedAt = Date.now();
    const spawned = await this.client.call('agents.spawn', {
      provider: this.options.provider,
      name: this.options.provider,
      cwd: this.agent.cwd,
      args: this.agent.args,
    });
    this.agentId = spawned.id;
    this.recording = spawned.recording ?? '';
    this.statuses.unshift({ status: spawned.status, rule: spawned.statusRule ?? 'launch', at: this.launchedAt });
    if (this.options.cols !== 120 || this.options.rows !== 35) {
      // The daemon launches at 120×35; the CLI is resized before it has drawn much.
      await this.client.call('agents.resize', { agent: this.agentId, cols: this.options.cols, rows: this.options.rows });
    }
  }

  /** The mock's turns from now on (the turn pointer reset). */
  script(turns: Turn[]): void {
    this.mock.setScenario({ turns });
  }

  /** The composited screen, as the daemon's emulator has it. */
  async screen(): Promise<string> {
    return (await this.client!.call('agents.screen', { agent: this.agentId })).lines.join('\n');
  }

  /** Writes keys to the agent's terminal; returns the wall time just before. */
  async keys(keys: string): Promise<number> {
    const at = Date.now();
    await this.client!.call('agents.keys', { agent: this.agentId, keys });
    return at;
  }

  /**
   * Types a prompt as a person does (the fixture recorder's way: the text, then Enter once it
   * shows) and returns when Enter went out. Not the inbox's paste: doctor checks what drover reads
   * of the screen, not how it delivers a message.
   */
  async prompt(text: string): Promise<number> {
    await this.keys(text);
    await this.waitScreen((s) => s.includes(text), 5000).catch(() => undefined);
    return this.keys('\r');
  }

  /** Looks at the screen every 100 ms until `test` holds; the time of that look. */
  async waitScreen(test: (screen: string) => boolean, timeoutMs: number, what = 'the screen'): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = Date.now();
      const screen = await this.screen();
      if (test(screen)) return at;
      if (at > deadline) throw new DriverError(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}; the screen:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, SCREEN_POLL_MS));
    }
  }

  /** The CLI's ready prompt is on screen and nothing says it is busy. */
  readonly showsReady = (screen: string): boolean => screen.includes(this.signs.ready) && !showsBusy(this.signs, screen);

  /** The first mock event at or after `since` that passes `test`, as it comes. */
  waitMock(test: (e: MockEvent) => boolean, since: number, timeoutMs: number): Promise<MockEvent | undefined> {
    return this.until(() => this.mockEvents.find((e) => e.at >= since && test(e)), timeoutMs);
  }

  /** The first moment in [from, by] at which drover's status was one of `expected` (the status at `from` counts). */
  waitStatus(expected: readonly Status[], from: number, by: number): Promise<Said | undefined> {
    return this.until(() => {
      const current = this.statusAt(from);
      if (current && expected.includes(current.status)) return { ...current, at: from };
      return this.statuses.find((s) => s.at >= from && s.at <= by && expected.includes(s.status));
    }, by - Date.now());
  }

  /** drover's status at `at`: the last it announced at or before. */
  statusAt(at: number): Said | undefined {
    return this.statuses.filter((s) => s.at <= at).at(-1);
  }

  /** What drover said in (from, to]. */
  saidBetween(from: number, to: number): Said[] {
    return this.statuses.filter((s) => s.at > from && s.at <= to);
  }

  /** Stops the CLI and the daemon, copies the recording to `keepAs`, removes the HOME. */
  async finish(keepAs: string | undefined): Promise<string | undefined> {
    process.off('SIGINT', this.interrupted);
    const client = this.client;
    this.client = undefined;
    let kept: string | undefined;
    try {
      if (client) {
        if (this.agentId) await client.call('agents.kill', { agent: this.agentId }).catch(() => undefined);
        const { pid, ptyHostPid } = await client.call('daemon.status');
        await client.call('daemon.stop', {}).catch(() => undefined);
        await client.close();
        // The recording is complete once the PTY host that wrote it has exited.
        await gone([pid, ...(ptyHostPid ? [ptyHostPid] : [])], 10_000);
      }
      if (keepAs && this.recording) {
        mkdirSync(path.dirname(keepAs), { recursive: true });
        copyFileSync(this.recording, keepAs);
        kept = keepAs;
      }
    } finally {
      await this.mock?.close();
      if (this.root) rmSync(this.root, { recursive: true, force: true });
    }
    return kept;
  }

  private wake(): void {
    for (const waiter of this.waiters) waiter();
  }

  /** Resolves with `find()` once it returns something (checked on every event), or undefined after `timeoutMs`. */
  private until<T>(find: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
    const now = find();
    if (now !== undefined || timeoutMs <= 0) return Promise.resolve(now);
    return new Promise((resolve) => {
      const done = (value: T | undefined) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(value);
      };
      const check = () => {
        const found = find();
        if (found !== undefined) done(found);
      };
      const timer = setTimeout(() => done(find()), timeoutMs);
      this.waiters.add(check);
    });
  }
}

/** The driver could not go on (the CLI never showed what a person waits for). */
export class DriverError extends Error {}

/**
 * Proxies and CA bundles: how this machine reaches the network. opencode installs its plugin
 * package from npm at each start in a new HOME, and hangs on TLS without the CA an intercepting
 * proxy signs with.
 */
function networkEnv(): Record<string, string> {
  const names = /^(https?_proxy|no_proxy|all_proxy|ssl_cert_file|ssl_cert_dir|node_extra_ca_certs|npm_config_registry|npm_config_cafile)$/i;
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => names.test(entry[0]) && entry[1] !== undefined));
}

async function gone(pids: number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  while (pids.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

function writeJson(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
