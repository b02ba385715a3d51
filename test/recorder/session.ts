/**
 * One recorded session of a real agent CLI: the mock model scripted with the scenario's turns,
 * the CLI launched under `drover record` in a tmux pane of the wanted size, driven with keys the
 * way a person would, and the ground truth written down from what the driver knows: the keys it
 * sent, the mock model's events, and — only where neither can tell (when a dialog appeared, when
 * the UI first became ready) — what it saw on tmux's screen between two looks, labelled as
 * "one of" the two statuses for that window.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { getProvider } from '../../src/providers/index.ts';
import type { AgentProvider } from '../../src/providers/types.ts';
import type { PermissionChoice } from '../../src/status/permission.ts';
import type { Status } from '../../src/status/status.ts';
import { openAsciicast } from '../../src/terminal/asciicast.ts';
import { agentLayout, prepareAgent } from '../agents/homes.ts';
import { projectRoot, type Provider } from '../agents/paths.ts';
import { showsBusy, SIGNS, type ScreenSigns } from '../agents/signs.ts';
import { launchInTmux, type TmuxAgent } from '../agents/tmux.ts';
import type { Labels } from '../eval/labels.ts';
import { DROVER_BIN } from '../helpers/drover.ts';
import { startMockServer, type MockEvent, type MockServer, type Turn } from '../../src/doctor/mock-model/server.ts';
import { captureHooks, type HookCapture } from './hooks.ts';
import { TruthBuilder } from './truth.ts';

const POLL_MS = 100;
/** How long a ready prompt must stay on screen to count as back. */
const READY_STABLE_MS = 500;
/** How long a CLI may take to start (Qwen Code 0.24 took 50–90 s on the loaded 2-core machine). */
const STARTUP_MS = 180_000;
/**
 * How long the first words of an answer may take: opencode boots its project's services at the
 * first prompt (its first request 45–76 s after the Enter at load 10–17).
 */
const FIRST_TOKEN_MS = 180_000;
/**
 * How long a person waits for a sign that an Enter was taken before pressing it again (opencode,
 * booting its services at the first prompt, drew nothing for 11–20 s after a taken Enter at load 10–20).
 */
const ENTER_TAKEN_MS = 20_000;
/** How long a message typed or pasted may take to show in the input. */
const ECHO_MS = 30_000;
/**
 * How long after the answer to wait for what the CLI does with a message submitted mid-turn: send it
 * (a request) or leave it in its input (the turn wound down with it there).
 */
const QUEUED_MESSAGE_MS = 120_000;
/** How long the turn must stay wound down, the message still in the input, to count as left there. */
const LEFT_IN_INPUT_MS = 2000;

export interface SessionOptions {
  provider: Provider;
  /** The CLI's version (the pinned one unless asked for another). */
  version: string;
  /** Which take of this scenario and size (1, 2, …): each is a separate recording. */
  take: number;
  scenario: string;
  cols: number;
  rows: number;
  /** The mock model's turns; `outside` is a folder outside the project (tool calls there ask). */
  turns: (outside: string) => Turn[];
  outDir: string;
}

interface KeyAction {
  /** Wall time just before and just after tmux delivered the keys. */
  before: number;
  after: number;
  /** The bytes the program reads for these keys. */
  bytes: string;
}

export class RecordingSession {
  readonly truth = new TruthBuilder();
  readonly signs: ScreenSigns;
  readonly provider: AgentProvider;
  private readonly keyActions: KeyAction[] = [];
  private readonly mockEvents: MockEvent[] = [];
  private readonly permissionPrompts: Array<{ requestedAt: number; answeredAt: number }> = [];
  private mock!: MockServer;
  private hooks!: HookCapture;
  private tmux!: TmuxAgent;
  private root!: string;
  private launchedAt = 0;
  /** Messages the CLI took (a ready prompt before the first is idle, after it done). */
  private turnsStarted = 0;
  /** The pane's title at the latest look (only read for a CLI whose title says it is busy). */
  private title = '';
  /** Wall time since which mock events count as "new" for the next wait. */
  private since = 0;
  readonly castFile: string;

