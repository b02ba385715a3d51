/** `npm run bench`: the figures the issues ask for, measured on this machine. */
import { measureExitLatency } from './exit-latency.ts';
import { measureHeapPerScreen } from './heap.ts';
import { measureThroughput, throughputGroups } from './throughput.ts';
import { loadRecordings } from './recordings.ts';
import { soak } from './soak.ts';
import { measureStartup } from './startup.ts';
import { measureTuiStart } from './tui-start.ts';
import { measureHerd } from './herd-cpu.ts';
import { measureRemote } from './remote.ts';
import { importWithInk } from '../src/tui/index.ts';

const MB = 1024 * 1024;

async function main(): Promise<void> {
  const recordings = await loadRecordings();
  console.log(`drover bench — node ${process.version}, ${recordings.length} recordings\n`);

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
  console.log('\nA busy herd: daemon, PTY host and TUI (preview on a working agent), N agents replaying a working Claude screen;');
  console.log('then kill -9 of the daemon and the first `drover ls` after it (a new daemon started, N agents adopted)');
  const columns = ['daemon CPU', 'host CPU', 'TUI CPU', 'together', 'daemon RSS', 'host RSS', 'TUI RSS', 'ls after -9'];
  console.log(`${'N'.padStart(3)} ${columns.map((c) => c.padStart(11)).join(' ')}`);
  let readoptOne = 0;
  for (const n of [1, 5, 10, 20, 50]) {
    const herd = await measureHerd(n);
    if (n === 1) readoptOne = herd.readoptMs;
    const cpu = (x: number) => `${x.toFixed(1)}%`;
    const mb = (x: number) => `${x.toFixed(0)} MB`;
    const readopt = `${herd.readoptMs.toFixed(0)} ms${n === 1 ? '' : ` ${(herd.readoptMs / readoptOne).toFixed(1)}×`}`;
    const cells = [cpu(herd.daemonCpu), cpu(herd.hostCpu), cpu(herd.tuiCpu), cpu(herd.daemonCpu + herd.hostCpu + herd.tuiCpu), mb(herd.daemonRssMb), mb(herd.hostRssMb), mb(herd.tuiRssMb), readopt];
    console.log(`${String(n).padStart(3)} ${cells.map((c) => c.padStart(11)).join(' ')}`);
  }
  console.log('\nSoak: one daemon, 50 agents replaying a working Claude screen at its recorded rate (~2 min)');
  const result = await soak();
  console.log(`daemon CPU, agents idle:    ${result.idleCpu.toFixed(1)}% of one core (goal ≈ 0)`);
  console.log(`daemon CPU, all ${result.agents} working: ${result.workingCpu.toFixed(1)}% of one core`);
  console.log(`daemon RSS:                 ${result.rssMb.toFixed(0)} MB (goal ≤ ${60 + 15 * result.agents} MB = 60 + 15 per agent)`);
  console.log(`status changes as events:   idle then working for ${result.changesArrived} of ${result.agents} agents; the last event is the listed status for ${result.lastEventMatches} of ${result.agents}`);
}

await main();
