/**
 * What a user waits for: the wall time of a hook call and of short verbs, each as a ratio to a
 * bare `node -e 0` measured in the same rounds (the runs alternate, so a busy moment costs every
 * figure alike). The hook is the real path: a shell agent spawned by a real daemon, its identity
 * read from the agent's own environment, a payload on stdin, the report taken by the daemon.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { median } from './proc.ts';
import { privateDirs } from '../test/helpers/drover.ts';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../bin/drover.js');
const ROUNDS = 15;

export interface StartupFigures {
  nodeMs: number;
  versionMs: number;
  lsMs: number;
  hookMs: number;
}

async function timed(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<number> {
  const started = performance.now();
  const child = run(process.execPath, args, { env });
  if (input !== undefined) child.child.stdin!.end(input);
  await child;
  return performance.now() - started;
}

/** The agent's environment, as its hooks would inherit it. */
function agentEnv(pid: number): NodeJS.ProcessEnv {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return Object.fromEntries(entries.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}

export async function measureStartup(): Promise<StartupFigures> {
  const root = mkdtempSync(path.join(tmpdir(), 'drover-startup-'));
  const env = privateDirs(root);
  try {
    const spawned = await run(process.execPath, [BIN, 'spawn', 'shell', '--cwd', root, '--json', '--', '--norc', '--noprofile', '-i'], { env });
    const { pid } = JSON.parse(spawned.stdout) as { pid: number };
    const hookEnv = { ...env, ...pick(agentEnv(pid), 'DROVER_AGENT_ID', 'DROVER_HOOK_TOKEN', 'DROVER_SOCKET') };
    const payload = JSON.stringify({ session_id: 'bench-session', hook_event_name: 'Stop' });
    const samples = { node: [] as number[], version: [] as number[], ls: [] as number[], hook: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      samples.node.push(await timed(['-e', '0'], env));
      samples.version.push(await timed([BIN, '--version'], env));
      samples.ls.push(await timed([BIN, 'ls'], env));
      samples.hook.push(await timed([BIN, 'hook', 'claude', 'Stop'], hookEnv, payload));
    }
    return { nodeMs: median(samples.node), versionMs: median(samples.version), lsMs: median(samples.ls), hookMs: median(samples.hook) };
  } finally {
    await run(process.execPath, [BIN, 'daemon', 'stop'], { env }).catch(() => {});
    rmSync(root, { recursive: true, force: true });
  }
}

function pick(env: NodeJS.ProcessEnv, ...names: string[]): NodeJS.ProcessEnv {
  return Object.fromEntries(names.map((name) => [name, env[name]]));
}