  constructor(private readonly options: SessionOptions) {
    this.signs = SIGNS[options.provider];
    this.provider = getProvider(options.provider) as AgentProvider;
    const take = options.take > 1 ? `-t${options.take}` : '';
    this.castFile = path.join(options.outDir, `${options.scenario}-${options.cols}x${options.rows}${take}.cast`);
  }

  async start(): Promise<void> {
    // Not under /tmp: Gemini CLI skips a settings file below a world-writable folder, and with it
    // the hooks injected here ("Parent directory '/tmp' is insecure").
    const base = path.join(projectRoot, '.cache', 'recordings');
    mkdirSync(base, { recursive: true });
    this.root = mkdtempSync(path.join(base, `${this.options.provider}-`));
    const { outsideDir } = agentLayout(this.root);
    this.mock = await startMockServer({ port: 0, scenario: { turns: this.options.turns(outsideDir) } });
    this.mock.events.on('mock-event', (event: MockEvent) => this.mockEvents.push(event));
    const agent = prepareAgent(this.options.provider, { mockUrl: this.mock.url, root: this.root, version: this.options.version });
    // drover's own hooks, injected as the daemon injects them; their reports are captured beside the recording.
    const hookDir = path.join(this.root, 'drover-agent');
    mkdirSync(hookDir, { mode: 0o700 });
    this.hooks = await captureHooks(this.provider, hookDir);
    mkdirSync(this.options.outDir, { recursive: true });
    const recorded = {
      ...agent,
      command: process.execPath,
      args: [
        DROVER_BIN, 'record', '--out', path.resolve(this.castFile),
        '--cols', String(this.options.cols), '--rows', String(this.options.rows),
        '--', agent.command, ...agent.args, ...(this.hooks.launch?.args ?? []),
      ],
      env: { ...agent.env, ...this.hooks.launch?.env },
    };
    this.launchedAt = Date.now();
    this.since = this.launchedAt;
    this.truth.mark(this.launchedAt, 'starting', 'launched');
    this.tmux = await launchInTmux(recorded, `rec-${this.options.provider}`, { cols: this.options.cols, rows: this.options.rows });
  }

  // ——— what a person does ———

  /** Waits for the CLI's first ready prompt: starting → idle; then reads the screen for `pauseMs`, as a person would. */
  async startup(pauseMs = 1500): Promise<void> {
    // A CLI that draws its input before its ready sign (Claude Code's footer hint comes later) may
    // take keys from then on: either status from the look before the input was drawn.
    const { inputDrawn } = this.signs;
    const drawn = inputDrawn ? await this.waitScreen((s) => s.includes(inputDrawn) || this.showsReadyPrompt(s), STARTUP_MS, 'input drawn') : undefined;
    const seen = await this.waitReady(STARTUP_MS, 'ready prompt', drawn?.lastMiss);
    this.truth.mark(drawn ? drawn.lastMiss : seen.lastMiss, ['starting', 'idle'], 'ready prompt appeared between two looks (or after its input was drawn)');
    this.truth.mark(seen.at, 'idle', 'ready prompt on screen');
    await sleep(pauseMs);
  }

  /**
   * A command the CLI runs itself, no model turn (opencode's "/new"): from its Enter until the
   * ready prompt is back, the CLI is busy or ready, the driver cannot tell which; then ready.
   */
  async command(text: string): Promise<void> {
    await this.send(() => this.tmux.type(text), text);
    await sleep(600);
    const enter = await this.send(() => this.tmux.keys('Enter'), '\r');
    this.since = enter.before;
    const ready = await this.waitScreen((s) => this.showsReadyPrompt(s) && !s.split('\n').some((l) => l.trimEnd().endsWith(text)), 60_000, `ready after ${text}`, enter.before);
    this.truth.mark(enter.before, ['working', 'done', 'idle'], `ran ${text}`);
    this.truth.mark(ready.at, ['done', 'idle'], `ready after ${text}`);
    await sleep(1500);
  }

  /**
   * A message delivered the way drover's inbox does it (`spawn --prompt`, `send`): pasted, Enter
   * once the paste shows, and Enter again (up to 3 times) only while nothing says it was taken
   * (`pressEnterUntilTaken`). Working from the Enter that was taken; before it, the driver cannot
   * tell a lost Enter from a slow one: either status.
   */
  async deliver(text: string): Promise<void> {
    const pasted = `\x1b[200~${text}\x1b[201~`;
    await this.send(() => this.tmux.paste(text), pasted);
    await this.waitScreen((s) => s.includes(text.slice(0, 20)), ECHO_MS, 'the pasted message on screen');
    await sleep(150);
    await this.pressEnterUntilTaken(`delivered "${text}"`);
  }

