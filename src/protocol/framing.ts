/**
 * Framing: one JSON-RPC message per line (JSON.stringify never emits a raw newline).
 *
 * Chosen over Content-Length framing (vscode-jsonrpc's StreamMessageReader) because a broken frame
 * ends at the next newline: the reader finds the next message by itself, so a malformed frame gets
 * a parse-error reply and the same connection goes on. With Content-Length a bad header leaves the
 * reader unable to find where the next message starts, and vscode-jsonrpc only reports the error
 * locally; it never replies. The JSON-RPC side (ids, replies, error codes) is `json-rpc-2.0`.
 */
import type { Socket } from 'node:net';
import readline from 'node:readline';

/** Calls `handle` with each non-blank line the socket sends. The caller handles the socket's errors. */
export function onLines(socket: Socket, handle: (line: string) => void): void {
  readline
    .createInterface({ input: socket, crlfDelay: Infinity })
    .on('line', (line) => {
      if (line.trim() !== '') handle(line);
    })
    // readline re-emits its input's errors (EPIPE from a client gone away) on itself, where an
    // unheard 'error' would throw and take the daemon down.
    .on('error', () => {});
}

export function frame(message: unknown): string {
  return `${JSON.stringify(message)}\n`;
}
