/**
 * The sizes the wire allows, in a module without schemas: the verbs and the terminal passthrough
 * check them before they send, and must not load zod to do so (a short verb's start would double).
 */
import { MAX_COLS, MAX_ROWS } from '../terminal/size.ts';

/** The largest terminal an attach or resize may ask for (clients keep within it). */
export { MAX_COLS, MAX_ROWS };

/**
 * The longest message body, in UTF-8 bytes. A message is stored, replied and broadcast to every
 * client whole (and typed into the agent), so one of megabytes would hold up every client.
 */
export const MAX_MESSAGE_BYTES = 256 * 1024;

/** Why a body is refused, or undefined when it fits: one line naming the limit and the way out. */
export function messageTooLarge(body: string): string | undefined {
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes <= MAX_MESSAGE_BYTES) return undefined;
  return `the message is ${Math.ceil(bytes / 1024)} KiB, over the ${MAX_MESSAGE_BYTES / 1024} KiB a message may hold: put the text in a file and send its path`;
}
