/**
 * Records each real CLI's own transcript of a session, for the transcript readers' tests
 * (`fixtures/transcripts/<provider>/<version>/`): the CLI launched by the real `drover` (hooks
 * injected, as in use) against the mock model, two turns — a long answer, then a shell command
 * (approved through drover) and a short answer after it — and the CLI's transcript copied after
 * each turn (`turn1.jsonl`, `turn2.jsonl`), with what the mock model answered (`answers.json`).
 *
 *   npx tsx test/recorder/transcripts.ts [provider…] [--keep]
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { agentLayout, prepareAgent } from '../agents/homes.ts';
import { AGENTS, agentBinary, projectRoot, type Provider } from '../agents/paths.ts';
import { killLeftovers } from '../helpers/processes.ts';
import { startMockServer, type MockEvent } from '../../src/doctor/mock-model/server.ts';
import { droverJson, privateEnv, spawn, stopDaemon, untilStatus, pendingFor, type LiveDrover } from '../live/live-drover.ts';
import { until } from '../helpers/until.ts';
import type { AgentSummary, ApprovalView } from '../../src/protocol/schema.ts';
import { LONG_ANSWER, TOOL_INTRO, AFTER_TOOL } from '../live/answers.ts';

const ALL: Provider[] = ['claude', 'codex', 'gemini', 'qwen', 'opencode', 'copilot'];

/** Where each CLI's transcript is, relative to its HOME (opencode's: drover's plugin's, in drover's folder for the agent). */
const TRANSCRIPT: Record<Provider, RegExp> = {
  claude: /^\.claude\/projects\/[^/]+\/[^/]+\.jsonl$/,
  codex: /^\.codex\/sessions\/.*\/rollout-[^/]+\.jsonl$/,
  gemini: /^\.gemini\/tmp\/[^/]+\/chats\/session-[^/]+\.jsonl$/,
  qwen: /^\.qwen\/projects\/[^/]+\/chats\/[^/]+\.jsonl$/,
  copilot: /^\.copilot\/session-state\/[^/]+\/events\.jsonl$/,
  opencode: /^opencode-transcript\.jsonl$/,
};

/** The one file under `dir` whose path matches. */
function findOne(dir: string, pattern: RegExp): string {
  const found: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== '.npm' && entry.name !== 'work') walk(full);
      } else if (entry.isFile() && pattern.test(path.relative(dir, full))) found.push(full);
    }
  };
  walk(dir);
  if (found.length !== 1) throw new Error(`expected one transcript matching ${pattern} under ${dir}, found ${found.length}: ${found.join(', ')}`);
  return found[0]!;
}

async function record(id: Provider, keep: boolean): Promise<void> {
  const base = path.join(projectRoot, 'tmp', 'live'); // not under /tmp: Gemini CLI refuses settings below a world-writable folder
  mkdirSync(base, { recursive: true });
  const root = mkdtempSync(path.join(base, `transcripts-${id}-`));
  const agentRoot = path.join(root, 'agent');
  mkdirSync(agentRoot);
  const { cwd } = agentLayout(agentRoot);
  const mock = await startMockServer({
    port: 0,
    scenario: {
      turns: [
        { text: LONG_ANSWER, delay_ms_per_word: 2 },
        { text: TOOL_INTRO, tool: { shell: `touch ${path.join(cwd, 'made.txt')}` } },
        { text: AFTER_TOOL, delay_ms_per_word: 20 },
      ],
      default: { text: 'Nothing more to do.' },
    },
  });
  let ended = 0;
  mock.events.on('mock-event', (e: MockEvent) => {
    if (e.kind === 'turn-end' && e.role === 'main') ended++;
  });
  const prepared = prepareAgent(id, { mockUrl: mock.url, root: agentRoot });
  const env = privateEnv(root);
  mkdirSync(path.join(env.XDG_CONFIG_HOME, 'drover'), { recursive: true });
  writeFileSync(path.join(env.XDG_CONFIG_HOME, 'drover', 'config.json'), JSON.stringify({ providers: { [id]: { command: prepared.command, args: prepared.args, env: prepared.env } } }));
  const h: LiveDrover = { env, prepared };
  const out = path.join(projectRoot, 'fixtures', 'transcripts', id, AGENTS[id].version);
  try {
    await spawn(h, id, 'rec');
    await untilStatus(h, 'rec', (s) => s === 'idle', 600_000);
    await droverJson(h, 'send', 'rec', 'Please explain at length'); // its turn is the mock's to tell (a loaded machine can make a delivery look failed)
    await until(() => ended >= 1, 'the long answer to end', 300_000);
    await untilStatus(h, 'rec', (s) => s === 'done', 90_000);
    const agentId = (await droverJson<AgentSummary>(h, 'status', 'rec')).id;
    const where = id === 'opencode' ? path.join(env.XDG_STATE_HOME, 'drover', 'agents', agentId) : prepared.home;
    mkdirSync(out, { recursive: true });
    const snap = (turn: number) => {
      const file = findOne(where, TRANSCRIPT[id]);
      console.log(`${id} after turn ${turn}: ${file}`);
      copyFileSync(file, path.join(out, `turn${turn}.jsonl`));
    };
    snap(1);
    await droverJson(h, 'send', 'rec', 'Now make the file');
    await until(async () => {
      for (const request of await pendingFor(h, 'rec')) await droverJson<ApprovalView>(h, 'approve', request.id);
      return ended >= 3;
    }, 'the tool turn to end', 180_000);
    await untilStatus(h, 'rec', (s) => s === 'done', 90_000);
    snap(2);
    writeFileSync(path.join(out, 'answers.json'), JSON.stringify({ turn1: LONG_ANSWER, turn2: AFTER_TOOL }, null, 2) + '\n');
  } finally {
    await stopDaemon(h);
    killLeftovers(prepared.home);
    await mock.close();
    if (!keep) rmSync(root, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const which = args.filter((a) => !a.startsWith('--')) as Provider[];
for (const id of which.length ? which : ALL) {
  if (!agentBinary(id)) {
    console.log(`${id}: not installed`);
    continue;
  }
  await record(id, keep).catch((error) => console.error(`${id}: ${(error as Error).message}`));
}
