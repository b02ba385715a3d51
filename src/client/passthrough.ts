/**
 * An agent's terminal on this one, passed straight through (`drover attach`, and the TUI's enter).
 * The screen is restored from the daemon's emulator on entry; the detach key (default Ctrl-], as in
 * telnet: not one agents, tmux or terminals use) returns with the screen and keyboard modes as
 * they were.
 */
import { UserError } from '../errors.ts';
import { detachKeyByte } from '../store/detach-key.ts';
import { MAX_COLS, MAX_ROWS } from '../protocol/limits.ts';
import type { Client } from './client.ts';

/** Switches to the terminal's alternate screen, and back to the user's own. */
export const ALTERNATE_SCREEN_ON = '\x1b[?1049h';
export const ALTERNATE_SCREEN_OFF = '\x1b[?1049l';
/** Cursor home, screen cleared. */
export const CLEAR = '\x1b[H\x1b[2J';
export const SHOW_CURSOR = '\x1b[?25h';
/**
 * Undo every mode an agent may have set: paste, cursor keys, keypad, mouse, focus, modifyOtherKeys,
 * the kitty keyboard protocol, cursor, colours.
 */
const RESET_MODES = '\x1b[?2004l\x1b[?1l\x1b>\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1004l\x1b[>4m\x1b[<u\x1b[?25h\x1b[0m';

export class DetachKeyError extends UserError {}

/** "C-]" / "C-a" / "^]" → the control byte. */
export function parseDetachKey(spec: string): string {
  const parsed = detachKeyByte(spec);
  if ('problem' in parsed) throw new DetachKeyError(`--detach-key ${parsed.problem}`);
  return parsed.key;
}

export interface PassthroughOptions {
  client: Client;
  /** The agent's name or id. */
  agent: string;
  /** The control byte that detaches (see parseDetachKey). */
  detachKey: string;
  /**
   * Switch to the alternate screen and back, so leaving puts the user's own screen back. A caller
   * already on it (the TUI) keeps it: the screen is cleared on entry and on leave instead.
   */
  alternateScreen: boolean;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

/**
 * The agent's terminal on this one until the detach key, the agent's exit or the daemon's; resolves
 * with which, as a line ("detached from worker"). Throws when the agent cannot be attached.
 */
export async function passThrough(options: PassthroughOptions): Promise<string> {
  const { client, detachKey, stdin = process.stdin, stdout = process.stdout } = options;
  // A terminal larger than drover emulates shows the agent's at the limit, in its top-left corner.
  const size = () => ({ cols: Math.min(stdout.columns || 80, MAX_COLS), rows: Math.min(stdout.rows || 24, MAX_ROWS) });
  const attached = await client.call('agents.attach', { agent: options.agent, ...size() });
  const id = attached.agent;

  stdout.write((options.alternateScreen ? ALTERNATE_SCREEN_ON : '') + CLEAR + attached.redraw);
  const offOutput = client.on('event.output', (event) => {
    if (event.agent === id) stdout.write(event.data);
  });

  let leave!: (reason: string) => void;
  const left = new Promise<string>((resolve) => (leave = resolve));
  const offStatus = client.on('event.status', (event) => {
    if (event.agent === id && event.status === 'exited') leave(`${attached.name} exited`);
  });
  void client.closed.then(() => leave('the daemon went away'));

  // A string when someone (Ink) has set an encoding on stdin, else a Buffer.
  const onInput = (chunk: Buffer | string) => {
    const text = chunk.toString();
    const at = text.indexOf(detachKey);
    const keys = at >= 0 ? text.slice(0, at) : text;
    if (keys) void client.call('agents.keys', { agent: id, keys }).catch(() => {});
    if (at >= 0) leave(`detached from ${attached.name}`);
  };
  const onResize = () => void client.call('agents.resize', { agent: id, ...size() }).catch(() => {});
  if (stdin.isTTY) stdin.setRawMode(true);
  stdin.on('data', onInput);
  stdin.resume();
  stdout.on('resize', onResize);

  const reason = await left;
  stdin.off('data', onInput);
  stdout.off('resize', onResize);
  if (stdin.isTTY) stdin.setRawMode(false);
  stdin.pause();
  offOutput();
  offStatus();
  stdout.write(RESET_MODES + (options.alternateScreen ? ALTERNATE_SCREEN_OFF : CLEAR));
  await client.call('agents.detach', { agent: id }).catch(() => {});
  return reason;
}
