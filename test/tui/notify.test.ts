/** Notifications: only when an agent newly needs the user and is not on screen, never a storm. */
import { describe, expect, it } from 'vitest';
import { Notifier, oscNotification } from '../../src/tui/notify.ts';

function notifier(config = { bell: true, osc: true, command: ['notify-send', 'drover'] as string[] | undefined }, env: NodeJS.ProcessEnv = {}) {
  let now = 0;
  const written: string[] = [];
  const ran: string[][] = [];
  const n = new Notifier({ config, write: (t) => written.push(t), run: (command) => ran.push(command), env, now: () => now });
  return { n, written, ran, advance: (ms: number) => (now += ms) };
}

const worker = { id: 'w1', name: 'worker' };

describe('Notifier', () => {
  it('rings, notifies through the terminal and runs the command when an agent starts needing the user', () => {
    const { n, written, ran } = notifier();
    n.statusChanged(worker, 'working', 'needs_permission', false);
    expect(written).toEqual(['\x07\x1b]9;drover: worker needs approval\x07']);
    expect(ran).toEqual([['notify-send', 'drover', 'worker needs approval']]);
  });

  it('stays quiet for the agent on screen, for other transitions, and within an agent`s cooldown', () => {
    const { n, written, advance } = notifier();
    n.statusChanged(worker, 'working', 'needs_input', true); // on screen
    n.statusChanged(worker, 'idle', 'working', false);
    n.statusChanged(worker, 'working', 'done', false);
    expect(written).toEqual([]);
    n.statusChanged(worker, 'working', 'error', false);
    n.statusChanged(worker, 'error', 'needs_input', false); // still needing the user: not new
    n.statusChanged(worker, 'needs_input', 'working', false);
    n.statusChanged(worker, 'working', 'needs_permission', false); // a flap, within the cooldown
    expect(written).toHaveLength(1);
    n.statusChanged({ id: 'w2', name: 'other' }, 'working', 'needs_permission', false);
    expect(written).toHaveLength(2);
    advance(10_000);
    n.statusChanged(worker, 'working', 'needs_permission', false);
    expect(written).toHaveLength(3);
  });

  it('does what the config says: no bell, no OSC, no command', () => {
    const { n, written, ran } = notifier({ bell: false, osc: false, command: undefined });
    n.statusChanged(worker, 'working', 'needs_input', false);
    expect(written).toEqual([]);
    expect(ran).toEqual([]);
    const bellOnly = notifier({ bell: true, osc: false, command: undefined });
    bellOnly.n.statusChanged(worker, 'working', 'needs_input', false);
    expect(bellOnly.written).toEqual(['\x07']);
  });

  it('speaks OSC 777 to the terminals that take it, passes through tmux, and keeps control bytes out', () => {
    expect(oscNotification('drover', 'hi', { VTE_VERSION: '7200' })).toBe('\x1b]777;notify;drover;hi\x07');
    expect(oscNotification('drover', 'hi', { TERM: 'foot' })).toBe('\x1b]777;notify;drover;hi\x07');
    expect(oscNotification('drover', 'hi', { TMUX: '/tmp/tmux-0/default,1,0' })).toBe('\x1bPtmux;\x1b\x1b]9;drover: hi\x07\x1b\\');
    const { n, written } = notifier({ bell: false, osc: true, command: undefined });
    n.statusChanged({ id: 'x', name: 'evil\x07\x1b]0;' }, 'working', 'error', false);
    expect(written).toEqual(['\x1b]9;drover: evil]0; error\x07']);
  });
});
