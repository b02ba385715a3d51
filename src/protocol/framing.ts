/**
 * Framing: one JSON-RPC message per line (JSON.stringify never emits a raw newline).
 *
 * Chosen over Content-Length framing (vscode-jsonrpc's StreamMessageReader) because a broken frame
 * ends at the next newline: the reader finds the next message by itself, so a malformed frame gets
 * a parse-error reply and the same connection goes on. With Content-Length a bad header leaves the
 * reader unable to find where the next message starts, and vscode-jsonrpc only reports the error
 * locally; it never replies. The JSON-RPC side (ids, replies, error codes) is `json-rpc-2.0`.
 *
 * Each end bounds the frames it reads, so a peer that never sends a newline cannot make it hold
 * more than that.
 */
import type { Readable } from 'node:stream';
import { LineSplitter, mebibytes } from '../terminal/lines.ts';

/**
 * The longest frame the daemon reads (a request), newline excluded. Requests are keys, messages
 * and hook reports (`drover hook` drops a payload over 1 MiB itself); a megabyte of typing or of
 * message is far past any a person or an agent sends.
 */
export const MAX_FRAME_BYTES = 1024 * 1024;

/**
 * The longest frame a client reads (a reply, an event). Replies carry lists that grow with use —
 * `inbox --all` keeps 1000 delivered messages, `approvals --all` 500 decided requests with their
 * screens — so the bound is far above a request's, and only stops a runaway daemon.
 */
export const MAX_DAEMON_FRAME_BYTES = 64 * 1024 * 1024;

/**
 * Calls `handle` with each non-blank line the socket sends. A line past `maxBytes` without its
 * newline calls `tooLong` once, and nothing more is read: the caller closes the connection. The
 * caller handles the socket's errors.
 */
export function onLines(socket: Readable, maxBytes: number, handle: (line: string) => void, tooLong: () => void): void {
  const splitter = new LineSplitter(maxBytes);
  const handleAll = (lines: string[]) => {
    for (const line of lines) if (line.trim() !== '') handle(line);
  };
  socket.on('data', (chunk: Buffer) => {
    if (splitter.tooLong) return; // dropped while the connection closes
    handleAll(splitter.push(chunk));
    if (splitter.tooLong) tooLong();
  });
  socket.on('end', () => {
    const last = splitter.end(); // a last frame the peer ended without a newline
    if (last !== undefined) handleAll([last]);
  });
}

/** How errors name a frame past `maxBytes`: `frame larger than 1 MiB`. */
export function frameTooLarge(maxBytes: number): string {
  return `frame larger than ${mebibytes(maxBytes)}`;
}

export function frame(message: unknown): string {
  return `${JSON.stringify(message)}\n`;
}