  /**
   * A message pasted and submitted while the answer streams (a person attached, or `drover send
   * --keys`): the turn runs on. `queuedMessageGoesIn` follows what the CLI does with it. A take
   * whose answer had ended before the Enter (a loaded machine) is no mid-turn take: it fails.
   */
  async messageMidTurn(text: string): Promise<void> {
    await this.waitMock((e) => e.kind === 'first-token' && e.role === 'main', FIRST_TOKEN_MS, 'first token');
    await sleep(2000);
    await this.send(() => this.tmux.paste(text), `\x1b[200~${text}\x1b[201~`);
    await this.waitScreen((s) => s.includes(text.slice(0, 20)), ECHO_MS, 'the pasted message on screen');
    await sleep(400);
    const enter = await this.send(() => this.tmux.keys('Enter'), '\r');
    const ended = this.mockEvents.find((e) => e.kind === 'turn-end' && e.role === 'main' && e.at >= this.since && e.at < enter.before);
    if (ended) throw new Error(`${this.options.provider}: the answer ended ${enter.before - ended.at} ms before the Enter: not a mid-turn message`);
  }

  /**
   * The streamed answer ends with a message submitted mid-turn. A CLI that queued it sends it by
   * itself once the answer is over (a request: it never stopped working). One that did not take it
   * winds its turn down with the text still in its input: a look finds it calm (no busy sign, the
   * message not shown queued, the input not empty) and still so a moment later; it is done, and the
   * person presses Enter again. Whichever comes first, within a generous limit: a loaded CLI may
   * send a queued message seconds after the answer ended.
   */
  async queuedMessageGoesIn(): Promise<void> {
    const end = await this.waitMock((e) => e.kind === 'turn-end' && e.role === 'main', 120_000, 'first answer turn-end');
    const { queued, emptyInput, busyTitle } = this.signs;
    const leftInInput = (screen: string) =>
      !showsBusy(this.signs, screen) &&
      !(busyTitle?.test(this.title) ?? false) &&
      !(queued !== undefined && screen.includes(queued)) &&
      !(emptyInput !== undefined && screen.includes(emptyInput));
    const deadline = Date.now() + QUEUED_MESSAGE_MS;
    let lastMiss = end.at;
    let heldSince: number | undefined;
    for (;;) {
      const request = this.mockEvents.find((e) => e.kind === 'request' && e.role === 'main' && e.at >= end.at);
      if (request) {
        this.since = request.at + 0.001;
        this.truth.mark(end.at, 'working', 'the answer ended; the CLI sends the message queued mid-turn');
        await this.replyEnds('reply to the queued message');
        return;
      }
      const before = Date.now();
      const screen = await this.look();
      if (leftInInput(screen)) {
        heldSince ??= Date.now();
        if (Date.now() - heldSince >= LEFT_IN_INPUT_MS) break;
      } else {
        heldSince = undefined;
        lastMiss = before;
      }
      if (Date.now() > deadline) throw new Error(`${this.options.provider}: the message submitted mid-turn was neither sent nor left in the input ${QUEUED_MESSAGE_MS / 1000} s after the answer; screen:\n${screen}`);
      await sleep(POLL_MS);
    }
    const calm = { at: heldSince!, lastMiss };
    if (calm.lastMiss > end.at) {
      this.truth.mark(end.at, ['working', 'done'], 'the answer ended, the message left in the input; the CLI winds its turn down');
      this.truth.mark(calm.at, 'done', 'the turn is over, the message still in the input');
    } else {
      this.truth.mark(end.at, 'done', 'the answer ended, the message left in the input');
    }
    await sleep(1500);
    await this.pressEnterUntilTaken('Enter again on the message left in the input');
    await this.replyEnds('reply to the message');
  }

