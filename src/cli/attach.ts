/**
 * `drover attach NAME`: the agent's terminal, full screen, passed straight through (no TUI). The
 * screen is restored from the daemon's emulator on entry; the detach key (default Ctrl-], as in
 * telnet: not one agents, tmux or terminals use) returns to the shell with its screen and keyboard
 * modes as they were.
 */
import { parseArgs } from 'node:util';
import { connectOrStart } from '../client/daemon-connection.ts';
import { loadConfig } from '../store/config.ts';
import { UsageError } from './errors.ts';

export const attachUsage = `drover attach NAME [--detach-key C-]]   the agent's terminal, full screen; the detach key leaves it running`;

/** Alternate screen on entry, so leaving puts the user's own screen back. */
const ENTER = '\x1b[?1049h\x1b[H\x1b[2J';
/** Undo every mode an agent may have set: paste, cursor keys, keypad, mouse, focus, cursor, colours. */
const LEAVE = '\x1b[?2004l\x1b[?1l\x1b>\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1004l\x1b[?25h\x1b[0m\x1b[?1049l';

/** "C-]" / "C-a" / "^]" → the control byte. */
export function parseDetachKey(spec: string): string {
  const match = /^(?:C-|\^)(.)$/i.exec(spec);
  if (!match) throw new UsageError(`--detach-key must look like C-] or C-a, got "${spec}"`);
  const code = match[1]!.toUpperCase().charCodeAt(0);
  if (code < 0x40 || code > 0x5f) throw new UsageError(`--detach-key: no control key for "${match[1]}"`);
  const key = String.fromCharCode(code - 0x40);
  if ('\x11\x13\x02\x05\x03\x04'.includes(key)) {
    throw new UsageError(`--detach-key ${spec} would collide with flow control, tmux, agents or the shell: pick another`);
  }
  return key;
}

export async function attachCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { 'detach-key': { type: 'string' } } });
  const name = positionals[0];
  if (!name) throw new UsageError(`attach needs an agent name: ${attachUsage}`);
  const detachKey = parseDetachKey(values['detach-key'] ?? loadConfig().keybindings.detach);
  const { stdin, stdout } = process;
  const client = await connectOrStart();
  const size = () => ({ cols: stdout.columns || 80, rows: stdout.rows || 24 });
  const attached = await client.call('agents.attach', { agent: name, ...size() });
  const id = attached.agent;

  stdout.write(ENTER + attached.redraw);
  const offOutput = client.on('event.output', (event) => {
    if (event.agent === id) stdout.write(event.data);
  });

  let leave!: (reason: string) => void;
  const left = new Promise<string>((resolve) => (leave = resolve));
  const offStatus = client.on('event.status', (event) => {
    if (event.agent === id && event.status === 'exited') leave(`${attached.name} exited`);
  });
  void client.closed.then(() => leave('the daemon went away'));

  const onInput = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    const at = text.indexOf(detachKey);
    const keys = at >= 0 ? text.slice(0, at) : text;
    if (keys) void client.call('agents.send', { agent: id, keys }).catch(() => {});
    if (at >= 0) leave(`detached from ${attached.name}`);
  };
  const onResize = () => void client.call('agents.resize', { agent: id, ...size() }).catch(() => {});
  if (stdin.isTTY) stdin.setRawMode(true);
  stdin.on('data', onInput);
  stdout.on('resize', onResize);

  const reason = await left;
  stdin.off('data', onInput);
  stdout.off('resize', onResize);
  if (stdin.isTTY) stdin.setRawMode(false);
  stdin.pause();
  offOutput();
  offStatus();
  stdout.write(LEAVE);
  await client.call('agents.detach', { agent: id }).catch(() => {});
  await client.close();
  process.stderr.write(`[${reason}]\n`);
  return 0;
}
