/**
 * The selected agent's screen in the preview pane, painted outside Ink (see FrameWriter's
 * overlay): Ink draws the pane's title and leaves its rows empty, and this paints the screen into
 * them — when a new screen arrives (ten times a second at most) and wherever the pane is after
 * any change of the TUI's state. A busy agent then costs a few rows of text, not an Ink frame.
 */
import type { ScreenState } from '../protocol/schema.ts';
import type { Overlay } from './frame-writer.ts';
import { MIN_SIZE } from './layout.ts';
import { readerArea, readerRows } from './reader.ts';
import { previewLines } from './screen-lines.ts';
import { fitColumns } from './text-width.ts';
import { previewedAgent, type TuiState } from './state.ts';
import type { TuiStore } from './store.ts';

/** Where overlays go: the FrameWriter in front of the terminal (a test keeps them). */
export type OverlaySink = (overlay: Overlay | undefined) => void;

export interface Shown {
  agent: string;
  screen: ScreenState;
}

export class PreviewPainter {
  private shown: Shown | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: TuiStore,
    private readonly sink: OverlaySink,
    private readonly colour: boolean,
  ) {
    this.unsubscribe = store.subscribe(() => this.paint());
  }

  /** An agent's screen now (undefined: none to show). */
  show(shown: Shown | undefined): void {
    this.shown = shown;
    this.paint();
  }

  dispose(): void {
    this.unsubscribe();
    this.sink(undefined);
  }

  private paint(): void {
    this.sink(previewOverlay(this.store.getState(), this.shown, this.colour));
  }
}

/** The preview's rows and where they go now; undefined while the pane is hidden or has no screen of the selected agent. */
export function previewOverlay(state: TuiState, shown: Shown | undefined, colour: boolean): Overlay | undefined {
  const { size, mode } = state;
  if (size.cols < MIN_SIZE.cols || size.rows < MIN_SIZE.rows || mode.kind === 'help' || mode.kind === 'spawn') return undefined;
  const { top, left, width, height } = readerArea(state);
  if (state.reader) return { top, left, rows: readerRows(state.reader, { top, left, width, height }, state.wrap, colour) };
  if (!shown || shown.agent !== previewedAgent(state)?.id) return undefined;
  // The agent's own window title, dim, labelled and quoted: its words, never to be read as drover's status.
  const title = shown.screen.title ? [`\x1b[2m${fitColumns(`title: "${shown.screen.title}"`, width)[0]}\x1b[22m`] : [];
  return { top, left, rows: [...title, ...previewLines(shown.screen, width, height - title.length, colour, state.wrap)] };
}
