// Where the opt-in agent CLIs live (test/agents/install.ts) and how to find their binaries.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export type Provider = 'claude' | 'codex' | 'gemini' | 'opencode' | 'qwen' | 'copilot';

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
  copilot: { pkg: '@github/copilot', version: '1.0.102', bin: 'copilot' },
};

export const PROVIDERS = Object.keys(AGENTS) as Provider[];

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
export const agentsDir = path.join(projectRoot, '.cache', 'agents');

/**
 * The folder one version is installed in: the pinned versions share `.cache/agents`; any other
 * version (`npm run agents:install -- qwen@0.24.4`) gets a folder of its own, so versions of one
 * CLI sit side by side.
 */
export function installDir(provider: Provider, version = AGENTS[provider].version): string {
  return version === AGENTS[provider].version ? agentsDir : path.join(agentsDir, 'versions', `${provider}@${version}`);
}

/** Written by install.ts in each install folder: provider -> version, for the CLIs whose `--version` it checked. */
export function installedFile(dir: string): string {
  return path.join(dir, 'installed.json');
}

export function packageDir(provider: Provider, version?: string): string {
  return path.join(installDir(provider, version), 'node_modules', AGENTS[provider].pkg);
}

/** Absolute path of the provider's CLI if that version (default: the pinned one) is installed and verified. */
export function agentBinary(provider: Provider, version = AGENTS[provider].version): string | undefined {
  const dir = installDir(provider, version);
  const bin = path.join(dir, 'node_modules', '.bin', AGENTS[provider].bin);
  return verifiedVersions(dir)[provider] === version && existsSync(bin) ? bin : undefined;
}

export function verifiedVersions(dir = agentsDir): Partial<Record<Provider, string>> {
  const file = installedFile(dir);
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<Provider, string>>;
}

/** `qwen@0.24.4` or `qwen` (the pinned version). */
export function parseAgentSpec(spec: string): { provider: Provider; version: string } {
  const [name, version] = spec.split('@') as [string, string | undefined];
  if (!(PROVIDERS as string[]).includes(name)) throw new Error(`unknown CLI "${name}" (known: ${PROVIDERS.join(' ')})`);
  const provider = name as Provider;
  return { provider, version: version || AGENTS[provider].version };
}