  /** Types a message, pauses like a person, presses Enter: working from the Enter the CLI took. */
  async prompt(text: string): Promise<void> {
    await this.send(() => this.tmux.type(text), text);
    await this.waitScreenOrTimeout((s) => s.includes(text.slice(0, 20)), ECHO_MS);
    await sleep(400);
    await this.pressEnterUntilTaken(`submitted "${text}"`);
  }

  /**
   * The model's reply stream ends (the mock's turn-end); the CLI then winds its turn down (draws
   * the last words, runs its Stop hooks; Copilot CLI draws seconds behind the stream, then runs
   * git), which neither the driver nor the mock sees end: either status until a look finds the
   * ready prompt back (and still there a moment later), done from then.
   */
  async replyEnds(what = 'reply'): Promise<void> {
    const end = await this.waitMock((e) => e.kind === 'turn-end' && e.role === 'main', 120_000, `${what} turn-end`);
    const ready = await this.waitReady(30_000, 'ready after reply', end.at);
    // (A short reply may have ended before the look that found the question or dialog before it gone.)
    this.truth.mark(Math.max(end.at, this.truth.lastMarkAt), ['working', 'done'], `mock finished streaming the ${what}; the CLI winds its turn down`);
    this.truth.mark(ready.at, 'done', `the ready prompt is back after the ${what}`);
    await sleep(2000);
  }

  /**
   * The model asks for a tool that needs permission; the dialog appears (seen on screen), the
   * person reads it and answers. Approve: working again. Deny: done, unless the CLI goes on
   * asking the model (seen as a new mock request), then working until that reply ends.
   */
  async permission(choice: Extract<PermissionChoice, 'once' | 'deny'>): Promise<void> {
    const requested = await this.waitMock((e) => e.kind === 'turn-end' && e.role === 'main', 120_000, 'tool call');
    const seen = await this.waitScreen((s) => s.includes(this.signs.permission), 60_000, 'permission dialog');
    // Every tool call of these scenarios asks: the CLI has decided to ask once it has the call,
    // and draws its dialog later (Qwen Code ~2 s): either status until a look finds it drawn.
    this.truth.mark(requested.at, ['working', 'needs_permission'], 'the CLI has the tool call and will ask; its dialog is drawn between two looks');
    this.truth.mark(seen.at, 'needs_permission', 'permission dialog on screen');
    await sleep(1500); // reading it
    const keys = choice === 'once' ? '\r' : this.denyKeys(await this.tmux.capture());
    const answer = await this.send(() => this.tmux.keys(...tmuxKeys(keys)), keys);
    this.permissionPrompts.push({ requestedAt: requested.at, answeredAt: answer.before });
    this.since = answer.before;
    const why = choice === 'once' ? 'approved once' : 'denied';
    // A CLI that takes the key late (Copilot CLI, on a busy machine) still draws its dialog: either
    // status until a look finds it gone. (A CLI that keeps the dialog's words in its transcript is
    // taken at its word.)
    const gone = await this.waitScreen((s) => !s.includes(this.signs.permission), 10_000, 'the dialog gone', answer.before).catch(() => undefined);
    const late = gone !== undefined && gone.lastMiss > answer.before;
    // (A refused tool may end the turn at once: done, before the look that finds the dialog gone.)
    const taking: Status[] = choice === 'once' ? ['needs_permission', 'working'] : ['needs_permission', 'working', 'done'];
    if (late) this.truth.mark(answer.before, taking, `${why}: the dialog is still drawn`);
    const taken = late ? gone.at : answer.before;
    if (choice === 'once') {
      this.truth.mark(taken, 'working', why);
      await this.replyEnds('reply after the tool ran');
      return;
    }
    await this.afterRefusal(taken, why);
  }

