/**
 * The daemon's log: one line per event, to stderr. A daemon started in the background has its
 * stderr on `daemon.log` (client/daemon-connection.ts opens it for appending); that file is bounded:
 * past MAX_LOG_BYTES it is copied to `daemon.log.1` (the one older part kept) and emptied in place,
 * since the daemon cannot reopen its own stderr.
 */
import { copyFileSync, fstatSync, ftruncateSync, statSync } from 'node:fs';
import type { Log } from '../errors.ts';
import { daemonLogPath, type Env } from '../store/paths.ts';

export const MAX_LOG_BYTES = 8 * 1024 * 1024;
const STDERR = 2;

export function daemonLog(env: Env = process.env): Log {
  const file = daemonLogPath(env);
  // Only when stderr is that very file (a daemon in the foreground writes to a terminal or a pipe).
  let written = logFileSize(file);
  return (line) => {
    const text = `${new Date().toISOString()} ${line}\n`;
    if (written !== undefined && written + Buffer.byteLength(text) > MAX_LOG_BYTES) {
      copyFileSync(file, `${file}.1`);
      ftruncateSync(STDERR, 0);
      written = 0;
    }
    process.stderr.write(text);
    if (written !== undefined) written += Buffer.byteLength(text);
  };
}

/** The size of `file` when stderr is it, else undefined. */
function logFileSize(file: string): number | undefined {
  try {
    const ours = fstatSync(STDERR);
    const log = statSync(file);
    return ours.isFile() && ours.dev === log.dev && ours.ino === log.ino ? ours.size : undefined;
  } catch {
    return undefined;
  }
}
