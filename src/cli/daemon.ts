import { parseArgs } from 'node:util';
import { connect, NoDaemonError } from '../client/client.ts';
import { connectOrStart } from '../client/daemon-connection.ts';
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
    options: { json: { type: 'boolean' }, 'reset-store': { type: 'boolean' }, 'keep-agents': { type: 'boolean' } },
  });
  const [action] = positionals;
  const json = values.json ?? false;
  if (values['reset-store']) return resetStore();
  if (action === undefined) return foreground();
  if (action === 'stop') return stop(json, values['keep-agents'] ?? false);
  if (action === 'restart') return restart(json);
  if (action === 'reload') return reload(json);
  if (action === 'status') return status(json);
  throw new UsageError(`unknown daemon action "${action}" (${daemonUsage.split('\n')[0]})`);
}

async function foreground(): Promise<number> {
  const log = daemonLog();
  const daemon = await runDaemon(process.env, log);
  // A signal ends this daemon, not the agents' work: they stay in the PTY host for the next one.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(signal, () => void daemon.stop({ keepAgents: true }));
  await daemon.stopped;
  log('drover daemon stopped');
  return 0;
}

/** Asks the daemon to stop and waits until it has (its socket closed): another may start at once. */
async function stopDaemon(keepAgents: boolean): Promise<{ socket: string; keptAgents: number }> {
  const socket = socketPath();
  const client = await connect(socket);
  let keptAgents: number;
  try {
    ({ keptAgents = 0 } = await client.call('daemon.stop', { keepAgents }));
  } catch (error) {
    await client.close(); // a refusal leaves the connection open: the verb would hang on it
    throw error;
  }
  await client.closed;
  return { socket, keptAgents };
}

async function stop(json: boolean, keepAgents: boolean): Promise<number> {
  const { socket, keptAgents } = await stopDaemon(keepAgents);
  const kept = keepAgents ? ` (${keptAgents} agent(s) go on in the PTY host; the next daemon adopts them)` : '';
  process.stdout.write(json ? `${JSON.stringify({ stopped: true, socket, keptAgents })}\n` : `drover daemon stopped${kept}\n`);
  return 0;
}

async function restart(json: boolean): Promise<number> {
  const { keptAgents } = await stopDaemon(true);
  const client = await connectOrStart();
  const info = await client.call('daemon.status').finally(() => client.close());
  process.stdout.write(
    json ? `${JSON.stringify({ restarted: true, pid: info.pid, keptAgents, running: info.running })}\n` : `drover daemon restarted (pid ${info.pid}): ${info.running ?? 0} of ${keptAgents} agent(s) adopted\n`,
  );
  return 0;
}

async function reload(json: boolean): Promise<number> {
  const client = await connect(socketPath());
  let file: string;
  try {
    ({ file } = await client.call('daemon.reload'));
  } finally {
    await client.close();
  }
  process.stdout.write(json ? `${JSON.stringify({ reloaded: true, file })}\n` : `config reloaded from ${file}\n`);
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
      : `drover daemon ${info.pid}: ${info.agents} agent(s) (${info.running ?? 0} running, in PTY host ${info.ptyHostPid ?? '?'}), ${info.clients} client(s), up since ${new Date(info.startedAt).toISOString()}, ${info.socket}\n`,
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
