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

/** Runs the real `drover` binary the way a user would, never throwing on a non-zero exit. */
export function drover(args: string[], options: DroverRunOptions = {}) {
  const { input, ...rest } = options;
  return execa('node', [DROVER_BIN, ...args], {
    reject: false,
    ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
    ...rest,
  });
}
