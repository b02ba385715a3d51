/**
 * `drover` with no verb on a terminal: the TUI. Ink and React load here, on demand, so the
 * scripting verbs do not pay for them.
 */
import type { Client } from '../client/client.ts';
import type { StartOptions } from '../client/daemon-connection.ts';
import type { HerdHost } from './herd.ts';
import { ENTER_TUI, LEAVE_TUI } from './screen-modes.ts';

/**
 * Imports a module that loads Ink and React, with the environment they read once, as they load,
 * set for a terminal UI: React's production build (the development one checks and warns on every
 * render), and Ink out of its CI mode (where it prints only its last frame). The environment is
 * put back at once: the daemon and the editor started from here inherit it.
 */
export async function importWithInk<T>(load: () => Promise<T>): Promise<T> {
  const { env } = process;
  const saved = { CI: env.CI, CONTINUOUS_INTEGRATION: env.CONTINUOUS_INTEGRATION, NODE_ENV: env.NODE_ENV };
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  env.NODE_ENV ??= 'production';
  try {
    return await load();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
  }
}

/**
 * `connect` reaches the daemon (this machine's or `--host`'s). A first frame at once, before anything slow (loading Ink, reaching the daemon, which load side
 * by side); the keys typed meanwhile are kept and handed to the TUI when it starts reading.
 */
export async function openTui(connect: (options: StartOptions) => Promise<Client>, listHosts: () => Promise<HerdHost[]>): Promise<number> {
  const { stdin, stdout, stderr } = process;
  stdout.write(`${ENTER_TUI}drover  starting…`);
  const typed: Buffer[] = [];
  const keep = (chunk: Buffer) => void typed.push(chunk);
  if (stdin.isTTY) stdin.setRawMode(true);
  stdin.on('data', keep);
  const connecting = connect({ onSlowStart: (log) => stderr.write(`\r\ndrover: starting the daemon… (its log: ${log})`) });
  connecting.catch(() => {}); // awaited by the session; this only keeps a failure from counting as unhandled meanwhile
  try {
    const { runTui } = await importWithInk(() => import('./run.tsx'));
    stdin.off('data', keep);
    stdin.pause();
    if (typed.length) stdin.unshift(Buffer.concat(typed));
    // Reconnects say nothing on stderr: the TUI is up and says it is reconnecting.
    return await runTui(connecting, () => connect({}), listHosts);
  } catch (error) {
    if (stdin.isTTY) stdin.setRawMode(false);
    stdout.write(LEAVE_TUI);
    throw error;
  }
}
