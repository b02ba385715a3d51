/**
 * How drover starts its own processes — the daemon, and each agent's hook and MCP server — and
 * how those find the daemon again: this drover by absolute path (an agent's PATH may differ), and
 * the agent's identity in its environment.
 */
import { fileURLToPath } from 'node:url';

/** drover's executable. */
export const DROVER_BIN = fileURLToPath(new URL('../../bin/drover.js', import.meta.url));

/** This drover, running `args`: as a command and arguments. */
export function droverArgv(args: string[]): { command: string; args: string[] } {
  return { command: process.execPath, args: [DROVER_BIN, ...args] };
}

/** This drover, running `args`: as one shell command line (what an agent's hook settings take). */
export function droverCommandLine(args: string[]): string {
  const { command, args: all } = droverArgv(args);
  // Paths are quoted (they may hold spaces); plain words stay as they are, readable in a settings file.
  return [command, ...all].map((word) => (/^[\w.-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`)).join(' ');
}

/** Which agent a hook or MCP server speaks for, the token that proves it, and the daemon's socket. */
export interface AgentIdentity {
  agent: string;
  token: string;
  socket: string;
}

const NAMES = { agent: 'DROVER_AGENT_ID', token: 'DROVER_HOOK_TOKEN', socket: 'DROVER_SOCKET' } as const;

/** The environment an agent is launched with, so its hooks and MCP server can reach the daemon. */
export function agentEnv(identity: { agent: string; token: string; socket?: string }): Record<string, string> {
  return {
    [NAMES.agent]: identity.agent,
    [NAMES.token]: identity.token,
    ...(identity.socket ? { [NAMES.socket]: identity.socket } : {}),
  };
}

/** The identity an agent's environment carries; undefined outside an agent drover launched. */
export function agentFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): AgentIdentity | undefined {
  const agent = env[NAMES.agent];
  const token = env[NAMES.token];
  const socket = env[NAMES.socket];
  return agent && token && socket ? { agent, token, socket } : undefined;
}

/** For a one-line error: the variables `agentFromEnv` needs. */
export const AGENT_ENV_NAMES = Object.values(NAMES).join(', ');
