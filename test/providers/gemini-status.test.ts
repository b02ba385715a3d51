/**
 * Gemini CLI 0.61 screens from recordings at 100×30 and 160×50 on a loaded machine: its window
 * title says "◇ Ready" before the screen is drawn, and while a message typed during its start
 * ("ℹ Initializing... Prompts will be queued.") waits in its queue. The first rules took both
 * for ready (idle, then a false "done" between a submit and the turn).
 */
import { describe, expect, it } from 'vitest';
import { gemini } from '../../src/providers/gemini/index.ts';

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
});
