import path from 'node:path';
import { execa } from 'execa';

export const DROVER_BIN = path.resolve(import.meta.dirname, '../../bin/drover.js');

export interface DroverRunOptions {
  /** Text piped to stdin (stdin is closed otherwise). */
  input?: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
  timeout?: number;
}

/** This process's environment with drover's state, runtime and config dirs under `root`: a daemon of its own. */
export function privateDirs(root: string, extra: Record<string, string> = {}) {
  return {
    ...process.env,
    XDG_STATE_HOME: path.join(root, 'state'),
    XDG_RUNTIME_DIR: path.join(root, 'run'),
    XDG_CONFIG_HOME: path.join(root, 'config'),
    ...extra,
  };
}

/** Runs the real `drover` binary the way a user would, never throwing on a non-zero exit. */
export function drover(args: string[], options: DroverRunOptions = {}) {
  const { input, ...rest } = options;
  return execa('node', [DROVER_BIN, ...args], {
    reject: false,
    ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
    ...rest,
  });
}
