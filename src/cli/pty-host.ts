/**
 * `drover pty-host`: the process that holds the agents' terminals (src/daemon/pty-host/host.ts).
 * The daemon starts it detached when none answers; a person has no reason to.
 */
import { runPtyHost } from '../daemon/pty-host/host.ts';

export async function ptyHostCommand(): Promise<number> {
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  // Detached in its own session, it has no terminal to lose; a stray hangup or ^C must not end the agents.
  for (const signal of ['SIGHUP', 'SIGINT'] as const) process.on(signal, () => log(`${signal} ignored: the PTY host stays while agents run`));
  const host = await runPtyHost(process.env, log);
  await host.stopped;
  return 0;
}
