/**
 * A throwaway HOME for one real agent CLI, set up to talk to drover's mock model, and how to launch
 * it there: config files that skip each CLI's onboarding, trust and update checks, fake keys, a git
 * repository to work in. Nothing here reads or writes the user's own ~/.claude, ~/.codex, ~/.gemini, ...
 * (Used by `drover doctor`, and by the fixture recorder and live tests.)
 */
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execaSync } from 'execa';

export interface HomeOptions {
  /** Base URL of the mock model server, e.g. http://127.0.0.1:43210 (no path). */
  mockUrl: string;
  /** A fresh, empty folder; everything is created inside it. */
  root: string;
  /** Where Copilot CLI unpacks its app (~235 MB): a folder kept across runs. */
  copilotPackages: string;
  /**
   * opencode's config folder, kept across runs: it installs npm packages there at start (its
   * plugin's, ~64 MB, minutes on a slow link). Without it each HOME installs afresh.
   */
  opencodePackages?: string;
}

export interface PreparedAgent {
  command: string;
  args: string[];
  /** The complete environment for the child: nothing is inherited from this process but PATH. */
  env: Record<string, string>;
  cwd: string;
  home: string;
  /** A directory outside the project, for tool calls that must ask for permission. */
  outsideDir: string;
}

// Fake keys: the mock accepts anything, the CLIs only need something that looks plausible.
const ANTHROPIC_KEY = 'sk-ant-mock-key-0123456789abcdef';
const OPENAI_KEY = 'sk-mock-0123456789abcdef';
const GEMINI_KEY = 'mock-gemini-key-0123456789';

/** The CLIs drover can point at its mock model. */
export type MockableProvider = 'claude' | 'codex' | 'gemini' | 'opencode' | 'qwen' | 'copilot';

export function isMockable(id: string): id is MockableProvider {
  return Object.hasOwn(SETUP, id);
}

export function prepareHome(provider: MockableProvider, command: string, opts: HomeOptions): PreparedAgent {
  const { home, cwd, outsideDir, tmpDir } = agentLayout(opts.root);
  for (const dir of [cwd, outsideDir, tmpDir]) mkdirSync(dir, { recursive: true });

  const env = baseEnv(home, tmpDir);
  writeFile(home, '.gitconfig', '[user]\n\tname = Mock User\n\temail = mock@example.invalid\n[init]\n\tdefaultBranch = main\n');
  initRepo(cwd, env);

  const mockUrl = opts.mockUrl.replace(/\/+$/, '');
  const setup = SETUP[provider]({ home, cwd, mockUrl, copilotPackages: opts.copilotPackages, opencodePackages: opts.opencodePackages });
  return { command, args: setup.args, env: { ...env, ...setup.env }, cwd, home, outsideDir };
}

/** Where prepareAgent puts things inside `root` (known before preparing, e.g. for a scenario). */
export function agentLayout(root: string): { home: string; cwd: string; outsideDir: string; tmpDir: string } {
  // Real paths: the CLIs key their trust settings by the resolved cwd (/tmp may be a symlink).
  const real = realpathSync(root);
  const home = path.join(real, 'home');
  return {
    home,
    cwd: path.join(home, 'work'),
    outsideDir: path.join(real, 'outside'),
    tmpDir: path.join(real, 'tmp'),
  };
}

interface SetupContext {
  home: string;
  cwd: string;
  mockUrl: string;
  copilotPackages: string;
  opencodePackages: string | undefined;
}
type Setup = (ctx: SetupContext) => { args: string[]; env: Record<string, string> };

