/**
 * The peer side by side with bench/herd-cpu.ts: ccmanager 4.2.3 (an Ink TUI that runs one agent
 * session per git worktree, each in a PTY of its own fed into an @xterm/headless terminal), with
 * N sessions replaying the same working Claude screen (bench/cast-player.ts) and the first
 * session's live screen on its terminal, measured over the same window as drover's herd.
 *
 * Installed on demand into .cache/bench/ccmanager, never a dependency of drover. ccmanager 4.2.3's
 * `bin/cli.js` only execs a prebuilt Bun binary from @kodaikabasawa/ccmanager-linux-x64@4.2.3,
 * which the npm registry does not carry for that version; so it runs the way its own `start`
 * script does, `bun --no-env-file dist/cli.js`, with Bun from npm's `bun` package. Its sessions
 * are Bun.Terminal PTYs inside that one Bun process: ccmanager is that process and the short-lived
 * git processes it polls with (counted as its reaped children's CPU); the replayers are not counted.
 *
 * Driven as a user would, by keys through a real PTY (177×54, like drover's TUI) in a throwaway
 * HOME: for each worktree `/name Enter 0` starts its session (the preset is the replayer) and
 * attaches, Ctrl-E goes back to the menu; once the menu shows every session Busy, `0` attaches the
 * first session, whose working screen ccmanager then streams to its terminal while measured.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Pty } from '../src/terminal/pty.ts';
import { Screen } from '../src/terminal/screen.ts';
import { cpuTicks, cpuTicksWithReapedChildren, rssMb, TICKS_PER_SECOND } from './proc.ts';
import { MEASURE_S, READY_LIMIT_MS, replayCommand } from './herd-cpu.ts';
import { killLeftovers } from '../test/helpers/processes.ts';
import { until } from '../test/helpers/until.ts';

const run = promisify(execFile);
export const CCMANAGER_VERSION = '4.2.3';
/** The last Bun released before ccmanager 4.2.3; it has the Bun.Terminal its sessions run in. */
const BUN_VERSION = '1.3.9';
const DIR = path.resolve(import.meta.dirname, '../.cache/bench/ccmanager');
const COLS = 177;
const ROWS = 54;
/** One screen step (a view drawn, a session started) on a loaded 2-core machine. */
const STEP_LIMIT_MS = 30_000;
const CTRL_E = '\x05';
const SHIFT_TAB = '\x1b[Z';

export interface Peer {
  bun: string;
  bunVersion: string;
  cli: string;
}

export interface PeerFigures {
  agents: number;
  /** % of one core: the Bun process and the git processes it ran and reaped in the window. */
  cpu: number;
  /** Of which the git processes. */
  childrenCpu: number;
  rssMb: number;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? ((error as { stderr?: string }).stderr || error.message) : String(error);
  return text.trim().split('\n').find((line) => line.trim()) ?? 'no message';
}

/** ccmanager and Bun in .cache/bench/ccmanager, installed by npm the first time; or why the peer is skipped. */
export async function installCcmanager(): Promise<Peer | { skipped: string }> {
  const bun = path.join(DIR, 'node_modules', '.bin', 'bun');
  const cli = path.join(DIR, 'node_modules', 'ccmanager', 'dist', 'cli.js');
  const installed = () => {
    try {
      const version = JSON.parse(readFileSync(path.join(DIR, 'node_modules', 'ccmanager', 'package.json'), 'utf8')).version;
      return version === CCMANAGER_VERSION && existsSync(bun) && existsSync(cli);
    } catch {
      return false;
    }
  };
  if (!installed()) {
    mkdirSync(DIR, { recursive: true });
    writeFileSync(path.join(DIR, 'package.json'), JSON.stringify({ private: true, dependencies: { ccmanager: CCMANAGER_VERSION, bun: BUN_VERSION } }, null, 2));
    try {
      await run('npm', ['install', '--prefix', DIR, '--no-audit', '--no-fund', '--loglevel=error'], { timeout: 300_000 });
    } catch (error) {
      return { skipped: `npm install of ccmanager@${CCMANAGER_VERSION} and bun@${BUN_VERSION} failed: ${firstLine(error)}` };
    }
    if (!installed()) return { skipped: `npm install left no ccmanager@${CCMANAGER_VERSION} with a bun binary in ${DIR}` };
  }
  try {
    return { bun, cli, bunVersion: (await run(bun, ['--version'])).stdout.trim() };
  } catch (error) {
    return { skipped: `bun@${BUN_VERSION} from npm does not run here: ${firstLine(error)}` };
  }
}

/** ccmanager in a PTY and what its terminal shows. */
class Driven {
  private readonly screen = new Screen({ cols: COLS, rows: ROWS });
  readonly pty: Pty;

