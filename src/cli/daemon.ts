import { parseArgs } from 'node:util';
import { connect, NoDaemonError } from '../client/client.ts';
import { daemonLog } from '../daemon/daemon-log.ts';
import { runDaemon } from '../daemon/daemon.ts';
import { acquireDaemonLock } from '../store/lock.ts';
import { ensurePrivateDir, runtimeDir, socketPath, stateFile } from '../store/paths.ts';
import { Store } from '../store/store.ts';
import { UsageError } from './errors.ts';
import { daemonUsage } from './usage.ts';

export async function daemonCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, 'reset-store': { type: 'boolean' } },
  });
  const [action] = positionals;
  if (values['reset-store']) return resetStore();
  if (action === undefined) return foreground();
  if (action === 'stop') return stop(values.json ?? false);
  if (action === 'status') return status(values.json ?? false);
  throw new UsageError(`unknown daemon action "${action}" (${daemonUsage.split('\n')[0]})`);
}

async function foreground(): Promise<number> {
  const log = daemonLog();
  const daemon = await runDaemon(process.env, log);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(signal, () => void daemon.stop());
  await daemon.stopped;
  log('drover daemon stopped');
  return 0;
}

async function stop(json: boolean): Promise<number> {
  const socket = socketPath();
  const client = await connect(socket);
  try {
    await client.call('daemon.stop');
  } catch (error) {
    await client.close(); // a refusal leaves the connection open: the verb would hang on it
    throw error;
  }
  await client.closed;
  process.stdout.write(json ? `${JSON.stringify({ stopped: true, socket })}\n` : `drover daemon stopped\n`);
  return 0;
}

async function status(json: boolean): Promise<number> {
  const socket = socketPath();
  let client;
  try {
    client = await connect(socket);
  } catch (error) {
    if (!(error instanceof NoDaemonError)) throw error;
    process.stdout.write(json ? `${JSON.stringify({ running: false, socket })}\n` : `no drover daemon at ${socket}\n`);
    return 1;
  }
  const info = await client.call('daemon.status');
  await client.close();
  process.stdout.write(
    json
      ? `${JSON.stringify({ running: true, ...info })}\n`
      : `drover daemon ${info.pid}: ${info.agents} agent(s), ${info.clients} client(s), up since ${new Date(info.startedAt).toISOString()}, ${info.socket}\n`,
  );
  return 0;
}

/** Moves the state file aside, holding the daemon lock so a running daemon cannot write a new one meanwhile. */
async function resetStore(): Promise<number> {
  const lock = acquireDaemonLock(ensurePrivateDir(runtimeDir()));
  try {
    const moved = await Store.resetFile(stateFile());
    process.stdout.write(moved ? `moved ${stateFile()} to ${moved}\n` : `no state file at ${stateFile()}\n`);
    return 0;
  } finally {
    lock.release();
  }
}
