/**
 * What ssh adds: a remote `drover ls` and a keystroke's round trip through a remote attach, over
 * loopback ssh to a real sshd (test/helpers/sshd.ts) and a second daemon, each as a ratio to the
 * same thing against the local daemon in the same alternating rounds. `ls` is measured both with a
 * fresh ssh connection per call and over an ssh ControlMaster connection (what ~/.ssh/config's
 * `ControlMaster auto` gives).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Client } from '../src/client/client.ts';
import { connectOrStart } from '../src/client/daemon-connection.ts';
import { connectRemote } from '../src/client/remote.ts';
import { median } from './proc.ts';
import { privateDirs } from '../test/helpers/drover.ts';
import { remoteEnv, sshdMissing, TestSshd } from '../test/helpers/sshd.ts';

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../bin/drover.js');
const LS_ROUNDS = 9;
const KEYSTROKES = 60;

export interface RemoteFigures {
  localLsMs: number;
  remoteLsMs: number;
  multiplexedLsMs: number;
  localKeyMs: number;
  remoteKeyMs: number;
}

async function timed(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  await run(process.execPath, [BIN, ...args], { env });
  return performance.now() - started;
}

/** A shell agent attached on `client`; each sample is one key typed until its echo comes back. */
async function keystrokeRoundTrips(client: Client, cwd: string, rounds: number): Promise<number[]> {
  const agent = await client.call('agents.spawn', { provider: 'shell', cwd, args: ['--norc', '--noprofile', '-i'] });
  const { agent: id } = await client.call('agents.attach', { agent: agent.id, cols: 80, rows: 24 });
  let echoed = '';
  let wake = () => {};
  const off = client.on('event.output', (event) => {
    if (event.agent !== id) return;
    echoed += event.data;
    wake();
  });
  const samples: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const key = String.fromCharCode(97 + (i % 26));
      echoed = '';
      const started = performance.now();
      const back = new Promise<void>((resolve) => (wake = () => echoed.includes(key) && resolve()));
      await client.call('agents.keys', { agent: id, keys: key });
      await back;
      samples.push(performance.now() - started);
    }
  } finally {
    off();
    await client.call('agents.kill', { agent: id, force: true }).catch(() => {});
  }
  return samples;
}

/** Undefined when sshd is absent (the reason is printed). */
export async function measureRemote(): Promise<RemoteFigures | undefined> {
  const missing = sshdMissing();
  if (missing) {
    console.log(`Remote over ssh: skipped (${missing})`);
    return undefined;
  }
  const root = mkdtempSync(path.join(tmpdir(), 'drover-bench-remote-'));
  const sshd = await TestSshd.start(root);
  const localEnv = privateDirs(path.join(root, 'local'));
  const remoteRoot = path.join(root, 'remote');
  const sshEnv = remoteEnv(sshd, remoteRoot, BIN);
  const env = { ...localEnv, ...sshEnv };
  const controlPath = path.join(sshd.dir, 'cm-%C');
  const multiplexed = { ...env, DROVER_SSH_COMMAND: `${sshEnv.DROVER_SSH_COMMAND} -o ControlMaster=auto -o ControlPersist=60 -o ControlPath=${controlPath}` };
  try {
    // Both daemons up before timing: a first call would also time a daemon's start.
    await timed(['ls'], env);
    await timed(['--host', 'remote', 'ls'], env);
    await timed(['--host', 'remote', 'ls'], multiplexed);
    const ls = { local: [] as number[], remote: [] as number[], multiplexed: [] as number[] };
    for (let round = 0; round < LS_ROUNDS; round++) {
      ls.local.push(await timed(['ls'], env));
      ls.remote.push(await timed(['--host', 'remote', 'ls'], env));
      ls.multiplexed.push(await timed(['--host', 'remote', 'ls'], multiplexed));
    }
    const local = await connectOrStart(localEnv);
    const remote = await connectRemote({ name: 'remote', ssh: 'remote' }, {}, env);
    try {
      const keys = { local: [] as number[], remote: [] as number[] };
      // Alternating blocks, so a busy moment costs both alike.
      for (let block = 0; block < 3; block++) {
        keys.local.push(...(await keystrokeRoundTrips(local, root, KEYSTROKES / 3)));
        keys.remote.push(...(await keystrokeRoundTrips(remote, remoteRoot, KEYSTROKES / 3)));
      }
      return {
        localLsMs: median(ls.local),
        remoteLsMs: median(ls.remote),
        multiplexedLsMs: median(ls.multiplexed),
        localKeyMs: median(keys.local),
        remoteKeyMs: median(keys.remote),
      };
    } finally {
      await Promise.all([local.close(), remote.close()]);
    }
  } finally {
    await run('ssh', ['-F', sshd.sshConfig, '-o', `ControlPath=${controlPath}`, '-O', 'exit', 'remote']).catch(() => {});
    await run(process.execPath, [BIN, 'daemon', 'stop'], { env: localEnv }).catch(() => {});
    await run(process.execPath, [BIN, 'daemon', 'stop'], { env: privateDirs(remoteRoot) }).catch(() => {});
    await sshd.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
