// Opt-in dev step: installs the real agent CLIs into .cache/agents, never globally.
//   npm run agents:install                       every CLI at its pinned version
//   npm run agents:install -- copilot qwen@0.24.4  only these (a version other than the pin gets its own folder)
// npm runs with --ignore-scripts; only the two install scripts that put a native binary in place
// (claude-code, opencode-ai) are run, with a throwaway HOME: opencode's runs `opencode --version`,
// which creates ~/.config, ~/.local/share, ... of whatever HOME it gets.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import {
  AGENTS,
  PROVIDERS,
  agentBinary,
  installDir,
  installedFile,
  packageDir,
  parseAgentSpec,
  verifiedVersions,
  type Provider,
} from './paths.ts';

interface Wanted {
  provider: Provider;
  version: string;
}

const args = process.argv.slice(2);
const wanted: Wanted[] = args.length ? args.map(parseAgentSpec) : PROVIDERS.map((provider) => ({ provider, version: AGENTS[provider].version }));

// One npm install per folder: the pinned versions share one, each other version has its own.
const byDir = new Map<string, Wanted[]>();
for (const w of wanted.filter((w) => !agentBinary(w.provider, w.version))) {
  const dir = installDir(w.provider, w.version);
  byDir.set(dir, [...(byDir.get(dir) ?? []), w]);
}

for (const [dir, missing] of byDir) {
  console.log(`installing ${missing.map((w) => `${AGENTS[w.provider].pkg}@${w.version}`).join(' ')} into ${dir}`);
  mkdirSync(dir, { recursive: true });
  // A private package.json keeps this install apart from the project's own dependencies; it lists
  // what is already installed there too, so npm keeps it.
  const verified = verifiedVersions(dir);
  const keep = PROVIDERS.filter((p) => verified[p]).map((p): Wanted => ({ provider: p, version: verified[p]! }));
  const dependencies = Object.fromEntries([...keep, ...missing].map((w) => [AGENTS[w.provider].pkg, w.version]));
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'drover-agent-clis', private: true, dependencies }, null, 2) + '\n',
  );
  await execa('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });

  const home = mkdtempSync(path.join(tmpdir(), 'drover-agents-install-'));
  try {
    for (const { provider, version } of missing) {
      const reported = await installAndCheck(provider, version, home);
      if (reported === version) verified[provider] = version;
      else console.error(`${provider}: --version printed ${JSON.stringify(reported)}`);
    }
    writeFileSync(installedFile(dir), JSON.stringify(verified, null, 2) + '\n');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

for (const { provider, version } of wanted) {
  const bin = agentBinary(provider, version);
  if (!bin) process.exitCode = 1;
  console.log(`${provider.padEnd(9)} ${version.padEnd(9)} ${bin ?? 'NOT INSTALLED'}`);
}

/** Runs the package's install script if it has one, then returns the version the CLI reports. */
async function installAndCheck(provider: Provider, version: string, home: string): Promise<string | undefined> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home };
  const { postinstall, bin } = AGENTS[provider];
  if (postinstall) {
    await execa('node', [postinstall], { cwd: packageDir(provider, version), env, extendEnv: false, stdio: 'inherit' });
  }
  const result = await execa(path.join(installDir(provider, version), 'node_modules', '.bin', bin), ['--version'], {
    cwd: home,
    env,
    extendEnv: false,
    reject: false,
    timeout: 60_000,
  });
  return /\d+\.\d+\.\d+/.exec(result.stdout)?.[0];
}