  /** The model asks the user a question (a question tool); the person picks the first option. */
  async question(): Promise<void> {
    const requested = await this.waitMock((e) => e.kind === 'turn-end' && e.role === 'main', 120_000, 'question call');
    const sign = this.signs.question!;
    const seen = await this.waitScreen((s) => s.includes(sign), 60_000, 'question dialog');
    // As with a permission: the CLI has decided to ask once it has the call.
    this.truth.mark(requested.at, ['working', 'needs_input'], 'the CLI has the question call; its dialog is drawn between two looks');
    this.truth.mark(seen.at, 'needs_input', 'question on screen');
    await sleep(1500);
    const answer = await this.send(() => this.tmux.keys('Enter'), '\r');
    this.since = answer.before;
    // A CLI that takes the key late still draws its question (see permission).
    const gone = this.waitScreen((s) => !s.includes(sign), 10_000, 'the question gone', answer.before);
    gone.catch(() => undefined);
    // Some CLIs confirm a choice in a second step; the model is asked again only once it is final.
    // A dialog gone from the screen took the answer, though a loaded machine may not have asked yet.
    const asked =
      (await this.waitMockOrTimeout((e) => e.kind === 'request' && e.role === 'main', 4000)) ??
      (await this.waitScreenOrTimeout((s) => !s.includes(sign), 0, answer.before));
    if (!asked) {
      const confirm = await this.send(() => this.tmux.keys('Enter'), '\r');
      this.truth.mark(answer.before, 'needs_input', 'first Enter picked an option, a confirmation step remains');
      this.truth.mark(confirm.before, 'working', 'answer submitted');
      this.since = confirm.before;
    } else {
      const taken = await gone.catch(() => undefined);
      const late = taken !== undefined && taken.lastMiss > answer.before;
      if (late) this.truth.mark(answer.before, ['needs_input', 'working'], 'answered: the question is still drawn');
      this.truth.mark(late ? taken.at : answer.before, 'working', 'answered the question');
    }
    await this.replyEnds('reply after the answer');
  }

  /**
   * The model's requests fail with HTTP errors; once the CLI stops retrying, it shows the error:
   * either status from the last failure until a look finds its ready prompt back, error from then.
   */
  async failsWithError(): Promise<void> {
    const isError = (e: MockEvent) => e.kind === 'error-sent' && e.role === 'main';
    let last = await this.waitMock(isError, 60_000, 'first error');
    const readyAfter = (event: MockEvent) => {
      const ready = this.waitReady(60_000, 'ready after the error', event.at);
      ready.catch(() => undefined);
      return ready;
    };
    let ready = readyAfter(last);
    // Retries: wait until no new failure came for a while.
    for (;;) {
      const more = await this.waitMockOrTimeout(isError, 8000);
      if (!more) break;
      last = more;
      ready = readyAfter(last);
    }
    const seen = await ready;
    this.truth.mark(last.at, ['working', 'error'], 'the last retry failed: the CLI is winding the turn down');
    this.truth.mark(seen.at, 'error', 'the ready prompt is back under the error');
    await sleep(1500);
  }

  /**
   * Esc while the reply streams: the turn is cut short and the prompt is back. A CLI that asks for
   * a second Esc ("esc again to interrupt": opencode, Copilot CLI) gets it, as a person would. The
   * CLI takes the Esc when it takes it (Copilot CLI, or any CLI on a loaded machine, late): either
   * status until a look finds its ready prompt back.
   */
  async interrupt(): Promise<void> {
    await this.waitMock((e) => e.kind === 'first-token' && e.role === 'main', FIRST_TOKEN_MS, 'first token');
    await sleep(2500);
    let esc!: KeyAction;
    if ((await this.tmux.capture()).includes('esc esc interrupt')) {
      // Copilot CLI says so: a double tap, as two key presses (one write of both is not two Escs to
      // it, and an Esc armed by itself expires before a late CLI takes the next). On a busy machine
      // a double tap is sometimes lost, and the answer streams on: a person taps again.
      for (let attempt = 1; ; attempt++) {
        await this.send(() => this.tmux.keys('Escape'), '\x1b');
        await sleep(150);
        esc = await this.send(() => this.tmux.keys('Escape'), '\x1b');
        const stopped = await this.waitScreenOrTimeout((s) => !showsBusy(this.signs, s), 4000, esc.before);
        if (stopped.found || attempt === 3) break;
      }
    } else {
      esc = await this.send(() => this.tmux.keys('Escape'), '\x1b');
      const armed = await this.waitScreenOrTimeout((s) => s.includes('esc again') || !showsBusy(this.signs, s), 2000);
      if (armed.found && armed.screen.includes('esc again')) esc = await this.send(() => this.tmux.keys('Escape'), '\x1b');
    }
    this.since = esc.before;
    // Qwen Code 0.24 puts the prompt back into its input: no ready sign, but the turn is over.
    const { cancelled } = this.signs;
    const backInInput = (screen: string) => cancelled !== undefined && screen.includes(cancelled) && !showsBusy(this.signs, screen);
    const ready = await this.waitReady(30_000, 'ready after the interrupt', esc.before, backInInput);
    if (this.mockEvents.some((e) => e.kind === 'turn-end' && e.role === 'main' && e.at >= esc.before)) {
      throw new Error(`${this.options.provider}: the Esc did not interrupt: the answer streamed to its end; screen:\n${ready.screen}`);
    }
    this.truth.mark(esc.before, ['working', 'done', 'idle'], 'interrupted with Esc: the CLI is winding the turn down');
    this.truth.mark(ready.at, ['done', 'idle'], 'interrupted: the ready prompt is back');
    await sleep(3000);
  }

