/** How Codex CLI is launched and joined: config overrides per launch (`-c`), never its config file. */
import type { ProviderDefinition } from '../define.ts';

export const integrate: ProviderDefinition['integrate'] = {
  launch: { command: 'codex', install: 'npm install -g @openai/codex' },
  resumeArgs: (sessionId) => ['resume', sessionId],
  // TOML values; a JSON string is a TOML basic string.
  mcp: ({ server }) => ({
    args: [
      '-c', `mcp_servers.drover.command=${JSON.stringify(server.command)}`,
      '-c', `mcp_servers.drover.args=[${server.args.map((a) => JSON.stringify(a)).join(',')}]`,
      '-c', `mcp_servers.drover.env={${Object.entries(server.env).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`,
    ],
  }),
};
