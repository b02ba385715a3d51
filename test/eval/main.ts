/** `npm run eval`: the accuracy table for every provider's labelled recordings. */
import path from 'node:path';
import { evaluateFixture, labelledRecordings, summarize } from './evaluate.ts';

const verbose = process.argv.includes('--verbose');
const results = [];
for (const file of labelledRecordings()) results.push(await evaluateFixture(file));
if (results.length === 0) {
  console.log('no labelled recordings under fixtures/ (record them with npm run fixtures:record)');
  process.exit(1);
}

if (verbose) {
  for (const r of results) {
    const { score } = r;
    const acc = score.scoredSeconds ? (100 * score.correctSeconds) / score.scoredSeconds : 100;
    console.log(`${path.relative(process.cwd(), r.file)}  ${acc.toFixed(2)}%  flaps ${score.flaps.length}  false-ready ${score.falseReady.length}  permission ${score.permissionLatencies.map((l) => (l === undefined ? 'missed' : `${Math.round(l * 1000)}ms`)).join(',') || '-'}`);
    for (const w of score.wrong) console.log(`    wrong ${w.from.toFixed(2)}–${w.to.toFixed(2)}s: reported ${w.reported}, truth ${w.truth.join('|')}`);
    for (const f of score.flaps) console.log(`    flap ${f.status} left ${f.leftAt.toFixed(2)}s back ${f.backAt.toFixed(2)}s`);
    console.log(`    timeline: ${r.timeline.map((c) => `${c.t.toFixed(2)} ${c.status}`).join(' → ')}`);
  }
  console.log();
}

function ms(seconds: number): string {
  return `${Math.round(seconds * 1000)} ms`;
}

console.log('| provider | version | sizes | recordings | labelled time | accuracy | flaps | done/idle while working | needs_permission latency (worst) | turn end → done (median / worst) |');
console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |');
for (const s of summarize(results)) {
  const latency =
    s.permissionPrompts === 0
      ? '—'
      : `${s.worstPermissionLatency === undefined ? 'n/a' : `${Math.round(s.worstPermissionLatency * 1000)} ms`} over ${s.permissionPrompts} prompts${s.missedPermissions ? `, ${s.missedPermissions} missed` : ''}`;
  const ready = s.readyLatency ? `${ms(s.readyLatency.median)} / ${ms(s.readyLatency.worst)}` : '—';
  console.log(`| ${s.provider} | ${s.version} | ${s.sizes.join(', ')} | ${s.recordings} | ${s.scoredSeconds.toFixed(0)} s | ${(s.accuracy * 100).toFixed(2)}% | ${s.flaps} | ${s.falseReady} | ${latency} | ${ready} |`);
}
