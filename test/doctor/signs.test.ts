/**
 * The strings the drivers (drover doctor, the fixture recorder) wait for. Gemini CLI's row for a
 * hook running cuts its "(esc to cancel, 3s)" off at the edge when the hook's command is long: the
 * recorder took that screen for the prompt back and labelled a turn's wind-down (drover's
 * AfterAgent hook; SessionStart and BeforeAgent before an API error was drawn) as ready.
 */
import { describe, expect, it } from 'vitest';
import { showsBusy, SIGNS } from '../../src/doctor/signs.ts';

const input = ['─'.repeat(100), ' Shift+Tab to accept edits', ' >   Type your message or @path/to/file'];
const screen = (rows: string[]) => [...rows, ...input].join('\n');

describe('gemini signs', () => {
  it('reads a hook running as busy, its busy sign cut off at the edge', () => {
    const hook = " ⠦ Executing Hook: '/usr/bin/node' '/work/wt-gemini/bin/drover.js' hook gemini AfterAgent (esc to ca";
    expect(showsBusy(SIGNS.gemini, screen(['✦ The file has been created. All done.', hook]))).toBe(true);
    const hooks = " ⠦ Executing Hooks: '/usr/bin/node' '/work/wt-gemini/bin/drover.js' hook gemini SessionStart, '/usr/";
    expect(showsBusy(SIGNS.gemini, screen([' > Trigger a scripted error', hooks]))).toBe(true);
  });

  it('reads a hook running as busy when the shortcuts hint is drawn over the start of its row', () => {
    // gemini 0.61.0 at 100x30 (spawn-prompt-100x30-t2.cast at 10.76 s; at 11.0 s the hook was over).
    const over = "? for shortcutsok: '/usr/bin/node' '/work/wt-takes/bin/drover.js' hook gemini AfterAgent (esc to can";
    expect(showsBusy(SIGNS.gemini, screen(['✦ Hello! This is the answer to the first prompt, given at spawn. Done.', over]))).toBe(true);
    const after = "? for shortcutsk: '/usr/bin/node' '/work/wt-takes/bin/drover.js' hook gemini AfterAgent";
    expect(showsBusy(SIGNS.gemini, screen(['✦ Hello! This is the answer to the first prompt, given at spawn. Done.', after]))).toBe(false);
  });

  it('reads the row a finished hook leaves, without its spinner, as not busy', () => {
    const left = "  Executing Hook: '/usr/bin/node' '/work/wt-gemini/bin/drover.js' hook gemini AfterAgent";
    expect(showsBusy(SIGNS.gemini, screen(['✦ That is all for now.', left]))).toBe(false);
    expect(showsBusy(SIGNS.gemini, screen([' ⠋ Thinking... (esc to cancel, 0s)']))).toBe(true);
  });
});
