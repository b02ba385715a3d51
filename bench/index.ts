/** `npm run bench`: the figures the issues ask for, measured on this machine. */
import { measureExitLatency } from './exit-latency.ts';
import { measureHeapPerScreen } from './heap.ts';
import { measureThroughput, throughputGroups } from './throughput.ts';
import { loadRecordings } from './recordings.ts';
import { soak } from './soak.ts';
import { measureStartup } from './startup.ts';
import { measureTuiStart } from './tui-start.ts';
import { measureHerd, type HerdFigures } from './herd-cpu.ts';
import { CCMANAGER_VERSION, installCcmanager, measureCcmanagerHerd, type PeerFigures } from './peer-ccmanager.ts';
import { measureRemote } from './remote.ts';
import { importWithInk } from '../src/tui/index.ts';
import { readFileSync } from 'node:fs';

const MB = 1024 * 1024;

/** `--name=value` on the command line, or undefined. */
function option(name: string): string | undefined {
  return process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
}

/** The middle value; of an even count, the mean of the two middle ones (of two rounds, their mean). */
function middle(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const half = sorted.length / 2;
  return Number.isInteger(half) ? (sorted[half - 1]! + sorted[half]!) / 2 : sorted[Math.floor(half)]!;
}

function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

async function main(): Promise<void> {
  const recordings = await loadRecordings();
  console.log(`drover bench — node ${process.version}, ${recordings.length} recordings\n`);
  if (process.argv.includes('--herd-only')) return herd();

  const startup = await measureStartup();
  const ratio = (ms: number) => `${ms.toFixed(0)} ms = ${(ms / startup.nodeMs).toFixed(2)}× node -e 0`;
  console.log(`Startup (median of 15 alternating rounds; node -e 0 took ${startup.nodeMs.toFixed(0)} ms)`);
  console.log(`hook call (payload in, report taken by the daemon): ${ratio(startup.hookMs)} (goal ≤ 1.5×)`);
  console.log(`drover ls: ${ratio(startup.lsMs)} (goal ≤ 2.5×)`);
  console.log(`drover --version: ${ratio(startup.versionMs)}`);
  const tui = await measureTuiStart();
  console.log(`TUI start in a PTY, daemon up, 20 agents (node -e 0 took ${tui.nodeMs.toFixed(0)} ms): first frame ${tui.firstFrameMs.toFixed(0)} ms (goal ≤ 400 ms), agent list ${tui.fullFrameMs.toFixed(0)} ms\n`);

  console.log('Pipeline throughput (recorded output through drover vs bare @xterm/headless), goal ratio ≥ 0.8');
  console.log(`${'recording'.padEnd(28)} ${'bytes'.padStart(9)} ${'drover MB/s'.padStart(12)} ${'xterm MB/s'.padStart(11)} ${'ratio'.padStart(6)}`);
  for (const r of await measureThroughput(throughputGroups(recordings))) {
    console.log(
      `${r.name.padEnd(28)} ${String(r.bytes).padStart(9)} ${(r.droverBytesPerSec / MB).toFixed(2).padStart(12)} ${(r.xtermBytesPerSec / MB).toFixed(2).padStart(11)} ${r.ratio.toFixed(2).padStart(6)}`,
    );
  }

  const heap = await measureHeapPerScreen();
  console.log(`\nHeap per Screen (120×35, 5,000 lines of scrollback, full): ${(heap / MB).toFixed(1)} MB (goal ≤ 15 MB)`);

  const exit = await measureExitLatency();
  console.log(`Exit seen (program ends → exited with its code): median ${exit.median} ms, worst ${exit.worst} ms of 20 (goal ≤ 100 ms)`);

  const remote = await measureRemote();
  if (remote) {
    const times = (remoteMs: number, localMs: number) => `${remoteMs.toFixed(remoteMs < 10 ? 2 : 0)} ms vs ${localMs.toFixed(localMs < 10 ? 2 : 0)} ms local = ${(remoteMs / localMs).toFixed(2)}×`;
    console.log('Remote over loopback ssh (a real sshd, a second daemon; median, alternating rounds):');
    console.log(`  drover --host ls, a new ssh connection each: ${times(remote.remoteLsMs, remote.localLsMs)}`);
    console.log(`  the same over an ssh ControlMaster connection: ${times(remote.multiplexedLsMs, remote.localLsMs)}`);
    console.log(`  a keystroke's round trip in an attach (key in → its echo out): ${times(remote.remoteKeyMs, remote.localKeyMs)}`);
  }

  const { measureFrameRender } = await importWithInk(() => import('./tui-frame.tsx'));
  for (const size of [{ cols: 177, rows: 54 }, { cols: 80, rows: 24 }]) {
    const frame = await measureFrameRender(size);
    const what = size.cols === 177 ? 'the whole 120×35 screen in the preview (terminal 177×54)' : 'at 80×24';
    console.log(`TUI frames, 20 agents, ${what}, ${frame.frames} each (goal ≤ 16 ms):`);
    console.log(`  new preview screen → rows written: median ${frame.preview.median.toFixed(2)} ms, p95 ${frame.preview.p95.toFixed(2)} ms`);
    console.log(`  a status change in the list → rows written: median ${frame.list.median.toFixed(1)} ms, p95 ${frame.list.p95.toFixed(1)} ms`);
  }

  if (process.argv.includes('--no-soak')) return;
  await herd();
  console.log('\nSoak: one daemon, 50 agents replaying a working Claude screen at its recorded rate (~2 min)');
  const result = await soak();
  console.log(`daemon CPU, agents idle:    ${result.idleCpu.toFixed(1)}% of one core (goal ≈ 0)`);
  console.log(`daemon CPU, all ${result.agents} working: ${result.workingCpu.toFixed(1)}% of one core`);
  console.log(`daemon RSS:                 ${result.rssMb.toFixed(0)} MB (goal ≤ ${60 + 15 * result.agents} MB = 60 + 15 per agent)`);
  console.log(`status changes as events:   idle then working for ${result.changesArrived} of ${result.agents} agents; the last event is the listed status for ${result.lastEventMatches} of ${result.agents}`);
}

