/**
 * The selected agent's screen, live: subscribed while it is selected (and the TUI is up), handed
 * on at most ten times a second and only when it changed.
 */
import { useEffect, useRef } from 'react';
import type { Client } from '../client/client.ts';
import { applyScreenUpdate, type ScreenUpdate } from '../client/screen-update.ts';
import type { ScreenState } from '../protocol/schema.ts';
import { PreviewPainter, type OverlaySink } from './preview-painter.ts';
import type { Preview } from './state.ts';
import { describeError, type TuiStore } from './store.ts';

/** What the feed hands on: the followed agent's screen, or why it cannot be had. */
export type PreviewFrame = { agent: string; screen: ScreenState } | { agent: string; error: string };

/** At most ten frames a second: what a person can read while an agent streams (the daemon sends no more). */
export const FRAME_MS = 100;

export class PreviewFeed {
  private following: string | undefined;
  /** The agent the daemon sends this connection screens of. */
  private subscribed: string | undefined;
  /** Subscribe and unsubscribe calls, in order. */
  private calls: Promise<void> = Promise.resolve();
  /** The followed agent's screen as the daemon sent it, updates applied. */
  private current: ScreenState | undefined;
  /** Updates that came while the subscribe call's reply (the screen they apply to) was on its way. */
  private early: ScreenUpdate[] | undefined;
  private shownKey = '';
  private shownAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly offScreen: () => void;

  constructor(
    private readonly client: Client,
    private readonly show: (frame: PreviewFrame | undefined) => void,
  ) {
    this.offScreen = client.on('event.screen', ({ agent, ...update }) => {
      if (agent !== this.following) return;
      if (this.early) return void this.early.push(update);
      this.current = applyScreenUpdate(this.current, update);
      if (this.current) this.offer();
    });
  }

  follow(agent: string | undefined): void {
    if (agent === this.following) return;
    this.following = agent;
    this.current = undefined;
    this.shownKey = '';
    this.show(undefined);
    this.calls = this.calls.then(() => this.sync());
  }

  /** Brings the daemon's subscription to what is followed now (the selection may have moved on). */
  private async sync(): Promise<void> {
    const wanted = this.following;
    if (this.subscribed === wanted) return;
    if (this.subscribed) {
      const old = this.subscribed;
      this.subscribed = undefined;
      await this.client.call('agents.unsubscribe', { agent: old }).catch(() => {});
    }
    if (!wanted || wanted !== this.following) return;
    this.early = [];
    try {
      const { agent: _id, ...screen } = await this.client.call('agents.subscribe', { agent: wanted });
      this.subscribed = wanted;
      // The reply's line came before those updates' lines, but they may have been handled first.
      let current: ScreenState | undefined = screen;
      for (const update of this.early) current = current && applyScreenUpdate(current, update);
      if (wanted === this.following && current) {
        this.current = current;
        this.offer();
      }
    } catch (error) {
      if (wanted === this.following) this.show({ agent: wanted, error: describeError(error) });
    } finally {
      this.early = undefined;
    }
  }

  dispose(): void {
    this.offScreen();
    clearTimeout(this.timer);
    this.follow(undefined);
  }

  /** The current screen is shown at the next frame time. */
  private offer(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), Math.max(0, this.shownAt + FRAME_MS - Date.now()));
  }

  private flush(): void {
    this.timer = undefined;
    const { current, following } = this;
    if (!current || !following) return;
    const key = JSON.stringify(current.styled ?? current.lines);
    if (key === this.shownKey) return;
    this.shownKey = key;
    this.shownAt = Date.now();
    this.show({ agent: following, screen: current });
  }
}

/**
 * Follows `agent` while the component is mounted: its screen painted into the preview pane
 * through `sink`, and the store told only when the previewed agent or its error changes.
 */
export function usePreviewFeed(client: Client, store: TuiStore, agent: string | undefined, sink: OverlaySink, colour: boolean): void {
  const feed = useRef<PreviewFeed | undefined>(undefined);
  useEffect(() => {
    const painter = new PreviewPainter(store, sink, colour);
    feed.current = new PreviewFeed(client, (frame) => {
      painter.show(frame && 'screen' in frame ? frame : undefined);
      const preview: Preview | undefined = frame && ('error' in frame ? { agent: frame.agent, error: frame.error } : { agent: frame.agent });
      const now = store.getState().preview;
      if (now?.agent !== preview?.agent || now?.error !== preview?.error) store.update((s) => ({ ...s, preview }));
    });
    return () => {
      feed.current?.dispose();
      feed.current = undefined;
      painter.dispose();
    };
  }, [client, store, sink, colour]);
  useEffect(() => feed.current?.follow(agent), [agent]);
}