  constructor(peer: Peer, cwd: string, env: Record<string, string | undefined>) {
    this.pty = new Pty({ command: peer.bun, args: ['--no-env-file', peer.cli], cols: COLS, rows: ROWS, cwd, env });
    this.pty.onData((data) => this.screen.write(data));
  }

  async lines(): Promise<string[]> {
    await this.screen.flush();
    return this.screen.lines();
  }

  /** Until the screen passes the test; on time out, the error carries the screen. */
  async until(what: string, test: (lines: string[]) => boolean, limitMs = STEP_LIMIT_MS): Promise<void> {
    await until(
      async () => {
        if (test(await this.lines())) return true;
        if (this.pty.exit) throw new Error(`ccmanager exited (${JSON.stringify(this.pty.exit)}) waiting for ${what}`);
        return false;
      },
      async () => `${what} on ccmanager's screen, which shows:\n${(await this.lines()).filter((l) => l.trim()).join('\n')}`,
      limitMs,
    );
  }

  /** Sends keys, again every 2 s while the screen still shows they were not taken (`notTaken`), until `test`. */
  async press(keys: string, what: string, test: (lines: string[]) => boolean, notTaken: (lines: string[]) => boolean): Promise<void> {
    const deadline = Date.now() + STEP_LIMIT_MS;
    this.write(keys);
    let sent = Date.now();
    for (;;) {
      await this.until(what, (lines) => test(lines) || Date.now() - sent > 2000 || Date.now() > deadline, Math.max(0, deadline - Date.now()));
      const lines = await this.lines();
      if (test(lines)) return;
      if (this.pty.exit) throw new Error(`ccmanager exited (${JSON.stringify(this.pty.exit)}) waiting for ${what}`);
      if (Date.now() > deadline) throw new Error(`ccmanager: no ${what} in ${STEP_LIMIT_MS / 1000} s; its screen:\n${lines.filter((l) => l.trim()).join('\n')}`);
      if (notTaken(lines)) {
        this.write(keys);
        sent = Date.now();
      }
    }
  }

  /**
   * Types a search for `name` into the menu's search prompt, again if the prompt was not yet
   * listening when it was typed (keys that arrive before Ink's text input mounts are lost).
   */
  async search(name: string): Promise<void> {
    const deadline = Date.now() + STEP_LIMIT_MS;
    for (;;) {
      const prompt = (await this.lines()).find((l) => l.startsWith('Search:'))?.slice('Search:'.length).trim();
      if (prompt === name) {
        // Still so a moment later: no second copy of the name was on its way (a slow frame made it look lost).
        await sleep(500);
        if ((await this.lines()).find((l) => l.startsWith('Search:'))?.slice('Search:'.length).trim() === name) return;
        continue;
      }
      if (Date.now() > deadline) throw new Error(`ccmanager: the search prompt shows ${JSON.stringify(prompt)}, not ${name}`);
      if (prompt === undefined || prompt.startsWith('Type to filter')) this.write(name);
      else this.write('\x7f'.repeat(prompt.length));
      await this.until('the search prompt to change', (lines) => lines.find((l) => l.startsWith('Search:'))?.slice('Search:'.length).trim() !== prompt, 3000).catch(() => {});
    }
  }

  write(keys: string): void {
    this.pty.write(keys);
  }
}

