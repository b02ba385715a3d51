/**
 * `--host NAME` / `DROVER_HOST`: which daemon a verb talks to. A name from the config's `hosts`
 * brings its ssh destination and remote drover command; any other name is an ssh destination as
 * it is (an alias from ~/.ssh/config, user@host).
 */
import type { Client } from '../client/client.ts';
import { connectOrStart, type StartOptions } from '../client/daemon-connection.ts';
import type { RemoteHost } from '../client/remote.ts';
import type { HerdHost } from '../tui/herd.ts';
import { UsageError } from './errors.ts';

export async function resolveHost(name: string, env: NodeJS.ProcessEnv = process.env): Promise<RemoteHost> {
  if (name.startsWith('-')) throw new UsageError(`--host needs a host name or ssh destination, got "${name}"`);
  const { defaultConfigPath, loadConfig } = await import('../store/config.ts');
  return loadConfig(defaultConfigPath(env)).hosts.find((h) => h.name === name) ?? { name, ssh: name };
}

/** DROVER_HOST's hosts (a comma list: `--host` given several times). */
function hostNames(env: NodeJS.ProcessEnv): string[] {
  return (env.DROVER_HOST ?? '').split(',').filter(Boolean);
}

/** The daemon this verb is for: DROVER_HOST's over ssh, else this machine's (started when none answers). */
export async function connectDaemon(env: NodeJS.ProcessEnv, options: StartOptions): Promise<Client> {
  const [host, ...more] = hostNames(env);
  if (!host) return connectOrStart(env, options);
  if (more.length > 0) throw new UsageError(`a verb talks to one host, got ${[host, ...more].join(', ')}`);
  const { connectRemote } = await import('../client/remote.ts');
  return connectRemote(await resolveHost(host, env), {}, env);
}

/** The TUI's hosts beside this machine: the config's `hosts`, then each `--host` not among them. */
export async function herdHosts(env: NodeJS.ProcessEnv): Promise<HerdHost[]> {
  const [{ defaultConfigPath, loadConfig }, { connectRemote }] = await Promise.all([import('../store/config.ts'), import('../client/remote.ts')]);
  const configured: RemoteHost[] = loadConfig(defaultConfigPath(env)).hosts;
  const named = hostNames(env)
    .filter((name) => !configured.some((host) => host.name === name))
    .map((name) => ({ name, ssh: name }));
  return [...configured, ...named].map((host) => ({ name: host.name, connect: () => connectRemote(host, {}, env) }));
}
