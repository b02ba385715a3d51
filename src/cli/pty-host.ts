/**
 * `drover pty-host`: the process that holds the agents' terminals (src/daemon/pty-host/host.ts).
 * The daemon starts it detached when none answers; a person has no reason to.
 */
import { ptyHostLog } from '../daemon/daemon-log.ts';
import { runPtyHost } from '../daemon/pty-host/host.ts';

export async function ptyHostCommand(): Promise<number> {
  // Bounded, and a line it cannot write (a full disk) is dropped: the host must never die of its log.
  const log = ptyHostLog();
  // Detached in its own session, it has no terminal to lose; a stray hangup or ^C must not end the agents.
  for (const signal of ['SIGHUP', 'SIGINT'] as const) process.on(signal, () => log(`${signal} ignored: the PTY host stays while agents run`));
  const host = await runPtyHost(process.env, log);
  await host.stopped;
  return 0;
}
