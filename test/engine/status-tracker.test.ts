import { describe, expect, it } from 'vitest';
import { StatusTracker } from '../../src/engine/status-tracker.ts';
import type { StatusChange } from '../../src/status/status.ts';
import { genericProvider } from '../../src/providers/generic.ts';
import { shell } from '../../src/providers/shell/index.ts';
import { ruleDetector, type DetectionSpec, type Detector } from '../../src/status/detector.ts';
import { VirtualClock } from '../../src/terminal/clock.ts';
import { Screen } from '../../src/terminal/screen.ts';

/** An agent CLI's detection with no rules but `unmatched`: done after work, settled after 300 ms. */
function agentScreen(unmatched: DetectionSpec['unmatched']): Detector {
  return ruleDetector({ rules: [], settleMs: 300, doneAfterWork: true, initialStatus: 'starting', unmatched });
}

function harness(detector: Detector = genericProvider.detect, foregroundIsLeader?: () => boolean) {
  const clock = new VirtualClock(0);
  const screen = new Screen({ cols: 30, rows: 5 });
  const changes: StatusChange[] = [];
  let looks = 0;
  const counted: Detector = { ...detector, classify: (view) => (looks++, detector.classify(view)) };
  const tracker = new StatusTracker({ screen, clock, detector: counted, onChange: (c) => changes.push(c), foregroundIsLeader });
  /** Writes at virtual time `at` and waits until the emulator parsed it. */
  const writeAt = async (at: number, data: string) => {
    clock.advanceTo(at);
    screen.write(data);
    await screen.flush();
  };
  return { clock, screen, tracker, changes, writeAt, looks: () => looks };
}

/** A tracker on a failed turn's screen (opencode's, as drover doctor meets it): error, then busy once the bar shows. */
async function onFailedTurn() {
  const h = harness(
    agentScreen((view) => {
      const text = view.lines.join('\n');
      if (text.includes('esc interrupt')) return { status: 'working', rule: 'busy' };
      if (text.includes('scripted error')) return { status: 'error', rule: 'error' };
      return { status: 'idle', rule: 'prompt' };
    }),
  );
  await h.writeAt(0, 'scripted error\r\n> ');
  h.clock.advanceTo(500);
  expect(h.tracker.status).toBe('error');
  return h;
}

