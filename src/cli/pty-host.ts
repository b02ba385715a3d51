/**
 * `drover pty-host`: the process that holds the agents' terminals (src/daemon/pty-host/host.ts).
 * The daemon starts it detached when none answers; a person has no reason to.
 */
import { ptyHostLog } from '../daemon/daemon-log.ts';
import { runPtyHost } from '../daemon/pty-host/host.ts';

/** How long the recordings get to be written when the host is told to end. */
const RECORDINGS_CLOSE_MS = 2000;

export async function ptyHostCommand(): Promise<number> {
  // Bounded, and a line it cannot write (a full disk) is dropped: the host must never die of its log.
  const log = ptyHostLog();
  // Detached in its own session, it has no terminal to lose; a stray hangup or ^C must not end the agents.
  for (const signal of ['SIGHUP', 'SIGINT'] as const) process.on(signal, () => log(`${signal} ignored: the PTY host stays while agents run`));
  const host = await runPtyHost(process.env, log);
  // Told to end (a shutdown, a person's kill): the recordings get the output they gathered, then the
  // host ends as it would have, its agents with it (their terminals close).
  process.once('SIGTERM', () => {
    log('SIGTERM: the recordings written, the PTY host ends (and its agents with it)');
    void Promise.race([host.closeRecordings(), new Promise((resolve) => setTimeout(resolve, RECORDINGS_CLOSE_MS))]).then(() => process.exit(143));
  });
  await host.stopped;
  return 0;
}