  async pause(ms: number): Promise<void> {
    await sleep(ms);
  }

  // ——— finishing ———

  /** Ends the CLI (the recording closes), aligns the clocks, writes the labels. */
  async finish(): Promise<Labels> {
    await sleep(1500);
    const endedAt = Date.now();
    await this.tmux.end();
    await this.mock.close();
    await this.hooks.close();
    const start = await this.alignRecording();
    const hooksFile = this.hooks.launch && this.writeHookReports(start);
    const labels: Labels = {
      version: 1,
      provider: this.options.provider,
      cliVersion: this.options.version,
      scenario: this.options.scenario,
      recording: path.basename(this.castFile),
      cols: this.options.cols,
      rows: this.options.rows,
      ...(hooksFile ? { hooks: path.basename(hooksFile) } : {}),
      method:
        'Written by test/recorder from the keys the driver sent and the mock model events (turn end, tool call, ' +
        'HTTP errors); the time a dialog or the first prompt appeared is bounded by two looks at the tmux screen ' +
        'and labelled as either status in between. Not from a detector.',
      segments: this.truth.segments(start, (endedAt - start) / 1000),
      permissionPrompts: this.permissionPrompts.map((p) => ({
        requestedAt: round((p.requestedAt - start) / 1000),
        answeredAt: round((p.answeredAt - start) / 1000),
      })),
    };
    writeFileSync(this.castFile.replace(/\.cast$/, '.labels.json'), `${JSON.stringify(labels, null, 2)}\n`);
    return labels;
  }

  async abort(): Promise<void> {
    await this.tmux?.stop();
    await this.mock?.close();
    await this.hooks?.close();
  }

  cleanup(): void {
    if (this.root) rmSync(this.root, { recursive: true, force: true });
  }

  // ——— plumbing ———

  /** The hook reports, one JSON line each, their times in seconds on the recording's clock. */
  private writeHookReports(start: number): string {
    const file = this.castFile.replace(/\.cast$/, '.hooks.jsonl');
    const lines = this.hooks.reports
      .sort((a, b) => a.receivedAt - b.receivedAt)
      .map((r) => JSON.stringify({ t: round((r.receivedAt - start) / 1000), madeAt: round((r.madeAt - start) / 1000), event: r.event, payload: r.payload }));
    writeFileSync(file, lines.map((line) => `${line}\n`).join(''));
    return file;
  }

  /** The CLI's ready prompt is on screen and nothing (on screen, or its title at the same look) says it is busy. */
  private readonly showsReadyPrompt = (screen: string): boolean =>
    screen.includes(this.signs.ready) && !showsBusy(this.signs, screen) && !(this.signs.busyTitle?.test(this.title) ?? false);

  private async send(deliver: () => Promise<void>, bytes: string): Promise<KeyAction> {
    const before = Date.now();
    await deliver();
    const action = { before, after: Date.now(), bytes };
    this.keyActions.push(action);
    return action;
  }

