/** `npm run eval [-- --verbose] [--provider opencode,gemini]`: the accuracy table for every provider's (or the named ones') labelled recordings. */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FIXTURES } from '../helpers/fixtures.ts';
import { evaluateFixture, labelledRecordings, summarize, type HooksSummary, type Scored } from './evaluate.ts';

const { values } = parseArgs({ options: { verbose: { type: 'boolean', default: false }, provider: { type: 'string' } } });
const verbose = values.verbose;
const providers = values.provider?.split(',').map((p) => p.trim());
// fixtures/<provider>/… : the first folder names the provider.
const chosen = labelledRecordings().filter((file) => !providers || providers.includes(path.relative(FIXTURES, file).split(path.sep)[0]!));
const results = [];
for (const file of chosen) results.push(await evaluateFixture(file));
if (results.length === 0) {
  console.log('no labelled recordings under fixtures/ (record them with npm run fixtures:record)');
  process.exit(1);
}

function describe(label: string, { score, timeline }: Scored): void {
  const acc = score.scoredSeconds ? (100 * score.correctSeconds) / score.scoredSeconds : 100;
  const latencies = (values: Array<number | undefined>) => values.map((l) => (l === undefined ? 'missed' : `${Math.round(l * 1000)}ms`)).join(',') || '-';
  console.log(`  ${label}  ${acc.toFixed(2)}%  flaps ${score.flaps.length}  false-ready ${score.falseReady.length}  permission ${latencies(score.permissionLatencies)} (after the tool call ${latencies(score.permissionDecidedLatencies)})`);
  for (const w of score.wrong) console.log(`    wrong ${w.from.toFixed(2)}–${w.to.toFixed(2)}s: reported ${w.reported}, truth ${w.truth.join('|')}`);
  for (const f of score.flaps) console.log(`    flap ${f.status} left ${f.leftAt.toFixed(2)}s back ${f.backAt.toFixed(2)}s`);
  console.log(`    timeline: ${timeline.map((c) => `${c.t.toFixed(2)} ${c.status}`).join(' → ')}`);
}

if (verbose) {
  for (const r of results) {
    console.log(path.relative(process.cwd(), r.file));
    describe('screen', r);
    if (r.withHooks) describe(`with ${r.withHooks.reports} hook reports`, r.withHooks);
  }
  console.log();
}

function ms(seconds: number | undefined): string {
  return seconds === undefined ? 'n/a' : `${Math.round(seconds * 1000)} ms`;
}

/** Accuracy with hooks (the screen alone on the same recordings), and what a dialog costs from the tool call. */
function hooksColumns(h: HooksSummary | undefined): string {
  if (!h) return '— | —';
  const faults = [h.flaps ? `${h.flaps} flaps` : '', h.falseReady ? `${h.falseReady} false ready` : ''].filter(Boolean).join(', ');
  const accuracy = `${(h.accuracy * 100).toFixed(2)}% (${(h.screenAccuracy * 100).toFixed(2)}%) over ${h.recordings}${faults ? `, ${faults}` : ''}`;
  const permission = h.permissionPrompts
    ? `${ms(h.worstDecidedLatencyScreen)} → ${ms(h.worstDecidedLatency)} over ${h.permissionPrompts} prompts${h.missedPermissions ? `, ${h.missedPermissions} missed` : ''}`
    : '—';
  return `${accuracy} | ${permission}`;
}

console.log('| provider | version | sizes | recordings | labelled time | accuracy | flaps | done/idle while working | needs_permission latency (worst) | turn end → done (median / worst) | with hooks: accuracy (screen alone), recordings | needs_permission after the tool call (worst): screen alone → with hooks |');
console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | --- |');
for (const s of summarize(results)) {
  const latency =
    s.permissionPrompts === 0
      ? '—'
      : `${s.worstPermissionLatency === undefined ? 'n/a' : `${Math.round(s.worstPermissionLatency * 1000)} ms`} over ${s.permissionPrompts} prompts${s.missedPermissions ? `, ${s.missedPermissions} missed` : ''}`;
  const ready = s.readyLatency ? `${ms(s.readyLatency.median)} / ${ms(s.readyLatency.worst)}` : '—';
  console.log(`| ${s.provider} | ${s.version} | ${s.sizes.join(', ')} | ${s.recordings} | ${s.scoredSeconds.toFixed(0)} s | ${(s.accuracy * 100).toFixed(2)}% | ${s.flaps} | ${s.falseReady} | ${latency} | ${ready} | ${hooksColumns(s.withHooks)} |`);
}
