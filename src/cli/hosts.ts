/**
 * `--host NAME` / `DROVER_HOST`: which daemon a verb talks to. A name from the config's `hosts`
 * brings its ssh destination and remote drover command; any other name is an ssh destination as
 * it is (an alias from ~/.ssh/config, user@host).
 */
import type { Client } from '../client/client.ts';
import { connectOrStart, type StartOptions } from '../client/daemon-connection.ts';
import type { RemoteHost } from '../client/remote.ts';
import { UsageError } from './errors.ts';

export async function resolveHost(name: string, env: NodeJS.ProcessEnv = process.env): Promise<RemoteHost> {
  if (name.startsWith('-')) throw new UsageError(`--host needs a host name or ssh destination, got "${name}"`);
  const { defaultConfigPath, loadConfig } = await import('../store/config.ts');
  return loadConfig(defaultConfigPath(env)).hosts.find((h) => h.name === name) ?? { name, ssh: name };
}

/** The daemon this invocation is for: DROVER_HOST's over ssh, else this machine's (started when none answers). */
export async function connectDaemon(env: NodeJS.ProcessEnv, options: StartOptions): Promise<Client> {
  const host = env.DROVER_HOST;
  if (!host) return connectOrStart(env, options);
  const { connectRemote } = await import('../client/remote.ts');
  return connectRemote(await resolveHost(host, env), {}, env);
}
