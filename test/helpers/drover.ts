import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { Client } from '../../src/client/client.ts';
import { alive } from './processes.ts';
import { until } from './until.ts';

export const DROVER_BIN = path.resolve(import.meta.dirname, '../../bin/drover.js');

export interface DroverRunOptions {
  /** Text piped to stdin (stdin is closed otherwise). */
  input?: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
  timeout?: number;
}

/** drover's state, runtime and config dirs under `root`: a daemon of its own. */
export function droverDirs(root: string) {
  return {
    XDG_STATE_HOME: path.join(root, 'state'),
    XDG_RUNTIME_DIR: path.join(root, 'run'),
    XDG_CONFIG_HOME: path.join(root, 'config'),
  };
}

/** This process's environment with drover's dirs under `root` (droverDirs). */
export function privateDirs(root: string, extra: Record<string, string> = {}) {
  return { ...process.env, ...droverDirs(root), ...extra };
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

/**
 * A daemon of its own for one test file, through the real binary: its dirs under a new temp folder
 * (`drover-NAME-…`), verbs run there (`json`: their --json output, a failure thrown), and `remove`
 * (for afterAll) stopping it and deleting the folder.
 */
export function privateDaemon(name: string, extra: Record<string, string> = {}) {
  const root = mkdtempSync(path.join(tmpdir(), `drover-${name}-`));
  const env = privateDirs(root, extra);
  const run = (...args: string[]) => drover(args, { env, timeout: 30_000 });
  const json = async (...args: string[]) => {
    const result = await run(...args, '--json');
    if (result.exitCode !== 0) throw new Error(`drover ${args.join(' ')}: ${result.stderr}`);
    return JSON.parse(result.stdout);
  };
  const remove = async () => {
    await run('daemon', 'stop');
    rmSync(root, { recursive: true, force: true });
  };
  return { root, env, run, json, remove };
}

/** Stops the daemon `daemon` is connected to and waits for its process to be gone, not just disconnected: its last writes have landed. */
export async function stopDaemon(daemon: Client | undefined): Promise<void> {
  const pid = (await daemon?.call('daemon.status'))?.pid;
  await daemon?.call('daemon.stop').catch(() => {});
  if (pid) await until(() => !alive(pid), 'the daemon gone');
}
