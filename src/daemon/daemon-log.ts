/**
 * The daemon's log (and the PTY host's): one line per event, to stderr. A daemon started in the
 * background has its stderr on `daemon.log` (client/daemon-connection.ts opens it for appending;
 * the host's is `pty-host.log`); that file is bounded: past MAX_LOG_BYTES it is copied to
 * `daemon.log.1` (the one older part kept) and emptied in place, since the process cannot reopen
 * its own stderr. A line that cannot be written (a full disk) is counted and dropped, never fatal.
 */
import { copyFileSync, fstatSync, ftruncateSync, statSync, writeSync } from 'node:fs';
import type { Log } from '../errors.ts';
import { daemonLogPath, ptyHostLogPath, type Env } from '../store/paths.ts';

export const MAX_LOG_BYTES = 8 * 1024 * 1024;
const STDERR = 2;

export function daemonLog(env: Env = process.env): Log {
  return fileLog(daemonLogPath(env));
}

/** The PTY host's log (`pty-host.log`), kept the same way: bounded, and never fatal. */
export function ptyHostLog(env: Env = process.env): Log {
  return fileLog(ptyHostLogPath(env));
}

function fileLog(file: string): Log {
  // Only when stderr is that very file (a daemon in the foreground writes to a terminal or a pipe).
  let written = logFileSize(file);
  // Lines that could not be written (a full disk): counted, and said once writing works again.
  let dropped = 0;
  const write = (text: string) => {
    if (written !== undefined && written + Buffer.byteLength(text) > MAX_LOG_BYTES) {
      copyFileSync(file, `${file}.1`);
      ftruncateSync(STDERR, 0);
      written = 0;
    }
    if (written === undefined) {
      process.stderr.write(text);
      return;
    }
    // Not through process.stderr: a write it fails (ENOSPC) is an 'error' event that ends the
    // process, and leaves the stream dead after. writeSync throws, and the next line tries again.
    writeSync(STDERR, text);
    written += Buffer.byteLength(text);
  };
  // A terminal or pipe that went away (EPIPE) must not end the daemon either.
  if (written === undefined) process.stderr.on('error', () => {});
  return (line) => {
    const now = new Date().toISOString();
    try {
      if (dropped > 0) write(`${now} (${dropped} log line(s) could not be written: ${file} had no room)\n`);
      dropped = 0;
      write(`${now} ${line}\n`);
    } catch {
      dropped++; // a log line must never end the daemon
    }
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
