/**
 * Gemini CLI 0.61 screens from recordings at 100×30 and 160×50 on a loaded machine: its window
 * title says "◇ Ready" before the screen is drawn, and while a message typed during its start
 * ("ℹ Initializing... Prompts will be queued.") waits in its queue. The first rules took both
 * for ready (idle, then a false "done" between a submit and the turn). Once Gemini takes the
 * message from its queue it draws its start screen again, Ready, before the turn's spinner
 * (question-160x50-t2: 0.7 s): that too was a false "done".
 */
import { describe, expect, it } from 'vitest';
import { StatusTracker } from '../../src/engine/status-tracker.ts';
import { gemini } from '../../src/providers/gemini/index.ts';
import type { StatusChange } from '../../src/status/status.ts';
import { VirtualClock } from '../../src/terminal/clock.ts';
import { Screen } from '../../src/terminal/screen.ts';

const ready = '◇  Ready (work)';
const classify = (lines: string[], title = ready) => gemini.detect.classify({ lines, title, altScreen: false, changed: false, quietMs: 5000 });

const rule = '─'.repeat(100);
const input = [
  rule,
  ' Shift+Tab to accept edits',
  ' >   Type your message or @path/to/file',
  ' workspace (/directory)               branch                sandbox                          /model',
  ' ~/work                               main                  no sandbox               gemini-2.5-pro',
];
const shortcuts = `${' '.repeat(84)}? for shortcuts`;

describe('gemini status', () => {
  it('takes a queued message as work, whatever the title says', () => {
    const queued = ['ℹ Initializing... Prompts will be queued.', '  Queued (press ↑ to edit):', '    Please say hello', shortcuts, ...input];
    expect(classify(queued)).toMatchObject({ status: 'working', rule: 'gemini.queued' });
  });

  it('reads the Ready title as idle only once the input is drawn', () => {
    expect(classify(Array(30).fill(''))).toMatchObject({ status: 'unknown' });
    expect(classify(['Tips for getting started:', shortcuts, ...input])).toMatchObject({ status: 'idle', rule: 'gemini.title-ready' });
  });

  it('holds a message taken from the queue as working until the turn shows, through the ready screen between', async () => {
    const clock = new VirtualClock(0);
    const screen = new Screen({ cols: 100, rows: 12 });
    const changes: StatusChange[] = [];
    const tracker = new StatusTracker({ screen, clock, detector: gemini.detect, onChange: (c) => changes.push(c) });
    const draw = async (at: number, title: string, rows: string[]) => {
      clock.advanceTo(at);
      screen.write(`\x1b]0;${title}\x07\x1b[2J\x1b[H${rows.join('\r\n')}`);
      await screen.flush();
    };
    await draw(0, ready, ['Tips for getting started:', 'ℹ Initializing... Prompts will be queued.', shortcuts, ...input]);
    clock.advanceTo(1000);
    expect(tracker.status).toBe('idle');
    tracker.input('Make the button a nice colour');
    tracker.input('\r');
    await draw(1100, ready, ['ℹ Initializing... Prompts will be queued.', '  Queued (press ↑ to edit):', '    Make the button a nice colour', '', ...input]);
    // The queue taken: the start screen again, Ready, for 0.7 s; then the spinner.
    await draw(1700, ready, ['Tips for getting started:', 'ℹ Initializing... Prompts will be queued.', '', ...input]);
    clock.advanceTo(2400);
    expect(tracker.status).toBe('working');
    await draw(2400, '✦  Working… (work)', ['ℹ Initializing... Prompts will be queued.', ' > Make the button a nice colour', '⠋ Thinking... (esc to cancel, 0s)', shortcuts, ...input]);
    clock.advanceTo(3000);
    expect(changes.map((c) => c.status)).toEqual(['idle', 'working']);
  });
});