const SETUP: Record<MockableProvider, Setup> = {
  claude({ home, cwd, mockUrl }) {
    // The minimal state (each field tested): skips the theme picker (onboarding), the "use this
    // API key?" question (keys are approved by their last 20 characters) and the trust dialog.
    writeJson(home, '.claude.json', {
      hasCompletedOnboarding: true,
      customApiKeyResponses: { approved: [ANTHROPIC_KEY.slice(-20)], rejected: [] },
      projects: { [cwd]: { hasTrustDialogAccepted: true } },
    });
    return {
      // This version has no "default" mode; "manual" is the one that asks before running tools.
      args: ['--permission-mode', 'manual'],
      env: {
        ANTHROPIC_BASE_URL: mockUrl,
        ANTHROPIC_API_KEY: ANTHROPIC_KEY,
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_AUTOUPDATER: '1',
      },
    };
  },

  codex({ home, cwd, mockUrl }) {
    // A model slug Codex does not know: a known one may trigger a model-migration modal.
    writeFile(
      home,
      '.codex/config.toml',
      `model = "gpt-5-codex"
model_provider = "mock"
approval_policy = "on-request"
sandbox_mode = "workspace-write"
check_for_update_on_startup = false

[model_providers.mock]
name = "Mock"
base_url = ${JSON.stringify(`${mockUrl}/v1`)}
env_key = "MOCK_API_KEY"
wire_api = "responses"

[projects.${JSON.stringify(cwd)}]
trust_level = "trusted"

[tui]
screen_reader_detection_done = true
`,
    );
    return {
      // Without --no-daemon Codex leaves a persistent app-server daemon running after it exits.
      args: ['--no-daemon'],
      env: { CODEX_HOME: path.join(home, '.codex'), MOCK_API_KEY: OPENAI_KEY },
    };
  },

  gemini({ home, cwd, mockUrl }) {
    writeJson(home, '.gemini/settings.json', {
      security: { auth: { selectedType: 'gemini-api-key' }, folderTrust: { enabled: true } },
      general: { defaultApprovalMode: 'default', enableAutoUpdate: false, enableAutoUpdateNotification: false },
      privacy: { usageStatisticsEnabled: false },
      ide: { enabled: false, hasSeenNudge: true },
      model: { name: 'gemini-2.5-pro' },
    });
    writeJson(home, '.gemini/trustedFolders.json', { [cwd]: 'TRUST_FOLDER' });
    return {
      args: [],
      env: {
        GEMINI_API_KEY: GEMINI_KEY,
        // Accepted over plain http only for localhost / 127.0.0.1.
        GOOGLE_GEMINI_BASE_URL: mockUrl,
        GEMINI_MODEL: 'gemini-2.5-pro',
      },
    };
  },

  opencode({ home, mockUrl, opencodePackages }) {
    if (opencodePackages) {
      // opencode installs its packages beside its config (package.json, its lock, node_modules): the
      // config folder is the kept one, so a second start finds them installed. Only opencode.json,
      // written below, changes from one run to the next (the mock's port).
      mkdirSync(opencodePackages, { recursive: true });
      mkdirSync(path.join(home, '.config'), { recursive: true });
      symlinkSync(opencodePackages, path.join(home, '.config/opencode'));
    }
    writeJson(home, '.config/opencode/opencode.json', {
      $schema: 'https://opencode.ai/config.json',
      model: 'mock/mock-model',
      small_model: 'mock/mock-model',
      autoupdate: false,
      share: 'disabled',
      provider: {
        mock: {
          npm: '@ai-sdk/openai-compatible',
          name: 'Mock LLM',
          options: { baseURL: `${mockUrl}/v1`, apiKey: OPENAI_KEY },
          models: {
            'mock-model': { name: 'Mock Model', tool_call: true, limit: { context: 128000, output: 8192 } },
          },
        },
      },
    });
    return {
      args: [],
      env: {
        OPENCODE_DISABLE_AUTOUPDATE: '1',
        OPENCODE_DISABLE_MODELS_FETCH: '1',
        OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
        OPENCODE_DISABLE_SHARE: '1',
      },
    };
  },

  qwen({ home, mockUrl }) {
    writeJson(home, '.qwen/settings.json', {
      security: { auth: { selectedType: 'openai' } },
      model: { name: 'qwen3-coder-plus' },
      general: { enableAutoUpdate: false, disableAutoUpdate: true, disableUpdateNag: true },
      privacy: { usageStatisticsEnabled: false },
      ide: { enabled: false },
    });
    return {
      // 0.24 approves tools by itself unless told (its default mode became auto); 0.15 asks either way.
      args: ['--approval-mode', 'default'],
      env: { OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: `${mockUrl}/v1`, OPENAI_MODEL: 'qwen3-coder-plus' },
    };
  },

  copilot({ home, cwd, mockUrl, copilotPackages }) {
    // Trusting the folder up front skips the "Confirm folder trust" dialog of a first start.
    writeJson(home, '.copilot/config.json', { trustedFolders: [cwd] });
    return {
      args: [],
      env: {
        // Offline: no GitHub login, telemetry, update check or DNS lookups; BYOK against the mock.
        COPILOT_OFFLINE: 'true',
        COPILOT_PROVIDER_BASE_URL: `${mockUrl}/v1`,
        COPILOT_PROVIDER_TYPE: 'openai',
        COPILOT_PROVIDER_API_KEY: OPENAI_KEY,
        COPILOT_MODEL: 'mock-model',
        // Limits for a model outside its catalog: without them a warning joins the idle screen.
        COPILOT_PROVIDER_MAX_PROMPT_TOKENS: '128000',
        COPILOT_PROVIDER_MAX_OUTPUT_TOKENS: '8192',
        // Its first run unpacks ~235 MB of app: once for every throwaway HOME, not once each.
        COPILOT_PKG_CACHE_HOME: copilotPackages,
      },
    };
  },
};

/** A clean terminal-like environment rooted at the throwaway HOME (XDG dirs and TMPDIR included). */
function baseEnv(home: string, tmp: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    USER: 'mock',
    LOGNAME: 'mock',
    SHELL: '/bin/bash',
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local/share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local/state'),
    // Claude keeps per-project scratch dirs under $TMPDIR/claude-<uid>: keep them inside the root.
    TMPDIR: tmp,
    NO_UPDATE_NOTIFIER: '1',
  };
}

function initRepo(cwd: string, env: Record<string, string>): void {
  const git = (...args: string[]) => execaSync('git', args, { cwd, env, extendEnv: false });
  git('init', '--quiet');
  writeFile(cwd, 'README.md', '# work\n\nA scratch project for agent CLI tests.\n');
  git('add', 'README.md');
  git('commit', '--quiet', '-m', 'initial commit');
}

function writeFile(dir: string, rel: string, content: string): void {
  const file = path.join(dir, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

function writeJson(dir: string, rel: string, value: unknown): void {
  writeFile(dir, rel, JSON.stringify(value, null, 2) + '\n');
}
