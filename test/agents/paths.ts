// Where the opt-in agent CLIs live (test/agents/install.ts) and how to find their binaries.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export type Provider = 'claude' | 'codex' | 'gemini' | 'opencode' | 'qwen';

export interface AgentPackage {
  pkg: string;
  version: string;
  bin: string;
  /** The package's own install script, needed to put its native binary in place (run by install.ts). */
  postinstall?: string;
}

/** Pinned to the versions described in the shared reference (agent-clis.md). */
export const AGENTS: Record<Provider, AgentPackage> = {
  claude: { pkg: '@anthropic-ai/claude-code', version: '2.1.330', bin: 'claude', postinstall: 'install.cjs' },
  codex: { pkg: '@openai/codex', version: '0.169.0', bin: 'codex' },
  gemini: { pkg: '@google/gemini-cli', version: '0.61.0', bin: 'gemini' },
  opencode: { pkg: 'opencode-ai', version: '1.18.33', bin: 'opencode', postinstall: 'postinstall.mjs' },
  qwen: { pkg: '@qwen-code/qwen-code', version: '0.15.10', bin: 'qwen' },
};

export const PROVIDERS = Object.keys(AGENTS) as Provider[];

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
export const agentsDir = path.join(projectRoot, '.cache', 'agents');
/** Written by install.ts: provider -> version, for the CLIs whose `--version` it has checked. */
export const installedFile = path.join(agentsDir, 'installed.json');

export function packageDir(provider: Provider): string {
  return path.join(agentsDir, 'node_modules', AGENTS[provider].pkg);
}

/** Absolute path of the provider's CLI if the pinned version is installed and verified. */
export function agentBinary(provider: Provider): string | undefined {
  const bin = path.join(agentsDir, 'node_modules', '.bin', AGENTS[provider].bin);
  return verifiedVersions()[provider] === AGENTS[provider].version && existsSync(bin) ? bin : undefined;
}

export function verifiedVersions(): Partial<Record<Provider, string>> {
  if (!existsSync(installedFile)) return {};
  return JSON.parse(readFileSync(installedFile, 'utf8')) as Partial<Record<Provider, string>>;
}
