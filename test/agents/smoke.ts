// Smoke test of the real agent CLIs against the mock model server:
//   npx tsx test/agents/smoke.ts [provider...]
// Per CLI: idle screen, one streamed answer back to the ready prompt, a permission prompt for a
// shell command outside the project. CLIs that are not installed are skipped.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startMockServer } from '../../src/doctor/mock-model/server.ts';
import { agentLayout, prepareAgent } from './homes.ts';
import { PROVIDERS, agentBinary, type Provider } from './paths.ts';
import { showsBusy, SIGNS } from './signs.ts';
import { launchInTmux, type TmuxAgent } from './tmux.ts';

const ANSWER = 'Hello! I am the mock model and this answer is streamed. That is all for now.';
const ANSWER_END = 'That is all for now.';

type Step = 'idle' | 'answered' | 'permission';
const STEPS: Step[] = ['idle', 'answered', 'permission'];

interface Result {
  skipped?: boolean;
  /** Seconds each passed step took; a failed step is absent, as are the steps after it. */
  passed: Partial<Record<Step, number>>;
  failure?: { step: Step | 'setup'; screen: string };
}

async function smoke(provider: Provider): Promise<Result> {
  if (!agentBinary(provider)) return { skipped: true, passed: {} };

  const signs = SIGNS[provider];
  const isReady = (s: string) => s.includes(signs.ready) && !showsBusy(signs, s);
  const root = mkdtempSync(path.join(tmpdir(), `drover-smoke-${provider}-`));
  const { outsideDir } = agentLayout(root);
  const mock = await startMockServer({
    port: 0,
    scenario: {
      turns: [
        { text: ANSWER, delay_ms_per_word: 40 },
        { text: 'I will create the file now.', tool: { shell: `touch ${outsideDir}/x.txt` } },
      ],
    },
  });
  const result: Result = { passed: {} };
  let tmux: TmuxAgent | undefined;
  try {
    tmux = await launchInTmux(prepareAgent(provider, { mockUrl: mock.url, root }), `smoke-${provider}`);
    const agent = tmux;
    const check = async (step: Step, test: (s: string) => boolean, timeoutMs: number) => {
      const started = Date.now();
      const { ok, screen } = await agent.waitFor(test, timeoutMs);
      if (ok) result.passed[step] = (Date.now() - started) / 1000;
      else result.failure = { step, screen };
      return ok;
    };

    if (!(await check('idle', isReady, 45_000))) return result;
    await agent.submit('Please say hello');
    if (!(await check('answered', (s) => s.includes(ANSWER_END) && isReady(s), 60_000))) return result;
    await agent.submit('Create the file please');
    await check('permission', (s) => s.includes(signs.permission), 60_000);
  } catch (err) {
    result.failure = { step: 'setup', screen: String(err) };
  } finally {
    await tmux?.stop();
    await mock.close();
    rmSync(root, { recursive: true, force: true });
  }
  return result;
}

const requested = process.argv.slice(2);
const unknown = requested.filter((p) => !(PROVIDERS as string[]).includes(p));
if (unknown.length > 0) {
  console.error(`unknown provider(s): ${unknown.join(' ')} (known: ${PROVIDERS.join(' ')})`);
  process.exit(2);
}

let failed = false;
for (const provider of requested.length > 0 ? (requested as Provider[]) : PROVIDERS) {
  const r = await smoke(provider);
  if (r.skipped) {
    console.log(`${provider}: SKIP (not installed: npx tsx test/agents/install.ts)`);
    continue;
  }
  const steps = STEPS.map((step) => {
    const seconds = r.passed[step];
    if (seconds !== undefined) return `${step} PASS (${seconds.toFixed(1)}s)`;
    return `${step} ${r.failure?.step === step ? 'FAIL' : '-'}`;
  });
  console.log(`${provider}: ${steps.join('  ')}`);
  if (r.failure) {
    failed = true;
    console.log(`--- ${provider}: failed at ${r.failure.step}; last screen ---\n${r.failure.screen.trimEnd()}\n---`);
  }
}
process.exitCode = failed ? 1 : 0;
