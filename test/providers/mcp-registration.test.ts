/** How each provider registers drover's MCP server for one launch, never in the user's own config. */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { claude } from '../../src/providers/claude/index.ts';
import { codex } from '../../src/providers/codex/index.ts';
import { copilot } from '../../src/providers/copilot/index.ts';
import { gemini } from '../../src/providers/gemini/index.ts';

const server = { command: '/usr/bin/node', args: ['/opt/drover/bin/drover.js', 'mcp'], env: { DROVER_AGENT_ID: 'a1', DROVER_HOOK_TOKEN: 't0k', DROVER_SOCKET: '/run/d.sock' } };
const dir = mkdtempSync(path.join(tmpdir(), 'drover-mcp-reg-'));
afterEach(() => vi.unstubAllEnvs());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('MCP registration per launch', () => {
  it('Claude: a private --mcp-config file', () => {
    const { args } = claude.integrate.mcp!({ dir, server });
    expect(args).toEqual(['--mcp-config', path.join(dir, 'claude-mcp.json')]);
    expect(JSON.parse(readFileSync(args[1]!, 'utf8'))).toEqual({ mcpServers: { drover: { type: 'stdio', ...server } } });
    expect(statSync(args[1]!).mode & 0o777).toBe(0o600);
  });

  it('Copilot CLI: a private file given with --additional-mcp-config @FILE, every tool offered', () => {
    const { args } = copilot.integrate.mcp!({ dir, server });
    const file = path.join(dir, 'copilot-mcp.json');
    expect(args).toEqual(['--additional-mcp-config', `@${file}`]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ mcpServers: { drover: { type: 'local', ...server, tools: ['*'] } } });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('Codex: -c overrides in TOML; the env goes by name (env_vars), its values only in the environment', () => {
    const { args, env } = codex.integrate.mcp!({ dir, server });
    expect(args).toEqual([
      '-c', 'mcp_servers.drover.command="/usr/bin/node"',
      '-c', 'mcp_servers.drover.args=["/opt/drover/bin/drover.js","mcp"]',
      '-c', 'mcp_servers.drover.env_vars=["DROVER_AGENT_ID","DROVER_HOOK_TOKEN","DROVER_SOCKET"]',
    ]);
    expect(env).toEqual(server.env);
  });

  it('Codex: the token is in neither argv nor the recording header (both readable by others)', () => {
    const { args } = codex.integrate.mcp!({ dir, server });
    const header = JSON.stringify({ version: 2, command: ['codex', ...args].join(' ') });
    expect(args.join(' ')).not.toContain('t0k');
    expect(header).not.toContain('t0k');
  });

  it("Gemini: its own system-settings file, keeping the machine's settings and servers", () => {
    const machine = path.join(dir, 'etc-settings.json');
    writeFileSync(machine, JSON.stringify({ telemetry: { enabled: false }, mcpServers: { corp: { command: 'corp-mcp' } } }));
    vi.stubEnv('GEMINI_CLI_SYSTEM_SETTINGS_PATH', machine);
    vi.stubEnv('GEMINI_CLI_SYSTEM_DEFAULTS_PATH', '');
    const { args, env } = gemini.integrate.mcp!({ dir, server });
    expect(args).toEqual([]);
    expect(env).toEqual({ GEMINI_CLI_SYSTEM_SETTINGS_PATH: path.join(dir, 'gemini-system-settings.json'), GEMINI_CLI_SYSTEM_DEFAULTS_PATH: path.join(dir, 'system-defaults.json') });
    expect(JSON.parse(readFileSync(env!.GEMINI_CLI_SYSTEM_SETTINGS_PATH!, 'utf8'))).toEqual({
      telemetry: { enabled: false },
      mcpServers: { corp: { command: 'corp-mcp' }, drover: server },
    });
  });
});
