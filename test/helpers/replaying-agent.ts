/**
 * A recorded CLI standing in for the real one where it cannot run (CI has no Claude Code): plays a
 * real recording's output (fixtures/<provider>/*.cast), and wherever the person typed something
 * while it was recorded, waits until the same keys arrive before playing on. So the screens are
 * the real program's, byte for byte, answering the same keys in the same order; anything else
 * typed is ignored. Gaps longer than MAX_GAP_MS are shortened.
 *
 *   node --import tsx test/helpers/replaying-agent.ts RECORDING [--same KEYS=ALSO]... [other args ignored]
 *
 * `--same '\r=1'`: where the recording has KEYS, ALSO is taken too (Claude picks its highlighted
 * first option with Enter, drover picks it with "1").
 */
import { openAsciicast } from '../../src/terminal/asciicast.ts';
import { unescapeKeys } from '../../src/cli/inbox.ts';

const MAX_GAP_MS = 300;
/** What a terminal answers to queries (device attributes, cursor position, tmux's version): not a person's keys. */
const TERMINAL_REPLY = /^(?:\x1bP[^\x1b]*\x1b\\|\x1b\[\?[\d;]*c|\x1b\[\d+;\d+R)+$/;
const PASTE_MARKS = /\x1b\[20[01]~/g;

const [recording, ...rest] = process.argv.slice(2);
if (!recording) {
  process.stderr.write('usage: replaying-agent.ts RECORDING [--same KEYS=ALSO]...\n');
  process.exit(2);
}
const same = new Map<string, string[]>();
for (let i = 0; i < rest.length; i++) {
  if (rest[i] !== '--same') continue;
  const [keys, also] = rest[++i]!.split('=').map(unescapeKeys);
  same.set(keys!, [...(same.get(keys!) ?? []), also!]);
}

let typed = '';
let wake: (() => void) | undefined;
process.stdin.setRawMode?.(true);
process.stdin.on('data', (data) => {
  typed += String(data).replace(PASTE_MARKS, '');
  wake?.();
});

/** Waits until the keys (or an accepted equivalent) have been typed, and consumes what came up to them. */
async function typedKeys(keys: string): Promise<void> {
  const accepted = [keys, ...(same.get(keys) ?? [])];
  for (;;) {
    const found = accepted.map((k) => [k, typed.indexOf(k)] as const).filter(([, at]) => at >= 0);
    if (found.length > 0) {
      const [k, at] = found.sort((a, b) => a[1] - b[1])[0]!;
      typed = typed.slice(at + k.length);
      return;
    }
    await new Promise<void>((resolve) => (wake = resolve));
  }
}

const { events } = await openAsciicast(recording);
let last = 0;
for await (const event of events) {
  const gap = Math.min(MAX_GAP_MS, (event.time - last) * 1000);
  last = event.time;
  if (event.type === 'o') {
    if (gap > 1) await new Promise((resolve) => setTimeout(resolve, gap));
    process.stdout.write(event.data);
  } else if (event.type === 'i' && !TERMINAL_REPLY.test(event.data)) {
    await typedKeys(event.data.replace(PASTE_MARKS, ''));
  }
}
// The recording ends where the program did: stay, like a program waiting at its prompt.
await new Promise(() => {});