/**
 * A busy herd, drover and the peer (ccmanager) side by side: for each N, alternating rounds of
 * drover's herd and ccmanager's with the same replayed agents, their medians and the ratio.
 *   --herd-only: only this; --herd=1,5,10: which N; --rounds=R (2); --no-peer: drover alone.
 */
async function herd(): Promise<void> {
  const sizes = (option('herd') ?? '1,5,10,20,50').split(',').map(Number);
  const rounds = Number(option('rounds') ?? 2);
  const peer = process.argv.includes('--no-peer') ? { skipped: 'not asked for (--no-peer)' } : await installCcmanager();
  console.log('\nA busy herd: daemon, PTY host and TUI (preview on a working agent), N agents replaying a working Claude screen;');
  console.log('then kill -9 of the daemon and the first `drover ls` after it (a new daemon started, N agents adopted)');
  if ('skipped' in peer) console.log(`the peer, ccmanager ${CCMANAGER_VERSION}, skipped: ${peer.skipped}`);
  else
    console.log(
      `side by side, in ${rounds} alternating rounds per N (figures are their medians): ccmanager ${CCMANAGER_VERSION} on Bun ${peer.bunVersion}, ` +
        'its Bun process + the git processes it ran, attached to its first session (that screen live on its terminal), the same replayers',
    );
  const columns = ['daemon CPU', 'host CPU', 'TUI CPU', 'together', 'ccmanager', 'drover ÷ it', 'daemon RSS', 'host RSS', 'TUI RSS', 'ccm RSS', 'ls after -9'];
  console.log(`${'N'.padStart(3)} ${columns.map((c) => c.padStart(11)).join(' ')}`);
  let readoptOne = 0;
  for (const n of sizes) {
    const drovers: HerdFigures[] = [];
    const peers: PeerFigures[] = [];
    for (let round = 0; round < rounds; round++) {
      drovers.push(await measureHerd(n));
      if (!('skipped' in peer)) peers.push(await measureCcmanagerHerd(peer, n));
    }
    const of = (key: keyof HerdFigures) => middle(drovers.map((figures) => figures[key]));
    const together = drovers.map((f) => f.daemonCpu + f.hostCpu + f.tuiCpu);
    const readoptMs = of('readoptMs');
    if (n === sizes[0]) readoptOne = readoptMs;
    const cpu = (x: number) => `${x.toFixed(1)}%`;
    const mb = (x: number) => `${x.toFixed(0)} MB`;
    const peerCpu = peers.length ? middle(peers.map((p) => p.cpu)) : undefined;
    const readopt = `${readoptMs.toFixed(0)} ms${n === sizes[0] ? '' : ` ${(readoptMs / readoptOne).toFixed(1)}×`}`;
    const cells = [
      cpu(of('daemonCpu')),
      cpu(of('hostCpu')),
      cpu(of('tuiCpu')),
      cpu(middle(together)),
      peerCpu === undefined ? '—' : cpu(peerCpu),
      peerCpu === undefined ? '—' : `${(middle(together) / peerCpu).toFixed(2)}×`,
      mb(of('daemonRssMb')),
      mb(of('hostRssMb')),
      mb(of('tuiRssMb')),
      peers.length ? mb(middle(peers.map((p) => p.rssMb))) : '—',
      readopt,
    ];
    console.log(`${String(n).padStart(3)} ${cells.map((c) => c.padStart(11)).join(' ')}`);
    const list = (values: number[]) => values.map((x) => x.toFixed(1)).join(', ');
    const peerRounds = peers.length ? ` · ccmanager ${list(peers.map((p) => p.cpu))}% (its git processes ${list(peers.map((p) => p.childrenCpu))}%)` : '';
    console.log(`    rounds: drover ${list(together)}%${peerRounds} · load average after them ${loadAverage()}`);
  }
}

await main();