  /**
   * Enter, and again (up to 3 times) only while it was not taken: within ENTER_TAKEN_MS the model
   * is not asked and the screen shows no sign the message went in (see `enterTaken`). A change on
   * screen alone is no proof: Gemini drops an Enter while it initializes and redraws all the same;
   * a person presses it again. After the third, the driver waits on for a sign up to
   * FIRST_TOKEN_MS. Working from the Enter that was taken; before it, the driver cannot tell a
   * lost Enter from a slow one.
   */
  private async pressEnterUntilTaken(why: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const before = await this.tmux.capture();
      const enter = await this.send(() => this.tmux.keys('Enter'), '\r');
      this.since = enter.before;
      const sign = await this.enterTaken(before, enter.before, attempt === 3 ? FIRST_TOKEN_MS : ENTER_TAKEN_MS);
      if (sign) {
        this.turnsStarted++;
        this.truth.mark(enter.before, 'working', attempt === 1 ? why : `${why} (Enter ${attempt})`);
        // Later waits look for this turn's events (its request and what follows, a quick error included).
        this.since = enter.before;
        return;
      }
      if (attempt === 3) throw new Error(`${this.options.provider}: three Enters, no turn started; screen:\n${await this.tmux.capture()}`);
      this.truth.mark(enter.before, [this.turnsStarted ? 'done' : 'idle', 'working'], `Enter ${attempt}: no request and no sign on screen it was taken within ${ENTER_TAKEN_MS / 1000} s`);
    }
  }

  /**
   * Evidence that the Enter sent at `since` was taken, within `withinMs`: the model was asked, or
   * the screen shows, where the look before the Enter did not, the busy sign, the empty input's
   * placeholder (the message left the input) or the message queued. Says which, or undefined.
   */
  private async enterTaken(before: string, since: number, withinMs: number): Promise<string | undefined> {
    const { busy, emptyInput, queued } = this.signs;
    const appeared = (sign: string | undefined, screen: string) => sign !== undefined && screen.includes(sign) && !before.includes(sign);
    const deadline = Date.now() + withinMs;
    for (;;) {
      if (this.mockEvents.some((e) => e.kind === 'request' && e.role === 'main' && e.at >= since)) return 'the model was asked';
      const screen = await this.tmux.capture();
      if (appeared(busy, screen)) return 'the busy sign';
      if (appeared(emptyInput, screen)) return 'the input emptied';
      if (appeared(queued, screen)) return 'the message queued';
      if (Date.now() > deadline) return undefined;
      await sleep(POLL_MS);
    }
  }

  private denyKeys(screen: string): string {
    const prompt = this.provider.read.permissionPrompt(screen.split('\n'));
    const deny = prompt?.options.find((o) => o.choice === 'deny');
    if (!deny) throw new Error(`${this.options.provider}: could not find a deny option on screen:\n${screen}`);
    return deny.keys;
  }

  private async afterRefusal(at: number, why: string): Promise<void> {
    // Watch the screen from the answer on, while waiting to see whether the CLI asks the model again.
    const readyAgain = this.waitReady(30_000, 'ready after refusal', at);
    readyAgain.catch(() => undefined);
    const asked = await this.waitMockOrTimeout((e) => e.kind === 'request' && e.role === 'main', 4000);
    if (!asked) {
      // The CLI winds the turn down by itself (no model request marks the end): it is done once
      // its ready prompt is back, which the driver bounds by two looks at the screen.
      const ready = await readyAgain;
      this.truth.mark(at, 'working', `${why}: the CLI is winding the turn down`);
      this.truth.mark(ready.lastMiss, ['working', 'done'], `${why}: the ready prompt came back between two looks`);
      this.truth.mark(ready.at, 'done', `${why}: the ready prompt is back`);
      await sleep(1500);
      return;
    }
    this.truth.mark(at, 'working', `${why}: the CLI told the model and went on`);
    await this.replyEnds(`reply after being ${why}`);
  }

  /**
   * The CLI's ready prompt, as a person judges it: shown, and still shown a moment later (Codex
   * hides its Working row for an instant between the answer's last word and its Stop hooks).
   */
  private waitReady(timeoutMs: number, what: string, since?: number, orElse: (screen: string) => boolean = () => false) {
    return this.waitScreen((screen) => this.showsReadyPrompt(screen) || orElse(screen), timeoutMs, what, since, READY_STABLE_MS);
  }

  /** Looks at the screen until `test` holds; `lastMiss` is the last look where it did not (or `since`). */
  private async waitScreen(test: (screen: string) => boolean, timeoutMs: number, what: string, since = Date.now(), stableMs = 0) {
    const look = await this.waitScreenOrTimeout(test, timeoutMs, since, stableMs);
    if (!look.found) throw new Error(`${this.options.provider}: timed out waiting for ${what}; screen:\n${look.screen}`);
    return look;
  }

  /**
   * The first look of a run in which `test` held on the screen for `stableMs` within `timeoutMs`
   * (`found`), or the last look (not found); either way `lastMiss` is the last look where it did
   * not hold (or `since`).
   */
  private async waitScreenOrTimeout(test: (screen: string) => boolean, timeoutMs: number, since = Date.now(), stableMs = 0) {
    const deadline = Date.now() + timeoutMs;
    let lastMiss = since;
    let held: number | undefined;
    for (;;) {
      const before = Date.now();
      const screen = await this.look();
      // What a look shows was on screen at some moment while it was taken: a miss counts from its
      // start, a find from its end.
      if (test(screen)) {
        held ??= Date.now();
        if (Date.now() - held >= stableMs) return { found: true, at: held, lastMiss, screen };
      } else {
        held = undefined;
        lastMiss = before;
      }
      if (Date.now() > deadline) return { found: false, at: before, lastMiss, screen };
      await sleep(POLL_MS);
    }
  }

  /** The screen, and the title with it where the CLI's title says when it is busy. */
  private async look(): Promise<string> {
    if (!this.signs.busyTitle) return this.tmux.capture();
    const [screen, title] = await Promise.all([this.tmux.capture(), this.tmux.title()]);
    this.title = title;
    return screen;
  }

  private async waitMock(test: (e: MockEvent) => boolean, timeoutMs: number, what: string): Promise<MockEvent> {
    const found = await this.waitMockOrTimeout(test, timeoutMs);
    if (!found) throw new Error(`${this.options.provider}: timed out waiting for the mock's ${what}; screen:\n${await this.tmux.capture()}`);
    return found;
  }

  /** The first matching mock event after `since`; moves `since` past it. */
  private async waitMockOrTimeout(test: (e: MockEvent) => boolean, timeoutMs: number): Promise<MockEvent | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.mockEvents.find((e) => e.at >= this.since && test(e));
      if (found) {
        this.since = found.at + 0.001;
        return found;
      }
      if (Date.now() > deadline) return undefined;
      await sleep(20);
    }
  }

  /**
   * The recording's clock starts when `drover record` started, which the driver does not see.
   * Each key the driver sent arrives as an input event in the recording: matching them gives the
   * offset (median of the matches, each known to within the time tmux took to deliver it):
   * the wall time of the recording's t=0.
   */
  private async alignRecording(): Promise<number> {
    const { events } = await openAsciicast(this.castFile);
    const inputs: Array<{ time: number; data: string }> = [];
    for await (const event of events) if (event.type === 'i') inputs.push({ time: event.time, data: event.data });
    const offsets: number[] = [];
    let cursor = 0;
    for (const action of this.keyActions) {
      const index = inputs.findIndex((input, i) => i >= cursor && isDeliveryOf(input.data, action.bytes));
      if (index < 0) continue;
      cursor = index + 1;
      offsets.push((action.before + action.after) / 2 - inputs[index]!.time * 1000);
    }
    if (offsets.length === 0) throw new Error(`${this.castFile}: none of the driver's keys found in the recording`);
    offsets.sort((a, b) => a - b);
    return offsets[Math.floor(offsets.length / 2)]!;
  }
}

/** Does this input event carry these keys (and not a terminal's answer to a query)? */
function isDeliveryOf(data: string, bytes: string): boolean {
  if (bytes.startsWith('\x1b')) return data === bytes;
  return data.startsWith(bytes.slice(0, Math.min(bytes.length, 8)));
}

/** tmux send-keys arguments for raw bytes (named keys where tmux needs them). */
function tmuxKeys(bytes: string): string[] {
  const names: Record<string, string> = { '\r': 'Enter', '\x1b': 'Escape', '\x1b[C': 'Right', '\x1b[B': 'Down' };
  const out: string[] = [];
  let rest = bytes;
  while (rest) {
    const named = Object.keys(names).sort((a, b) => b.length - a.length).find((k) => rest.startsWith(k));
    if (named) {
      out.push(names[named]!);
      rest = rest.slice(named.length);
    } else {
      out.push(rest[0]!);
      rest = rest.slice(1);
    }
  }
  return out;
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
