/** How Codex CLI is launched and joined: config overrides per launch (`-c`), never its config file. */
import type { ProviderDefinition } from '../define.ts';

export const integrate: ProviderDefinition['integrate'] = {
  launch: { command: 'codex', install: 'npm install -g @openai/codex' },
  resumeArgs: (sessionId) => ['resume', sessionId],
  // TOML values; a JSON string is a TOML basic string. The server's env goes by name (`env_vars`:
  // Codex forwards those variables from its own environment), never by value: argv is readable by
  // any local user (`ps`) and is written into the recording's header, and the env holds the token.
  mcp: ({ server }) => ({
    args: [
      '-c', `mcp_servers.drover.command=${JSON.stringify(server.command)}`,
      '-c', `mcp_servers.drover.args=[${server.args.map((a) => JSON.stringify(a)).join(',')}]`,
      '-c', `mcp_servers.drover.env_vars=[${Object.keys(server.env).map((k) => JSON.stringify(k)).join(',')}]`,
    ],
    env: { ...server.env },
  }),
};
