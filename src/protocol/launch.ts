/**
 * How drover starts its own processes — the daemon, and each agent's hook and MCP server — and
 * how those find the daemon again: this drover by absolute path (an agent's PATH may differ), and
 * the agent's identity in its environment.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
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

/** Who a client says it is in hello: the agent its environment names, and its Unix session. */
export interface CallerClaim {
  agent?: { id: string; token: string };
  session?: number;
}

/**
 * What a drover process tells the daemon at `socket` about itself. Inside an agent's terminal its
 * environment names the agent (for this daemon's socket only: a drover with a daemon of its own,
 * started from inside an agent, is that daemon's user), and it then acts as that agent, even with
 * the token missing (refused then, never taken for the user). The session is what the daemon
 * checks when no agent is named: every process in an agent's terminal shares the agent's session.
 */
export function callerClaim(socket: string, env: Readonly<Record<string, string | undefined>> = process.env): CallerClaim {
  const agent = env[NAMES.agent];
  const agentSocket = env[NAMES.socket];
  const forThisDaemon = agent && agentSocket && path.resolve(agentSocket) === path.resolve(socket);
  const session = ownSession();
  return {
    ...(forThisDaemon ? { agent: { id: agent, token: env[NAMES.token] ?? '' } } : {}),
    ...(session ? { session } : {}),
  };
}

/** This process's session id (Linux: /proc/self/stat), undefined where it cannot be read. */
function ownSession(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // "pid (comm) state ppid pgrp session …": comm may hold spaces and parentheses.
    const session = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]);
    return Number.isInteger(session) && session > 0 ? session : undefined;
  } catch {
    return undefined;
  }
}
