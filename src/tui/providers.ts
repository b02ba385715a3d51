/** The providers the spawn dialog offers: built-in and configured ones whose command is on PATH. */
import { agentProviders, resolveProvider } from '../providers/index.ts';
import type { AgentProvider } from '../providers/types.ts';
import type { Config } from '../store/config.ts';
import { resolveCommand } from '../terminal/pty.ts';

export function installedProviders(config: Config, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string[] {
  const builtIn = agentProviders.map((p) => p.id);
  const ids = [...builtIn, ...Object.keys(config.providers).filter((id) => !builtIn.includes(id))];
  return ids.filter((id) => {
    try {
      const provider = resolveProvider(id, config);
      if (!('launch' in provider)) return false;
      resolveCommand((provider as AgentProvider).launch.command, env.PATH ?? '', cwd);
      return true;
    } catch {
      return false; // not installed, or a config the daemon will refuse with its own message
    }
  });
}
