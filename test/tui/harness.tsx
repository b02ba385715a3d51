/** The TUI's App rendered by ink-testing-library against a FakeClient, the way run.tsx wires it. */
import { render } from 'ink-testing-library';
import { stripVTControlCharacters } from 'node:util';
import { vi } from 'vitest';
import { App } from '../../src/tui/app.tsx';
import type { Overlay } from '../../src/tui/frame-writer.ts';
import type { Leave } from '../../src/tui/commands.ts';
import { linkDaemon } from '../../src/tui/daemon-link.ts';
import { Notifier } from '../../src/tui/notify.ts';
import { initialState, previewedAgent } from '../../src/tui/state.ts';
import { TuiStore } from '../../src/tui/store.ts';
import { createTheme, ThemeContext } from '../../src/tui/theme.ts';
import { FakeClient } from './fake-client.ts';

export interface HarnessOptions {
  client?: FakeClient;
  size?: { cols: number; rows: number };
  colour?: boolean;
  providers?: string[];
}

export async function renderTui(options: HarnessOptions = {}) {
  const client = options.client ?? new FakeClient();
  const store = new TuiStore(initialState(options.size ?? { cols: 80, rows: 24 }));
  const notices: string[] = [];
  const notifier = new Notifier({ config: { bell: true, osc: true }, write: (text) => notices.push(text), env: {} });
  const link = linkDaemon(store, client, notifier, () => previewedAgent(store.getState())?.id);
  await link.load();
  const leaves: Leave[] = [];
  // The preview's rows, painted outside Ink as FrameWriter paints them on a terminal.
  let overlay: Overlay | undefined;
  /** Mouse reporting as the App turned it on and off. */
  const mouse: boolean[] = [];
  const ui = render(
    <ThemeContext.Provider value={createTheme(options.colour ?? false)}>
      <App store={store} client={client} onLeave={(to) => leaves.push(to)} providers={options.providers ?? ['claude', 'shell']} cwd="/work" detachKey="C-]" paintPreview={(painted) => (overlay = painted)} reportMouse={(on) => mouse.push(on)} />
    </ThemeContext.Provider>,
  );
  /** The last frame as Ink styled it, and as the terminal shows it in plain text (the preview painted in). */
  const styled = () => ui.lastFrame() ?? '';
  const frame = () => {
    const rows = stripVTControlCharacters(styled()).split('\n');
    for (const [i, row] of (overlay?.rows ?? []).entries()) {
      const y = overlay!.top + i;
      rows[y] = [...(rows[y] ?? '')].slice(0, overlay!.left).join('').padEnd(overlay!.left) + stripVTControlCharacters(row);
    }
    return rows.join('\n');
  };
  return {
    ...ui,
    client,
    store,
    notices,
    leaves,
    mouse,
    frame,
    styled,
    /** The preview's rows as painted, styled. */
    previewRows: () => overlay?.rows ?? [],
    /** Types keys, one write each (as a terminal sends them). */
    async type(...keys: string[]) {
      for (const key of keys) {
        ui.stdin.write(key);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    /** Waits until the frame shows `text` (or matches, or passes `test`), and gives that frame. */
    async until(test: string | RegExp | ((frame: string) => boolean)): Promise<string> {
      const check = typeof test === 'string' ? (f: string) => f.includes(test) : test instanceof RegExp ? (f: string) => test.test(f) : test;
      return vi.waitFor(() => {
        const shown = frame();
        if (!check(shown)) throw new Error(`frame never matched:\n${shown}`);
        return shown;
      });
    },
    dispose() {
      ui.unmount();
      link.dispose();
    },
  };
}

export const KEYS = { enter: '\r', esc: '\x1b', tab: '\t', shiftTab: '\x1b[Z', down: '\x1b[B', up: '\x1b[A', right: '\x1b[C', left: '\x1b[D', backspace: '\x7f', pageDown: '\x1b[6~' };
