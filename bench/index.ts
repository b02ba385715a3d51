/** `npm run bench`: the figures the issues ask for, measured on this machine. */
import { measureHeapPerScreen } from './heap.ts';
import { measureThroughput, throughputGroups } from './throughput.ts';
import { loadRecordings } from './recordings.ts';

const MB = 1024 * 1024;

async function main(): Promise<void> {
  const recordings = await loadRecordings();
  console.log(`drover bench — node ${process.version}, ${recordings.length} recordings\n`);

  console.log('Pipeline throughput (recorded output through drover vs bare @xterm/headless), goal ratio ≥ 0.8');
  console.log(`${'recording'.padEnd(28)} ${'bytes'.padStart(9)} ${'drover MB/s'.padStart(12)} ${'xterm MB/s'.padStart(11)} ${'ratio'.padStart(6)}`);
  for (const r of await measureThroughput(throughputGroups(recordings))) {
    console.log(
      `${r.name.padEnd(28)} ${String(r.bytes).padStart(9)} ${(r.droverBytesPerSec / MB).toFixed(2).padStart(12)} ${(r.xtermBytesPerSec / MB).toFixed(2).padStart(11)} ${r.ratio.toFixed(2).padStart(6)}`,
    );
  }

  const heap = await measureHeapPerScreen();
  console.log(`\nHeap per Screen (120×35, 5,000 lines of scrollback, full): ${(heap / MB).toFixed(1)} MB (goal ≤ 15 MB)`);
}

await main();
