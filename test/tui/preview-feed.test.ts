/** The preview's feed: subscribed to the selected agent only, at most ten frames a second, only changes. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FRAME_MS, PreviewFeed } from '../../src/tui/preview-feed.ts';
import type { PreviewFrame } from '../../src/tui/preview-feed.ts';
import { FakeClient, screen } from './fake-client.ts';

afterEach(() => vi.useRealTimers());

function feed() {
  const client = new FakeClient({
    'agents.subscribe': ({ agent }) => ({ agent, ...screen(['first']) }),
    'agents.unsubscribe': () => ({}),
  });
  const shown: (PreviewFrame | undefined)[] = [];
  return { client, shown, feed: new PreviewFeed(client, (preview) => shown.push(preview)) };
}

const lines = (p: PreviewFrame | undefined) => (p && 'screen' in p ? p.screen.lines[0] : p && 'error' in p ? `error: ${p.error}` : undefined);

describe('PreviewFeed', () => {
  it('shows at most one frame per frame time, the latest, and none that did not change', async () => {
    vi.useFakeTimers();
    const { client, shown, feed: f } = feed();
    f.follow('a');
    await vi.advanceTimersByTimeAsync(0);
    expect(shown.map(lines)).toEqual([undefined, 'first']);
    for (let i = 0; i < 20; i++) {
      client.emit('event.screen', { agent: 'a', ...screen([`frame ${i}`]) });
      await vi.advanceTimersByTimeAsync(1);
    }
    await vi.advanceTimersByTimeAsync(FRAME_MS);
    // 20 frames over 20 ms: one more shown, the last.
    expect(shown.map(lines)).toEqual([undefined, 'first', 'frame 19']);
    client.emit('event.screen', { agent: 'a', ...screen(['frame 19']) });
    client.emit('event.screen', { agent: 'other', ...screen(['not followed']) });
    await vi.advanceTimersByTimeAsync(FRAME_MS * 2);
    expect(shown).toHaveLength(3);
    f.dispose();
  });

  it('subscribes only to the agent still selected when the daemon is asked, and unsubscribes on leaving it', async () => {
    const { client, shown, feed: f } = feed();
    const calls = () => client.calls.map((c) => `${c.method} ${(c.params as { agent: string }).agent}`);
    f.follow('a');
    f.follow('b');
    f.follow('c');
    await vi.waitFor(() => expect(shown.map(lines).at(-1)).toBe('first'));
    expect(calls()).toEqual(['agents.subscribe c']);
    f.follow('a');
    await vi.waitFor(() => expect(calls()).toEqual(['agents.subscribe c', 'agents.unsubscribe c', 'agents.subscribe a']));
    f.dispose();
    await vi.waitFor(() => expect(calls().at(-1)).toBe('agents.unsubscribe a'));
  });

  it('shows why there is no screen', async () => {
    const client = new FakeClient({ 'agents.subscribe': () => Promise.reject(new Error('worker has exited')) });
    const shown: (PreviewFrame | undefined)[] = [];
    const f = new PreviewFeed(client, (p) => shown.push(p));
    f.follow('worker');
    await vi.waitFor(() => expect(shown.map(lines)).toEqual([undefined, 'error: worker has exited']));
    f.dispose();
  });

  it('applies the rows that changed to the screen it has, and updates that came before the subscribe reply after it', async () => {
    let reply: (() => void) | undefined;
    const client = new FakeClient({
      // The daemon has sent an update that is handled before this reply is.
      'agents.subscribe': ({ agent }) => new Promise((resolve) => (reply = () => resolve({ agent, ...screen(['top', 'middle', 'bottom']) }))),
      'agents.unsubscribe': () => ({}),
    });
    const shown: (PreviewFrame | undefined)[] = [];
    const f = new PreviewFeed(client, (p) => shown.push(p));
    const rows = (p: PreviewFrame | undefined) => (p && 'screen' in p ? p.screen.lines.join('/') : undefined);
    f.follow('a');
    await vi.waitFor(() => expect(reply).toBeDefined());
    client.emit('event.screen', { agent: 'a', ...screen([null, 'middle 2', null] as never), partial: true });
    reply!();
    await vi.waitFor(() => expect(shown.map(rows).at(-1)).toBe('top/middle 2/bottom'));
    client.emit('event.screen', { agent: 'a', ...screen(['top 3', null, null] as never), partial: true });
    await vi.waitFor(() => expect(shown.map(rows).at(-1)).toBe('top 3/middle 2/bottom'));
    client.emit('event.screen', { agent: 'a', ...screen(['whole']) });
    await vi.waitFor(() => expect(shown.map(rows).at(-1)).toBe('whole'));
    f.dispose();
  });
});