describe('StatusTracker', () => {
  it('says when a screen has gone unrecognised by every rule for 10 s, and stops once a rule speaks', async () => {
    const detector = ruleDetector({
      rules: [{ id: 'prompt', state: 'idle', priority: 1, region: 'viewport', match: { line_regex: '^> ?$' } }],
      settleMs: 500,
      doneAfterWork: false,
      initialStatus: 'starting',
    });
    const h = harness(detector);
    await h.writeAt(0, '> ');
    h.clock.advanceTo(600);
    expect(h.tracker.status).toBe('idle');
    h.clock.advanceTo(30_000);
    expect(h.tracker.unrecognisedMs).toBe(0); // recognised, and still
    // A screen no rule reads (a CLI that changed what it draws), for a while.
    for (let at = 31_000; at <= 40_000; at += 1000) await h.writeAt(at, `\x1b[2J\x1b[Hnew look ${at}`);
    expect(h.tracker.unrecognisedMs).toBe(0); // 9 s: not yet
    await h.writeAt(41_000, '\x1b[2J\x1b[Hnew look 41000');
    expect(h.tracker.unrecognisedMs).toBe(10_000);
    expect(h.tracker.status).toBe('idle'); // the last status a rule gave is kept, and flagged
    await h.writeAt(42_000, '\x1b[2J\x1b[H> ');
    expect(h.tracker.unrecognisedMs).toBe(0);
  });

  it('enters working at once and idle only after the screen has been still for the settle time', async () => {
    const h = harness();
    await h.writeAt(100, 'building…');
    expect(h.tracker.status).toBe('working');
    await h.writeAt(700, '\r\nstill going');
    h.clock.advanceTo(1699);
    expect(h.tracker.status).toBe('working');
    h.clock.advanceTo(1700);
    expect(h.changes.map((c) => [c.at, c.status])).toEqual([[100, 'working'], [1700, 'idle']]);
  });

  it('settles at a float time whose settle sum rounds below the settle time (no timer loop)', async () => {
    const h = harness();
    const at = 25.0000025; // (at + 1000) - at === 999.9999999999999
    await h.writeAt(at, 'x');
    h.clock.advanceTo(at + 5000);
    expect(h.tracker.status).toBe('idle');
    expect(h.looks()).toBeLessThanOrEqual(3);
  });

  it('costs nothing while the program is silent', async () => {
    const h = harness();
    await h.writeAt(0, 'x');
    h.clock.advanceTo(60_000);
    const looksAfterSettle = h.looks();
    h.clock.advanceTo(600_000);
    expect(h.looks()).toBe(looksAfterSettle);
    expect(looksAfterSettle).toBeLessThanOrEqual(2);
  });

  it('merges looks under a fast spinner but always judges the last frame', async () => {
    const h = harness();
    for (let i = 0; i < 100; i++) await h.writeAt(i, `\r${'|/-\\'[i % 4]}`);
    expect(h.looks()).toBeLessThanOrEqual(6); // 100 writes in 100 ms, one look per 20 ms
    h.clock.advanceTo(2000);
    expect(h.tracker.status).toBe('idle');
  });

  it('does not judge a frame still inside a synchronized update', async () => {
    const rules = ruleDetector({
      rules: [],
      settleMs: 0,
      doneAfterWork: false,
      initialStatus: 'unknown',
      unmatched: (view) =>
        view.lines[0]!.includes('?') ? { status: 'needs_input', rule: 'q' } : { status: 'working', rule: 'w' },
    });
    const h = harness(rules);
    await h.writeAt(0, 'busy');
    await h.writeAt(50, '\x1b[?2026h\x1b[2K\rAsk?'); // half-drawn: a real terminal still shows "busy"
    expect(h.tracker.status).toBe('working');
    await h.writeAt(80, ' (y/n)\x1b[?2026l');
    expect(h.tracker.status).toBe('needs_input');
  });

  it('takes a hook report at once and lets the screen correct a stale one', async () => {
    const rules = agentScreen((view) =>
      view.lines.some((l) => l.includes('esc to interrupt')) ? { status: 'working', rule: 'busy' } : { status: 'idle', rule: 'prompt' }
    );
    const h = harness(rules);
    await h.writeAt(0, '> ');
    h.clock.advanceTo(1000);
    expect(h.tracker.status).toBe('idle');
    await h.writeAt(1100, '\r\n… esc to interrupt');
    h.tracker.reported({ status: 'needs_permission', rule: 'hook.permission' });
    expect(h.tracker.latest).toMatchObject({ status: 'needs_permission', rule: 'hook.permission' });
    // The user pressed Esc inside the agent: no hook fires, the screen goes back to the prompt.
    await h.writeAt(1200, '\x1b[2K\r> ');
    h.clock.advanceTo(2000);
    expect(h.tracker.latest).toMatchObject({ status: 'done', rule: 'prompt' });
  });

  it('drops a hook report made before the screen last changed the status, and takes one made after', async () => {
    const rules = agentScreen((view) =>
      view.lines.some((l) => l.includes('esc to cancel')) ? { status: 'working', rule: 'busy' } : { status: 'idle', rule: 'prompt' }
    );
    const h = harness(rules);
    await h.writeAt(0, '… esc to cancel');
    await h.writeAt(1000, '\x1b[2J\x1b[H> ');
    h.clock.advanceTo(2000);
    expect(h.tracker.latest).toMatchObject({ status: 'done', at: 1300 });
    // Made while the turn still ran (at 900), arriving after the screen said done: stale.
    h.tracker.reported({ status: 'needs_permission', rule: 'hook.PermissionRequest' }, 900);
    expect(h.tracker.status).toBe('done');
    // A hook's own change does not make older reports current: made at 1300 or later, it is taken.
    h.tracker.reported({ status: 'working', rule: 'hook.UserPromptSubmit' }, 1300);
    expect(h.tracker.latest).toMatchObject({ status: 'working', rule: 'hook.UserPromptSubmit' });
    h.tracker.reported({ status: 'needs_permission', rule: 'hook.PermissionRequest' }, 1500);
    expect(h.tracker.latest).toMatchObject({ status: 'needs_permission', rule: 'hook.PermissionRequest' });
  });

  it('keeps a reported dialog while the screen still shows the work before it, and not forever', async () => {
    const rules = agentScreen((view) => {
      if (view.lines.some((l) => l.includes('Allow?'))) return { status: 'needs_permission', rule: 'dialog' };
      return view.lines.some((l) => l.includes('esc to cancel')) ? { status: 'working', rule: 'busy' } : { status: 'idle', rule: 'prompt' };
    });
    const h = harness(rules);
    await h.writeAt(0, '… esc to cancel');
    // Qwen Code: the hook says it has decided to ask; its dialog is drawn seconds later.
    h.tracker.reported({ status: 'needs_permission', rule: 'hook.PermissionRequest' });
    await h.writeAt(500, '\r… esc to cancel 1s');
    await h.writeAt(1500, '\r… esc to cancel 2s');
    h.clock.advanceTo(2000);
    expect(h.tracker.latest).toMatchObject({ status: 'needs_permission', rule: 'hook.PermissionRequest' });
    // The dialog confirms it: no flap to working and back while it was being drawn.
    await h.writeAt(2100, '\r\nAllow?');
    h.clock.advanceTo(2500);
    expect(h.tracker.status).toBe('needs_permission');
    expect(h.changes.map((c) => c.status)).toEqual(['working', 'needs_permission']);

    // A report the screen never confirms: the screen's working wins once the hold is over.
    await h.writeAt(3000, '\x1b[2J\x1b[H… esc to cancel');
    h.clock.advanceTo(4000);
    expect(h.tracker.status).toBe('working');
    h.tracker.reported({ status: 'needs_permission', rule: 'hook.PermissionRequest' });
    await h.writeAt(4500, '\r… esc to cancel 1s');
    h.clock.advanceTo(8900);
    expect(h.tracker.status).toBe('needs_permission');
    h.clock.advanceTo(9100);
    expect(h.tracker.latest).toMatchObject({ status: 'working', rule: 'busy' });

    // A report of the dialog the screen already shows (opencode's plugin, a Node start late): the
    // answer's work shows at once, not 5 s later (drover doctor's approval read no working at all).
    await h.writeAt(10_000, '\x1b[2J\x1b[HAllow?');
    h.clock.advanceTo(10_100);
    expect(h.tracker.status).toBe('needs_permission');
    h.tracker.reported({ status: 'needs_permission', rule: 'hook.permission.asked' });
    await h.writeAt(10_200, '\x1b[2J\x1b[H… esc to cancel');
    h.clock.advanceTo(10_250);
    expect(h.tracker.latest).toMatchObject({ at: 10_200, status: 'working', rule: 'busy' });
  });

  it('takes a reported turn as working while the screen still shows the prompt it was submitted from', async () => {
    const rules = agentScreen((view) =>
      view.lines.some((l) => l.includes('esc to cancel')) ? { status: 'working', rule: 'busy' } : { status: 'idle', rule: 'prompt' }
    );
    const h = harness(rules);
    await h.writeAt(0, '> ');
    h.clock.advanceTo(1000);
    h.tracker.reported({ status: 'working', rule: 'hook.UserPromptSubmit' });
    h.clock.advanceTo(1900);
    expect(h.tracker.status).toBe('working');
    await h.writeAt(1950, '\r\n… esc to cancel');
    h.clock.advanceTo(2500);
    expect(h.tracker.status).toBe('working');
    expect(h.changes.map((c) => c.status)).toEqual(['idle', 'working']);
  });

  it("keeps a message submitted from an error as the new turn when the hooks report it: the error redrawn is the old one", async () => {
    const h = await onFailedTurn();
    // drover doctor's interrupt turn under opencode: a message typed on the failed turn's screen,
    // its plugin's "busy" report, and the transcript redrawn (the old error last) before the bar.
    h.tracker.input('Tell me a long story\r');
    h.clock.advanceTo(700);
    h.tracker.reported({ status: 'working', rule: 'hook.session.status' });
    await h.writeAt(1000, '\x1b[2J\x1b[Hscripted error\r\nTell me a long story\r\n> ');
    h.clock.advanceTo(2500);
    expect(h.tracker.status).toBe('working');
    await h.writeAt(2600, '\r\nesc interrupt');
    h.clock.advanceTo(3000);
    expect(h.changes.map((c) => c.status)).toEqual(['error', 'working']);
  });

  it("keeps a message submitted from an error as the new turn when the failed turn's idle is reported late", async () => {
    const h = await onFailedTurn();
    // drover doctor's interrupt turn under opencode 1.18.33 on a loaded machine: the message typed
    // 40 ms after the failure showed; the plugin's "idle" for the failed turn made after the Enter,
    // then the failure's message drawn late, still above the typed message, before the new turn.
    h.tracker.input('Tell me a long story\r');
    h.clock.advanceTo(1200);
    h.tracker.reported({ status: 'idle', rule: 'hook.session.status' });
    await h.writeAt(1300, '\x1b[2J\x1b[Hscripted error: invalid request\r\n> Tell me a long story');
    h.clock.advanceTo(2500);
    expect(h.tracker.status).toBe('working');
    h.tracker.reported({ status: 'working', rule: 'hook.session.status' });
    await h.writeAt(2600, '\r\nesc interrupt');
    h.clock.advanceTo(3000);
    expect(h.changes.map((c) => `${c.status} ${c.rule}`)).toEqual(['error error', 'working input.submit']);
  });

  it('ends the wait for a turn the hooks said began when they report its end', async () => {
    const rules = agentScreen((view) => (view.lines.some((l) => l.includes('esc interrupt')) ? { status: 'working', rule: 'busy' } : { status: 'idle', rule: 'prompt' }));
    const h = harness(rules);
    await h.writeAt(0, '> ');
    h.clock.advanceTo(500);
    // A turn over before its screen showed any work: the hooks' start and end say it ran.
    h.tracker.input('hi\r');
    h.clock.advanceTo(700);
    h.tracker.reported({ status: 'working', rule: 'hook.session.status' });
    await h.writeAt(900, '\x1b[2J\x1b[H hi\r\n> ');
    h.clock.advanceTo(1000);
    h.tracker.reported({ status: 'idle', rule: 'hook.session.status' });
    h.clock.advanceTo(2000);
    expect(h.tracker.status).toBe('done');
  });

  it("leaves a failure the hooks report to the screen: it may be the turn before's, its hook late", async () => {
    const rules = agentScreen((view) => {
      const last = view.lines.filter((l) => l.trim()).at(-2) ?? '';
      if (view.lines.some((l) => l.includes('esc to cancel'))) return { status: 'working', rule: 'busy' };
      return last.startsWith('✕') ? { status: 'error', rule: 'api-error' } : { status: 'idle', rule: 'prompt' };
    });
    const h = harness(rules);
    await h.writeAt(0, '✕ API Error 400\r\n> ');
    h.clock.advanceTo(1000);
    expect(h.tracker.status).toBe('error');
    h.tracker.input('Tell me a long story');
    h.tracker.input('\r');
    // Qwen Code ran its StopFailure hook for the failed turn 2 s after drawing its error, after the
    // next Enter and that turn's own UserPromptSubmit; the message is not drawn yet.
    h.clock.advanceTo(2000);
    h.tracker.reported({ status: 'working', rule: 'hook.UserPromptSubmit' });
    h.clock.advanceTo(2200);
    h.tracker.reported({ status: 'error', rule: 'hook.StopFailure' }, 2100);
    h.clock.advanceTo(3000);
    expect(h.tracker.status).toBe('working');
    // The new turn drawn, and failing: the screen says so.
    await h.writeAt(3100, '\x1b[2J\x1b[H> Tell me a long story\r\n… esc to cancel');
    await h.writeAt(4000, '\x1b[2J\x1b[H> Tell me a long story\r\n✕ API Error 400\r\n> ');
    h.clock.advanceTo(5000);
    expect(h.changes.map((c) => `${c.status} ${c.rule}`)).toEqual(['error api-error', 'working input.submit', 'error api-error']);
  });

  it('takes Enter on a ready prompt as working until the screen has answered the keypress', async () => {
    const rules = agentScreen((view) => {
      const text = view.lines.join('\n');
      if (text.includes('esc to interrupt')) return { status: 'working', rule: 'busy' };
      if (text.includes('API Error')) return { status: 'error', rule: 'error' };
      return { status: 'idle', rule: 'prompt' };
    });
    const h = harness(rules);
    await h.writeAt(0, 'API Error: 400\r\n> ');
    h.clock.advanceTo(500);
    expect(h.tracker.status).toBe('error');

    h.clock.advanceTo(1000);
    h.tracker.input('\x1b[200~retry\rplease\x1b[201~'); // a pasted newline submits nothing
    expect(h.tracker.status).toBe('error');
    h.tracker.input('\r');
    expect(h.tracker.latest).toMatchObject({ at: 1000, status: 'working', rule: 'input.submit' });
    // The program is slow: the old error stays on screen, then the prompt is cleared, then work shows.
    h.clock.advanceTo(1400);
    await h.writeAt(1500, '\x1b[2K\r> ');
    h.clock.advanceTo(1700);
    expect(h.tracker.status).toBe('working');
    await h.writeAt(1750, '\r\nesc to interrupt');
    h.clock.advanceTo(3000);
    expect(h.changes.map((c) => c.status)).toEqual(['error', 'working']);
  });

  it('holds a submitted message as working until the screen shows its turn, however late, and not forever', async () => {
    const rules = agentScreen((view) =>
      view.lines.some((l) => l.includes('esc to interrupt')) ? { status: 'working', rule: 'busy' } : { status: 'idle', rule: 'prompt' }
    );
    const h = harness(rules);
    await h.writeAt(0, '> ');
    h.clock.advanceTo(1000);
    h.tracker.input('\x1b[200~hello\x1b[201~');
    await h.writeAt(1050, 'hello');
    h.clock.advanceTo(1200);
    h.tracker.input('\r');
    // Claude Code with the first prompt given at spawn: the message moves up, an empty prompt is
    // drawn and settles, and its spinner comes 4.4 s after the Enter. That prompt is not `done`.
    await h.writeAt(1500, '\r\n> ');
    h.clock.advanceTo(5500);
    expect(h.tracker.status).toBe('working');
    await h.writeAt(5600, '\r\n* esc to interrupt');
    await h.writeAt(7000, '\x1b[2K\r> ');
    h.clock.advanceTo(8000);
    expect(h.changes.map((c) => `${c.status} ${c.rule}`)).toEqual(['idle prompt', 'working input.submit', 'done prompt']);

    // Its hooks say the turn began and ended before the screen showed any work: the screen decides at once.
    h.tracker.input('\x1b[200~quick\x1b[201~\r');
    await h.writeAt(8100, '\r\nquick answer\r\n> ');
    h.clock.advanceTo(8200);
    h.tracker.reported({ status: 'working', rule: 'hook.UserPromptSubmit' });
    h.clock.advanceTo(9000);
    expect(h.tracker.status).toBe('working');
    h.tracker.reported({ status: 'idle', rule: 'hook.Stop' });
    h.clock.advanceTo(9001);
    expect(h.tracker.latest).toMatchObject({ at: 9000, status: 'done' });

    // Esc before the turn shows: the person cancelled it.
    h.tracker.input('\x1b[200~never mind\x1b[201~\r');
    h.clock.advanceTo(10_000);
    h.tracker.input('\x1b');
    h.clock.advanceTo(10_001);
    expect(h.tracker.latest).toMatchObject({ at: 10_000, status: 'done' });

    // A message that starts nothing at all: ready again once the bound has passed.
    h.clock.advanceTo(11_000);
    h.tracker.input('\x1b[200~ignored\x1b[201~\r');
    h.clock.advanceTo(25_999);
    expect(h.tracker.status).toBe('working');
    h.clock.advanceTo(26_000);
    expect(h.tracker.latest).toMatchObject({ at: 26_000, status: 'done' });
  });

  it('takes no turn from a typed slash command: the screen it draws says what it did', async () => {
    const rules = agentScreen((view) =>
      view.lines.some((l) => l.includes('esc interrupt')) ? { status: 'working', rule: 'busy' } : { status: 'idle', rule: 'prompt' }
    );
    const h = harness(rules);
    await h.writeAt(0, '> ');
    h.clock.advanceTo(1000);
    h.tracker.input('hi\r');
    await h.writeAt(1100, '\r\nesc interrupt');
    await h.writeAt(2000, '\x1b[2J\x1b[H> ');
    h.clock.advanceTo(2500);
    expect(h.tracker.status).toBe('done');
    // opencode's /new, typed as a person types it: its home screen, a ready prompt, no turn.
    for (const key of '/new') h.tracker.input(key);
    h.tracker.input('\r');
    await h.writeAt(2900, '\x1b[2J\x1b[H  opencode\r\n> ');
    h.clock.advanceTo(3200);
    expect(h.changes.map((c) => c.status)).toEqual(['idle', 'working', 'done']); // no working of its Enter's
    // A message that begins with a slash, pasted (drover's inbox, a path): a message, held as before.
    h.tracker.input('\x1b[200~/tmp/out is empty\x1b[201~\r');
    await h.writeAt(4000, '\r\n> ');
    h.clock.advanceTo(10_000);
    expect(h.tracker.status).toBe('working');
  });

  it('holds a turn its hooks say began as working while the screen still shows the prompt', async () => {
    const rules = agentScreen((view) =>
      view.lines.some((l) => l.includes('esc to interrupt')) ? { status: 'working', rule: 'busy' } : { status: 'idle', rule: 'prompt' }
    );
    const h = harness(rules);
    await h.writeAt(0, '> ');
    h.clock.advanceTo(1000);
    h.tracker.reported({ status: 'working', rule: 'hook.UserPromptSubmit' });
    await h.writeAt(1200, '\r\n> ');
    h.clock.advanceTo(4000);
    expect(h.tracker.status).toBe('working');
    await h.writeAt(4100, '\r\n* esc to interrupt');
    await h.writeAt(5000, '\x1b[2K\r> ');
    h.clock.advanceTo(6000);
    expect(h.changes.map((c) => `${c.status} ${c.rule}`)).toEqual(['idle prompt', 'working hook.UserPromptSubmit', 'done prompt']);
  });

  it('lets the screen undo an Enter that started nothing', async () => {
    const h = harness({ ...genericProvider.detect, settleMs: 300, classify: () => ({ status: 'idle', rule: 'prompt' }) });
    await h.writeAt(0, '> ');
    h.clock.advanceTo(400);
    h.tracker.input('\r');
    expect(h.tracker.status).toBe('working');
    h.clock.advanceTo(1400);
    expect(h.changes.map((c) => [c.at, c.status])).toEqual([[300, 'idle'], [400, 'working'], [1400, 'idle']]);
  });

  it('counts a submit as a turn only once the screen answered it: a dropped Enter leaves the agent idle, not done', async () => {
    const h = harness({ ...genericProvider.detect, settleMs: 300, doneAfterWork: true, classify: () => ({ status: 'idle', rule: 'prompt' }) });
    await h.writeAt(0, '> hello');
    h.clock.advanceTo(400);
    h.tracker.input('\r'); // the program never takes it (Gemini while it initializes)
    h.clock.advanceTo(1400);
    expect(h.changes.map((c) => [c.at, c.status])).toEqual([[300, 'idle'], [400, 'working'], [1400, 'idle']]);
    h.tracker.input('\r'); // taken: the input clears, and the (quick) turn is over
    await h.writeAt(1500, '\x1b[2K\r> ');
    h.clock.advanceTo(2500);
    expect(h.changes.map((c) => c.status)).toEqual(['idle', 'working', 'idle', 'working', 'done']);
  });

  it('looks again at a signal that changes with nothing written (a shell whose child takes the terminal)', async () => {
    let shellHasTheTerminal = true;
    const h = harness(shell.detect, () => shellHasTheTerminal);
    await h.writeAt(0, 'ready$ ');
    h.clock.advanceTo(1000);
    expect(h.tracker.latest).toMatchObject({ status: 'idle', rule: 'shell.foreground' });
    shellHasTheTerminal = false;
    h.clock.advanceTo(2000);
    expect(h.tracker.latest).toMatchObject({ status: 'working', rule: 'shell.child-foreground' });
    shellHasTheTerminal = true;
    h.clock.advanceTo(3000);
    expect(h.changes.map((c) => c.status)).toEqual(['idle', 'working', 'done']);
  });

  it('reports exit as final', async () => {
    const h = harness();
    await h.writeAt(0, 'x');
    h.tracker.exited(2, null);
    await h.writeAt(10, 'more');
    h.clock.advanceTo(5000);
    expect(h.changes.at(-1)).toMatchObject({ status: 'exited', detail: 'code 2' });
  });
});