/** Its menu (or search) view, by the legend at its foot: with 50 worktrees its header is scrolled off a 54-row terminal. */
const inMenu = (lines: string[]) => lines.some((l) => l.startsWith('Status: ● Busy ◐ Waiting ○ Idle'));
/** The replayed Claude screen, attached: its banner (idle) or anything but ccmanager's own views. */
const inSession = (lines: string[]) => !inMenu(lines) && lines.some((l) => l.trim()) && !lines.some((l) => /Creating session|Starting/i.test(l));
const row = (lines: string[], name: string) => lines.find((l) => new RegExp(`❯ ${name}\\b`).test(l));
const STATE = /\[(● Busy|◐ Waiting|◐ Pending Auto Approval|○ Idle)/;

/**
 * `attached`: the first session's screen on ccmanager's terminal (the closest to drover's preview);
 * `menu`: its menu of sessions and their states, which shows no session's screen.
 */
export type PeerView = 'attached' | 'menu';

export async function measureCcmanagerHerd(peer: Peer, agents: number, view: PeerView = 'attached'): Promise<PeerFigures> {
  const root = mkdtempSync(path.join(tmpdir(), 'drover-peer-'));
  const home = path.join(root, 'home');
  const repo = path.join(root, 'repo');
  mkdirSync(path.join(home, '.config', 'ccmanager'), { recursive: true });
  mkdirSync(repo);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('-c', 'user.name=bench', '-c', 'user.email=bench@localhost', 'commit', '-q', '--allow-empty', '-m', 'start');
  // Names no other path contains, so that searching the menu for one finds only it.
  const names = ['main'];
  for (let i = 1; i < agents; i++) {
    const name = `wt${String(i).padStart(2, '0')}q`;
    git('worktree', 'add', '-q', '-b', name, path.join(root, name));
    names.push(name);
  }
  const replay = replayCommand();
  writeFileSync(
    path.join(home, '.config', 'ccmanager', 'config.json'),
    JSON.stringify({ commandPresets: { presets: [{ id: '1', name: 'Replay', command: replay.command, args: replay.args, detectionStrategy: 'claude' }], defaultPresetId: '1' } }),
  );
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), TERM: 'xterm-256color' };
  const ccmanager = new Driven(peer, repo, env);
  try {
    await ccmanager.until('menu listing the worktrees', (lines) => row(lines, 'main') !== undefined);
    const filterIs = (label: string | undefined) => (lines: string[]) =>
      inMenu(lines) && (label === undefined ? !lines.some((l) => l.includes('State filter:')) : lines.some((l) => l.includes(`State filter: ${label}`)));
    for (const name of names) {
      if (name !== 'main') {
        await ccmanager.press('/', 'search prompt', (lines) => lines.some((l) => l.startsWith('Search:')), inMenu);
        await ccmanager.search(name);
        await ccmanager.until(`search narrowed to ${name}`, (lines) => row(lines, name) !== undefined && row(lines, 'main') === undefined);
        await ccmanager.press('\r', 'search kept as a filter', (lines) => lines.some((l) => l === `Filtered: "${name}"`), (lines) => lines.some((l) => l.startsWith('Search:')));
      }
      const attached = (lines: string[]) => inSession(lines) && lines.some((l) => l.includes('Claude Code v'));
      await ccmanager.press('0', `session in ${name} attached`, attached, (lines) => inMenu(lines) && row(lines, name) !== undefined);
      await ccmanager.press(CTRL_E, 'menu again', (lines) => inMenu(lines) && row(lines, 'main') !== undefined, attached);
    }
    // Every replayer in its working stretch, as ccmanager sees it: the Idle filter (Shift-Tab from All) empty, then none Waiting.
    await ccmanager.press(SHIFT_TAB, 'the Idle filter', filterIs('○ Idle'), filterIs(undefined));
    await ccmanager.until('every session Busy (no Idle one)', (lines) => filterIs('○ Idle')(lines) && !lines.some((l) => STATE.test(l)), READY_LIMIT_MS);
    await ccmanager.press(SHIFT_TAB, 'the Waiting filter', filterIs('◐ Waiting'), filterIs('○ Idle'));
    await sleep(300);
    if ((await ccmanager.lines()).some((l) => STATE.test(l))) throw new Error('ccmanager: a session is Waiting, not working');
    await ccmanager.press(SHIFT_TAB, 'the Busy filter', filterIs('● Busy'), filterIs('◐ Waiting'));
    await ccmanager.press(SHIFT_TAB, 'the All filter again', (lines) => filterIs(undefined)(lines) && row(lines, 'main') !== undefined, filterIs('● Busy'));
    const visible = (await ccmanager.lines()).filter((l) => STATE.test(l));
    if (visible.some((l) => !l.includes('● Busy'))) throw new Error(`ccmanager: not every session Busy:\n${visible.join('\n')}`);
    // The first session's live screen on ccmanager's terminal, as drover's TUI previews its first agent.
    if (view === 'attached') await ccmanager.press('0', 'the first session attached', inSession, (lines) => inMenu(lines) && row(lines, 'main') !== undefined);
    const pid = ccmanager.pty.pid;
    const before = { all: cpuTicksWithReapedChildren(pid), own: cpuTicks(pid) };
    await sleep(MEASURE_S * 1000);
    const percent = (ticks: number) => (ticks / TICKS_PER_SECOND / MEASURE_S) * 100;
    const all = cpuTicksWithReapedChildren(pid) - before.all;
    return { agents, cpu: percent(all), childrenCpu: percent(all - (cpuTicks(pid) - before.own)), rssMb: rssMb(pid) };
  } finally {
    // Back to the menu and Q, which ends every session; then whatever still carries the throwaway HOME.
    if (!ccmanager.pty.exit) {
      ccmanager.write(CTRL_E);
      await sleep(500);
      ccmanager.write('q');
      await Promise.race([ccmanager.pty.exited, sleep(10_000)]);
    }
    killLeftovers(home);
    await Promise.race([ccmanager.pty.exited, sleep(5_000)]);
    rmSync(root, { recursive: true, force: true });
  }
}
