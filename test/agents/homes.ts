// The pinned (or a chosen) installed version of a CLI in a throwaway HOME pointed at the mock model:
// the HOME itself is drover doctor's (src/doctor/homes.ts); this finds the binary in .cache/agents.
import path from 'node:path';
import { prepareHome, type PreparedAgent } from '../../src/doctor/homes.ts';
import { AGENTS, agentBinary, agentsDir, type Provider } from './paths.ts';

export { agentLayout, type PreparedAgent } from '../../src/doctor/homes.ts';

export interface PrepareOptions {
  /** Base URL of the mock model server, e.g. http://127.0.0.1:43210 (no path). */
  mockUrl: string;
  /** A fresh, empty temp dir; everything is created inside it. */
  root: string;
  /** The CLI's version (default: the pinned one); installed with `npm run agents:install -- provider@version`. */
  version?: string;
}

export function prepareAgent(provider: Provider, opts: PrepareOptions): PreparedAgent {
  const version = opts.version ?? AGENTS[provider].version;
  const command = agentBinary(provider, version);
  if (!command) throw new Error(`${AGENTS[provider].pkg}@${version} is not installed: run npm run agents:install -- ${provider}@${version}`);
  return prepareHome(provider, command, {
    mockUrl: opts.mockUrl,
    root: opts.root,
    copilotPackages: path.join(agentsDir, 'copilot-pkg'),
    // Kept per version, as doctor keeps it: else each start installs opencode's plugin package from
    // npm afresh (45 s of a take's start on the loaded machine).
    opencodePackages: path.join(agentsDir, 'opencode-packages', version),
  });
}
