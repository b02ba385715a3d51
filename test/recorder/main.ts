/**
 * `npm run fixtures:record [-- --provider claude,codex --scenario basic --size 120x35,80x24]`
 * Records every scenario for every installed CLI at each size into fixtures/<provider>/, with a
 * labels file beside each recording. Needs `npm run agents:install` first.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { agentBinary, PROVIDERS, type Provider } from '../agents/paths.ts';
import { FIXTURES } from '../helpers/fixtures.ts';
import { SCENARIOS } from './scenarios.ts';
import { RecordingSession } from './session.ts';

const { values } = parseArgs({
  options: {
    provider: { type: 'string' },
    scenario: { type: 'string' },
    size: { type: 'string', default: '120x35,80x24' },
  },
});
const list = (value: string | undefined) => value?.split(',').map((v) => v.trim()).filter(Boolean);
const providers = (list(values.provider) ?? PROVIDERS) as Provider[];
const scenarios = SCENARIOS.filter((s) => !values.scenario || list(values.scenario)!.includes(s.name));
const sizes = list(values.size)!.map((size) => {
  const [cols, rows] = size.split('x').map(Number);
  if (!cols || !rows) throw new Error(`--size: "${size}" is not COLSxROWS`);
  return { cols, rows };
});

let failures = 0;
for (const provider of providers) {
  if (!agentBinary(provider)) {
    console.log(`${provider}: not installed (npm run agents:install), skipped`);
    continue;
  }
  for (const scenario of scenarios) {
    if (scenario.only && !scenario.only.includes(provider)) continue;
    for (const { cols, rows } of sizes) {
      const session = new RecordingSession({
        provider,
        scenario: scenario.name,
        cols,
        rows,
        turns: (outside) => scenario.turns(outside, provider),
        outDir: path.join(FIXTURES, provider),
      });
      const started = Date.now();
      try {
        await session.start();
        await scenario.run(session);
        const labels = await session.finish();
        const summary = labels.segments.map((s) => `${s.from.toFixed(1)} ${Array.isArray(s.status) ? s.status.join('|') : s.status}`).join(' → ');
        console.log(`${provider} ${scenario.name} ${cols}x${rows}: ${((Date.now() - started) / 1000).toFixed(0)} s  ${summary}`);
      } catch (error) {
        failures++;
        console.log(`${provider} ${scenario.name} ${cols}x${rows}: FAILED ${(error as Error).message}`);
        await session.abort();
        rmSync(session.castFile, { force: true }); // no labels, no fixture
      } finally {
        session.cleanup();
      }
    }
  }
}
process.exitCode = failures ? 1 : 0;
