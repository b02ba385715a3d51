/**
 * The TUI's two kinds of frame, with 20 agents listed: a new screen of the selected agent (its
 * rows painted into the preview pane, outside Ink) and a change in the agent list (React, layout,
 * Ink's output), each from the change to the rows written to the terminal. The screens are a real
 * Claude session's (fixtures/claude/basic-120x35.cast) at successive moments, so each differs
 * from the last.
 */
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { render } from 'ink';
import type { Client } from '../src/client/client.ts';
import type { AgentSummary, ScreenState } from '../src/protocol/schema.ts';
import { STATUSES } from '../src/status/status.ts';
import { openAsciicast } from '../src/terminal/asciicast.ts';
import { Screen } from '../src/terminal/screen.ts';
import { App } from '../src/tui/app.tsx';
import { FrameWriter } from '../src/tui/frame-writer.ts';
import { previewOverlay } from '../src/tui/preview-painter.ts';
import { initialState } from '../src/tui/state.ts';
import { TuiStore } from '../src/tui/store.ts';
import { createTheme, ThemeContext } from '../src/tui/theme.ts';

const RECORDING = path.resolve(import.meta.dirname, '../fixtures/claude/basic-120x35.cast');

/** Styled snapshots of the recording every `step` output events, each different from the one before. */
async function screens(count: number): Promise<ScreenState[]> {
  const { events } = await openAsciicast(RECORDING);
  const outputs: string[] = [];
  for await (const event of events) if (event.type === 'o') outputs.push(event.data);
  const screen = new Screen({ cols: 120, rows: 35 });
  const step = Math.max(1, Math.floor(outputs.length / count));
  const out: ScreenState[] = [];
  for (let i = 0; i < outputs.length && out.length < count; i++) {
    screen.write(outputs[i]!);
    if (i % step === step - 1) {
      await screen.flush();
      const shot = screen.snapshot({ styled: true });
      if (JSON.stringify(shot.styled) !== JSON.stringify(out.at(-1)?.styled)) out.push(shot);
    }
  }
  screen.dispose();
  // Played in a loop: the last must differ from the first too.
  if (JSON.stringify(out.at(-1)?.styled) === JSON.stringify(out[0]?.styled)) out.pop();
  return out;
}

/** A daemon that only knows the one agent's screen: the bench drives the store itself. */
function quietClient(first: ScreenState): Client {
  return {
    daemon: { version: 0, pid: 0 },
    closed: new Promise(() => {}),
    on: () => () => {},
    close: async () => {},
    call: (async (method: string, params: { agent: string }) => (method === 'agents.subscribe' ? { agent: params.agent, ...first } : {})) as Client['call'],
  };
}

export interface FrameTimes {
  size: { cols: number; rows: number };
  preview: { median: number; p95: number };
  list: { median: number; p95: number };
  frames: number;
}

function quantiles(times: number[]): { median: number; p95: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), p95: at(0.95) };
}

/** At a terminal of `size`; 177×54 shows the whole 120×35 screen in the preview pane. */
export async function measureFrameRender(size = { cols: 177, rows: 54 }, frames = 300): Promise<FrameTimes> {
  const shots = await screens(40);
  const agents: AgentSummary[] = Array.from({ length: 20 }, (_, i) => ({
    id: `a${i}`,
    name: `agent-${i}`,
    provider: ['claude', 'codex', 'gemini', 'shell'][i % 4]!,
    cwd: '/work',
    status: STATUSES[i % STATUSES.length]!,
    since: Date.now() - i * 7000,
  }));
  const store = new TuiStore({ ...initialState(size), agents, selectedAgent: 'a0' });
  let rendered: (() => void) | undefined;
  let written = 0;
  const terminal = Object.assign(new EventEmitter(), {
    columns: size.cols,
    rows: size.rows,
    write: (data: string) => ((written += data.length), true),
  });
  // As the TUI runs: Ink's frames go through the writer that sends the terminal the rows that changed.
  const stdout = new FrameWriter(terminal as unknown as NodeJS.WriteStream);
  const stdin = Object.assign(new EventEmitter(), { isTTY: true, setEncoding() {}, setRawMode() {}, ref() {}, unref() {}, read: () => null });
  const ink = render(
    <ThemeContext.Provider value={createTheme(true)}>
      <App store={store} client={quietClient(shots[0]!)} onLeave={() => {}} providers={[]} cwd="/work" detachKey="C-]" paintPreview={(overlay) => stdout.setOverlay(overlay)} reportMouse={() => {}} />
    </ThemeContext.Provider>,
        // Debug mode renders every change at once, unthrottled. Ink calls onRender just before it
    // writes the frame, in the same turn: the wait for it ends after the write.
    { stdout: stdout as never, stdin: stdin as never, debug: true, patchConsole: false, exitOnCtrlC: false, onRender: () => rendered?.() },
  );
  await new Promise((resolve) => setTimeout(resolve, 100)); // the subscription's first screen

  const previewTimes: number[] = [];
  const listTimes: number[] = [];
  for (let i = 0; i < frames; i++) {
    // What the preview painter does with each new screen.
    const screen = shots[i % shots.length]!;
    let start = performance.now();
    stdout.setOverlay(previewOverlay(store.getState(), { agent: 'a0', screen }, true));
    previewTimes.push(performance.now() - start);
    // An agent's status changes: the list redraws through Ink.
    const frame = new Promise<void>((resolve) => (rendered = resolve));
    start = performance.now();
    store.update((s) => ({ ...s, agents: s.agents.map((a, n) => (n === 5 ? { ...a, status: STATUSES[i % STATUSES.length]!, since: Date.now() } : a)) }));
    await frame;
    listTimes.push(performance.now() - start);
  }
  ink.unmount();
  if (written === 0) throw new Error('nothing reached the terminal');
  return { size, preview: quantiles(previewTimes), list: quantiles(listTimes), frames };
}
