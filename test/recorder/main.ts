/**
 * `npm run fixtures:record [-- --provider claude,qwen@0.24.4 --scenario basic --size 120x35,80x24 --takes 2]`
 * (`--take 2` records that take alone, beside a first already recorded)
 * Records every scenario for every installed CLI (at its pinned version, or the one named) at each
 * size, `--takes` times, into fixtures/<provider>/<version>/, with a labels file beside each
 * recording. Needs `npm run agents:install` first.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { agentBinary, parseAgentSpec, PROVIDERS } from '../agents/paths.ts';
import { FIXTURES } from '../helpers/fixtures.ts';
import { SCENARIOS } from './scenarios.ts';
import { RecordingSession } from './session.ts';

const { values } = parseArgs({
  options: {
    provider: { type: 'string' },
    scenario: { type: 'string' },
    size: { type: 'string', default: '120x35,80x24' },
    takes: { type: 'string', default: '1' },
    take: { type: 'string' },
  },
});
const list = (value: string | undefined) => value?.split(',').map((v) => v.trim()).filter(Boolean);
const agents = (list(values.provider) ?? PROVIDERS).map(parseAgentSpec);
const takes = Number(values.takes);
if (!Number.isInteger(takes) || takes < 1) throw new Error(`--takes: "${values.takes}" is not a positive whole number`);
const onlyTake = values.take === undefined ? undefined : Number(values.take);
if (onlyTake !== undefined && !(Number.isInteger(onlyTake) && onlyTake >= 1)) throw new Error(`--take: "${values.take}" is not a positive whole number`);
const takeNumbers = onlyTake ? [onlyTake] : Array.from({ length: takes }, (_, i) => i + 1);
const scenarios = SCENARIOS.filter((s) => !values.scenario || list(values.scenario)!.includes(s.name));
const sizes = list(values.size)!.map((size) => {
  const [cols, rows] = size.split('x').map(Number);
  if (!cols || !rows) throw new Error(`--size: "${size}" is not COLSxROWS`);
  return { cols, rows };
});

let failures = 0;
for (const { provider, version } of agents) {
  if (!agentBinary(provider, version)) {
    console.log(`${provider}@${version}: not installed (npm run agents:install -- ${provider}@${version}), skipped`);
    continue;
  }
  for (const scenario of scenarios) {
    if (scenario.only && !scenario.only.includes(provider)) continue;
    for (const { cols, rows } of sizes) for (const take of takeNumbers) {
      const session = new RecordingSession({
        provider,
        version,
        take,
        scenario: scenario.name,
        cols,
        rows,
        turns: (outside) => scenario.turns(outside, provider),
        outDir: path.join(FIXTURES, provider, version),
      });
      const started = Date.now();
      try {
        await session.start();
        await scenario.run(session);
        const labels = await session.finish();
        const summary = labels.segments.map((s) => `${s.from.toFixed(1)} ${Array.isArray(s.status) ? s.status.join('|') : s.status}`).join(' → ');
        console.log(`${provider}@${version} ${scenario.name} ${cols}x${rows} take ${take}: ${((Date.now() - started) / 1000).toFixed(0)} s  ${summary}`);
      } catch (error) {
        failures++;
        console.log(`${provider}@${version} ${scenario.name} ${cols}x${rows} take ${take}: FAILED ${(error as Error).message}`);
        await session.abort();
        rmSync(session.castFile, { force: true }); // no labels, no fixture
      } finally {
        session.cleanup();
      }
    }
  }
}
process.exitCode = failures ? 1 : 0;
