// Opt-in dev step: installs the real agent CLIs (pinned) into .cache/agents, never globally.
//   npx tsx test/agents/install.ts
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
  agentsDir,
  installedFile,
  packageDir,
  verifiedVersions,
  type Provider,
} from './paths.ts';

const missing = PROVIDERS.filter((p) => !agentBinary(p));

if (missing.length > 0) {
  console.log(`installing ${missing.map((p) => `${AGENTS[p].pkg}@${AGENTS[p].version}`).join(' ')}`);
  mkdirSync(agentsDir, { recursive: true });
  // A private package.json keeps this install apart from the project's own dependencies.
  const dependencies = Object.fromEntries(PROVIDERS.map((p) => [AGENTS[p].pkg, AGENTS[p].version]));
  writeFileSync(
    path.join(agentsDir, 'package.json'),
    JSON.stringify({ name: 'drover-agent-clis', private: true, dependencies }, null, 2) + '\n',
  );
  await execa('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: agentsDir, stdio: 'inherit' });

  const home = mkdtempSync(path.join(tmpdir(), 'drover-agents-install-'));
  try {
    const verified = verifiedVersions();
    for (const provider of missing) {
      const version = await installAndCheck(provider, home);
      if (version === AGENTS[provider].version) verified[provider] = version;
      else console.error(`${provider}: --version printed ${JSON.stringify(version)}`);
    }
    writeFileSync(installedFile, JSON.stringify(verified, null, 2) + '\n');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

for (const provider of PROVIDERS) {
  const bin = agentBinary(provider);
  if (!bin) process.exitCode = 1;
  console.log(`${provider.padEnd(9)} ${AGENTS[provider].version.padEnd(9)} ${bin ?? 'NOT INSTALLED'}`);
}

/** Runs the package's install script if it has one, then returns the version the CLI reports. */
async function installAndCheck(provider: Provider, home: string): Promise<string | undefined> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home };
  const { postinstall, bin } = AGENTS[provider];
  if (postinstall) {
    await execa('node', [postinstall], { cwd: packageDir(provider), env, extendEnv: false, stdio: 'inherit' });
  }
  const result = await execa(path.join(agentsDir, 'node_modules', '.bin', bin), ['--version'], {
    cwd: home,
    env,
    extendEnv: false,
    reject: false,
    timeout: 60_000,
  });
  return /\d+\.\d+\.\d+/.exec(result.stdout)?.[0];
}
